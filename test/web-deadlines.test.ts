// The deadlines in a real browser: the staff home's returns coming due, an administration's filing
// calendar (with its filing frequencies changed there), and the client's own calendar, in NL and EN.
import { CreateVatReturnDocument, FilingFrequency, RequestFilingApprovalDocument, UpdateAdministrationDocument, unwrap, type UpdateAdministrationInput } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, Page } from "puppeteer-core";
import { languagePage, launchBrowser, screenshots, signInThroughPage } from "./support/browser.js";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

describe("deadlines in the web portal", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    const [first, second] = world.administrations.map((a) => gid("Administration", a.id)) as [string, string];
    const admin = await env.signIn(world.admin.email);
    const update = async (input: UpdateAdministrationInput) => unwrap((await admin.request(UpdateAdministrationDocument, { input })).updateAdministration);
    await update({
      id: first,
      vatNumber: "NL123456782B01",
      vatFilingFrequency: FilingFrequency.Quarterly,
      icpFilingFrequency: FilingFrequency.Quarterly,
      filingsFrom: "2026-01-01",
    });
    await update({ id: second, vatFilingFrequency: FilingFrequency.Monthly, filingsFrom: "2026-10-01" });
    const vat = async (quarter: number) =>
      unwrap(
        (await admin.request(CreateVatReturnDocument, { input: { administrationId: first, period: { year: 2026, quarter }, boxes: { box1a: { turnover: 1000, vat: 210 } } } }))
          .createVatReturn,
      ).vatReturn!.id;
    unwrap((await admin.request(RequestFilingApprovalDocument, { input: { filingId: await vat(2) } })).requestFilingApproval);
    await vat(3); // a draft
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  const rows = (tab: Page) => tab.$$eval('[data-testid="deadline"]', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, " ").trim()));

  /** Steps the calendar to 2026, whatever year it is now. */
  async function toYear(tab: Page, year: number): Promise<void> {
    for (;;) {
      const shown = Number(await tab.$eval('[data-testid="calendar-year"]', (e) => e.textContent));
      if (shown === year) break;
      await tab.click(
        `.year-nav button[aria-label="${shown > year ? "Vorig jaar" : "Volgend jaar"}"], .year-nav button[aria-label="${shown > year ? "Previous year" : "Next year"}"]`,
      );
      await tab.waitForFunction((y) => document.querySelector('[data-testid="calendar-year"]')?.textContent === String(y), {}, shown > year ? shown - 1 : shown + 1);
    }
  }

  it("shows staff the returns coming due and overdue, opens the administration's calendar and changes how often it files", async () => {
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.admin.email, PASSWORD);
    await tab.waitForSelector("#due-title");
    const due = await rows(tab);
    const name = world.administrations[0]!.name;
    // Whatever today is, Q2 2026 (due 31 July 2026) is overdue and waits for the client.
    expect(due).to.include(`31 jul 2026 ${daysSince("2026-07-31")} dagen te laat ${name} Btw-aangifte 2e kwartaal 2026 Wacht op akkoord`);
    expect(due.some((r) => r.includes("ICP-opgaaf 1e kwartaal 2026") && r.includes("te laat"))).to.equal(true);
    await screenshots(tab, "deadlines-staff-home-nl");

    await tab.evaluate(
      (n) =>
        Array.from(document.querySelectorAll<HTMLButtonElement>(".due button.link"))
          .find((b) => b.textContent === n)!
          .click(),
      name,
    );
    await tab.waitForSelector("#calendar-title");
    await toYear(tab, 2026);
    await tab.waitForFunction(() => document.querySelectorAll('.calendar [data-testid="deadline"]').length === 8);
    const calendar = await tab.$$eval('.calendar [data-testid="deadline"]', (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
    expect(calendar[0]).to.match(/^30 apr 2026 .*ICP-opgaaf 1e kwartaal 2026 Nog niet klaargezet$/);
    expect(calendar[5]).to.match(/^2 nov 2026 .*Btw-aangifte 3e kwartaal 2026 Nog niet klaargezet$/);
    expect(await tab.$eval('[data-testid="frequencies"]', (e) => (e as HTMLElement).innerText)).to.include(
      "Btw-aangifte: per kwartaal · ICP-opgaaf: per kwartaal · vanaf 1 jan 2026",
    );
    await screenshots(tab, "deadlines-calendar-nl");

    // Monthly VAT from now on: twelve months, four ICP quarters, and the two quarterly returns made before.
    await tab.evaluate(() => Array.from(document.querySelectorAll<HTMLButtonElement>('[data-testid="frequencies"] button'))[0]!.click());
    await tab.waitForSelector('[data-testid="frequency-form"]');
    await tab.select('[data-testid="frequency-form"] select[name="vat"]', "MONTHLY");
    await tab.click('[data-testid="frequency-form"] button[type="submit"]');
    await tab.waitForFunction(() => document.querySelectorAll('.calendar [data-testid="deadline"]').length === 18);
    expect(await tab.$eval('[data-testid="frequencies"]', (e) => (e as HTMLElement).innerText)).to.include("Btw-aangifte: per maand");
    await tab.close();
  });

  it("shows the client their own calendar in English, without the firm's draft", async () => {
    const tab = await languagePage(browser, "en");
    await signInThroughPage(tab, env.server.url, world.clients[0]!.email, PASSWORD);
    await tab.click('[data-testid="tab-filings"]');
    await tab.waitForSelector("#calendar-title");
    await toYear(tab, 2026);
    await tab.waitForFunction(() => document.querySelectorAll('.calendar [data-testid="deadline"]').length >= 8);
    const calendar = await rows(tab);
    const q3 = calendar.find((r) => r.includes("VAT return Q3 2026"))!;
    expect(q3).to.match(/Not prepared$/);
    // The draft behind it is not linked for the client; the return awaiting approval is.
    const links = await tab.$$eval(".calendar a", (els) => els.map((e) => e.textContent));
    expect(links.some((l) => l?.includes("Q2 2026"))).to.equal(true);
    expect(links.some((l) => l?.includes("Q3 2026"))).to.equal(false);
    await screenshots(tab, "deadlines-client-en");
    // The return awaiting approval says on its own page when it is due.
    await tab.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLAnchorElement>(".calendar a"))
        .find((a) => a.textContent?.includes("Q2 2026"))!
        .click(),
    );
    await tab.waitForSelector('[data-testid="filing-due"]');
    expect(await tab.$eval('[data-testid="filing-due"]', (e) => (e as HTMLElement).innerText)).to.equal("Due 31 Jul 2026");
    await tab.close();
  });
});

/** Whole days since `date`, counted from today in Amsterdam (independent of the code under test). */
function daysSince(date: string): number {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}
