// Invoice layouts on A4. A layout is a placement of the same blocks (supplier letterhead, customer
// address in the envelope window, invoice details, lines table, totals, payment sentence, footer), so
// four layouts share one implementation; a long table flows onto continuation pages.
import { rgb } from "pdf-lib";
import { A4, Canvas, type Align, type Drawn, type Mark, type TextOptions } from "./canvas.js";
import { canonicalAmount, canonicalDate, formatAmount, formatDate } from "./formats.js";
import { groupsOf4, printVatNumber } from "./identifiers.js";
import type { DocumentModel, Line, VatGroup } from "./model.js";
import type { Style } from "./style.js";

export interface InvoiceLayout {
  name: string;
  supplierAt: "left" | "right";
  /** KvK, btw-nummer and IBAN under the letterhead, or in a footer line on every page. */
  idsIn: "header" | "footer";
  /** "above-meta": the title and the details go under the customer address instead of beside it. */
  titleAt: "top-left" | "top-right" | "above-meta";
  meta: "stacked" | "row";
  shadedHeader: boolean;
}

export const INVOICE_LAYOUTS: InvoiceLayout[] = [
  { name: "classic", supplierAt: "left", idsIn: "footer", titleAt: "top-right", meta: "stacked", shadedHeader: false },
  { name: "letterhead", supplierAt: "right", idsIn: "header", titleAt: "above-meta", meta: "row", shadedHeader: true },
  { name: "international", supplierAt: "right", idsIn: "footer", titleAt: "top-left", meta: "stacked", shadedHeader: true },
  { name: "plain", supplierAt: "left", idsIn: "header", titleAt: "above-meta", meta: "stacked", shadedHeader: false },
];

const LEFT = 50;
const RIGHT = A4[0] - 50;
/** Lowest baseline for body content, from the top: the footer lives below it. */
const BOTTOM = A4[1] - 105;

interface Piece {
  text: string;
  marks?: Mark[];
  options?: TextOptions;
}

interface Ctx {
  c: Canvas;
  m: DocumentModel;
  st: Style;
  layout: InvoiceLayout;
}

const lineHeight = (ctx: Ctx, size = ctx.c.size) => size * 1.45;

function draw(ctx: Ctx, piece: Piece, x: number, y: number, align: Align = "left"): void {
  ctx.c.text(piece.text, x, y, { align, ...piece.options });
  ctx.c.mark(piece.marks);
}

/** Pieces one under another from baseline `y`; returns the baseline after the last. */
function column(ctx: Ctx, pieces: Piece[], x: number, y: number, align: Align = "left"): number {
  for (const piece of pieces) {
    const size = piece.options?.size ?? ctx.c.size;
    draw(ctx, piece, x, y, align);
    y += lineHeight(ctx, size);
  }
  return y;
}

/** An amount as printed in the totals, marking `fields` (and the currency, when a sign is printed). */
function amount(ctx: Ctx, cents: number, ...fields: Array<Mark[0]>): Piece {
  const marks = fields.map((field): Mark => [field, canonicalAmount(cents)]);
  if (ctx.st.amounts.prefix) marks.push(["currency", "EUR"]);
  return { text: formatAmount(cents, ctx.st.amounts), marks };
}

const datePiece = (ctx: Ctx, days: number, field: Mark[0]): Piece => ({ text: formatDate(days, ctx.st.date), marks: [[field, canonicalDate(days)]] });

const labelled = (ctx: Ctx, label: string, piece: Piece): Piece => ({ ...piece, text: `${label}${ctx.st.colon} ${piece.text}` });

const ibanText = (ctx: Ctx, iban: string) => (ctx.st.ibanGrouped ? groupsOf4(iban) : iban);

function idPieces(ctx: Ctx): Piece[] {
  const { supplier: s } = ctx.m;
  const L = ctx.st.labels;
  const pieces: Piece[] = [];
  if (s.kvkNumber) pieces.push(labelled(ctx, L.kvk, { text: s.kvkNumber, marks: [["supplierKvkNumber", s.kvkNumber]] }));
  if (s.vatNumber) pieces.push(labelled(ctx, L.vatId, { text: printVatNumber(s.vatNumber, ctx.st.vatPrint), marks: [["supplierVatNumber", s.vatNumber]] }));
  if (s.iban) pieces.push(labelled(ctx, "IBAN", { text: ibanText(ctx, s.iban), marks: [["supplierIban", s.iban]] }));
  if (s.bic) pieces.push(labelled(ctx, "BIC", { text: s.bic }));
  return pieces;
}

/** A square with the initials, as many small firms have for a logo; returns the baseline below it. */
function logo(ctx: Ctx, x: number, align: Align, y: number): number {
  const side = 38;
  const left = align === "left" ? x : x - side;
  ctx.c.box(left, y - 12, side, side, ctx.st.accent);
  const initials = ctx.m.supplier.name
    .split(" ")
    .filter((word) => /^[A-Z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0])
    .join("");
  ctx.c.text(initials, left + side / 2, y + 14, { align: "center", bold: true, size: 16, color: rgb(1, 1, 1) });
  return y + side + 8;
}

function supplierBlock(ctx: Ctx, y: number): number {
  const { c, st, layout } = ctx;
  const s = ctx.m.supplier;
  const align: Align = layout.supplierAt;
  const x = align === "left" ? LEFT : RIGHT;
  if (st.logo) y = logo(ctx, x, align, y);
  const pieces: Piece[] = [
    { text: s.name, marks: [["supplierName", s.name]], options: { bold: true, size: c.size + 4, color: st.accent } },
    { text: s.street },
    { text: `${s.postcode} ${s.city}` },
    { text: `${st.labels.tel} ${s.phone}` },
    { text: `${st.labels.email} ${s.email}` },
  ];
  if (layout.idsIn === "header") pieces.push(...idPieces(ctx));
  return column(ctx, pieces, x, y, align);
}

function title(ctx: Ctx, x: number, y: number, align: Align): number {
  const size = ctx.c.size + 9;
  ctx.c.text(ctx.st.labels.title, x, y, { bold: true, size, align, color: ctx.st.accent });
  return y + size * 1.4;
}

function header(ctx: Ctx): number {
  const top = 60;
  const bottom = supplierBlock(ctx, top);
  if (ctx.layout.titleAt === "top-left") title(ctx, LEFT, top + 10, "left");
  if (ctx.layout.titleAt === "top-right") title(ctx, RIGHT, top + 10, "right");
  return bottom + 22;
}

function customerBlock(ctx: Ctx, y: number): number {
  const customer = ctx.m.customer;
  if (!customer) return y;
  const L = ctx.st.labels;
  const pieces: Piece[] = [];
  if (L.billTo) pieces.push({ text: L.billTo, options: { bold: true, size: ctx.c.size - 0.5, color: ctx.st.accent } });
  pieces.push({ text: customer.name, options: { bold: true } });
  if (customer.attention) pieces.push({ text: customer.attention });
  pieces.push({ text: customer.street }, { text: `${customer.postcode}  ${customer.city.toUpperCase()}` });
  // A different btw-nummer on the page: the customer's, which a reader must not take for the supplier's.
  if (customer.vatNumber) pieces.push(labelled(ctx, L.customerVat, { text: printVatNumber(customer.vatNumber, ctx.st.vatPrint) }));
  return column(ctx, pieces, LEFT, y);
}

function metaEntries(ctx: Ctx): Array<[string, Piece]> {
  const { m, st } = ctx;
  const L = st.labels;
  const entries: Array<[string, Piece]> = [
    [L.number, { text: m.number, marks: [["number", m.number]] }],
    [L.date, datePiece(ctx, m.issueDate, "issueDate")],
    st.dueAs === "date" ? [L.due, datePiece(ctx, m.dueDate, "dueDate")] : [L.term, { text: `${m.termDays} ${L.days}` }],
  ];
  if (m.customerNumber) entries.push([L.customerNumber, { text: m.customerNumber }]);
  if (m.customerReference) entries.push([L.customerReference, { text: m.customerReference }]);
  if (m.paymentReference && st.referenceIn === "meta") entries.push([L.reference, { text: groupsOf4(m.paymentReference), marks: [["paymentReference", m.paymentReference]] }]);
  return entries;
}

function stackedMeta(ctx: Ctx, x: number, y: number): number {
  const entries = metaEntries(ctx);
  const labelWidth = Math.max(...entries.map(([label]) => ctx.c.measure(label + ctx.st.colon, { bold: true })));
  for (const [label, piece] of entries) {
    ctx.c.text(label + ctx.st.colon, x, y, { bold: true });
    draw(ctx, piece, x + labelWidth + 10, y);
    y += lineHeight(ctx);
  }
  return y;
}

/** Details as columns, label above value, three to a row. */
function rowMeta(ctx: Ctx, y: number): number {
  const entries = metaEntries(ctx);
  const width = (RIGHT - LEFT) / 3;
  for (let i = 0; i < entries.length; i += 3) {
    entries.slice(i, i + 3).forEach(([label, piece], j) => {
      ctx.c.text(label, LEFT + j * width, y, { bold: true, size: ctx.c.size - 0.5, color: ctx.st.accent });
      draw(ctx, piece, LEFT + j * width, y + lineHeight(ctx));
    });
    y += lineHeight(ctx) * 2.4;
  }
  return y;
}

function addressAndMeta(ctx: Ctx, y: number): number {
  y = Math.max(y, 165);
  const afterCustomer = customerBlock(ctx, y);
  if (ctx.layout.titleAt !== "above-meta") return Math.max(afterCustomer, stackedMeta(ctx, 330, y));
  const afterTitle = title(ctx, LEFT, afterCustomer + 28, "left");
  return ctx.layout.meta === "row" ? rowMeta(ctx, afterTitle) : stackedMeta(ctx, LEFT, afterTitle);
}

interface TableColumn {
  title: string;
  /** Right edge: every column but the description is right-aligned. */
  right: number;
  cell: (line: Line) => string;
}

function quantityText(ctx: Ctx, line: Line): string {
  const value = String(line.quantity / 100).replace(".", ctx.st.lang === "nl" ? "," : ".");
  return line.unit === "uur" || line.unit === "hrs" ? `${value} ${line.unit}` : value;
}

/** Numeric columns packed from the right edge, each as wide as its widest text; returns them and the description's width. */
function tableColumns(ctx: Ctx): { columns: TableColumn[]; descriptionWidth: number } {
  const L = ctx.st.labels;
  const money = (cents: number) => formatAmount(cents, ctx.st.amounts, false);
  // Without a currency sign on the amounts, the column heading says which currency it is.
  const amountTitle = ctx.st.amounts.prefix ? L.amount : `${L.amount} (EUR)`;
  const specs: Array<Omit<TableColumn, "right">> = [
    { title: L.quantity, cell: (line) => quantityText(ctx, line) },
    { title: L.price, cell: (line) => money(line.unitPrice) },
    ...(ctx.st.rateColumn ? [{ title: L.rate, cell: (line: Line) => `${line.rate}%` }] : []),
    { title: amountTitle, cell: (line) => money(line.amount) },
  ];
  const gap = ctx.c.size * 2;
  let right = RIGHT;
  const columns = specs.reverse().map((spec) => {
    const width = Math.max(ctx.c.measure(spec.title, { bold: true }), ...ctx.m.lines.map((line) => ctx.c.measure(spec.cell(line))));
    const column = { ...spec, right };
    right -= width + gap;
    return column;
  });
  return { columns: columns.reverse(), descriptionWidth: right + gap / 2 - LEFT };
}

function tableHeader(ctx: Ctx, columns: TableColumn[], y: number): number {
  const { c, st, layout } = ctx;
  if (layout.shadedHeader) c.box(LEFT - 4, y - c.size - 1, RIGHT - LEFT + 8, c.size * 1.75, rgb(0.9, 0.91, 0.93));
  c.text(st.labels.description, LEFT, y, { bold: true });
  for (const col of columns) c.text(col.title, col.right, y, { bold: true, align: "right" });
  if (!st.amounts.prefix) c.mark([["currency", "EUR"]]);
  if (!layout.shadedHeader) c.rule(LEFT, RIGHT, y + 4);
  return y + lineHeight(ctx) * 1.3;
}

/** A new page headed with who and which invoice, as continuation pages are. */
function continuation(ctx: Ctx): number {
  const { c, m, st } = ctx;
  c.addPage();
  c.text(m.supplier.name, LEFT, 60, { bold: true, size: c.size + 2, color: st.accent });
  c.text(`${st.labels.title} ${m.number} (${st.labels.continued})`, RIGHT, 60, { align: "right", bold: true });
  return 100;
}

function table(ctx: Ctx, y: number): number {
  const { columns, descriptionWidth } = tableColumns(ctx);
  y = tableHeader(ctx, columns, y);
  for (const line of ctx.m.lines) {
    const wrapped = ctx.c.wrap(line.description, descriptionWidth);
    if (y + (wrapped.length - 1) * lineHeight(ctx) > BOTTOM) y = tableHeader(ctx, columns, continuation(ctx));
    wrapped.forEach((text, i) => ctx.c.text(text, LEFT, y + i * lineHeight(ctx)));
    for (const col of columns) ctx.c.text(col.cell(line), col.right, y, { align: "right" });
    y += wrapped.length * lineHeight(ctx) + 2;
  }
  ctx.c.rule(LEFT, RIGHT, y - lineHeight(ctx) + 6, 0.4);
  return y + 6;
}

interface TotalsRow {
  label: Piece;
  value: Piece;
  strong?: boolean;
}

function vatRow(ctx: Ctx, group: VatGroup, onlyRate: boolean): TotalsRow {
  const L = ctx.st.labels;
  const rateLabel = L.vat.replace("{r}", String(group.rate));
  const base = group.rate === 0 ? amount(ctx, group.taxable, "taxable0") : amount(ctx, group.taxable);
  if (group.rate === 0 && ctx.st.zeroAsExempt) return { label: { text: L.exempt }, value: base };
  const withBase = group.rate === 0 || ctx.st.vatWithBase;
  const label: Piece = withBase ? { text: `${rateLabel} ${L.over} ${base.text}`, marks: base.marks } : { text: rateLabel };
  const fields: Mark[0][] = group.rate === 21 ? ["vat21"] : group.rate === 9 ? ["vat9"] : [];
  // With a single non-zero rate and no "Totaal btw" line, this amount is the VAT total as printed.
  if (onlyRate && group.rate !== 0) fields.push("vatTotal");
  return { label, value: amount(ctx, group.vat, ...fields) };
}

function totalsRows(ctx: Ctx): TotalsRow[] {
  const { m, st } = ctx;
  const L = st.labels;
  const nonZero = m.groups.filter((group) => group.rate !== 0).length;
  const rows: TotalsRow[] = [{ label: { text: L.net }, value: amount(ctx, m.net, "netTotal") }];
  for (const group of m.groups) rows.push(vatRow(ctx, group, nonZero === 1 && !st.vatTotalLine));
  if (st.vatTotalLine) rows.push({ label: { text: L.vatTotal }, value: amount(ctx, m.vatTotal, "vatTotal") });
  rows.push({ label: { text: L.gross }, value: amount(ctx, m.gross, "grossTotal"), strong: true });
  if (st.amountDueLine) rows.push({ label: { text: L.amountDue }, value: amount(ctx, m.gross, "grossTotal"), strong: true });
  return rows;
}

function totals(ctx: Ctx, y: number): number {
  const rows = totalsRows(ctx);
  const step = lineHeight(ctx) * 1.15;
  const widest = (pieces: Piece[]) => Math.max(...pieces.map((piece) => ctx.c.measure(piece.text, { bold: true, size: ctx.c.size + 1 })));
  const labelX = Math.min(300, RIGHT - widest(rows.map((row) => row.value)) - widest(rows.map((row) => row.label)) - 20);
  if (y + rows.length * step > BOTTOM) y = continuation(ctx);
  rows.forEach((row, i) => {
    // One rule, above the first bold total.
    if (row.strong && !rows[i - 1]?.strong) ctx.c.rule(labelX, RIGHT, y - ctx.c.size - 2, 0.5);
    const options: TextOptions = { bold: row.strong, size: row.strong ? ctx.c.size + 1 : ctx.c.size };
    draw(ctx, { ...row.label, options }, labelX, y);
    draw(ctx, { ...row.value, options }, RIGHT, y, "right");
    y += step + (row.strong ? 3 : 0);
  });
  return y + 12;
}

const NOTES = {
  nl: [
    "Wij verzoeken u vriendelijk het bedrag van {amount} vóór {due} over te maken op {iban} t.n.v. {name}, onder vermelding van {reference}.",
    "Gelieve binnen {term} dagen na factuurdatum te betalen op rekening {iban} o.v.v. {reference}.",
    "Graag {amount} voldoen op {iban} ten name van {name}. Vermeld bij betaling {reference}.",
  ],
  en: [
    "Please transfer {amount} to {iban} in the name of {name} by {due}, quoting {reference}.",
    "Payment within {term} days of the invoice date to IBAN {iban}, quoting {reference}.",
  ],
};

/** The payment sentence, with the marks of every field it names. */
function paymentSentence(ctx: Ctx): Piece {
  const { m, st } = ctx;
  const s = m.supplier;
  const templates = NOTES[st.lang];
  const template = templates[st.note % templates.length];
  const nl = st.lang === "nl";
  const ref = m.paymentReference;
  const reference: Piece =
    ref && st.referenceIn === "note"
      ? { text: `${nl ? "betalingskenmerk" : "payment reference"} ${groupsOf4(ref)}`, marks: [["paymentReference", ref]] }
      : ref
        ? { text: nl ? "het betalingskenmerk" : "the payment reference" }
        : { text: `${nl ? "factuurnummer" : "invoice number"} ${m.number}`, marks: [["number", m.number]] };
  const parts: Record<string, Piece> = {
    amount: amount(ctx, m.gross, "grossTotal"),
    due: datePiece(ctx, m.dueDate, "dueDate"),
    iban: { text: ibanText(ctx, s.iban ?? ""), marks: [["supplierIban", s.iban ?? ""]] },
    name: { text: s.name, marks: [["supplierName", s.name]] },
    term: { text: String(m.termDays) },
    reference,
  };
  const used = [...template.matchAll(/\{(\w+)\}/g)].map(([, key]) => parts[key]);
  return { text: template.replace(/\{(\w+)\}/g, (_, key: string) => parts[key].text), marks: used.flatMap((part) => part.marks ?? []) };
}

function paymentNote(ctx: Ctx, y: number): number {
  const sentence = paymentSentence(ctx);
  const lines = ctx.c.wrap(sentence.text, RIGHT - LEFT);
  if (y + lines.length * lineHeight(ctx) > BOTTOM + 30) y = continuation(ctx);
  ctx.c.mark(sentence.marks);
  return column(
    ctx,
    lines.map((text) => ({ text })),
    LEFT,
    y,
  );
}

/** Footer line(s) and page numbers on every page, now that the page count is known. */
function footers(ctx: Ctx): void {
  const { c, m, st, layout } = ctx;
  const s = m.supplier;
  const size = Math.max(7, c.size - 1.5);
  const ids = idPieces(ctx);
  const parts =
    layout.idsIn === "footer"
      ? [s.name, `${s.street}, ${s.postcode} ${s.city}`, ...ids.map((piece) => piece.text)]
      : [st.lang === "nl" ? "Op al onze leveringen zijn onze algemene voorwaarden van toepassing." : "Our general terms and conditions apply."];
  const lines = c.wrap(parts, RIGHT - LEFT, { size }, "  |  ");
  const numbered = st.pageNumbers || c.pages.length > 1;
  c.pages.forEach((_, index) => {
    c.usePage(index);
    c.rule(LEFT, RIGHT, A4[1] - 62, 0.3);
    lines.forEach((text, i) => c.text(text, A4[0] / 2, A4[1] - 50 + i * size * 1.4, { size, align: "center" }));
    if (numbered) c.text(st.labels.page.replace("{i}", String(index + 1)).replace("{n}", String(c.pages.length)), RIGHT, A4[1] - 22, { size, align: "right" });
  });
  if (layout.idsIn === "footer") c.mark(ids.flatMap((piece) => piece.marks ?? []));
}

export async function drawInvoice(m: DocumentModel, st: Style, layout: InvoiceLayout): Promise<Drawn> {
  const ctx: Ctx = { c: await Canvas.create(st.family, A4, st.size), m, st, layout };
  let y = addressAndMeta(ctx, header(ctx));
  y = totals(ctx, table(ctx, y + 22));
  paymentNote(ctx, y);
  footers(ctx);
  return { bytes: await ctx.c.save(), truth: ctx.c.truth, pages: ctx.c.pages.length };
}
