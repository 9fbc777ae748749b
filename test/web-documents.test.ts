// The document viewer in a real browser, for the client and the accountant: opened from a desk card,
// a tray, the work queue, the archive and search; pages, zoom, download, details and history in
// words; rename, remove, take back, undo a filing. Signed links here live a second (rounded up to the
// minute, as the server does), so "a page left open for an hour" is one left open until they expired.
import { ArchiveRootDocument, CreateArchiveFolderDocument, SearchDocument, TrayKind, unwrap, upload, UploadDocumentsDocument, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, HTTPResponse, Page } from "puppeteer-core";
import { answerConfirmations, languagePage, launchBrowser, screenshots, signInThroughPage, textOf, waitForText } from "./support/browser.js";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, PASSWORD, settle, TestEnv, type World } from "./support/harness.js";

/** Waits until every signed link the page holds has expired (their `e`, in seconds, has passed). */
async function waitPastLinks(tab: Page): Promise<void> {
  const expiries = await tab.$$eval("img[src*='e='], a[href*='e=']", (els) =>
    els.map((e) => Number(new URL((e as HTMLImageElement).src || (e as HTMLAnchorElement).href).searchParams.get("e"))),
  );
  expect(expiries.length, "the page holds signed links").to.be.greaterThan(0);
  await settle(Math.max(...expiries) * 1000 - Date.now() + 1000);
}

describe("the document viewer in the web portal", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  let client: PortalDeskClient;
  let staff: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create({ DOWNLOAD_URL_TTL: "1s" });
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    client = await env.signIn(world.clients[0]!.email);
    staff = await env.signIn(world.accountant.email);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
  });

  const card = (filename: string) => `[data-testid="card"][data-filename="${filename}"]`;
  const viewer = '[data-testid="document-viewer"]';

  /** Resolves with the next response for a file link (/files/…). */
  const nextFileResponse = (tab: Page) => new Promise<HTTPResponse>((resolve) => tab.on("response", (r) => r.url().includes("/files/d/") && resolve(r)));

  const allPagesShown = (tab: Page, count: number) =>
    tab.waitForFunction(
      (n) => {
        const images = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="page-image"]'));
        return images.length === n && images.every((i) => i.complete && i.naturalWidth > 0);
      },
      {},
      count,
    );

  it("lets the client open a card, see its pages and details, download it after its links expired, rename, file and undo, take back and remove", async () => {
    for (const [name, pages, label] of [
      ["bakker.pdf", 2, "Bakker"],
      ["weg.pdf", 1, "Weg"],
    ] as const) {
      unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(pages, label), { filename: name })] } })).uploadDocuments);
    }
    const tab = await languagePage(browser, "nl");
    // The first page image is refused as an expired link would be: the viewer asks for fresh links and tries again.
    let refusedOnce = "";
    await tab.setRequestInterception(true);
    tab.on("request", (request) => {
      if (request.isInterceptResolutionHandled()) return;
      if (!refusedOnce && request.url().includes("/files/p/")) {
        refusedOnce = request.url();
        return void request.respond({ status: 403, contentType: "text/plain", body: "This download link is not valid: expired." });
      }
      void request.continue();
    });
    await signInThroughPage(tab, env.server.url, world.clients[0]!.email, PASSWORD);
    await tab.waitForSelector(card("bakker.pdf"));
    // Every link the page holds has expired now (the page may have fetched fresh ones since: keep one from before).
    const staleLink = await tab.$eval("img[src*='e=']", (e) => (e as HTMLImageElement).src);
    await waitPastLinks(tab);
    // That one opened in a Dutch browser as it is: a page in the reader's language, with the way back.
    // In a context of its own: the tab's cache still holds the file from when the link was good.
    const refusalTab = await (await browser.createBrowserContext()).newPage();
    await refusalTab.setExtraHTTPHeaders({ "accept-language": "nl-NL,nl;q=0.9,en;q=0.5" });
    expect((await refusalTab.goto(staleLink))!.status()).to.equal(403);
    expect(await textOf(refusalTab, "main")).to.contain("Deze downloadlink werkt niet: hij is verlopen.");
    expect(await refusalTab.$eval("main a", (a) => a.getAttribute("href"))).to.equal("/");
    await refusalTab.close();

    await tab.click(`${card("bakker.pdf")} [data-testid="open-document"]`);
    await tab.waitForSelector(`${viewer}[open]`);
    await allPagesShown(tab, 2);
    expect(refusedOnce, "a page image was refused once").to.not.equal("");
    expect(await textOf(tab, "#viewer-title")).to.equal("bakker.pdf");
    const details = await textOf(tab, '[data-testid="document-details"]');
    for (const expected of ["Soort", "PDF", "Pagina's", "2", "Status", "Op het bureau", "Aangeleverd"]) expect(details).to.contain(expected);
    // nl-NL: "7 dec 2026 08:26", a size in Dutch ("1,2 kB").
    expect(details).to.match(/\d{1,2} [a-z]{3}\.? 20\d\d,? \d\d:\d\d/);
    expect(details).to.match(/\d+(,\d)? kB/);
    expect(await textOf(tab, '[data-testid="history"]')).to.contain("aangeleverd");

    expect(await textOf(tab, '[data-testid="zoom"]')).to.match(/^100\s?%$/);
    await tab.click('[data-testid="zoom-in"]');
    expect(await textOf(tab, '[data-testid="zoom"]')).to.match(/^150\s?%$/);
    await tab.click('[data-testid="zoom-out"]');

    // The download link is asked for at the click, long after the page loaded: it works.
    const download = nextFileResponse(tab);
    await tab.click('[data-testid="download"]');
    const response = await download;
    expect(response.status()).to.equal(200);
    expect(response.headers()["content-disposition"]).to.match(/^attachment/);
    await screenshots(tab, "document-viewer-nl");

    // Rename: the viewer and the desk show the new name.
    await tab.click('[data-testid="rename"]');
    await tab.$eval('[data-testid="rename-form"] input[name="filename"]', (e) => ((e as HTMLInputElement).value = ""));
    await tab.type('[data-testid="rename-form"] input[name="filename"]', "bakker-december.pdf");
    await tab.click('[data-testid="rename-form"] button[type="submit"]');
    await waitForText(tab, "#viewer-title", "bakker-december.pdf");
    await tab.click('[data-testid="close-viewer"]');
    await tab.waitForSelector(`${viewer}`, { hidden: true });
    await tab.waitForSelector(card("bakker-december.pdf"));

    // File it into Inkoop, and undo that right away.
    await tab.click(`${card("bakker-december.pdf")} input[type="checkbox"]`);
    await tab.select('[data-testid="destination"]', "0");
    await tab.$$eval(".toolbar button", (buttons) => (buttons.find((b) => b.textContent?.startsWith("Opbergen")) as HTMLButtonElement).click());
    await waitForText(tab, '[data-testid="desk-message"]', "1 in Inkoop gelegd.");
    await eventually(async () => !(await tab.$(card("bakker-december.pdf"))), 10_000);
    await tab.click('[data-testid="undo-filing"]');
    await waitForText(tab, '[data-testid="desk-message"]', "1 terug op het bureau.");
    await tab.waitForSelector(card("bakker-december.pdf"));

    // Filed again, it is opened from its tray and taken back from the viewer.
    await tab.click(`${card("bakker-december.pdf")} input[type="checkbox"]`);
    await tab.$$eval(".toolbar button", (buttons) => (buttons.find((b) => b.textContent?.startsWith("Opbergen")) as HTMLButtonElement).click());
    await tab.waitForSelector('[data-testid="tray-PURCHASE"] [data-testid="tray-document"]');
    await tab.click('[data-testid="tray-PURCHASE"] [data-testid="tray-document"]');
    await tab.waitForSelector(`${viewer}[open]`);
    await waitForText(tab, '[data-testid="document-details"]', "Bakje Inkoop");
    expect(await textOf(tab, '[data-testid="document-details"]')).to.contain("Ingediend");
    expect(await textOf(tab, '[data-testid="history"]')).to.contain("gelegd in Inkoop");
    await tab.click('[data-testid="take-back"]');
    await waitForText(tab, '[data-testid="document-details"]', "Op het bureau");
    expect(await tab.$('[data-testid="take-back"]')).to.equal(null);
    await tab.click('[data-testid="close-viewer"]');
    await tab.waitForSelector(card("bakker-december.pdf"));

    // Remove, after a confirmation that names the file.
    const asked = answerConfirmations(tab);
    await tab.click(`${card("weg.pdf")} [data-testid="open-document"]`);
    await tab.waitForSelector(`${viewer}[open] [data-testid="remove"]`);
    await tab.click('[data-testid="remove"]');
    await waitForText(tab, '[data-testid="desk-message"]', "“weg.pdf” is verwijderd.");
    expect(asked).to.deep.equal(["“weg.pdf” verwijderen? Het kantoor ziet het dan ook niet meer."]);
    await tab.waitForSelector(card("weg.pdf"), { hidden: true });
    expect(await tab.$(`${viewer}[open]`)).to.equal(null);
  });

  it("lets the accountant open a document from the work queue (history in words, mark processed) and from search, long after the page loaded", async () => {
    unwrap(
      (
        await client.request(UploadDocumentsDocument, {
          input: { administrationId, tray: TrayKind.Purchase, files: [upload(await pdfBytes(1, "Drukkerij"), { filename: "drukkerij.pdf" })] },
        })
      ).uploadDocuments,
    );
    const root = (await staff.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
    const contracts = unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: root, name: "Contracten" } })).createArchiveFolder).folder!.id;
    unwrap(
      (
        await staff.request(UploadDocumentsDocument, {
          input: { administrationId, tray: TrayKind.Archive, folderId: contracts, files: [upload(await pdfBytes(1, "huurcontract winkelpand"), { filename: "huur.pdf" })] },
        })
      ).uploadDocuments,
    );
    // Its text is searchable once read.
    await eventually(async () => (await staff.request(SearchDocument, { input: { administrationId, query: "winkelpand" }, first: 5 })).search.totalCount > 0, 30_000);

    const tab = await languagePage(browser, "en");
    await signInThroughPage(tab, env.server.url, world.accountant.email, PASSWORD);
    await tab.waitForSelector('[data-testid="administration"]');
    await tab.click('[data-testid="administration"]');
    const row = '[data-testid="queue-row"][data-filename="drukkerij.pdf"]';
    await tab.waitForSelector(`${row} [data-testid="open-document"]`);

    await tab.click(`${row} [data-testid="open-document"]`);
    await tab.waitForSelector(`${viewer}[open]`);
    await allPagesShown(tab, 1);
    await waitForText(tab, '[data-testid="history"]', "uploaded into Purchases");
    const history = await textOf(tab, '[data-testid="history"]');
    expect(history).to.not.match(/document\.\w+/);
    expect(await textOf(tab, '[data-testid="document-details"]')).to.contain("Tray Purchases");
    await screenshots(tab, "document-viewer-staff-en");
    await tab.click(`${viewer} [data-testid="mark-processed"]`);
    await waitForText(tab, '[data-testid="document-details"]', "Processed");
    expect(await tab.$(`${viewer} [data-testid="remove"]`), "a processed document is not removed").to.equal(null);
    await tab.click('[data-testid="close-viewer"]');
    await tab.waitForSelector(row, { hidden: true });

    // Search in the administration's archive, then open the hit.
    await tab.type('[data-testid="search"]', "winkelpand");
    await tab.keyboard.press("Enter");
    await tab.waitForSelector('[data-testid="hit"] [data-testid="open-document"]');
    await tab.click('[data-testid="hit"] [data-testid="open-document"]');
    await tab.waitForSelector(`${viewer}[open]`);
    await waitForText(tab, '[data-testid="document-details"]', "Contracten");
    const download = nextFileResponse(tab);
    await tab.click('[data-testid="download"]');
    expect((await download).status()).to.equal(200);
    await screenshots(tab, "document-viewer-search-en");
  });
});
