// SWIFT MT940 as Dutch banks write it (ING, Rabobank, ABN AMRO). Read here rather than with mt940js:
// that library gives amounts as JS floats and splits ING's "/EREF/E2E1//NAME/" wrongly, and the
// format is a handful of tagged lines (see docs/DECISIONS.md).
import { bankAmountCents, IBAN_SHAPE, normalizeAccount, type ParsedBalance, type ParsedEntry, type ParsedStatement, StatementFormatError } from "./statement-model.js";

interface TaggedField {
  tag: string;
  /** The field's lines (the first without its tag). */
  lines: string[];
  /** Line number of the tag in the file, from 1. */
  line: number;
}

/** The tagged fields of the file in order; header blocks ({1:…}{2:…}{4:), bank banner lines and "-" trailers skipped. */
function fieldsOf(text: string): TaggedField[] {
  const fields: TaggedField[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/^(\{[1-3]:[^}]*\})+/, "").replace(/^\{4:/, "");
    const tag = /^:(\d{2}[A-Z]?):(.*)$/.exec(line);
    if (tag) {
      fields.push({ tag: tag[1]!, lines: [tag[2]!], line: index + 1 });
      return;
    }
    if (/^-\}?\s*$/.test(line) || line.trim() === "") return;
    // A continuation of the previous field (wrapped :86: text, :61:'s supplementary line); anything before the first :20: is a banner.
    const last = fields[fields.length - 1];
    if (last && last.tag !== "62F" && last.tag !== "62M" && last.tag !== "64" && last.tag !== "65") last.lines.push(line);
  });
  return fields;
}

function yymmdd(text: string, where: string): string {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!match) throw new StatementFormatError(`${where}: "${text}" is not a date (YYMMDD)`);
  const [year, month, day] = [2000 + Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) throw new StatementFormatError(`${where}: "${text}" is not a calendar date`);
  return date.toISOString().slice(0, 10);
}

/** :60F: / :62F: "C260131EUR1234,56". */
function balance(field: TaggedField): ParsedBalance & { currency: string } {
  const where = `line ${field.line} (:${field.tag}:)`;
  const match = /^([CD])(\d{6})([A-Z]{3})([\d.,]+)\s*$/.exec(field.lines[0]!);
  if (!match) throw new StatementFormatError(`${where}: a balance is mark, date, currency and amount, e.g. C260131EUR1234,56`);
  const cents = bankAmountCents(match[4]!, where);
  return { cents: match[1] === "D" ? -cents : cents, date: yymmdd(match[2]!, where), currency: match[3]! };
}

// :61: value date, optional entry date (MMDD), mark (C, D, RC, RD), optional funds code, amount,
// transaction type, owner's reference, optional //bank reference.
const ENTRY = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+,\d{0,2})([NSF][A-Z0-9]{3})([^/]{0,16})(?:\/\/(.{0,16}))?/;

/** The booking date from the entry's MMDD next to its value date, across a year end either way. */
function bookingDate(valueDate: string, mmdd: string | undefined, where: string): string {
  if (!mmdd) return valueDate;
  const valueYear = Number(valueDate.slice(0, 4));
  const candidates = [valueYear - 1, valueYear, valueYear + 1].map((year) => yymmdd(`${String(year % 100).padStart(2, "0")}${mmdd}`, where));
  const distance = (date: string) => Math.abs(Date.parse(date) - Date.parse(valueDate));
  return candidates.reduce((best, date) => (distance(date) < distance(best) ? date : best));
}

// The :86: subfield codes Dutch banks use (ING, ABN AMRO, Rabobank): a value runs to the next one.
const SUBFIELDS = [
  "EREF",
  "IBAN",
  "BIC",
  "NAME",
  "REMI",
  "CNTP",
  "ORDP",
  "BENM",
  "TRTP",
  "CSID",
  "MARF",
  "PREF",
  "RTRN",
  "ID",
  "ADDR",
  "PURP",
  "ULTC",
  "ULTD",
  "ULTB",
  "ISDT",
  "SVCL",
  "CREF",
  "IREF",
  "EXCH",
  "CHGS",
  "OCMT",
  "ACCW",
  "BUSP",
  "RTYP",
];
const SUBFIELD = new RegExp(`/(${SUBFIELDS.join("|")})/`, "g");

/** The structured subfields of an :86: text, or null when it has none (free text). */
export function subfieldsOf(text: string): Map<string, string> | null {
  const marks = [...text.matchAll(SUBFIELD)];
  if (marks.length === 0 || marks[0]!.index !== 0) return null;
  const fields = new Map<string, string>();
  marks.forEach((mark, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index : text.length;
    const value = text
      .slice(mark.index + mark[0].length, end)
      .replace(/\/+$/, "")
      .trim();
    // Nested codes ("/BENM//NAME/…"): the outer one is empty; the first non-empty value of a code wins.
    if (!fields.has(mark[1]!) || fields.get(mark[1]!) === "") fields.set(mark[1]!, value);
  });
  return fields;
}

const nonEmpty = (value: string | undefined | null): string | null => (value && value.trim() && value.trim() !== "NOTPROVIDED" ? value.trim() : null);

/** The parts of an :86: field PortalDesk keeps: counterparty, description, end-to-end id. */
function details(text: string): Pick<ParsedEntry, "counterpartyName" | "counterpartyIban" | "counterpartyBic" | "description" | "endToEndId"> {
  const fields = subfieldsOf(text);
  if (!fields) return { counterpartyName: null, counterpartyIban: null, counterpartyBic: null, description: nonEmpty(text), endToEndId: null };
  // ING: /CNTP/account/BIC/name/city/; the rest name the parts directly.
  const [cntpAccount, cntpBic, cntpName] = (fields.get("CNTP") ?? "").split("/");
  // ING writes the remittance as "USTD//text" or "STRD/CUR/reference".
  const remittance = (fields.get("REMI") ?? "").replace(/^USTD\/\//, "").replace(/^STRD\/[A-Z]+\//, "");
  const iban = nonEmpty(fields.get("IBAN")) ?? nonEmpty(cntpAccount);
  return {
    counterpartyName: nonEmpty(fields.get("NAME")) ?? nonEmpty(cntpName),
    counterpartyIban: iban ? normalizeAccount(iban) : null,
    counterpartyBic: nonEmpty(fields.get("BIC")) ?? nonEmpty(cntpBic),
    description: nonEmpty(remittance) ?? nonEmpty(fields.get("TRTP")),
    endToEndId: nonEmpty(fields.get("EREF")),
  };
}

function entry(field: TaggedField, info: TaggedField | null): ParsedEntry {
  const where = `line ${field.line} (:61:)`;
  const match = ENTRY.exec(field.lines[0]!);
  if (!match) throw new StatementFormatError(`${where}: not an entry (value date, D/C mark, amount, type, reference)`);
  const valueDate = yymmdd(match[1]!, where);
  const amount = bankAmountCents(match[5]!, where);
  // RC (reversal of a credit) takes money out, RD (reversal of a debit) brings it in.
  const debit = match[3] === "D" || match[3] === "RC";
  const ownerReference = match[7]!.trim();
  // Structured text is cut at 65 characters mid-word; free text at word ends.
  const parsed = details(info ? info.lines.join(info.lines[0]!.startsWith("/") ? "" : " ") : "");
  // Rabobank writes the counterparty's account on the :61: field's second line.
  const supplementary = normalizeAccount(field.lines[1] ?? "");
  return {
    ...parsed,
    counterpartyIban: parsed.counterpartyIban ?? (IBAN_SHAPE.test(supplementary) ? supplementary : null),
    bookingDate: bookingDate(valueDate, match[2], where),
    valueDate,
    cents: debit ? -amount : amount,
    bankReference: nonEmpty(match[8]) ?? (ownerReference && ownerReference !== "NONREF" ? ownerReference : null),
  };
}

// Country lengths of the IBANs Dutch firms meet most; ING appends the currency to :25:.
const IBAN_LENGTHS: Record<string, number> = { NL: 18, BE: 16, DE: 22, FR: 27, LU: 20, GB: 22, ES: 24, IT: 27, AT: 20, CH: 21, IE: 22, DK: 18, PL: 28, PT: 25 };

/** The account of ":25:" — "NL91ABNA0417164300", "NL91INGB0002445588EUR", "INGBNL2A/NL91…", "517852257". */
function account(field: TaggedField, currency: string): string {
  const text = normalizeAccount(field.lines[0]!);
  const iban = /[A-Z]{2}\d{2}[A-Z0-9]{10,30}/.exec(text.slice(text.lastIndexOf("/") + 1))?.[0];
  if (!iban) {
    if (!text) throw new StatementFormatError(`line ${field.line} (:25:): the account is empty`);
    return text;
  }
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length && iban.length === length + 3 && iban.endsWith(currency)) return iban.slice(0, length);
  return iban;
}

/** Every statement in an MT940 file, in file order; throws StatementFormatError naming the line at fault. */
export function parseMt940(text: string): ParsedStatement[] {
  const fields = fieldsOf(text);
  const statements: ParsedStatement[] = [];
  let i = 0;
  while (i < fields.length) {
    if (fields[i]!.tag !== "20") {
      i += 1;
      continue;
    }
    const start = fields[i]!;
    const own: TaggedField[] = [];
    for (i += 1; i < fields.length && fields[i]!.tag !== "20"; i += 1) own.push(fields[i]!);
    const find = (...tags: string[]) => own.find((f) => tags.includes(f.tag)) ?? null;
    const openingField = find("60F", "60M");
    const closingField = find("62F", "62M");
    const accountField = find("25");
    if (!accountField || !openingField || !closingField) {
      throw new StatementFormatError(
        `line ${start.line}: the statement lacks ${[!accountField && ":25: (account)", !openingField && ":60F: (opening balance)", !closingField && ":62F: (closing balance)"].filter(Boolean).join(", ")}`,
      );
    }
    const opening = balance(openingField);
    const closing = balance(closingField);
    if (opening.currency !== closing.currency) throw new StatementFormatError(`line ${closingField.line}: closing balance in ${closing.currency}, opening in ${opening.currency}`);
    const number = find("28C", "28");
    const [numberPart, sequencePart] = (number?.lines[0] ?? "").trim().split("/");
    const entries: ParsedEntry[] = [];
    own.forEach((field, index) => {
      if (field.tag !== "61") return;
      const next = own[index + 1];
      entries.push(entry(field, next?.tag === "86" ? next : null));
    });
    statements.push({
      account: account(accountField, opening.currency),
      currency: opening.currency,
      number: numberPart && /^\d+$/.test(numberPart) ? String(Number(numberPart)) : nonEmpty(numberPart),
      sequence: sequencePart && /^\d+$/.test(sequencePart) ? Number(sequencePart) : 1,
      opening: { cents: opening.cents, date: opening.date },
      closing: { cents: closing.cents, date: closing.date },
      entries,
    });
  }
  if (statements.length === 0) throw new StatementFormatError("no statement (:20:) in the file");
  return statements;
}
