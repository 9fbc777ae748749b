// What a bank statement file says, format-neutral: MT940 and CAMT.053 readers both produce this,
// amounts in whole cents (BigInt) so no float ever touches them.

export interface ParsedBalance {
  /** Signed cents (negative: debit balance). */
  cents: bigint;
  /** YYYY-MM-DD. */
  date: string;
}

export interface ParsedEntry {
  bookingDate: string;
  valueDate: string | null;
  /** Signed cents: negative for a debit (money out). */
  cents: bigint;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  counterpartyBic: string | null;
  description: string | null;
  endToEndId: string | null;
  bankReference: string | null;
}

export interface ParsedStatement {
  /** The account, an IBAN where the file gives one. */
  account: string;
  currency: string;
  /** The statement's number as the bank counts them (leading zeros dropped), or null. */
  number: string | null;
  /** Page within the statement (MT940 :28C: "17/2"), 1 when not given. */
  sequence: number;
  opening: ParsedBalance;
  closing: ParsedBalance;
  entries: ParsedEntry[];
}

/** The file is not a statement this reader understands; `message` says where and why (shown to the user). */
export class StatementFormatError extends Error {}

/** Cents of a bank amount written with a comma or point decimal separator ("1250,00", "1250.5", "3,"). */
export function bankAmountCents(text: string, where: string): bigint {
  const match = /^(\d{1,15})(?:[.,](\d{0,2}))?$/.exec(text.trim());
  if (!match) throw new StatementFormatError(`${where}: "${text}" is not an amount`);
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
}

/** Strips spaces from an account number and upper-cases it, so NL91 ABNA … and nl91abna… are one account. */
export function normalizeAccount(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

export const IBAN_SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/;
