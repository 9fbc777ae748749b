// The formats printed invoices and receipts use, Dutch first: amounts ("1.234,56", "€ 1 234,56",
// "1,234.56"), dates ("1 december 2026", "01-12-2026", "2026-12-01"), and the identifiers with their
// check digits (IBAN mod 97; btw-id by mod 97 or the elfproef; KvK). Pure functions.
import { validDutchVat } from "../../core/tax-numbers.js";

/** A value found at `index` … `index + length` of the searched text. */
export interface Found<T> {
  value: T;
  index: number;
  length: number;
}

const MONTHS: Record<string, number> = {
  januari: 1, jan: 1, january: 1,
  februari: 2, feb: 2, february: 2,
  maart: 3, mrt: 3, mar: 3, march: 3,
  april: 4, apr: 4,
  mei: 5, may: 5,
  juni: 6, jun: 6, june: 6,
  juli: 7, jul: 7, july: 7,
  augustus: 8, aug: 8, august: 8,
  september: 9, sep: 9, sept: 9,
  oktober: 10, okt: 10, october: 10, oct: 10,
  november: 11, nov: 11,
  december: 12, dec: 12,
}; // prettier-ignore
const MONTH_NAMES = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join("|");

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 100) year += 2000;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1990 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const DATE_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string | null]> = [
  [/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (m) => isoDate(Number(m[1]), Number(m[2]), Number(m[3]))],
  [/\b(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})\b/g, (m) => isoDate(Number(m[3]), Number(m[2]), Number(m[1]))],
  [new RegExp(`\\b(\\d{1,2})\\.?\\s*(${MONTH_NAMES})\\.?\\s+(\\d{4})\\b`, "gi"), (m) => isoDate(Number(m[3]), MONTHS[m[2]!.toLowerCase()]!, Number(m[1]))],
  [new RegExp(`\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`, "gi"), (m) => isoDate(Number(m[3]), MONTHS[m[1]!.toLowerCase()]!, Number(m[2]))],
];

/** Every date in `text`, in order of appearance. */
export function findDates(text: string): Array<Found<string>> {
  const found: Array<Found<string>> = [];
  for (const [pattern, convert] of DATE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const value = convert(m as RegExpExecArray);
      if (value && !found.some((f) => m.index! < f.index + f.length && f.index < m.index! + m[0].length)) found.push({ value, index: m.index!, length: m[0].length });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

// An amount with two decimals: Dutch "1.234,56" / "1234,56" or English "1,234.56" (a space is no
// thousands separator here: "3 100,00" on a line is a quantity and a price);
// "€", "EUR" or a minus may stand before it, "-" after it (a credit).
const AMOUNT =
  /(-\s?)?(?:€|EUR)?\s?(-\s?)?(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+),(\d{2})(?![.,]?\d)|(-\s?)?(?:€|EUR)?\s?(-\s?)?(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?![.,]?\d)/g;

/** Every amount in `text` (in cents), in order of appearance. A percentage ("21,00%") is not an amount. */
export function findAmounts(text: string): Array<Found<bigint>> {
  const found: Array<Found<bigint>> = [];
  for (const m of text.matchAll(AMOUNT)) {
    const after = text.slice(m.index! + m[0].length).trimStart();
    if (after.startsWith("%")) continue;
    const whole = (m[3] ?? m[7])!.replace(/[., ]/g, "");
    const cents = BigInt(whole) * 100n + BigInt(m[4] ?? m[8]!);
    const negative = Boolean(m[1] ?? m[2] ?? m[5] ?? m[6]) || /^-(?!\d)/.test(after);
    // Leading spaces are not part of the amount.
    const lead = m[0].length - m[0].trimStart().length;
    found.push({ value: negative ? -cents : cents, index: m.index! + lead, length: m[0].length - lead });
  }
  return found;
}

/** The IBAN's mod-97 check (ISO 13616). */
export function validIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  if (iban.startsWith("NL") && !/^NL\d{2}[A-Z]{4}\d{10}$/.test(iban)) return false;
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const digit of digits) rest = (rest * 10 + Number(digit)) % 97;
  return rest === 1;
}

/** Every valid IBAN in `text` (printed in groups of four or not), normalised. */
export function findIbans(text: string): Array<Found<string>> {
  const found: Array<Found<string>> = [];
  for (const m of text.matchAll(/\b([A-Z]{2}\d{2})((?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?)\b/g)) {
    // OCR reads a zero as O in the digits of an account number now and then.
    const raw = (m[1]! + m[2]!).replace(/\s/g, "");
    for (const candidate of [raw, raw.slice(0, 8) + raw.slice(8).replace(/O/g, "0")]) {
      if (validIban(candidate)) {
        found.push({ value: candidate, index: m.index!, length: m[0].length });
        break;
      }
    }
  }
  return found;
}

/** Every VAT number in `text`: Dutch ones only when their check digits hold; other EU ones by their shape. */
export function findVatNumbers(text: string): Array<Found<string>> {
  const found: Array<Found<string>> = [];
  // OCR reads a zero as O and the B as 8 now and then; the check digits decide.
  for (const m of text.matchAll(/\b(NL)\s?((?:[\dO][\s.]?){9})[\s.]?[B8][\s.]?([\dO]{2})\b/g)) {
    const value = `NL${m[2]!.replace(/[\s.]/g, "").replace(/O/g, "0")}B${m[3]!.replace(/O/g, "0")}`;
    if (validDutchVat(value)) found.push({ value, index: m.index!, length: m[0].length });
  }
  for (const m of text.matchAll(/\b(BE0?\d{9}|BE1\d{9}|DE\d{9}|FR[A-Z0-9]{2}\d{9}|ATU\d{8}|LU\d{8}|IE\d{7}[A-Z]{1,2}|ES[A-Z0-9]\d{7}[A-Z0-9]|IT\d{11}|DK\d{8})\b/g)) {
    found.push({ value: m[1]!, index: m.index!, length: m[0].length });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Normalises a value as the fields keep it: dates ISO, amounts "1234.56", identifiers without spaces. */
export const centsText = (cents: bigint) => {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};
