// Dutch identifiers that pass the checks a reader may apply: IBAN mod-97, the btw-nummer's 11-test
// (elfproef), the 16-digit betalingskenmerk's mod-11 check digit. Each maker asserts its own output.
import { digits, int, pick, type Rand } from "./random.js";

export const BANKS = { ABNA: "ABNANL2A", INGB: "INGBNL2A", RABO: "RABONL2U", KNAB: "KNABNL2H", BUNQ: "BUNQNL2A", TRIO: "TRIONL2U" } as const;
export type BankCode = keyof typeof BANKS;

/** Remainder mod 97 of a long digit string, in chunks small enough for doubles. */
function mod97(numeric: string): number {
  let rest = 0;
  for (let i = 0; i < numeric.length; i += 7) rest = Number(String(rest) + numeric.slice(i, i + 7)) % 97;
  return rest;
}

const lettersToDigits = (text: string) => text.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));

export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  return mod97(lettersToDigits(iban.slice(4) + iban.slice(0, 4))) === 1;
}

/** Digits whose weighted sum (weights from `weights`, left to right) is 0 mod 11; the last weight must be ±1 so it can be solved for. */
function elevenProof(rand: Rand, weights: readonly number[]): string {
  for (;;) {
    const body = digits(rand, weights.length - 1);
    const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
    const last = (((-sum * weights[weights.length - 1]) % 11) + 11) % 11;
    if (last < 10) return body + String(last);
  }
}

/** A Dutch IBAN: NL, check digits, bank code, 10-digit account (0 + 9 digits passing the old bank-account elfproef, as pre-IBAN numbers did). */
export function makeIban(bankCode: BankCode, rand: Rand): string {
  const account = "0" + elevenProof(rand, [9, 8, 7, 6, 5, 4, 3, 2, 1]);
  const check = 98 - mod97(lettersToDigits(bankCode + account + "NL00"));
  const iban = `NL${String(check).padStart(2, "0")}${bankCode}${account}`;
  if (!isValidIban(iban)) throw new Error(`makeIban made an invalid IBAN ${iban}`);
  return iban;
}

const VAT_WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1];

export function isValidVatNumber(vat: string): boolean {
  const match = /^NL(\d{9})B\d{2}$/.exec(vat);
  if (!match) return false;
  return [...match[1]].reduce((acc, d, i) => acc + Number(d) * VAT_WEIGHTS[i], 0) % 11 === 0;
}

/** A Dutch btw-nummer (omzetbelastingnummer): NL + 9 digits passing the 11-test + B + 2 digits. */
export function makeVatNumber(rand: Rand): string {
  const vat = `NL${elevenProof(rand, VAT_WEIGHTS)}B${pick(rand, ["01", "01", "01", "02", "03"])}`;
  if (!isValidVatNumber(vat)) throw new Error(`makeVatNumber made an invalid number ${vat}`);
  return vat;
}

/** KvK numbers are 8 digits with no public check digit. */
export const makeKvkNumber = (rand: Rand): string => digits(rand, 8);

const KENMERK_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, 4, 8, 5, 10];

function kenmerkCheckDigit(body: string): number {
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * KENMERK_WEIGHTS[i], 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? 1 : check;
}

export const isValidBetalingskenmerk = (ref: string): boolean => /^\d{16}$/.test(ref) && kenmerkCheckDigit(ref.slice(1)) === Number(ref[0]);

/** A 16-digit betalingskenmerk (Currence): a check digit, then 15 digits weighted from the right. */
export function makeBetalingskenmerk(rand: Rand): string {
  const body = digits(rand, 15, true);
  const ref = String(kenmerkCheckDigit(body)) + body;
  if (!isValidBetalingskenmerk(ref)) throw new Error(`makeBetalingskenmerk made an invalid reference ${ref}`);
  return ref;
}

/** Postcode "1234 AB": no leading 0, and no SA/SD/SS (never issued). */
export function makePostcode(rand: Rand): string {
  const letters = "ABCDEGHJKLMNPRSTVWXZ";
  for (;;) {
    const pair = letters[int(rand, 0, letters.length - 1)] + letters[int(rand, 0, letters.length - 1)];
    if (!["SA", "SD", "SS"].includes(pair)) return `${int(rand, 1000, 9999)} ${pair}`;
  }
}

export const groupsOf4 = (text: string): string => text.replace(/(.{4})(?=.)/g, "$1 ");

/** The ways a btw-nummer is seen printed: compact, spaced, and the older dotted style. */
export function printVatNumber(vat: string, style: "compact" | "spaced" | "dotted"): string {
  if (style === "compact") return vat;
  if (style === "spaced") return `${vat.slice(0, 2)} ${vat.slice(2, 11)} ${vat.slice(11)}`;
  return `${vat.slice(0, 6)}.${vat.slice(6, 8)}.${vat.slice(8, 11)}.B.${vat.slice(12)}`;
}
