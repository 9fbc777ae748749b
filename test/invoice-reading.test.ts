// Invoice fields read from a PDF's text layer and from a scan by OCR, each with its confidence and
// place; the administration's own identifiers deciding the direction, never taken as the
// supplier's; corrections checked, audited, and teaching the supplier's profile so its next invoice
// is read right; the same invoice as PDF and scan reported as a duplicate.
import {
  CorrectInvoiceFieldDocument,
  DocumentDataStatus,
  DocumentInvoiceDocument,
  type DocumentInvoiceQuery,
  DuplicatePolicy,
  FileDocumentsDocument,
  InvoiceDirection,
  InvoiceFieldName,
  InvoiceKind,
  InvoiceSource,
  TrayKind,
  UpdateAdministrationDocument,
  UploadDocumentsDocument,
  UserErrorCode,
  upload,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { invoiceFromText } from "../src/modules/invoices/text-invoice.js";
import { photoOf, scannedPdf, textPdf } from "./support/scan-fixtures.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";

const OWN_KVK = "87654321";

/** A Dutch purchase invoice as a small supplier prints it; `numberLabel` varies the layout. */
function invoiceLines(options: { supplier?: string; vat?: string; kvk?: string; iban?: string; number: string; numberLabel?: string; date?: string }): string[] {
  return [
    options.supplier ?? "Schildersbedrijf Kwast B.V.",
    "Verfstraat 12, 3511 AB Utrecht",
    `Btw-nummer: ${options.vat ?? "NL123456782B01"}   KvK: ${options.kvk ?? "30123456"}`,
    `IBAN: ${options.iban ?? "NL91 ABNA 0417 1643 00"}`,
    "",
    "Aan: Bakkerij De Korst",
    `KvK ${OWN_KVK}`,
    "",
    "FACTUUR",
    `${options.numberLabel ?? "Factuurnummer:"} ${options.number}`,
    `Factuurdatum: ${options.date ?? "3 november 2026"}`,
    "Vervaldatum: 03-12-2026",
    "",
    "Schilderwerk kozijnen   1.000,00",
    "Subtotaal   € 1.000,00",
    "BTW 21%   € 210,00",
    "Totaal incl. btw   € 1.210,00",
    "Betalingskenmerk: 1234 5678 9012 3456",
  ];
}

describe("invoice fields read from scans and PDFs", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let staff: PortalDeskClient;
  const administrationId = (i: number) => gid("Administration", world.administrations[i]!.id);

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    client = await env.signIn(world.clients[0]!.email);
    staff = await env.signIn(world.accountant.email);
    const admin = await env.signIn(world.admin.email);
    unwrap(
      (await admin.request(UpdateAdministrationDocument, { input: { id: administrationId(0), chamberOfCommerceNumber: OWN_KVK, duplicatePolicy: DuplicatePolicy.Warn } }))
        .updateAdministration,
    );
  });
  after(() => env.close());

  async function uploadFile(content: Buffer, filename: string, as = client, administration = administrationId(0)): Promise<string> {
    return unwrap((await as.request(UploadDocumentsDocument, { input: { administrationId: administration, files: [upload(content, { filename })] } })).uploadDocuments)
      .documents[0]!.id;
  }

  type ReadDocument = Extract<DocumentInvoiceQuery["node"], { __typename: "Document" }>;
  const read = (id: string, as = client): Promise<ReadDocument> =>
    eventually(async () => {
      const { node } = await as.request(DocumentInvoiceDocument, { id, firstLines: 10 });
      return node?.__typename === "Document" && node.dataStatus !== DocumentDataStatus.Pending ? node : null;
    }, 90_000);
  const fieldsOf = (document: ReadDocument) => Object.fromEntries(document.invoice!.fields.map((f) => [f.name, f.value]));

  it("reads a PDF's fields from its text layer and a scan's by OCR, with confidence and place; the administration is the customer", async () => {
    const pdf = await textPdf([invoiceLines({ number: "2026-0311" })]);
    const fromText = await read(await uploadFile(pdf, "factuur.pdf"));
    expect(fromText.invoice!.source).to.equal(InvoiceSource.Text);
    expect(fromText.invoice!.direction).to.equal(InvoiceDirection.Purchase);
    expect(fromText.invoice!.kind).to.equal(InvoiceKind.Invoice);
    const expected = {
      [InvoiceFieldName.SupplierName]: "Schildersbedrijf Kwast B.V.",
      [InvoiceFieldName.SupplierVatNumber]: "NL123456782B01",
      [InvoiceFieldName.SupplierKvkNumber]: "30123456",
      [InvoiceFieldName.SupplierIban]: "NL91ABNA0417164300",
      [InvoiceFieldName.Number]: "2026-0311",
      [InvoiceFieldName.IssueDate]: "2026-11-03",
      [InvoiceFieldName.DueDate]: "2026-12-03",
      [InvoiceFieldName.Currency]: "EUR",
      [InvoiceFieldName.NetTotal]: "1000.00",
      [InvoiceFieldName.Vat21]: "210.00",
      // One rate: its VAT line is the VAT total.
      [InvoiceFieldName.VatTotal]: "210.00",
      [InvoiceFieldName.GrossTotal]: "1210.00",
      [InvoiceFieldName.PaymentReference]: "1234567890123456",
    };
    expect(fieldsOf(fromText)).to.deep.equal(expected);
    expect(fromText.invoice!.supplier.kvkNumber, "the administration's own KvK number is not the supplier's").to.equal("30123456");
    expect(fromText.invoice!.grossTotal).to.equal("1210.00");
    expect(fromText.invoice!.warnings).to.deep.equal([]);
    const number = fromText.invoice!.fields.find((f) => f.name === InvoiceFieldName.Number)!;
    expect(number.page).to.equal(1);
    expect(number.confidence).to.be.within(0.8, 1);
    // "2026-0311" sits on the tenth line, after its label: right of the left margin, about 40% down.
    expect(number.box!.x).to.be.within(0.2, 0.5);
    expect(number.box!.y).to.be.within(0.3, 0.5);

    const scan = await read(await uploadFile(await scannedPdf(await textPdf([invoiceLines({ number: "2026-0312" })])), "scan.pdf"));
    expect(scan.invoice!.source).to.equal(InvoiceSource.Ocr);
    expect(fieldsOf(scan)).to.deep.equal({ ...expected, [InvoiceFieldName.Number]: "2026-0312" });
    for (const field of scan.invoice!.fields) expect(field.confidence, field.name).to.be.within(0.3, 1);
  });

  it("reads a photographed receipt as a receipt for the receipts tray", async () => {
    const receipt = await textPdf(
      [["Kaashandel Het Wiel", "Markt 3 Gouda", "", "Oude kaas 500 g   9,95", "Boerenboter   3,49", "", "TOTAAL   13,44", "BTW 9%   1,11", "PIN   13,44", "Bonnummer 4471"]],
      14,
    );
    const document = await read(await uploadFile(await photoOf(receipt), "bon.jpg"));
    expect(document.invoice!.kind).to.equal(InvoiceKind.Receipt);
    expect(document.suggestedTray).to.equal("RECEIPTS");
    expect(fieldsOf(document)).to.include({ [InvoiceFieldName.GrossTotal]: "13.44", [InvoiceFieldName.Vat9]: "1.11", [InvoiceFieldName.SupplierName]: "Kaashandel Het Wiel" });
  });

  it("learns from a correction: the supplier's next invoice is read right; bad values and people without the right are refused", async () => {
    // This supplier prints its invoice number after "Ons kenmerk", which no generic label names.
    const supplier = { supplier: "Dakdekkers Hoog & Droog V.O.F.", vat: "NL111111110B00", kvk: "30999999", iban: "NL20INGB0001234567" };
    const firstId = await uploadFile(await textPdf([invoiceLines({ ...supplier, number: "HD/7781", numberLabel: "Ons kenmerk:" })]), "dak-1.pdf");
    const first = await read(firstId);
    expect(fieldsOf(first)[InvoiceFieldName.Number], "not found before the correction").to.equal(undefined);

    await client.request(CorrectInvoiceFieldDocument, { input: { documentId: firstId, field: InvoiceFieldName.Number, value: "HD/7781" } }).then(
      () => expect.fail("a client corrected an invoice without the administration allowing it"),
      (error: Error) => expect(error.message).to.match(/staff/),
    );
    const invalid = (await staff.request(CorrectInvoiceFieldDocument, { input: { documentId: firstId, field: InvoiceFieldName.SupplierIban, value: "NL20INGB0001234568" } }))
      .correctInvoiceField;
    expect(invalid.userErrors.map((e) => [e.code, e.field])).to.deep.equal([[UserErrorCode.Invalid, ["input", "value"]]]);
    expect(invalid.userErrors[0]!.message).to.match(/IBAN/);

    const corrected = unwrap(
      (await staff.request(CorrectInvoiceFieldDocument, { input: { documentId: firstId, field: InvoiceFieldName.Number, value: " HD/7781 " } })).correctInvoiceField,
    );
    const field = corrected.invoice!.fields.find((f) => f.name === InvoiceFieldName.Number)!;
    expect([field.value, field.confidence, field.corrected, field.page]).to.deep.equal(["HD/7781", 1, true, 1]);
    expect(field.box, "placed where it is printed").to.not.equal(null);
    expect(corrected.invoice!.number).to.equal("HD/7781");

    const next = await read(await uploadFile(await textPdf([invoiceLines({ ...supplier, number: "HD/7790", numberLabel: "Ons kenmerk:" })]), "dak-2.pdf"));
    expect(fieldsOf(next)[InvoiceFieldName.Number], "learned for this supplier").to.equal("HD/7790");
    const other = await read(await uploadFile(await textPdf([invoiceLines({ supplier: "Glazenwasser Helder", number: "GW-12", numberLabel: "Ons kenmerk:" })]), "glas.pdf"));
    expect(fieldsOf(other)[InvoiceFieldName.Number], "another supplier learned nothing").to.equal(undefined);
  });

  it("suggests the tray people usually file a supplier's documents into", async () => {
    // This supplier's invoices are booked as receipts (a webshop's order confirmations).
    const shop = { supplier: "Webwinkel Klik B.V.", vat: "NL222222220B00", kvk: "30888888", iban: "NL20INGB0001234567" };
    const ids = [];
    for (const [i, date] of ["1 oktober 2026", "8 oktober 2026", "15 oktober 2026"].entries()) {
      const id = await uploadFile(await textPdf([invoiceLines({ ...shop, number: `WK-${i}`, date })]), `klik-${i}.pdf`);
      ids.push(id);
      const document = await read(id);
      if (i < 2) {
        expect(document.suggestedTray, `before two were filed (${i})`).to.equal(TrayKind.Purchase);
        unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [id], tray: TrayKind.Receipts } })).fileDocuments);
      } else expect(document.suggestedTray, "after two were filed as receipts").to.equal(TrayKind.Receipts);
    }
  });

  it("takes the administration's identifiers at the top for a sale, and in the customer's block for a purchase", () => {
    /** Words laid out as printed: a line per entry, words left to right. */
    const page = (lines: string[]) => ({
      pageNumber: 1,
      source: "TEXT" as const,
      words: lines.flatMap((line, row) =>
        [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], x: 0.05 + m.index * 0.01, y: 0.05 + row * 0.02, width: m[0].length * 0.01, height: 0.012, confidence: 1 })),
      ),
    });
    const own = { name: "Bakkerij De Korst", vatNumber: null, kvkNumber: OWN_KVK, ibans: [] };
    const body = ["FACTUUR", "Factuurnummer: 77", "Factuurdatum: 1-12-2026", "Totaal   € 12,10", "BTW 21%   € 2,10"];
    const sale = invoiceFromText([page(["Bakkerij De Korst", `KvK ${OWN_KVK}`, "", "Aan: Café Het Hoekje", ...body])], own)!;
    expect([sale.invoice.supplier.kvkNumber, sale.invoice.supplier.name]).to.deep.equal([OWN_KVK, "Bakkerij De Korst"]);
    const purchase = invoiceFromText([page(["Slagerij Vers", "", "Aan: Bakkerij De Korst", `KvK ${OWN_KVK}`, "", ...body])], own)!;
    expect([purchase.invoice.supplier.kvkNumber, purchase.invoice.supplier.name, purchase.invoice.customer.kvkNumber]).to.deep.equal([null, "Slagerij Vers", OWN_KVK]);
  });

  it("reports the same invoice handed in as PDF and as scan as a duplicate (supplier and number)", async () => {
    const lines = invoiceLines({ number: "2026-0400", date: "10 november 2026" });
    const pdfId = await uploadFile(await textPdf([lines]), "origineel.pdf");
    await read(pdfId);
    const scan = await read(await uploadFile(await scannedPdf(await textPdf([lines])), "gescand.pdf"));
    expect(scan.duplicateOf?.id).to.equal(pdfId);
  });
});
