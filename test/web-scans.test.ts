// Scans in the web portal of a real browser: the fields read from a scanned invoice, each with its
// confidence and highlighted on the page image; the accountant corrects one in place; a scan of two
// documents opens in the page editor with the proposed cut set, saying why.
import { DocumentDataStatus, DocumentInvoiceDocument, FileDocumentsDocument, TrayKind, unwrap, upload, UploadDocumentsDocument, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import type { Browser, Page } from "puppeteer-core";
import { languagePage, launchBrowser, screenshots, signInThroughPage, textOf } from "./support/browser.js";
import { scannedPdf, textPdf } from "./support/scan-fixtures.js";
import { eventually, gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

const INVOICE = [
  "Installatiebedrijf Warmte B.V.",
  "Btw-nummer: NL123456782B01   KvK: 30123456",
  "IBAN: NL91 ABNA 0417 1643 00",
  "",
  "FACTUUR",
  "Factuurnummer: W-2026-55",
  "Factuurdatum: 12 november 2026",
  "",
  "Onderhoud cv-ketel   200,00",
  "Subtotaal   € 200,00",
  "BTW 21%   € 42,00",
  "Totaal incl. btw   € 242,00",
];

describe("scans in the web portal", function () {
  this.timeout(180_000);
  let env: TestEnv;
  let world: World;
  let browser: Browser;
  let client: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    client = await env.signIn(world.clients[0]!.email);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env.close();
  });

  const card = (filename: string) => `[data-testid="card"][data-filename="${filename}"]`;

  async function uploadRead(content: Buffer, filename: string): Promise<string> {
    const [document] = unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(content, { filename })] } })).uploadDocuments).documents;
    await eventually(async () => {
      const { node } = await client.request(DocumentInvoiceDocument, { id: document!.id, firstLines: 1 });
      return node?.__typename === "Document" && node.dataStatus !== DocumentDataStatus.Pending;
    }, 120_000);
    return document!.id;
  }

  async function fieldValue(tab: Page, name: string) {
    return textOf(tab, `[data-testid="read-field"][data-field="${name}"] [data-testid="field-value"]`);
  }

  it("shows the fields read from a scan with their confidence and place; the accountant corrects one", async () => {
    const id = await uploadRead(await scannedPdf(await textPdf([INVOICE])), "scan-warmte.pdf");
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.clients[0]!.email, PASSWORD);
    await tab.waitForSelector(`${card("scan-warmte.pdf")} [data-testid="open-document"]`);
    await tab.click(`${card("scan-warmte.pdf")} [data-testid="open-document"]`);
    await tab.waitForSelector('[data-testid="read-fields"] [data-testid="field-box"]');
    expect(await textOf(tab, '[data-testid="read-source"]')).to.equal("Gelezen van een scan of foto (OCR)");
    expect(await fieldValue(tab, "GROSS_TOTAL")).to.equal("242.00");
    expect(await fieldValue(tab, "NUMBER")).to.equal("W-2026-55");
    // The chosen field's box lies on the page image, where the total is printed (lower half, right of the margin).
    const box = await tab.$eval('[data-testid="field-box"]', (e) => {
      const page = e.parentElement!.getBoundingClientRect();
      const r = e.getBoundingClientRect();
      return { x: (r.left - page.left) / page.width, y: (r.top - page.top) / page.height, inside: r.right <= page.right + 1 && r.bottom <= page.bottom + 1 };
    });
    expect(box.inside).to.equal(true);
    expect(box.y).to.be.within(0.2, 0.45);
    expect(box.x).to.be.within(0.1, 0.7);
    await tab.click('[data-testid="read-field"][data-field="NUMBER"]');
    await screenshots(tab, "read-fields-scan-nl");

    // A client may not correct (the administration does not allow it): told so in Dutch.
    await tab.click('[data-testid="read-field"][data-field="NUMBER"] [data-testid="field-edit"]');
    await tab.type('[data-testid="field-input"]', "X");
    await tab.click('[data-testid="field-save"]');
    await tab.waitForSelector('[data-testid="field-problem"]');
    expect(await textOf(tab, '[data-testid="field-problem"]')).to.equal("Corrigeren mag hier alleen het kantoor.");

    // Filed into the purchase tray, it is in the accountant's work queue.
    unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [id], tray: TrayKind.Purchase } })).fileDocuments);
    const staff = await languagePage(browser, "en");
    await signInThroughPage(staff, env.server.url, world.accountant.email, PASSWORD);
    await staff.waitForSelector('[data-testid="administration"]');
    await staff.click('[data-testid="administration"]');
    await staff.waitForSelector('[data-testid="queue-row"][data-filename="scan-warmte.pdf"] [data-testid="open-document"]');
    await staff.click('[data-testid="queue-row"][data-filename="scan-warmte.pdf"] [data-testid="open-document"]');
    await staff.waitForSelector('[data-testid="read-field"][data-field="PAYMENT_REFERENCE"] [data-testid="field-edit"]');
    await staff.click('[data-testid="read-field"][data-field="PAYMENT_REFERENCE"] [data-testid="field-edit"]');
    await staff.type('[data-testid="field-input"]', "1234 5678 9012 3456");
    await staff.click('[data-testid="field-save"]');
    await staff.waitForFunction(
      () => document.querySelector('[data-testid="read-field"][data-field="PAYMENT_REFERENCE"] [data-testid="field-value"]')?.textContent === "1234567890123456",
    );
    expect(await textOf(staff, '[data-testid="read-field"][data-field="PAYMENT_REFERENCE"]')).to.contain("corrected");
    await screenshots(staff, "read-fields-corrected-en");
  });

  it("opens a scan of two documents in the page editor with the proposed cut set, saying why", async () => {
    const pages = [INVOICE, ["SCHEIDINGSVEL", "Niet verwijderen"], ["Huurovereenkomst bedrijfsruimte", "Artikel 1 Het gehuurde"]];
    await uploadRead(await scannedPdf(await textPdf(pages, 16)), "stapel.pdf");
    const tab = await languagePage(browser, "nl");
    await signInThroughPage(tab, env.server.url, world.clients[0]!.email, PASSWORD);
    await tab.waitForSelector(`${card("stapel.pdf")} [data-testid="edit-pages"]`);
    await tab.click(`${card("stapel.pdf")} [data-testid="edit-pages"]`);
    await tab.waitForSelector('[data-testid="proposed-cuts"]');
    const proposals = await tab.$$eval('[data-testid="page"] [data-testid="proposal"]', (all) =>
      all.map((e) => [e.querySelector("svg.icon") !== null, (e as HTMLElement).innerText.trim()]),
    );
    expect(proposals).to.deep.equal([
      [true, "scheidingsvel"],
      [true, "scheidingsvel"],
    ]);
    const outputs = await textOf(tab, ".outputs");
    expect(outputs).to.contain("Document 1: Pagina's 1").and.to.contain("Document 2: Pagina's 3");
    await screenshots(tab, "page-editor-proposed-nl");
  });
});
