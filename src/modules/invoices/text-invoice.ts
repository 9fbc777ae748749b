// Invoice and receipt fields read from the words on a document's pages (text layer or OCR): by the
// labels Dutch and English invoices print ("Factuurnummer", "Totaal incl. btw", "Due date"), the
// value on the label's line or just below it, and the identifiers by their check digits. Every
// field keeps its confidence and where it was found. What a correction taught about a supplier
// (its labels, its usual VAT rate) is tried first. The administration's own identifiers are never
// taken as the supplier's: they tell which side of the invoice the administration is on. Pure.
import { linesOf, type PageSource, type PageWord } from "../files/page-words.js";
import { centsText, findAmounts, findDates, findIbans, findVatNumbers, type Found } from "./dutch-formats.js";
import { emptyParty, InvoiceKind, type ParsedInvoice, type ParsedVatLine } from "./invoice-model.js";

export const INVOICE_FIELDS = [
  "supplierName",
  "supplierVatNumber",
  "supplierKvkNumber",
  "supplierIban",
  "number",
  "issueDate",
  "dueDate",
  "currency",
  "netTotal",
  "vat21",
  "vat9",
  "taxable0",
  "vatTotal",
  "grossTotal",
  "paymentReference",
] as const;
export type InvoiceFieldName = (typeof INVOICE_FIELDS)[number];

export interface FieldBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A field as read: its value (canonical text), how sure (0–1), and where on which page. */
export interface InvoiceField {
  name: InvoiceFieldName;
  value: string;
  confidence: number;
  page: number | null;
  box: FieldBox | null;
  /** Clockwise degrees its page was turned to read it: the box is of the turned page. */
  pageRotation?: number;
  /** Set when a person corrected it. */
  corrected?: boolean;
}

export interface TextPage {
  pageNumber: number;
  source: PageSource;
  words: PageWord[];
  rotation?: number;
}

/** What corrections taught about one supplier. */
export interface SupplierProfile {
  /** The label printed before (or above) each field's value on this supplier's invoices. */
  labels: Partial<Record<InvoiceFieldName, string>>;
  name: string | null;
  /** The VAT rate its invoices usually charge ("21", "9", "0"). */
  vatRate: string | null;
}

/** Who the administration is: its identifiers are the customer's on a purchase, the supplier's on a sale. */
export interface OwnIdentity {
  name: string | null;
  vatNumber: string | null;
  kvkNumber: string | null;
  ibans: string[];
}

export interface TextInvoice {
  invoice: ParsedInvoice;
  fields: InvoiceField[];
  /** Keys the supplier can be recognised by (vat:…, kvk:…, iban:…), for its profile. */
  supplierKeys: string[];
}

interface Line {
  page: number;
  rotation: number;
  words: PageWord[];
  /** The words joined by single spaces. */
  text: string;
  /** `text` in lower case without accents, the same length (labels are matched on it). */
  plain: string;
  /** Where each word starts in `text`. */
  starts: number[];
  top: number;
  bottom: number;
}

interface Hit<T> {
  value: T;
  line: Line;
  index: number;
  length: number;
  /** How sure the rule that found it is (0–1), before the words' own confidence. */
  certainty: number;
}

/** Lower case without accents, the same length; OCR's usual misreadings of "btw" in a receipt's Courier ("biw", "8tw") put right. */
const plainOf = (text: string) =>
  [...text]
    .map((c) => c.normalize("NFD")[0]!.toLowerCase())
    .join("")
    .padEnd(text.length)
    .slice(0, text.length)
    .replace(/\b[b8][il1]w\b|\b8tw\b/g, "btw");

function toLines(pages: TextPage[]): Line[] {
  return pages.flatMap((page) =>
    linesOf(page.words).map((words) => {
      const starts: number[] = [];
      let text = "";
      for (const word of words) {
        if (text) text += " ";
        starts.push(text.length);
        text += word.text;
      }
      return {
        page: page.pageNumber,
        rotation: page.rotation ?? 0,
        words,
        text,
        plain: plainOf(text),
        starts,
        top: Math.min(...words.map((w) => w.y)),
        bottom: Math.max(...words.map((w) => w.y + w.height)),
      };
    }),
  );
}

/** The words of `line` covering characters `index` … `index + length`. */
function wordsAt(line: Line, index: number, length: number): PageWord[] {
  return line.words.filter((w, i) => line.starts[i]! < index + length && line.starts[i]! + w.text.length > index);
}

function boxOf(words: PageWord[]): FieldBox | null {
  if (!words.length) return null;
  const x = Math.min(...words.map((w) => w.x));
  const y = Math.min(...words.map((w) => w.y));
  const round = (n: number) => Math.round(n * 10000) / 10000;
  return {
    x: round(x),
    y: round(y),
    width: round(Math.max(...words.map((w) => w.x + w.width)) - x),
    height: round(Math.max(...words.map((w) => w.y + w.height)) - y),
  };
}

function fieldOf<T>(name: InvoiceFieldName, hit: Hit<T>, value: string): InvoiceField {
  const words = wordsAt(hit.line, hit.index, hit.length);
  const read = words.length ? Math.min(...words.map((w) => w.confidence)) : 0.5;
  return { name, value, confidence: Math.round(hit.certainty * read * 100) / 100, page: hit.line.page, box: boxOf(words), pageRotation: hit.line.rotation };
}

// Labels, most specific first; matched in lower case without accents, at a word boundary.
const LABELS: Record<Exclude<InvoiceFieldName, "supplierName" | "currency" | "vat21" | "vat9" | "taxable0">, RegExp> = {
  number:
    /\b(factuurnummer|factuurnr\.?|factuur nr\.?|factuur-?id|factuur no\.?|invoice number|invoice no\.?|invoice #|invoice nr\.?|creditnotanummer|creditnota nr\.?|bonnummer|bon nr\.?|bon(?= \d)|receipt no\.?|documentnummer)\s*[:#]?/,
  issueDate: /\b(factuurdatum|datum factuur|invoice date|date of issue|issue date|datum|date)\s*:?/,
  dueDate:
    /\b(vervaldatum|uiterste betaaldatum|te betalen (?:voor|uiterlijk)|betalen voor|betaal voor|uiterlijk te betalen op|due date|payment due|pay before|vervalt op|(?<=\d )voor(?= \d)|(?<=\d )before(?= \d))\s*:?/,
  supplierKvkNumber: /\b(kvk[- ]?(?:nummer|nr\.?)?|k\.v\.k\.?(?: ?nr\.?)?|kamer van koophandel|chamber of commerce(?: number)?|coc(?: number)?)\s*[:.]?/,
  supplierVatNumber: /\b(btw[- ]?(?:nummer|nr\.?|id)|btw|vat(?: number| no\.?| id)?|omzetbelastingnummer)\s*[:.]?/,
  supplierIban: /\b(iban|rekeningnummer|bankrekening|rekening|account)\s*:?/,
  // Not "ons kenmerk" / "your reference": those are the supplier's or the customer's own references.
  paymentReference:
    /\b(betalingskenmerk|betaalkenmerk|o\.v\.v\.?|onder vermelding van|payment reference|(?<!(?:ons|uw|your|order) )kenmerk|(?<!(?:your|our|order|customer) )reference)\s*:?/,
  netTotal:
    /\b(totaal excl\.? (?:btw|vat)|totaal exclusief btw|subtotaal|sub-totaal|subtotal|netto(?:bedrag)?|bedrag excl\.? btw|total excl\.? vat|net total|net amount|excl\.? btw)\s*:?/,
  vatTotal: /\b(totaal btw|btw totaal|btw-bedrag|btw bedrag|total vat|vat total|vat amount|omzetbelasting)\s*:?/,
  grossTotal:
    /\b(totaal incl\.? (?:btw|vat)|totaal inclusief btw|total incl\.? vat|te betalen bedrag|te betalen|amount due|total due|balance due|totaalbedrag|total amount|totaal|total)\s*:?/,
};

/** "Nummer", "number" or "factuur" alone: tried when no invoice-number label is found, never as part of another number's label. */
const GENERIC_NUMBER =
  /\b((?<!(?:vat|btw|btw-|kvk|kvk-|account|po|order|customer|klant|debiteur|reference|telefoon|phone|registration|your|uw|rekening|bank|commerce|coc) )(?<![-\w])(?:nummer|number)\b|factuur\b)\s*[:#]?/;

/** Labels that only look like a gross total ("Totaal" of a line table, "Totaal btw"). */
const NOT_GROSS = /\b(excl|exclusief|subtotaal|sub-totaal|subtotal|btw\s*(?:totaal|bedrag)|totaal btw|total vat|vat total|regel|artikelen|items)\b/;
const RATE_LINE = /\b(?:btw|vat|b\.t\.w\.?)\s*(?:hoog|laag|tarief)?\s*\(?(\d{1,2})(?:[.,]0+)?\s*%|\b(\d{1,2})(?:[.,]0+)?\s*%\s*(?:btw|vat)\b/;
const ZERO_RATE = /\b(?:btw|vat)?\s*(?:0(?:[.,]0+)?\s*%|vrijgesteld|verlegd|exempt|reverse charge)/;
const CUSTOMER_BLOCK = /^(aan|factuuradres|klant|debiteur|bill to|billed to|invoice to|customer|t\.a\.v\.?|ter attentie van)\b/;
const NOT_A_NAME =
  /\b(factuur|invoice|creditnota|credit note|kassabon|bon|receipt|pagina|page|datum|date|tel|telefoon|phone|e-?mail|www\.|http|iban|btw|vat|kvk)\b|@|\d{4}\s?[a-z]{2}\b|\d{3,}/;
const LEGAL_FORM = /\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|c\.?v\.?|holding|groep|ltd|gmbh|bvba)\b/;

/** The text of `line` after `from`, and the next line's words below the label (a column layout), as candidates. */
function valueSpots(lines: Line[], at: number, labelIndex: number, labelEnd: number): Array<{ line: Line; offset: number }> {
  const line = lines[at]!;
  const spots = [{ line, offset: labelEnd }];
  const labelWords = wordsAt(line, labelIndex, labelEnd - labelIndex);
  const left = Math.min(...labelWords.map((w) => w.x));
  const right = Math.max(...labelWords.map((w) => w.x + w.width));
  const height = line.bottom - line.top;
  for (const below of lines.slice(at + 1, at + 3)) {
    if (below.page !== line.page || below.top - line.bottom > height * 2.5) break;
    // The first word of the line below that starts under the label.
    const i = below.words.findIndex((w) => w.x + w.width > left && w.x < right + height * 2);
    if (i >= 0) spots.push({ line: below, offset: below.starts[i]! });
  }
  return spots;
}

interface LabelHit {
  at: number;
  index: number;
  end: number;
  certainty: number;
}

/** Where a label stands: the learned one of this supplier first, then the generic ones. */
function labelHits(lines: Line[], pattern: RegExp, learned: string | undefined): LabelHit[] {
  const hits: LabelHit[] = [];
  if (learned) {
    const wanted = plainOf(learned);
    lines.forEach((line, at) => {
      const index = line.plain.indexOf(wanted);
      if (index >= 0) hits.push({ at, index, end: index + wanted.length, certainty: 0.97 });
    });
  }
  const all = new RegExp(pattern.source, "g");
  lines.forEach((line, at) => {
    for (const m of line.plain.matchAll(all)) if (m[0]) hits.push({ at, index: m.index, end: m.index + m[0].length, certainty: 0.9 });
  });
  return hits;
}

/** The first value `find` finds after the label (on its line, else just below it). */
function valueAfter<T>(lines: Line[], label: LabelHit, find: (text: string) => Array<Found<T>>): Hit<T> | null {
  for (const [i, spot] of valueSpots(lines, label.at, label.index, label.end).entries()) {
    const [first] = find(spot.line.text.slice(spot.offset));
    // On its own line the value follows the label closely; below it, it starts the column.
    if (first && (i > 0 ? first.index <= 2 : first.index <= 40)) {
      return { value: first.value, line: spot.line, index: spot.offset + first.index, length: first.length, certainty: label.certainty * (i > 0 ? 0.95 : 1) };
    }
  }
  return null;
}

/** The first value found after one of the field's labels whose line `accept`s. */
function byLabel<T>(
  lines: Line[],
  pattern: RegExp,
  learned: string | undefined,
  find: (text: string) => Array<Found<T>>,
  accept: (line: Line) => boolean = () => true,
): Hit<T> | null {
  for (const label of labelHits(lines, pattern, learned)) {
    const hit = accept(lines[label.at]!) ? valueAfter(lines, label, find) : null;
    if (hit) return hit;
  }
  return null;
}

const findToken = (pattern: RegExp) => (text: string) => {
  const m = pattern.exec(text);
  return m ? [{ value: m[1]!, index: m.index + m[0].indexOf(m[1]!), length: m[1]!.length }] : [];
};
const INVOICE_NUMBER = /^\s*[:#.]?\s*((?=[A-Za-z0-9\-/._]*\d)[A-Za-z0-9][A-Za-z0-9\-/._]{0,30}[A-Za-z0-9])\b/;
const KVK = /^\s*[:.]?\s*(\d{8})\b/;
const REFERENCE = /^\s*[:.]?\s*((?:\d{4}\s?){3}\d{4}|\d{7,16}|[A-Z0-9][A-Z0-9-]{4,30})\b/;

/** The rightmost amount on a total's line (a line holding its label, or the line below it). */
const lastAmount = (text: string) => {
  const all = findAmounts(text);
  return all.length ? [all[all.length - 1]!] : [];
};

/** The customer's lines: an address block's label ("Aan", "Factuuradres", "Bill to") and the lines under it in its column, and lines naming "your" number. */
function customerBlock(lines: Line[]): Set<Line> {
  const customer = new Set<Line>();
  lines.forEach((line, i) => {
    if (/\b(uw|your)\s+(btw|vat|klant|customer|kvk)/.test(line.plain)) customer.add(line);
    if (!CUSTOMER_BLOCK.test(line.plain)) return;
    const left = line.words[0]!.x;
    customer.add(line);
    for (const next of lines.slice(i + 1, i + 6)) if (next.page === line.page && Math.abs(next.words[0]!.x - left) < 0.05) customer.add(next);
  });
  return customer;
}

function supplierName(lines: Line[], own: OwnIdentity, profile: SupplierProfile | null): Hit<string> | null {
  const firstPage = lines.filter((l) => l.page === lines[0]?.page);
  if (profile?.name) {
    const wanted = plainOf(profile.name);
    const line = firstPage.find((l) => l.plain.includes(wanted));
    if (line) return { value: line.text.substr(line.plain.indexOf(wanted), wanted.length), line, index: line.plain.indexOf(wanted), length: wanted.length, certainty: 0.97 };
  }
  const ownName = own.name ? plainOf(own.name) : null;
  const customerLines = customerBlock(firstPage);
  let best: { line: Line; score: number } | null = null;
  for (const line of firstPage) {
    if (line.top > 0.4) break;
    const letters = line.text.replace(/[^\p{L}]/gu, "").length;
    if (customerLines.has(line) || letters < 3 || NOT_A_NAME.test(line.plain) || (ownName && line.plain.includes(ownName))) continue;
    const height = line.words.reduce((sum, w) => sum + w.height, 0) / line.words.length;
    const score = height * (LEGAL_FORM.test(line.plain) ? 1.6 : 1) * (1.2 - line.top);
    if (!best || score > best.score) best = { line, score };
  }
  if (!best) return null;
  return { value: legalFormRead(best.line.text), line: best.line, index: 0, length: best.line.text.length, certainty: LEGAL_FORM.test(best.line.plain) ? 0.9 : 0.75 };
}

/** The first date printed, for a document that labels none (a till receipt). */
function firstDate(lines: Line[]): Hit<string> | null {
  for (const line of lines) {
    const [date] = findDates(line.text);
    if (date) return { value: date.value, line, index: date.index, length: date.length, certainty: 0.7 };
  }
  return null;
}

/** A legal form as OCR misreads it put right: "V.0.F." (a zero for the O), "By" for BV at the end. */
const legalFormRead = (name: string) =>
  name
    .replace(/\bV\.\s?[0O]\.\s?F\.?/g, "V.O.F.")
    .replace(/\bN\.\s?V\b/g, "N.V")
    .replace(/ By$/, " BV");

/** Every match of a finder over all lines, as hits. */
function everywhere<T>(lines: Line[], find: (text: string) => Array<Found<T>>, certainty: number): Array<Hit<T>> {
  return lines.flatMap((line) => find(line.text).map((f) => ({ value: f.value, line, index: f.index, length: f.length, certainty })));
}

/** The administration's own identifier, compared as printed ones are normalised. */
const isOwn = (own: OwnIdentity) => ({
  vat: (v: string) => own.vatNumber?.replace(/[\s.-]/g, "").toUpperCase() === v,
  kvk: (v: string) => own.kvkNumber === v,
  iban: (v: string) => own.ibans.includes(v),
});

interface VatTable {
  vat: Map<string, Hit<bigint>>;
  taxable: Map<string, Hit<bigint>>;
  net: Hit<bigint> | null;
  vatTotal: Hit<bigint> | null;
}

/**
 * A till receipt's VAT table: a header naming its columns ("BTW  Excl.  BTW  Incl."), then a row per
 * rate ("9%  23,01  2,07  25,08") and perhaps a total row; each amount belongs to the column it stands under.
 */
function vatTable(lines: Line[]): VatTable {
  const table: VatTable = { vat: new Map(), taxable: new Map(), net: null, vatTotal: null };
  const at = lines.findIndex((l) => /\b(btw|vat)\b/.test(l.plain) && /\b(excl|netto|grondslag|incl)\b/.test(l.plain) && !findAmounts(l.text).length);
  if (at < 0) return table;
  const header = lines[at]!;
  const centre = (w: PageWord) => w.x + w.width / 2;
  const columns: Array<{ kind: "taxable" | "vat" | "gross"; x: number }> = [];
  header.words.forEach((word, i) => {
    const plain = plainOf(word.text);
    if (/^(excl|netto|grondslag)/.test(plain)) columns.push({ kind: "taxable", x: centre(word) });
    else if (/^(incl|totaal)/.test(plain)) columns.push({ kind: "gross", x: centre(word) });
    else if (/^(btw|vat)/.test(plain) && i > 0) columns.push({ kind: "vat", x: centre(word) });
  });
  for (const line of lines.slice(at + 1, at + 6)) {
    const rate = /^(\d{1,2})(?:[.,]\d+)?\s*%/.exec(line.plain);
    const total = /^(totaal|total)\b/.test(line.plain);
    const amounts = findAmounts(line.text);
    if ((!rate && !total) || !amounts.length) break;
    for (const amount of amounts) {
      const words = wordsAt(line, amount.index, amount.length);
      const x = words.reduce((sum, w) => sum + centre(w), 0) / words.length;
      const column = columns.reduce<(typeof columns)[number] | null>((best, c) => (!best || Math.abs(c.x - x) < Math.abs(best.x - x) ? c : best), null);
      const hit = { value: amount.value, line, index: amount.index, length: amount.length, certainty: 0.85 };
      if (column?.kind === "taxable") {
        if (rate) table.taxable.set(String(Number(rate[1])), hit);
        else table.net = hit;
      } else if (column?.kind === "vat") {
        if (rate) table.vat.set(String(Number(rate[1])), hit);
        else table.vatTotal = hit;
      }
    }
  }
  // One rate and no total row: that rate's columns are the totals.
  if (table.taxable.size === 1 && !table.net) table.net = [...table.taxable.values()][0]!;
  return table;
}

/** A payment reference in a sentence, its sixteen digits wrapped onto the next line ("betalingskenmerk 1710 0936 / 1376 0935"). */
function wrappedReference(lines: Line[]): Hit<string> | null {
  for (const [at, line] of lines.entries()) {
    const label = /\b(betalingskenmerk|betaalkenmerk|payment reference)\s*:?\s*((?:\d{4} ?){1,3})$/.exec(line.plain);
    const next = lines[at + 1];
    if (!label || !next || next.page !== line.page) continue;
    const joined = `${label[2]!.trim()} ${next.text}`;
    const m = /^((?:\d{4} ?){3}\d{4})\b/.exec(joined);
    if (m) return { value: m[1]!, line, index: label.index + label[0].length - label[2]!.length, length: label[2]!.length, certainty: 0.8 };
  }
  return null;
}

interface VatRates {
  vat: Map<string, Hit<bigint>>;
  taxable: Map<string, Hit<bigint>>;
}

/** The VAT lines: "BTW 21%  € 259,26" or "21% btw over 1.234,56  259,26" (the last amount is the VAT). */
function vatRates(lines: Line[], table: VatTable): VatRates {
  const vat = new Map(table.vat);
  const taxable = new Map(table.taxable);
  for (const line of lines) {
    const rate = RATE_LINE.exec(line.plain);
    const amounts = findAmounts(line.text).filter((a) => !rate || a.index > rate.index);
    if (rate && Number(rate[1] ?? rate[2]) > 0) {
      const r = String(Number(rate[1] ?? rate[2]));
      if (!amounts.length || vat.has(r)) continue;
      const last = amounts[amounts.length - 1]!;
      vat.set(r, { value: last.value, line, index: last.index, length: last.length, certainty: 0.92 });
      if (amounts.length > 1) taxable.set(r, { value: amounts[0]!.value, line, index: amounts[0]!.index, length: amounts[0]!.length, certainty: 0.85 });
    } else if (ZERO_RATE.test(line.plain) && /\b(btw|vat)\b/.test(line.plain) && amounts.length && !table.taxable.has("0")) {
      // The summary's line, after any exempt item lines: the last such line, its rightmost amount
      // that is not the zero VAT ("BTW 0% over 477,00   0,00").
      const last = amounts.filter((a) => a.value !== 0n).pop();
      if (last) taxable.set("0", { value: last.value, line, index: last.index, length: last.length, certainty: 0.85 });
    }
  }
  return { vat, taxable };
}

function kindOf(plain: string, hasDueDate: boolean): InvoiceKind {
  if (/\b(creditnota|credit note|creditfactuur|credit invoice)\b/.test(plain)) return InvoiceKind.CREDIT_NOTE;
  if (!hasDueDate && /\b(kassabon|kassa|bonnummer|pin(?:betaling)?|contant|betaald met|transactie|wisselgeld|receipt)\b/.test(plain)) return InvoiceKind.RECEIPT;
  return InvoiceKind.INVOICE;
}

/**
 * The invoice or receipt on `pages`, or null when they hold none (no total, or neither a number,
 * a date nor a VAT number to go with it: a letter or a contract).
 */
export function invoiceFromText(pages: TextPage[], own: OwnIdentity, profile: SupplierProfile | null = null): TextInvoice | null {
  const lines = toLines(pages);
  if (!lines.length) return null;
  const learned = profile?.labels ?? {};
  const fields: InvoiceField[] = [];
  const add = <T>(name: InvoiceFieldName, hit: Hit<T> | null, text: (v: T) => string) => {
    if (hit) fields.push(fieldOf(name, hit, text(hit.value)));
    return hit;
  };
  const ownOf = isOwn(own);

  // Identifiers: valid ones anywhere; the supplier's are those that are not the administration's.
  const vats = everywhere(lines, findVatNumbers, 0.95);
  const ibans = everywhere(lines, findIbans, 0.95);
  const kvks = labelHits(lines, LABELS.supplierKvkNumber, learned.supplierKvkNumber).flatMap((label) => {
    const rest = lines[label.at]!.text.slice(label.end);
    const [found] = findToken(KVK)(rest);
    return found ? [{ value: found.value, line: lines[label.at]!, index: label.end + found.index, length: found.length, certainty: 0.95 }] : [];
  });
  // The supplier's are neither the administration's nor printed in the customer's block.
  const customerLines = customerBlock(lines);
  const theirs = <T extends string>(hits: Array<Hit<T>>, mine: (v: string) => boolean) => hits.find((h) => !mine(h.value) && !customerLines.has(h.line)) ?? null;
  const ownSeen = vats.some((h) => ownOf.vat(h.value)) || kvks.some((h) => ownOf.kvk(h.value)) || ibans.some((h) => ownOf.iban(h.value));
  let vat = theirs(vats, ownOf.vat);
  let kvk = theirs(kvks, ownOf.kvk);
  let iban = theirs(ibans, ownOf.iban);
  // Only the administration's own identifiers, and not in the customer's block: its own sales
  // invoice, the supplier is the administration.
  const ownAsSupplier = [...vats.filter((h) => ownOf.vat(h.value)), ...kvks.filter((h) => ownOf.kvk(h.value)), ...ibans.filter((h) => ownOf.iban(h.value))].some(
    (h) => !customerLines.has(h.line),
  );
  const sale = ownAsSupplier && !vat && !kvk && !iban;
  if (sale) {
    vat = vats[0] ?? null;
    kvk = kvks[0] ?? null;
    iban = ibans[0] ?? null;
  }
  add("supplierVatNumber", vat, (v) => v);
  add("supplierKvkNumber", kvk, (v) => v);
  add("supplierIban", iban, (v) => v);
  const name = sale && own.name ? null : supplierName(lines, own, profile);
  add("supplierName", name, (v) => v);

  const number = add(
    "number",
    byLabel(lines, LABELS.number, learned.number, findToken(INVOICE_NUMBER)) ?? byLabel(lines, GENERIC_NUMBER, undefined, findToken(INVOICE_NUMBER)),
    (v) => v,
  );
  // A receipt prints its date without a label: the first date there is.
  const issue = add("issueDate", byLabel(lines, LABELS.issueDate, learned.issueDate, findDates) ?? firstDate(lines), (v) => v);
  const due = add("dueDate", byLabel(lines, LABELS.dueDate, learned.dueDate, findDates), (v) => v);
  add("paymentReference", byLabel(lines, LABELS.paymentReference, learned.paymentReference, findToken(REFERENCE)) ?? wrappedReference(lines), (v) => v.replace(/\s/g, ""));

  const table = vatTable(lines);
  const rates = vatRates(lines, table);
  // Labelled totals first; a receipt's VAT table has them in its columns; a single rate's VAT line is the VAT total.
  const net = add("netTotal", byLabel(lines, LABELS.netTotal, learned.netTotal, lastAmount) ?? table.net, centsText);
  const singleRate = rates.vat.size === 1 ? [...rates.vat.values()][0]! : null;
  const vatTotal = add("vatTotal", byLabel(lines, LABELS.vatTotal, learned.vatTotal, lastAmount, (l) => !RATE_LINE.test(l.plain)) ?? table.vatTotal ?? singleRate, centsText);
  const grossCandidates = labelHits(lines, LABELS.grossTotal, learned.grossTotal).filter((h) => !NOT_GROSS.test(lines[h.at]!.plain) && !RATE_LINE.test(lines[h.at]!.plain));
  const vatSum = [...rates.vat.values()].reduce((s, h) => s + h.value, 0n);
  const vatCents = vatTotal?.value ?? (rates.vat.size ? vatSum : null);
  let gross: Hit<bigint> | null = null;
  for (const label of grossCandidates) {
    const candidate = valueAfter(lines, label, lastAmount);
    if (!candidate) continue;
    // The total that net plus VAT make wins over a "Totaal" of the line table.
    if (net && vatCents !== null && net.value + vatCents === candidate.value) {
      gross = candidate;
      break;
    }
    gross ??= candidate;
  }
  add("grossTotal", gross, centsText);
  const vat21 = rates.vat.get("21");
  const vat9 = rates.vat.get("9");
  if (vat21) add("vat21", vat21, centsText);
  if (vat9) add("vat9", vat9, centsText);
  if (rates.taxable.has("0")) add("taxable0", rates.taxable.get("0")!, centsText);

  const plainAll = lines.map((l) => l.plain).join("\n");
  const currency = /€|\beur\b/.test(plainAll) ? "EUR" : /\$|\busd\b/.test(plainAll) ? "USD" : /£|\bgbp\b/.test(plainAll) ? "GBP" : null;
  if (currency && gross) fields.push({ name: "currency", value: currency, confidence: 0.9, page: gross.line.page, box: null });

  // Not an invoice without a total and something that makes it one.
  if (!gross || !(number || issue || vat || kvk || rates.vat.size)) return null;

  // Arithmetic that disagrees lowers the confidence of the amounts involved (the warnings say why).
  const consistent = net && vatCents !== null ? net.value + vatCents === gross.value : true;
  if (!consistent) for (const f of fields) if (["netTotal", "vatTotal", "grossTotal"].includes(f.name)) f.confidence = Math.round(f.confidence * 60) / 100;

  const supplier = {
    ...emptyParty(),
    name: sale ? own.name : (name?.value ?? null),
    vatNumber: vat?.value ?? null,
    kvkNumber: kvk?.value ?? null,
    iban: iban?.value ?? null,
    country: vat?.value.slice(0, 2) ?? (iban ? iban.value.slice(0, 2) : null),
  };
  const customer = sale ? emptyParty() : { ...emptyParty(), name: null, vatNumber: ownSeen ? own.vatNumber : null, kvkNumber: ownSeen ? own.kvkNumber : null };
  // The breakdown is kept where every rate's taxable amount is known (printed, or the net total of
  // a single rate); the VAT per rate is in the fields either way.
  const taxableOf = (rate: string) => rates.taxable.get(rate)?.value ?? (rates.vat.size === 1 && net ? net.value : null);
  const vatBreakdown: ParsedVatLine[] = [...rates.vat.keys()].every((rate) => taxableOf(rate) !== null)
    ? [...rates.vat.entries()].map(([rate, hit]) => ({ category: "S", rate, taxableCents: taxableOf(rate)!, vatCents: hit.value }))
    : [];
  // No VAT line printed: the supplier's usual rate (from corrections) is what the VAT is checked against.
  if (!vatBreakdown.length && !rates.vat.size && profile?.vatRate && net && vatCents !== null)
    vatBreakdown.push({ category: "S", rate: profile.vatRate, taxableCents: net.value, vatCents });
  if (vatBreakdown.length && rates.taxable.has("0")) vatBreakdown.push({ category: "Z", rate: "0", taxableCents: rates.taxable.get("0")!.value, vatCents: 0n });
  const invoice: ParsedInvoice = {
    syntax: "TEXT",
    customizationId: null,
    kind: kindOf(plainAll, Boolean(due)),
    number: number?.value ?? null,
    issueDate: issue?.value ?? null,
    dueDate: due?.value ?? null,
    currency,
    lineTotalCents: null,
    allowanceTotalCents: 0n,
    chargeTotalCents: 0n,
    netCents: net?.value ?? null,
    vatCents,
    grossCents: gross.value,
    prepaidCents: 0n,
    roundingCents: 0n,
    payableCents: gross.value,
    paymentReference: fields.find((f) => f.name === "paymentReference")?.value ?? null,
    paymentMeansCodes: [],
    precedingNumber: null,
    orderReference: null,
    supplier,
    customer,
    taxRepresentative: null,
    vatBreakdown,
    lines: [],
    attachments: [],
    roundedAmounts: [],
  };
  const supplierKeys = [vat && `vat:${vat.value}`, kvk && `kvk:${kvk.value}`, iban && `iban:${iban.value}`].filter((k): k is string => Boolean(k));
  return { invoice, fields, supplierKeys };
}

/** The invoice number a page's text names after one of the number labels (same line), or null. */
export function invoiceNumberIn(text: string): string | null {
  for (const pattern of [LABELS.number, GENERIC_NUMBER]) {
    for (const line of text.split("\n")) {
      const m = pattern.exec(plainOf(line));
      const found = m ? findToken(INVOICE_NUMBER)(line.slice(m.index + m[0].length)) : [];
      if (found[0]) return found[0].value;
    }
  }
  return null;
}

/** The label in front of (or above) a value at `box` on `page`, as a correction teaches it: up to three words with letters. */
export function labelBefore(pages: TextPage[], page: number, box: FieldBox): string | null {
  const lines = toLines(pages.filter((p) => p.pageNumber === page));
  const middle = box.y + box.height / 2;
  const at = lines.findIndex((l) => middle >= l.top && middle <= l.bottom);
  if (at < 0) return null;
  const line = lines[at]!;
  const before = line.words.filter((w) => w.x + w.width <= box.x + 0.002);
  const label = (words: PageWord[]) => {
    const text = words
      .slice(-3)
      .map((w) => w.text)
      .join(" ")
      .replace(/[:#]+$/, "")
      .trim();
    return /\p{L}{2}/u.test(text) ? text : null;
  };
  if (before.length) return label(before);
  // A column: the words just above the value.
  const above = lines[at - 1];
  return above ? label(above.words.filter((w) => w.x < box.x + box.width && w.x + w.width > box.x)) : null;
}

/** Where `value` stands in `text`, spaces aside (an IBAN printed in groups of four). */
function textPosition(text: string, value: string): Array<Found<string>> {
  const wanted = value.replace(/\s/g, "").toUpperCase();
  const at = text.replace(/\s/g, "").toUpperCase().indexOf(wanted);
  if (!wanted || at < 0) return [];
  // Map the position without spaces back to the text with them.
  let index = 0;
  for (let seen = 0; index < text.length && (seen < at || text[index] === " "); index++) if (text[index] !== " ") seen++;
  let end = index;
  for (let taken = 0; end < text.length && taken < wanted.length; end++) if (text[end] !== " ") taken++;
  return [{ value, index, length: end - index }];
}

/** Where `value` (as a field keeps it) is printed on the pages, for a correction typed in by hand. */
export function locateValue(pages: TextPage[], name: InvoiceFieldName, value: string): { page: number; box: FieldBox } | null {
  for (const line of toLines(pages)) {
    const found: Array<Found<string>> = name.endsWith("Date")
      ? findDates(line.text)
      : ["netTotal", "vatTotal", "grossTotal", "vat21", "vat9", "taxable0"].includes(name)
        ? findAmounts(line.text).map((a) => ({ ...a, value: centsText(a.value) }))
        : textPosition(line.text, value);
    const hit = found.find((f) => f.value === value);
    if (hit) {
      const box = boxOf(wordsAt(line, hit.index, hit.length));
      if (box) return { page: line.page, box };
    }
  }
  return null;
}
