// E-invoices through the API: read in the background into Document.invoice, exact to the cent; the
// direction decided from who the administration is (credit notes following their invoice); the same
// invoice handed in twice — as UBL and its own PDF in either order, or as UBL and Factur-X — one
// invoice, the second reported under the administration's policy.
import {
  AuditTrailDocument,
  DataFiling,
  DocumentDataStatus,
  DocumentLocation,
  DocumentStatus,
  ReturnDocumentsToDeskDocument,
  TrayKind,
  DocumentInvoiceDocument,
  type DocumentInvoiceQuery,
  DuplicatePolicy,
  InvoiceDirection,
  InvoiceSource,
  UpdateAdministrationDocument,
  UploadDocumentsDocument,
  upload,
  unwrap,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pageText, textLayerWords } from "../src/modules/files/page-words.js";
import { pdfPageCount } from "../src/modules/files/pdf-tools.js";
import { accountStatements, toMt940 } from "./support/bank-fixtures.js";
import { expectedInvoice, invoiceModel, invoicePdfBytes, SUPPLIER, CUSTOMER, toFacturX, toUbl } from "./support/invoice-fixtures.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";

describe("e-invoices", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  const administrationId = (i: number) => gid("Administration", world.administrations[i]!.id);

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 4 });
    client = await env.signIn(world.clients[0]!.email, undefined, undefined, "nl"); // the client reads Dutch: the invoice warnings too
    const admin = await env.signIn(world.admin.email);
    // The first administration is the bakery (its KvK number); the second allows duplicates.
    for (const [i, input] of [
      [0, { chamberOfCommerceNumber: CUSTOMER.kvkNumber, duplicatePolicy: DuplicatePolicy.Warn }],
      [1, { duplicatePolicy: DuplicatePolicy.Allow }],
      [2, { duplicatePolicy: DuplicatePolicy.Warn }],
      [3, { duplicatePolicy: DuplicatePolicy.Warn, dataFiling: DataFiling.AutoFile }],
    ] as const) {
      unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId(i), ...input } })).updateAdministration);
    }
  });
  after(() => env.close());

  async function uploadFiles(files: Array<[string | Buffer, string]>, administration = administrationId(0), as = client): Promise<string[]> {
    const result = unwrap(
      (
        await as.request(UploadDocumentsDocument, {
          input: { administrationId: administration, files: files.map(([content, filename]) => upload(Buffer.isBuffer(content) ? content : Buffer.from(content), { filename })) },
        })
      ).uploadDocuments,
    );
    return result.documents.map((d) => d.id);
  }

  type ReadDocument = Extract<DocumentInvoiceQuery["node"], { __typename: "Document" }>;
  async function readDocument(id: string, as = client): Promise<ReadDocument> {
    return eventually(async () => {
      const { node } = await as.request(DocumentInvoiceDocument, { id, firstLines: 100 });
      return node?.__typename === "Document" && node.dataStatus !== DocumentDataStatus.Pending ? node : null;
    }, 30_000);
  }

  /** The invoice as compared with the model: the API's answer without ids, specification and warnings. */
  function answer(document: ReadDocument) {
    const invoice = document.invoice!;
    const { id: _id, specification: _s, warnings: _w, fields: _f, lines, __typename: _t, ...rest } = invoice as typeof invoice & { __typename?: string };
    const strip = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "__typename"));
    return { ...rest, supplier: strip(rest.supplier), customer: strip(rest.customer), vatBreakdown: rest.vatBreakdown.map(strip), lines: lines.nodes.map(strip) };
  }

  it("reads an SI-UBL purchase invoice exactly, lines page by page, and words its warnings in the viewer's language", async () => {
    const model = invoiceModel({ seed: 21, lines: 9 });
    const [id] = await uploadFiles([[toUbl(model, "SI-UBL"), "inkoop.xml"]]);
    const document = await readDocument(id!);
    expect(document.dataStatus).to.equal(DocumentDataStatus.Read);
    expect(answer(document)).to.deep.equal(expectedInvoice(model, "PURCHASE"));
    expect(document.invoice!.specification).to.equal("urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0");
    expect(document.invoice!.warnings).to.deep.equal([]);
    const first = await client.request(DocumentInvoiceDocument, { id: id!, firstLines: 4 });
    const page = first.node?.__typename === "Document" ? first.node.invoice!.lines : null;
    expect([page!.totalCount, page!.nodes.length, page!.pageInfo.hasNextPage]).to.deep.equal([9, 4, true]);
    const second = await client.request(DocumentInvoiceDocument, { id: id!, firstLines: 10, afterLine: page!.pageInfo.endCursor });
    expect(second.node?.__typename === "Document" && second.node.invoice!.lines.nodes.map((l) => l.lineId)).to.deep.equal(["5", "6", "7", "8", "9"]);

    const [wrong] = await uploadFiles([[toUbl(invoiceModel({ seed: 22, wrongVat: true })), "verkeerde-btw.xml"]]);
    const warned = (await readDocument(wrong!)).invoice!.warnings;
    expect(warned.map((w) => w.rule)).to.deep.equal(["BR-CO-17"]);
    expect(warned[0]!.message).to.match(/^21% van [\d.]+ is [\d.]+, de factuur rekent [\d.]+ btw\.$/);
  });

  it("decides sales and purchase from who the administration is; a credit note follows its invoice; a stranger's invoice is a purchase with a warning", async () => {
    const bakery = { ...CUSTOMER, iban: "NL20INGB0001234567" };
    const sale = invoiceModel({ seed: 31, number: "BK-2026-001", supplier: bakery, customer: SUPPLIER });
    const creditNote = invoiceModel({
      seed: 32,
      kind: "CREDIT_NOTE",
      number: "BK-2026-C01",
      precedingNumber: "BK-2026-001",
      supplier: { ...bakery, kvkNumber: null, iban: null },
      customer: SUPPLIER,
    });
    const stranger = invoiceModel({ seed: 33, number: "X-1", customer: { ...SUPPLIER, name: "Iemand Anders BV", kvkNumber: "99999999", vatNumber: null } });
    const [saleId] = await uploadFiles([[toUbl(sale, "PEPPOL"), "verkoop.xml"]]);
    expect((await readDocument(saleId!)).invoice!.direction).to.equal(InvoiceDirection.Sales);
    const [creditId, strangerId] = await uploadFiles([
      [toUbl(creditNote, "SI-UBL"), "credit.xml"],
      [toUbl(stranger, "UBL"), "onbekend.xml"],
    ]);
    const credit = (await readDocument(creditId!)).invoice!;
    expect([credit.kind, credit.direction, credit.precedingInvoiceNumber]).to.deep.equal(["CREDIT_NOTE", InvoiceDirection.Sales, "BK-2026-001"]);
    const unknown = (await readDocument(strangerId!)).invoice!;
    expect(unknown.direction).to.equal(InvoiceDirection.Purchase);
    expect(unknown.warnings.map((w) => w.rule)).to.deep.equal(["DIRECTION"]);
  });

  it("makes a UBL invoice and its own PDF one invoice in either order: the second is the duplicate, the UBL the authoritative version", async () => {
    // UBL first, then the PDF it embeds.
    const model = invoiceModel({ seed: 41, number: "F-41" });
    const pdf = await invoicePdfBytes(model);
    const [ublId] = await uploadFiles([[toUbl(model, "SI-UBL", pdf), "F-41.xml"]]);
    await readDocument(ublId!);
    const [pdfId] = await uploadFiles([[pdf, "F-41.pdf"]]);
    const later = await readDocument(pdfId!);
    expect(later.duplicateOf?.id).to.equal(ublId);
    expect(later.authoritativeDocument?.id).to.equal(ublId);
    expect(later.invoice?.number).to.equal("F-41");
    expect((await readDocument(ublId!)).duplicateOf).to.equal(null);

    // The PDF first, then the UBL carrying it.
    const other = invoiceModel({ seed: 42, number: "F-42" });
    const otherPdf = await invoicePdfBytes(other);
    const [firstPdf] = await uploadFiles([[otherPdf, "F-42.pdf"]]);
    // Read from its words at first; once the UBL carrying it arrives, that is its invoice.
    const fromText = (await readDocument(firstPdf!)).invoice!;
    expect([fromText.source, fromText.number]).to.deep.equal([InvoiceSource.Text, "F-42"]);
    const [secondUbl] = await uploadFiles([[toUbl(other, "SI-UBL", otherPdf), "F-42.xml"]]);
    const xml = await readDocument(secondUbl!);
    expect(xml.duplicateOf?.id).to.equal(firstPdf);
    const printed = await readDocument(firstPdf!);
    expect([printed.authoritativeDocument?.id, printed.invoice?.number, printed.invoice?.source]).to.deep.equal([secondUbl, "F-42", InvoiceSource.EInvoice]);
  });

  it("finds the same invoice as UBL and as Factur-X; an administration that allows duplicates is not told", async () => {
    const model = invoiceModel({ seed: 51, number: "F-51" });
    const third = await env.signIn(world.clients[2]!.email);
    const [ubl] = await uploadFiles([[toUbl(model, "PEPPOL"), "F-51.xml"]], administrationId(2), third);
    await readDocument(ubl!, third);
    const [facturX] = await uploadFiles([[await toFacturX(model), "F-51.pdf"]], administrationId(2), third);
    const read = await readDocument(facturX!, third);
    expect(read.invoice?.source).to.equal("E_INVOICE");
    expect(answer(read)).to.deep.equal(expectedInvoice(model, "PURCHASE"));
    expect(read.duplicateOf?.id).to.equal(ubl);

    const allowing = administrationId(1);
    const otherClient = await env.signIn(world.clients[1]!.email);
    const [a] = await uploadFiles([[toUbl(model, "PEPPOL"), "a.xml"]], allowing, otherClient);
    await readDocument(a!, otherClient);
    const [b] = await uploadFiles([[await toFacturX(model), "b.pdf"]], allowing, otherClient);
    expect((await readDocument(b!, otherClient)).duplicateOf).to.equal(null);
    // Another firm's client cannot see either.
    const stranger = await env.signIn((await env.createWorld()).clients[0]!.email);
    expect((await stranger.request(DocumentInvoiceDocument, { id: b! })).node).to.equal(null);
  });

  it("suggests the tray of a read document on the desk; an administration that files by itself files it, as the system, and the client can take it back", async () => {
    const sale = invoiceModel({ seed: 71, number: "S-71", supplier: CUSTOMER, customer: SUPPLIER });
    const [purchase, sales, statement, scan] = await uploadFiles([
      [toUbl(invoiceModel({ seed: 70, number: "P-70" })), "p.xml"],
      [toUbl(sale), "s.xml"],
      [toMt940(accountStatements({ seed: 7, days: 1 }), "ING"), "bank.sta"],
      [await invoicePdfBytes(sale), "scan.pdf"],
    ]);
    const suggested = await Promise.all([purchase, sales, statement, scan].map(async (id) => (await readDocument(id!)).suggestedTray));
    // The printed PDF is read from its words; it names neither party's identifiers, so it is taken as a purchase.
    expect(suggested).to.deep.equal([TrayKind.Purchase, TrayKind.Sales, TrayKind.BankStatements, TrayKind.Purchase]);

    // AUTO_FILE: the read ones go into their trays by themselves; a duplicate waits on the desk.
    const auto = administrationId(3);
    const owner = await env.signIn(world.clients[3]!.email);
    const model = invoiceModel({ seed: 72, number: "P-72" });
    const [filed, bank] = await uploadFiles(
      [
        [toUbl(model), "p72.xml"],
        [toMt940(accountStatements({ seed: 8, days: 2 }), "RABOBANK"), "rabo.swi"],
      ],
      auto,
      owner,
    );
    await readDocument(filed!, owner);
    const [copy] = await uploadFiles([[await toFacturX(model), "p72.pdf"]], auto, owner);
    const placed = await Promise.all([filed, bank, copy].map((id) => readDocument(id!, owner)));
    expect(placed.map((d) => [d.location, d.tray, d.status, d.suggestedTray])).to.deep.equal([
      [DocumentLocation.Tray, TrayKind.Purchase, DocumentStatus.Submitted, null],
      [DocumentLocation.Tray, TrayKind.BankStatements, DocumentStatus.Submitted, null],
      [DocumentLocation.Desk, null, DocumentStatus.OnDesk, TrayKind.Purchase],
    ]);
    expect(placed[2]!.duplicateOf?.id).to.equal(filed);
    const staff = await env.signIn(world.accountant.email);
    const trail = (await staff.request(AuditTrailDocument, { administrationId: auto, first: 50 })).auditTrail.nodes;
    const autoFiled = trail.filter((e) => e.action === "document.filed");
    expect(autoFiled.map((e) => [e.actor.type, e.subjectId])).to.have.deep.members([
      ["SYSTEM", filed],
      ["SYSTEM", bank],
    ]);
    // The client takes it back until the firm has processed it.
    const back = unwrap((await owner.request(ReturnDocumentsToDeskDocument, { input: { documentIds: [filed!] } })).returnDocumentsToDesk);
    expect(back.documents.map((d) => [d.location, d.status])).to.deep.equal([[DocumentLocation.Desk, DocumentStatus.OnDesk]]);
    expect((await readDocument(filed!, owner)).suggestedTray).to.equal(TrayKind.Purchase);
  });

  it("shows an e-invoice by the PDF it carries, or by a PDF drawn from its data, with a thumbnail and page images", async () => {
    const model = invoiceModel({ seed: 81, number: "V-81" });
    const carried = await invoicePdfBytes(model);
    const long = invoiceModel({ seed: 82, number: "V-82", lines: 150 });
    long.lines[0]!.description = "Łódź → 東京 levering";
    const [withPdf, withoutPdf] = await uploadFiles([
      [toUbl(model, "SI-UBL", carried), "v81.xml"],
      [toUbl(long, "PEPPOL"), "v82.xml"],
    ]);
    const fetchBytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
    const shown = async (id: string) => eventually(async () => ((await readDocument(id)).thumbnailUrl ? readDocument(id) : null), 30_000);

    const first = await shown(withPdf!);
    expect((await fetchBytes(first.previewUrl!)).equals(carried)).to.equal(true);
    expect(first.pageImageUrls).to.have.length(1);

    const second = await shown(withoutPdf!);
    const drawn = await fetchBytes(second.previewUrl!);
    expect(drawn.subarray(0, 5).toString()).to.equal("%PDF-");
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "preview-"));
    await fs.writeFile(path.join(dir, "p.pdf"), drawn);
    let text = "";
    for (let page = 1; page <= (await pdfPageCount(path.join(dir, "p.pdf"))); page++) text += pageText(await textLayerWords(path.join(dir, "p.pdf"), page)) + "\n";
    await fs.rm(dir, { recursive: true });
    for (const expected of ["V-82", long.supplier.name, long.grossTotal, "Te betalen / Amount due", "?ód? ? ?? levering", long.lines[149]!.amount])
      expect(text).to.contain(expected);
    expect(second.pageImageUrls.length).to.be.greaterThan(2);
    for (const url of [second.thumbnailUrl!, second.pageImageUrls[1]!]) expect((await fetchBytes(url)).subarray(1, 4).toString()).to.equal("PNG");
  });

  it("reads, when a server starts, documents uploaded before reading existed", async () => {
    const model = invoiceModel({ seed: 95, number: "OUD-95" });
    const [id] = await uploadFiles([[toUbl(model), "oud.xml"]]);
    await readDocument(id!);
    // As a document from before this version: never read.
    const uuid = (await env.sql<{ id: string }>("SELECT id FROM documents WHERE filename = 'oud.xml'")).rows[0]!.id;
    await env.sql("DELETE FROM invoices WHERE document_id = $1", [uuid]);
    await env.sql("UPDATE documents SET data_read_at = NULL, data_kind = NULL WHERE id = $1", [uuid]);
    expect((await client.request(DocumentInvoiceDocument, { id: id! })).node).to.deep.include({ dataStatus: DocumentDataStatus.Pending, invoice: null });
    await env.startServer();
    expect((await readDocument(id!)).invoice?.number).to.equal("OUD-95");
  });

  it("keeps a hostile or broken invoice as a plain document that says what is wrong", async () => {
    const xml = toUbl(invoiceModel({ seed: 61 }));
    const [doctype, truncated] = await uploadFiles([
      [`<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml.slice(xml.indexOf("<Invoice"))}`, "xxe.xml"],
      [xml.slice(0, 1500), "half.xml"],
    ]);
    const first = await readDocument(doctype!);
    expect([first.dataStatus, first.invoice]).to.deep.equal([DocumentDataStatus.Failed, null]);
    expect(first.dataProblem).to.match(/document type/);
    expect((await readDocument(truncated!)).dataProblem).to.match(/^The invoice could not be read: Not well-formed XML/);
  });
});
