// A scan holding several invoices gets proposed cuts that match them: by page numbering, invoice
// numbers and suppliers changing, or separator sheets (dropped); a blank back inside one invoice is
// dropped without a cut. Through the API on generated scans, and the rules on page summaries.
import { DocumentPagesDocument, ProcessingState, SplitReason, UploadDocumentsDocument, upload, unwrap, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { makeMultiInvoiceScan } from "../bench/corpus/invoice-corpus.js";
import { suggestSplits } from "../src/modules/reading/split-suggestions.js";
import { mergedPdf, qrSeparatorPdf, scannedPdf, textPdf } from "./support/scan-fixtures.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";

describe("split suggestions for multi-invoice scans", function () {
  // Ten pages of OCR: minutes on a loaded two-core machine.
  this.timeout(600_000);
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let dir: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    client = await env.signIn(world.clients[0]!.email);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "splits-"));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await env.close();
  });

  async function suggestionsFor(file: string) {
    const [document] = unwrap(
      (
        await client.request(UploadDocumentsDocument, {
          input: { administrationId: gid("Administration", world.administrations[0]!.id), files: [upload(await fs.readFile(file), { filename: path.basename(file) })] },
        })
      ).uploadDocuments,
    ).documents;
    return eventually(async () => {
      const { node } = await client.request(DocumentPagesDocument, { id: document!.id });
      return node && "processing" in node && node.processing?.state === ProcessingState.Done ? node.suggestedSplits : null;
    }, 300_000);
  }

  it("proposes cuts where each of three scanned invoices starts, and drops separator sheets", async () => {
    const plain = path.join(dir, "three.pdf");
    const { invoices } = await makeMultiInvoiceScan(plain, { seed: 5 });
    const cuts = await suggestionsFor(plain);
    expect(cuts.map((c) => c.beforePage)).to.deep.equal(invoices.slice(1).map((i) => i.firstPage));
    expect(cuts.every((c) => c.dropPages.length === 0)).to.equal(true);

    const separated = path.join(dir, "separated.pdf");
    const withSheets = await makeMultiInvoiceScan(separated, { seed: 6, separatorPage: true });
    const sheetCuts = await suggestionsFor(separated);
    expect(sheetCuts.map((c) => [c.beforePage, c.reason, c.dropPages])).to.deep.equal(
      withSheets.invoices.slice(1).map((i) => [i.firstPage, SplitReason.SeparatorSheet, [i.firstPage - 1]]),
    );
  });

  it("takes a page with a separator QR code (patch T) for a separator sheet", async () => {
    const first = await textPdf([["Drukkerij De Letter", "Factuurnummer: L-1", "Totaal € 10,00"]], 14);
    const second = await textPdf([["Koeriersdienst Snel", "Factuurnummer: S-9", "Totaal € 20,00"]], 14);
    const file = path.join(dir, "qr.pdf");
    await fs.writeFile(file, await scannedPdf(await mergedPdf([first, await qrSeparatorPdf(), second])));
    const cuts = await suggestionsFor(file);
    expect(cuts.map((c) => [c.beforePage, c.reason, c.dropPages])).to.deep.equal([[3, SplitReason.SeparatorSheet, [2]]]);
  });

  it("cuts on numbering, numbers and suppliers; keeps a numbered continuation and a blank back in one document", () => {
    const page = (pageNumber: number, text: string, source: "TEXT" | "OCR" | "BLANK" = "OCR") => ({ pageNumber, source, text });
    expect(
      suggestSplits([
        page(1, "Factuurnummer: A-1\nPagina 1 van 2"),
        page(2, "", "BLANK"),
        page(3, "Pagina 2 van 2\nTotaal 12,00"),
        page(4, "Factuurnummer: B-7\nBTW NL123456782B01"),
        page(5, "Factuurnummer: B-8\nBTW NL123456782B01"),
        page(6, "Invoice number C-1\nIBAN NL91 ABNA 0417 1643 00"),
        page(7, "Totaal 3,00\nIBAN NL20 INGB 0001 2345 67"),
        { ...page(8, "", "BLANK"), barcodes: ["PATCHT"] },
        page(9, "Totaal 3,00\nIBAN NL20 INGB 0001 2345 67"),
      ]),
    ).to.deep.equal([
      { beforePage: 4, reason: "PAGE_NUMBERING", dropPages: [] },
      { beforePage: 5, reason: "NEW_INVOICE_NUMBER", dropPages: [] },
      { beforePage: 6, reason: "NEW_INVOICE_NUMBER", dropPages: [] },
      { beforePage: 7, reason: "NEW_SUPPLIER", dropPages: [] },
      { beforePage: 9, reason: "SEPARATOR_SHEET", dropPages: [8] },
    ]);
    expect(suggestSplits([page(1, "Brief aan de klant"), page(2, "", "BLANK"), page(3, "Een ander stuk")])).to.deep.equal([
      { beforePage: 3, reason: "BLANK_PAGE", dropPages: [2] },
    ]);
  });
});
