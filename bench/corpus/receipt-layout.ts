// A till receipt as thermal printers print it: 80 mm wide, Courier, as long as its content, prices
// including VAT, a BTW breakdown, the PIN terminal's slip at the bottom.
import { Canvas, type Drawn, type Mark } from "./canvas.js";
import { canonicalAmount, canonicalDate, formatAmount, formatDate, AMOUNT_STYLES, type DateStyle } from "./formats.js";
import { printVatNumber } from "./identifiers.js";
import type { DocumentModel, Line } from "./model.js";
import { chance, digits, float, int, pick, type Rand } from "./random.js";

const WIDTH = 226.77; // 80 mm
const MARGIN = 12;

interface Row {
  left?: string;
  right?: string;
  center?: string;
  bold?: boolean;
  big?: boolean;
  marks?: Mark[];
}

const money = (cents: number) => formatAmount(cents, AMOUNT_STYLES.nlPlain, false);
const amountMark = (field: Mark[0], cents: number): Mark => [field, canonicalAmount(cents)];

function lineRows(line: Line): Row[] {
  if (line.quantity === 100) return [{ left: line.description, right: money(line.amount) }];
  return [{ left: line.description }, { left: `  ${line.quantity / 100} x ${money(line.unitPrice)}`, right: money(line.amount) }];
}

/** The BTW table, padded as a fixed-width till prints it (Courier makes the columns line up). */
function vatRows(m: DocumentModel, withTotal: boolean): Row[] {
  const cols = (a: string, b: string, c: string, d: string) => a.padEnd(6) + b.padStart(10) + c.padStart(9) + d.padStart(10);
  const rows: Row[] = [{ left: cols("BTW", "Excl.", "BTW", "Incl.") }];
  for (const group of m.groups) {
    const marks: Mark[] = [amountMark(group.rate === 21 ? "vat21" : "vat9", group.vat)];
    // One rate: its columns are the receipt's net and VAT totals.
    if (m.groups.length === 1) marks.push(amountMark("netTotal", group.taxable), amountMark("vatTotal", group.vat));
    rows.push({ left: cols(`${group.rate}%`, money(group.taxable), money(group.vat), money(group.taxable + group.vat)), marks });
  }
  if (withTotal && m.groups.length > 1) {
    rows.push({ left: cols("Totaal", money(m.net), money(m.vatTotal), money(m.gross)), marks: [amountMark("netTotal", m.net), amountMark("vatTotal", m.vatTotal)] });
  }
  return rows;
}

function terminalRows(rand: Rand, m: DocumentModel, date: string): Row[] {
  return [
    { center: "Kaartbetaling" },
    { left: "Terminal", right: `${pick(rand, ["T", "CT"])}${digits(rand, 6)}` },
    { left: "Merchant", right: digits(rand, 6) },
    { left: "Periode", right: digits(rand, 4) },
    { left: "Transactie", right: digits(rand, 8, true) },
    { left: pick(rand, ["MAESTRO", "V PAY", "DEBIT MASTERCARD", "VISA DEBIT"]) },
    { left: "Kaart", right: `xxxxxxxxxxxx${digits(rand, 4, true)}` },
    { left: "BETALING", right: `${date} ${m.time ?? ""}` },
    {
      left: "Autorisatiecode",
      right: Math.floor(rand() * 36 ** 6)
        .toString(36)
        .toUpperCase()
        .padStart(6, "0"),
    },
    { left: "Totaal", right: `${money(m.gross)} EUR`, marks: [["currency", "EUR"]] },
    { center: "Akkoord" },
  ];
}

function receiptRows(rand: Rand, m: DocumentModel, size: number): Row[] {
  const s = m.supplier;
  const rule = { left: "-".repeat(Math.floor((WIDTH - 2 * MARGIN) / (0.6 * size))) };
  const dateStyle = pick<DateStyle>(rand, ["dashPadded", "dashPadded", "dotted", "dash"]);
  const date = formatDate(m.issueDate, dateStyle);
  const rows: Row[] = [
    { center: s.name, bold: true, big: true, marks: [["supplierName", s.name]] },
    { center: s.street },
    { center: `${s.postcode} ${s.city}` },
    { center: `Tel. ${s.phone}` },
    rule,
    { left: `Bon ${m.number}`, right: `Kassa ${int(rand, 1, 6)}`, marks: [["number", m.number]] },
    { left: date, right: m.time ?? "", marks: [["issueDate", canonicalDate(m.issueDate)]] },
    rule,
    ...m.lines.flatMap(lineRows),
    rule,
    { left: `${m.lines.reduce((count, line) => count + line.quantity / 100, 0)} artikelen` },
    { left: "TOTAAL", right: money(m.gross), bold: true, big: true, marks: [amountMark("grossTotal", m.gross)] },
    { left: "PIN", right: money(m.gross) },
    rule,
    ...vatRows(m, chance(rand, 0.6)),
    rule,
    ...terminalRows(rand, m, date),
    rule,
  ];
  if (chance(rand, 0.6) && s.kvkNumber) rows.push({ center: `KvK ${s.kvkNumber}`, marks: [["supplierKvkNumber", s.kvkNumber]] });
  if (chance(rand, 0.6) && s.vatNumber) rows.push({ center: `BTW ${printVatNumber(s.vatNumber, "compact")}`, marks: [["supplierVatNumber", s.vatNumber]] });
  rows.push({ center: pick(rand, ["Bedankt en tot ziens!", "Bedankt voor uw bezoek", "Fijne dag!"]) });
  return rows;
}

export async function drawReceipt(rand: Rand, m: DocumentModel): Promise<Drawn> {
  const size = Math.round(float(rand, 8, 9) * 2) / 2;
  const rows = receiptRows(rand, m, size);
  const step = (row: Row) => (row.big ? size * 1.9 : size * 1.35);
  const height = rows.reduce((sum, row) => sum + step(row), 0) + 50;
  const c = await Canvas.create("Courier", [WIDTH, height], size);
  let y = 24;
  for (const row of rows) {
    const options = { bold: row.bold, size: row.big ? size + 2 : size };
    if (row.center) c.text(row.center, WIDTH / 2, y, { ...options, align: "center" });
    if (row.left) c.text(row.left, MARGIN, y, options);
    if (row.right) c.text(row.right, WIDTH - MARGIN, y, { ...options, align: "right" });
    c.mark(row.marks);
    y += step(row);
  }
  return { bytes: await c.save(), truth: c.truth, pages: 1 };
}
