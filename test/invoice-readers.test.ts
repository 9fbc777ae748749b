// The e-invoice readers on generated files: UBL (plain, SI-UBL 2.0, Peppol BIS 3.0), CII and
// Factur-X give back exactly the invoice they were written from, and the checks find exactly the
// arithmetic and Dutch-rule faults put in.
import { expect } from "chai";
import { formatCents } from "../src/core/money.js";
import { sniffFormat } from "../src/modules/files/file-format.js";
import type { ParsedInvoice, ParsedParty } from "../src/modules/invoices/invoice-model.js";
import { readContent } from "../src/modules/reading/read-content.js";
import { CUSTOMER, expectedInvoice, invoiceModel, invoicePdfBytes, SUPPLIER, toCii, toFacturX, toUbl, type UblProfile } from "./support/invoice-fixtures.js";

const money = (value: bigint | null) => (value === null ? null : formatCents(value));

/** A parsed invoice in the shape `expectedInvoice` gives (what the API answers). */
function asExpected(i: ParsedInvoice) {
  const party = (p: ParsedParty) => ({ name: p.name, vatNumber: p.vatNumber, kvkNumber: p.kvkNumber, iban: p.iban, address: p.address, country: p.country });
  return {
    source: "E_INVOICE",
    kind: i.kind,
    direction: "PURCHASE",
    number: i.number,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    currency: i.currency,
    netTotal: money(i.netCents),
    vatTotal: money(i.vatCents),
    grossTotal: money(i.grossCents),
    payableAmount: money(i.payableCents),
    paymentReference: i.paymentReference,
    precedingInvoiceNumber: i.precedingNumber,
    supplier: party(i.supplier),
    customer: party(i.customer),
    vatBreakdown: i.vatBreakdown.map((v) => ({ rate: v.rate!, category: v.category, taxable: money(v.taxableCents)!, vat: money(v.vatCents)! })),
    lines: i.lines.map((l) => ({
      lineId: l.lineId,
      description: l.description,
      quantity: l.quantity,
      unitCode: l.unitCode,
      unitPrice: l.unitPrice,
      amount: money(l.amountCents),
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    })),
  };
}

async function read(format: "UBL" | "CII" | "PDF", bytes: Buffer) {
  const outcome = await readContent(format as never, bytes);
  if (outcome.kind !== "INVOICE") throw new Error(`not read: ${JSON.stringify(outcome)}`);
  return outcome;
}

describe("e-invoice readers", () => {
  for (const profile of ["UBL", "SI-UBL", "PEPPOL"] as UblProfile[]) {
    it(`reads a ${profile} invoice and credit note with three VAT rates exactly, and finds nothing wrong`, async () => {
      for (const [seed, kind] of [
        [1, "INVOICE"],
        [2, "CREDIT_NOTE"],
      ] as const) {
        const model = invoiceModel({ seed, kind, precedingNumber: kind === "CREDIT_NOTE" ? "F2026-0001" : null, lines: 7 });
        const xml = Buffer.from(toUbl(model, profile));
        expect(await sniffFormat(xml)).to.equal("UBL");
        const outcome = await read("UBL", xml);
        expect(asExpected(outcome.invoice)).to.deep.equal(expectedInvoice(model, "PURCHASE"));
        expect(outcome.warnings).to.deep.equal([]);
        expect(outcome.rendition).to.equal(null);
      }
    });
  }

  it("reads a foreign-currency invoice, taking the breakdown in the invoice's currency", async () => {
    const model = invoiceModel({ seed: 3, currency: "USD", supplier: { ...SUPPLIER, country: "US", vatNumber: null, kvkNumber: null, iban: null } });
    const outcome = await read("UBL", Buffer.from(toUbl(model, "UBL")));
    expect(asExpected(outcome.invoice)).to.deep.equal(expectedInvoice(model, "PURCHASE"));
    expect(outcome.warnings).to.deep.equal([]);
  });

  it("reads CII and Factur-X (CII inside a PDF) exactly; the Factur-X PDF is its own rendition", async () => {
    const model = invoiceModel({ seed: 4, lines: 6 });
    const cii = Buffer.from(toCii(model));
    expect(await sniffFormat(cii)).to.equal("CII");
    expect(asExpected((await read("CII", cii)).invoice)).to.deep.equal(expectedInvoice(model, "PURCHASE"));
    for (const name of ["factur-x.xml", "zugferd-invoice.xml"]) {
      const pdf = await toFacturX(model, name);
      expect(await sniffFormat(pdf)).to.equal("PDF");
      const outcome = await read("PDF", pdf);
      expect(asExpected(outcome.invoice)).to.deep.equal(expectedInvoice(model, "PURCHASE"));
      expect(outcome.rendition?.equals(pdf)).to.equal(true);
    }
    // A plain PDF carries no invoice.
    expect((await readContent("PDF" as never, await invoicePdfBytes(model))).kind).to.equal(null);
  });

  it("takes the PDF a UBL invoice embeds as its rendition", async () => {
    const model = invoiceModel({ seed: 5 });
    const pdf = await invoicePdfBytes(model);
    const outcome = await read("UBL", Buffer.from(toUbl(model, "SI-UBL", pdf)));
    expect(outcome.rendition?.equals(pdf)).to.equal(true);
  });

  it("finds a VAT line off its rate (BR-CO-17) and the Dutch rules a credit note and its supplier break", async () => {
    const wrong = await read("UBL", Buffer.from(toUbl(invoiceModel({ seed: 6, wrongVat: true }))));
    expect(wrong.warnings.map((w) => w.rule)).to.deep.equal(["BR-CO-17"]);
    const creditNote = invoiceModel({ seed: 7, kind: "CREDIT_NOTE", legalIdScheme: "0088", paymentMeansCode: "1" });
    const broken = await read("UBL", Buffer.from(toUbl({ ...creditNote, supplier: { ...creditNote.supplier, street: "" } })));
    expect(broken.warnings.map((w) => w.rule)).to.deep.equal(["NL-R-001", "NL-R-002", "NL-R-003", "NL-R-008"]);
    // Totals that do not add up, in CII.
    const model = invoiceModel({ seed: 8 });
    const off = await read("CII", Buffer.from(toCii({ ...model, grossTotal: "1.00" })));
    expect(off.warnings.map((w) => w.rule)).to.deep.equal(["BR-CO-15", "BR-CO-16"]);
    // A Dutch invoice without a way to pay: NL-R-007.
    const noMeans = toUbl(invoiceModel({ seed: 9 })).replace(/<cac:PaymentMeans>[\s\S]*?<\/cac:PaymentMeans>/, "");
    expect((await read("UBL", Buffer.from(noMeans))).warnings.map((w) => w.rule)).to.deep.equal(["NL-R-007"]);
    // A foreign customer: no customer address rule.
    const abroad = invoiceModel({ seed: 10, customer: { ...CUSTOMER, country: "BE", street: "" } });
    expect((await read("UBL", Buffer.from(toUbl(abroad)))).warnings).to.deep.equal([]);
  });

  it("names what is wrong with a malformed, wrongly-namespaced or hostile invoice", async () => {
    const problem = async (format: "UBL" | "CII" | "PDF", text: string | Buffer) => {
      const outcome = await readContent(format as never, Buffer.isBuffer(text) ? text : Buffer.from(text));
      expect(outcome.kind).to.equal("FAILED");
      return (outcome as { problem: string }).problem;
    };
    const xml = toUbl(invoiceModel({ seed: 11 }));
    expect(await problem("UBL", xml.slice(0, 900))).to.match(/^The invoice could not be read: Not well-formed XML/);
    expect(await problem("UBL", xml.replace(/ubl:schema:xsd:Invoice-2/, "ubl:schema:xsd:Invoice-1"))).to.match(/Invoice-1\}Invoice, not a UBL 2.1 Invoice or CreditNote/);
    expect(await problem("UBL", `<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml.slice(xml.indexOf("<Invoice"))}`)).to.match(
      /document type/,
    );
    expect(await problem("UBL", xml.replace(/<cbc:IssueDate>2026-03-14/, "<cbc:IssueDate>2026-02-30"))).to.match(/IssueDate: "2026-02-30" is not a date/);
    expect(await problem("UBL", xml.replace(/(<cbc:PayableAmount currencyID="EUR">)[^<]+/, "$1twelve"))).to.match(/PayableAmount: "twelve" is not an amount/);
  });
});
