// What was read from documents, in the portal of a real browser: the client's desk shows each read
// card's summary and suggested tray, the bank accounts' missing statements as to-dos, and the
// details of an invoice and of a statement; the accountant sees the same in the work queue.
import { unwrap, upload, UploadDocumentsDocument, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, Page } from "puppeteer-core";
import { accountStatements, toMt940 } from "./support/bank-fixtures.js";
import { languagePage, launchBrowser, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { invoiceModel, toUbl } from "./support/invoice-fixtures.js";
import { eventually, gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

describe("read documents in the web portal", function () {
  this.timeout(90_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  let client: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create({ BANK_PROBLEM_NOTICE_DELAY: "1s" });
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    client = await env.signIn(world.clients[0]!.email);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
  });

  const card = (tab: Page, filename: string) => `[data-testid="card"][data-filename="${filename}"]`;

  it("shows the client what was read, files a card into its suggested tray, lists the missing statements and opens an invoice and a statement", async () => {
    const invoice = invoiceModel({ seed: 90, number: "F-2026-090", lines: 4, wrongVat: true });
    const days = accountStatements({ seed: 91, days: 6, account: "NL44RABO0123456789", maxEntries: 4 });
    unwrap(
      (
        await client.request(UploadDocumentsDocument, {
          input: {
            administrationId,
            files: [
              upload(Buffer.from(toUbl(invoice)), { filename: "drukkerij.xml" }),
              // Statement 3 is missing.
              upload(Buffer.from(toMt940([...days.slice(0, 2), ...days.slice(3)], "ABN_AMRO")), { filename: "abn.sta" }),
              upload(Buffer.from(toUbl(invoiceModel({ seed: 92, number: "F-2026-092" }))), { filename: "tweede.xml" }),
            ],
          },
        })
      ).uploadDocuments,
    );
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.clients[0]!.email, PASSWORD);
    await tab.waitForSelector(`${card(tab, "drukkerij.xml")} [data-testid="data-summary"]`);
    await tab.waitForSelector(`${card(tab, "abn.sta")} [data-testid="data-summary"]`);
    await tab.waitForSelector('[data-testid="bank-todo"]');
    expect(await textOf(tab, '[data-testid="bank-todos"]')).to.contain("Afschrift 3 van NL44RABO0123456789 ontbreekt.");
    const summary = await textOf(tab, `${card(tab, "drukkerij.xml")} [data-testid="data-summary"]`);
    // The warning sign is an icon; a screen reader hears the count with its words.
    expect(summary, summary).to.match(/^Factuur F-2026-090 · Drukkerij Van der Meer BV · €\s[\d.]+,\d\d\s+2\s+opmerkingen bij de factuur$/);
    expect(await tab.$(`${card(tab, "drukkerij.xml")} [data-testid="data-summary"] .badge.warning svg.icon[aria-hidden="true"]`)).to.not.equal(null);
    expect(await textOf(tab, `${card(tab, "abn.sta")} [data-testid="data-summary"]`)).to.match(/^Afschrift 1–6 · NL44RABO0123456789 · €\s/);
    expect(await textOf(tab, `${card(tab, "abn.sta")} [data-testid="file-suggested"]`)).to.equal("Naar Bankafschriften");

    await tab.click(`${card(tab, "drukkerij.xml")} [data-testid="open-document"]`);
    await tab.waitForSelector('[data-testid="invoice-view"]');
    const view = await textOf(tab, '[data-testid="document-data"]');
    for (const expected of ["Factuur F-2026-090 · Inkoop", "Leverancier", "Drukkerij Van der Meer BV", "Keizersgracht 1, 1015 CJ Amsterdam", "BR-CO-17", "Te betalen"])
      expect(view).to.contain(expected);
    await screenshots(tab, "document-data-invoice-nl");
    await tab.click('[data-testid="close-viewer"]');
    await tab.click(`${card(tab, "abn.sta")} [data-testid="open-document"]`);
    await tab.waitForSelector('[data-testid="statement-view"]');
    expect(await textOf(tab, '[data-testid="statement-view"]')).to.contain("Afschrift 6 · NL44RABO0123456789");
    await screenshots(tab, "document-data-statement-nl");
    await tab.click('[data-testid="close-viewer"]');

    // One click files the second invoice into its suggested tray.
    await tab.click(`${card(tab, "tweede.xml")} [data-testid="file-suggested"]`);
    await eventually(async () => !(await tab.$(card(tab, "tweede.xml"))), 10_000);
    await tab.waitForFunction(() => document.querySelector('[data-testid="tray-PURCHASE"]')?.textContent?.includes("tweede.xml"));

    // The accountant sees the missing statement and the invoice's details in the work queue.
    const staff = await languagePage(browser, "en");
    await signInThroughPage(staff, env.server.url, world.accountant.email, PASSWORD);
    await staff.waitForSelector('[data-testid="administration"]');
    await staff.click('[data-testid="administration"]');
    await staff.waitForSelector('[data-testid="queue-row"][data-filename="tweede.xml"] [data-testid="open-document"]');
    await staff.waitForSelector('[data-testid="bank-todo"]');
    // In the language of the accountant's page, whatever their setting.
    expect(await textOf(staff, '[data-testid="bank-todos"]')).to.contain("Statement 3 of NL44RABO0123456789 is missing.");
    await staff.click('[data-testid="queue-row"][data-filename="tweede.xml"] [data-testid="open-document"]');
    await staff.waitForSelector('[data-testid="invoice-totals"]');
    expect(await textOf(staff, '[data-testid="invoice-view"]')).to.contain("Invoice F-2026-092 · Purchase");
    await screenshots(staff, "document-data-queue-en");
  });
});
