// Debian's Chromium driven by puppeteer-core, for the web portal tests. Installed by
// scripts/install-browser.sh (npm test runs it); CHROMIUM_PATH overrides where it is.
import fs from "node:fs";
import fs2 from "node:fs/promises";
import path from "node:path";
import axe from "axe-core";
import puppeteer, { type Browser, type ElementHandle, type HTTPRequest, type Page, type Protocol } from "puppeteer-core";
import { TestEnv, type World } from "./harness.js";

export const SCREENSHOTS = path.resolve("test-artifacts/screenshots");

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && fs.existsSync(p));
  if (!found) throw new Error("Chromium is not installed: run `bash scripts/install-browser.sh` (npm test does) or set CHROMIUM_PATH");
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  // Root in a container: Chromium's sandbox needs user namespaces it does not get here.
  return puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage", "--lang=nl-NL"] });
}

/**
 * The usual browser suite: registers the hooks that start a server with a world of `administrations`
 * and a browser before its tests, and close both after. Read the fields inside the tests.
 */
export function browserSuite(administrations = 1): { readonly env: TestEnv; readonly world: World; readonly browser: Browser } {
  const suite = {} as { env: TestEnv; world: World; browser: Browser };
  before(async () => {
    suite.env = await TestEnv.create();
    suite.world = await suite.env.createWorld({ administrations });
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.env?.close();
  });
  return suite;
}

/** Saves a screenshot for people to look at (test-artifacts/screenshots, kept out of git). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await fs2.mkdir(SCREENSHOTS, { recursive: true });
  const scrolled = await page.evaluate(() => scrollY);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // A full-page shot resizes the view for a moment; Chromium may restore the scroll position a frame
  // later, moving what the next click aims at between its mousedown and mouseup. Settle it first.
  await page.evaluate(async (y) => {
    scrollTo(0, y);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }, scrolled);
}

/** A fresh tab in its own browser context (its own storage), at a desktop's width, in `language`. */
export async function languagePage(browser: Browser, language: "nl" | "en", options: Parameters<Browser["createBrowserContext"]>[0] = {}): Promise<Page> {
  const tab = await (await browser.createBrowserContext(options)).newPage();
  await tab.setViewport({ width: 1280, height: 800 });
  await tab.evaluateOnNewDocument((chosen) => localStorage.setItem("portaldesk.language", chosen), language);
  // What the Content-Security-Policy blocked (an inline style or script, another origin), for screenshots() to refuse.
  await tab.evaluateOnNewDocument(() => {
    const blocked: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = blocked;
    document.addEventListener("securitypolicyviolation", (e) => blocked.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  return tab;
}

/** Fails when the page's Content-Security-Policy blocked anything it tried (the portal would be broken there). */
export async function expectNoCspViolations(tab: Page): Promise<void> {
  const blocked = await tab.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
  if (blocked.length > 0) throw new Error(`the Content-Security-Policy blocked: ${blocked.join("; ")}`);
}

/** The success criteria axe-core checks on every screen: WCAG 2.2 at levels A and AA. */
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Fails when axe-core finds anything against WCAG 2.2 AA on the page as it is now (each violation with
 * the elements it was found on), or when the page scrolls sideways. Injected through the DevTools
 * protocol, which the page's Content-Security-Policy does not govern.
 */
export async function expectAccessible(tab: Page, label: string): Promise<void> {
  // tsx names the functions of the checker below with a helper the page does not have.
  await tab.evaluate("globalThis.__name ??= (f) => f");
  const found = await tab.evaluate(
    async (source, tags) => {
      if (!(window as unknown as { axe?: unknown }).axe) (0, eval)(source);
      const { axe: checker } = window as unknown as { axe: typeof axe };
      const result = await checker.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      // Sideways scrolling, named by the outermost elements that stick out.
      const width = window.innerWidth;
      const sticksOut = (e: Element) => e.getBoundingClientRect().right > width + 0.5;
      const culprits = Array.from(document.body.querySelectorAll("*"))
        .filter((e) => sticksOut(e) && !(e.parentElement && e.parentElement !== document.body && sticksOut(e.parentElement)))
        .slice(0, 4)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}${e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""} (${Math.round(e.getBoundingClientRect().right)} px)`,
        );
      const sideways =
        document.documentElement.scrollWidth > width ? [`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${width}: ${culprits.join(", ")}`] : [];
      return [
        ...sideways,
        ...result.violations.map(
          (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n")[1]?.trim() ?? ""}`).join("\n    ")}`,
        ),
      ];
    },
    axe.source,
    WCAG_AA,
  );
  if (found.length === 0) return;
  throw new Error(`${label} is not accessible:\n  ${found.join("\n  ")}`);
}

/**
 * What must never show on a Dutch screen: the API's enum values as codes (`ANNUAL_ACCOUNTS`,
 * `CONTRIBUTE`, `NONE`), audit actions (`filing.created`, `mail.sent`), and the English of the
 * server's sentences (every `en:` of a `{ en, nl }` pair in src, by its fixed parts).
 */
let untranslated: { codes: Set<string>; english: string[] } | null = null;
function untranslatedTexts(): { codes: Set<string>; english: string[] } {
  if (untranslated) return untranslated;
  const generated = fs.readFileSync(path.resolve("sdk/src/generated/graphql.ts"), "utf8");
  const codes = new Set<string>();
  for (const block of generated.matchAll(/^export const \w+ = \{([^}]*)\}/gm)) {
    for (const [, value] of block[1]!.matchAll(/: '([A-Z0-9_]+)'/g)) if (value!.includes("_") || value!.length >= 4) codes.add(value!);
  }
  // Words that are also plain text in a Dutch sentence or a proper name.
  for (const word of ["PDF", "HEIC", "JPEG", "TIFF", "IBAN", "XBRL", "MT940", "CAMT053"]) codes.delete(word);
  const english = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith(".ts")) {
        for (const [, text] of fs.readFileSync(file, "utf8").matchAll(/\ben: [`"]([^`"]+)[`"], nl: /g)) {
          for (const part of text!.split(/\$\{[^}]*\}/)) if (part.trim().length >= 24) english.add(part.trim());
        }
      }
    }
  };
  walk(path.resolve("src"));
  untranslated = { codes, english: [...english] };
  return untranslated;
}

/** Fails when the page, in Dutch, shows a raw code or one of the server's English sentences. */
export async function expectDutch(tab: Page, label: string): Promise<void> {
  const { codes, english } = untranslatedTexts();
  const text = await tab.evaluate(() => document.body.innerText);
  const found = [
    ...[...new Set(text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g) ?? [])].filter((word) => codes.has(word)).map((code) => `the code ${code}`),
    ...[...new Set(text.match(/\b(?:document|filing|mail|report|figures|archive|user|session|webhook)\.[a-z_]+\b/g) ?? [])].map((action) => `the action ${action}`),
    ...english.filter((sentence) => text.includes(sentence)).map((sentence) => `the English “${sentence}”`),
  ];
  if (found.length > 0) throw new Error(`${label} shows, in Dutch: ${found.join("; ")}`);
}

/**
 * Screenshots at a desktop's width and a phone's (390), in the page's language and then in the other
 * one (switched with the header's language menu, and back): `<name>-1280`, `-390`, `-other-1280`, `-other-390`.
 */
export async function screenshots(tab: Page, name: string): Promise<void> {
  await expectNoCspViolations(tab);
  const atBothWidths = async (label: string) => {
    if ((await tab.evaluate(() => document.documentElement.lang)) === "nl") await expectDutch(tab, label);
    await expectAccessible(tab, `${label} at 1280 px`);
    await screenshot(tab, `${label}-1280`);
    await tab.setViewport({ width: 390, height: 800 });
    await expectAccessible(tab, `${label} at 390 px`);
    await screenshot(tab, `${label}-390`);
    await tab.setViewport({ width: 1280, height: 800 });
  };
  await atBothWidths(name);
  const menu = "header .language select";
  const language = await tab.$eval(menu, (e) => (e as HTMLSelectElement).value);
  const other = language === "nl" ? "en" : "nl";
  await tab.select(menu, other);
  await tab.waitForFunction((lang) => document.documentElement.lang === lang, {}, other);
  // Screens fetch the server's words again in the new language.
  await tab.waitForNetworkIdle({ idleTime: 250 });
  await atBothWidths(`${name.replace(/-(nl|en)$/, "")}-${other}`);
  await tab.select(menu, language);
  await tab.waitForFunction((lang) => document.documentElement.lang === lang, {}, language);
}

/**
 * Answers the page's confirmation questions: OK, unless `answer` says no (Cancel). Returns the list of
 * what was asked, in order, for the test to check the words.
 */
export function answerConfirmations(tab: Page, answer: (message: string) => boolean = () => true): string[] {
  const asked: string[] = [];
  tab.on("dialog", (dialog) => {
    asked.push(dialog.message());
    void (answer(dialog.message()) ? dialog.accept() : dialog.dismiss());
  });
  return asked;
}

/**
 * Holds the page's GraphQL requests whose body contains `operation` until `release()`; every other
 * request goes on. `count()` says how many were sent, so a test can see what a busy state prevented.
 */
export async function holdRequests(tab: Page, operation: string): Promise<{ count(): number; release(): void }> {
  const held: HTTPRequest[] = [];
  let sent = 0;
  let releasing = false;
  await tab.setRequestInterception(true);
  tab.on("request", (request) => {
    if (request.isInterceptResolutionHandled()) return;
    if (!(request.postData() ?? "").includes(operation)) return void request.continue();
    sent += 1;
    if (releasing) return void request.continue();
    held.push(request);
  });
  return {
    count: () => sent,
    release() {
      releasing = true;
      for (const request of held.splice(0)) void request.continue();
    },
  };
}

/** Waits until the element `selector` shows `text` (lists fill in after their panel appears). */
export async function waitForText(tab: Page, selector: string, text: string): Promise<void> {
  await tab.waitForFunction((sel, expected) => (document.querySelector(sel) as HTMLElement | null)?.innerText.includes(expected) ?? false, {}, selector, text);
}

/** The text a person sees in the element `selector` matches. */
export const textOf = (tab: Page, selector: string) => tab.$eval(selector, (e) => (e as HTMLElement).innerText);

/** Signs in through the page's own form. */
export async function signInThroughPage(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('input[name="email"]');
  await page.type('input[name="email"]', email);
  await page.type('input[name="password"]', password);
  await Promise.all([page.waitForSelector("header .who"), page.click('button[type="submit"]')]);
}

async function centre(element: ElementHandle<Element>): Promise<{ x: number; y: number }> {
  const box = await element.boundingBox();
  if (!box) throw new Error("the element is not visible");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drops files from disk onto `target`, as a person dragging them from their file manager would (CDP drag events). */
export async function dropFiles(page: Page, target: ElementHandle<Element>, files: string[]): Promise<void> {
  const cdp = await page.createCDPSession();
  const at = await centre(target);
  const data = { items: [], files, dragOperationsMask: 1 };
  for (const type of ["dragEnter", "dragOver", "drop"] as const) await cdp.send("Input.dispatchDragEvent", { type, ...at, data });
  await cdp.detach();
}

/**
 * Where `element` is once the layout holds still: its centre, the same 50 ms apart,
 * with the element itself (or a child) under that point. A page that is still settling (an upload
 * list closing, a thumbnail arriving) would otherwise move the element from under the mouse.
 */
async function settledCentre(page: Page, element: ElementHandle<Element>): Promise<{ x: number; y: number }> {
  await page.waitForFunction(
    (el) =>
      // Timers, not animation frames: a page in a background tab draws no frames.
      new Promise<boolean>((resolve) => {
        const first = el.getBoundingClientRect();
        setTimeout(() => {
          const second = el.getBoundingClientRect();
          const hit = document.elementFromPoint(second.x + second.width / 2, second.y + second.height / 2);
          resolve(first.x === second.x && first.y === second.y && el.contains(hit));
        }, 50);
      }),
    { timeout: 10_000, polling: 50 },
    element,
  );
  return centre(element);
}

/**
 * Drags `source` onto `target` with the mouse: the browser starts a real HTML drag (the page's
 * dragstart fills the data); CDP intercepts it and delivers dragenter, dragover and drop at the target.
 */
export async function dragOnto(page: Page, source: ElementHandle<Element>, target: ElementHandle<Element>): Promise<void> {
  const cdp = await page.createCDPSession();
  await cdp.send("Input.setInterceptDrags", { enabled: true });
  const intercepted = new Promise<Protocol.Input.DragData>((resolve) => cdp.once("Input.dragIntercepted", (event) => resolve(event.data)));
  const from = await settledCentre(page, source);
  const to = await settledCentre(page, target);
  // The mouse goes through the same session that intercepts the drag (interception is per session).
  const mouse = (type: "mouseMoved" | "mousePressed" | "mouseReleased", at: { x: number; y: number }) =>
    cdp.send("Input.dispatchMouseEvent", { type, ...at, button: "left", buttons: type === "mouseReleased" ? 0 : 1, clickCount: 1 });
  await mouse("mouseMoved", from);
  await mouse("mousePressed", from);
  for (let step = 1; step <= 8; step++) await mouse("mouseMoved", { x: from.x + ((to.x - from.x) * step) / 8, y: from.y + ((to.y - from.y) * step) / 8 });
  const data = await Promise.race([intercepted, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the browser started no drag from that element")), 5000))]);
  for (const type of ["dragEnter", "dragOver", "drop"] as const) await cdp.send("Input.dispatchDragEvent", { type, ...to, data });
  await mouse("mouseReleased", to);
  await cdp.send("Input.setInterceptDrags", { enabled: false });
  await cdp.detach();
}
