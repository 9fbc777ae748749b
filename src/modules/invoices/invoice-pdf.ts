// A readable PDF of an e-invoice that carries no rendition of its own: parties, dates, lines, VAT
// breakdown and totals, labelled in Dutch and English, for the preview, the thumbnail and the
// archive. Drawn with pdf-lib's standard Helvetica (files/pdf-text-writer.ts).
import { PDFDocument, StandardFonts } from "pdf-lib";
import { drawable, PAGE, PdfTextWriter } from "../files/pdf-text-writer.js";
import { formatCents } from "../../core/money.js";
import { InvoiceKind, type ParsedInvoice, type ParsedParty } from "./invoice-model.js";

const label = (nl: string, en: string) => `${nl} / ${en}`;

function partyLines(p: ParsedParty): string[] {
  return [
    p.name ?? "—",
    p.address ?? "",
    p.country ?? "",
    p.vatNumber ? `${label("Btw", "VAT")}: ${p.vatNumber}` : "",
    p.kvkNumber ? `KvK: ${p.kvkNumber}` : "",
    p.iban ? `IBAN: ${p.iban}` : "",
  ].filter(Boolean);
}

/** The PDF's bytes. */
export async function renderInvoicePdf(invoice: ParsedInvoice): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  // Fixed dates: the same invoice always renders to the same bytes (one blob, however often read).
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  pdf.setProducer("PortalDesk");
  pdf.setTitle(drawable(`${invoice.kind === InvoiceKind.CREDIT_NOTE ? "Creditnota" : "Factuur"} ${invoice.number ?? ""}`.trim()));
  const w = new PdfTextWriter(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold));
  const m = PAGE.margin;
  const right = PAGE.width - m;
  const money = (cents: bigint | null) => (cents === null ? "—" : `${invoice.currency ?? ""} ${formatCents(cents)}`.trim());

  w.text(m, invoice.kind === InvoiceKind.CREDIT_NOTE ? label("Creditnota", "Credit note") : label("Factuur", "Invoice"), { bold: true, size: 16 });
  w.down(2);
  const facts: Array<[string, string | null]> = [
    [label("Nummer", "Number"), invoice.number],
    [label("Datum", "Date"), invoice.issueDate],
    [label("Vervaldatum", "Due"), invoice.dueDate],
    [label("Betalingskenmerk", "Payment reference"), invoice.paymentReference],
    [label("Corrigeert factuur", "Corrects invoice"), invoice.precedingNumber],
  ];
  for (const [name, value] of facts.filter(([, v]) => v)) {
    w.text(m, name, { grey: true });
    w.text(m + 150, value!);
    w.down();
  }
  w.down();
  const supplier = partyLines(invoice.supplier);
  const customer = partyLines(invoice.customer);
  w.text(m, label("Leverancier", "Supplier"), { bold: true });
  w.text(m + 260, label("Afnemer", "Customer"), { bold: true });
  w.down();
  for (let i = 0; i < Math.max(supplier.length, customer.length); i += 1) {
    if (supplier[i]) w.text(m, supplier[i]!, { width: 240 });
    if (customer[i]) w.text(m + 260, customer[i]!, { width: 240 });
    w.down();
  }
  w.down();

  const columns = { description: m, quantity: m + 300, price: m + 380, vat: m + 420, amount: right };
  const header = () => {
    w.text(columns.description, label("Omschrijving", "Description"), { bold: true });
    w.text(columns.quantity, label("Aantal", "Qty"), { bold: true, right: true });
    w.text(columns.price, label("Prijs", "Price"), { bold: true, right: true });
    w.text(columns.vat, label("Btw", "VAT"), { bold: true });
    w.text(columns.amount, label("Bedrag", "Amount"), { bold: true, right: true });
    w.down();
  };
  header();
  for (const line of invoice.lines) {
    w.need(1);
    w.text(columns.description, line.description ?? "", { width: 230 });
    w.text(columns.quantity, `${line.quantity ?? ""} ${line.unitCode ?? ""}`.trim(), { right: true, width: 65 });
    w.text(columns.price, line.unitPrice ?? "", { right: true, width: 70 });
    w.text(columns.vat, line.vatRate !== null ? `${line.vatRate}%` : (line.vatCategory ?? ""));
    w.text(columns.amount, formatCents(line.amountCents), { right: true, width: 70 });
    w.down();
  }
  w.down();
  w.need(invoice.vatBreakdown.length + 6);
  for (const vat of invoice.vatBreakdown) {
    w.text(m + 260, `${label("Btw", "VAT")} ${vat.rate !== null ? `${vat.rate}%` : vat.category} ${label("over", "on")} ${formatCents(vat.taxableCents)}`, { grey: true });
    w.text(right, formatCents(vat.vatCents), { right: true });
    w.down();
  }
  const totals: Array<[string, bigint | null, boolean]> = [
    [label("Totaal excl. btw", "Net total"), invoice.netCents, false],
    [label("Btw", "VAT"), invoice.vatCents, false],
    [label("Totaal incl. btw", "Total"), invoice.grossCents, false],
    [label("Te betalen", "Amount due"), invoice.payableCents, true],
  ];
  for (const [name, value, strong] of totals) {
    w.text(m + 260, name, { bold: strong });
    w.text(right, money(value), { right: true, bold: strong });
    w.down();
  }
  w.down();
  w.need(1);
  w.text(m, label("Weergave van een e-factuur, gemaakt door PortalDesk", "Rendering of an e-invoice, made by PortalDesk"), { grey: true, size: 7 });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
