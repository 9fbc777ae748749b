// What an invoice or credit note says, format-neutral: the UBL and CII readers both produce this,
// amounts in whole cents (BigInt), rates, prices and quantities as the decimal text they were.

export enum InvoiceKind {
  INVOICE = "INVOICE",
  CREDIT_NOTE = "CREDIT_NOTE",
  RECEIPT = "RECEIPT",
}

export enum InvoiceSource {
  /** A structured e-invoice (UBL, SI-UBL, Peppol BIS, Factur-X / ZUGFeRD): exact. */
  E_INVOICE = "E_INVOICE",
  /** Read from a PDF's text layer. */
  TEXT = "TEXT",
  /** Read from a scan by OCR. */
  OCR = "OCR",
}

export interface ParsedParty {
  name: string | null;
  vatNumber: string | null;
  kvkNumber: string | null;
  iban: string | null;
  /** Street, postcode and city on one line, as printed. */
  address: string | null;
  /** ISO 3166 country code of the address. */
  country: string | null;
  /** For the NLCIUS checks: the address parts present. */
  addressParts: { street: boolean; city: boolean; postcode: boolean };
  /** Scheme of the legal entity identifier (0106 KvK, 0190 OIN, …), when one is given. */
  legalIdScheme: string | null;
}

export interface ParsedVatLine {
  category: string;
  /** Percentage as written, e.g. "21" or "9.00"; null for exempt categories without one. */
  rate: string | null;
  taxableCents: bigint;
  vatCents: bigint;
}

export interface ParsedLine {
  lineId: string | null;
  description: string | null;
  quantity: string | null;
  unitCode: string | null;
  unitPrice: string | null;
  amountCents: bigint;
  vatCategory: string | null;
  vatRate: string | null;
  /** An order line reference (NL-R-009). */
  orderLineReference: string | null;
}

export interface ParsedAttachment {
  filename: string | null;
  mimeCode: string;
  bytes: Buffer;
}

export interface ParsedInvoice {
  syntax: "UBL" | "CII" | "TEXT";
  /** CustomizationID / guideline: tells SI-UBL, Peppol BIS, Factur-X profiles apart. */
  customizationId: string | null;
  kind: InvoiceKind;
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  lineTotalCents: bigint | null;
  allowanceTotalCents: bigint;
  chargeTotalCents: bigint;
  netCents: bigint | null;
  vatCents: bigint | null;
  grossCents: bigint | null;
  prepaidCents: bigint;
  roundingCents: bigint;
  payableCents: bigint | null;
  paymentReference: string | null;
  /** Payment means codes given (NL-R-007/008). */
  paymentMeansCodes: string[];
  /** The invoice a credit note corrects. */
  precedingNumber: string | null;
  /** An order reference on document level (NL-R-009). */
  orderReference: string | null;
  supplier: ParsedParty;
  customer: ParsedParty;
  /** The supplier's fiscal representative, when it has one (NL-R-006). */
  taxRepresentative: ParsedParty | null;
  vatBreakdown: ParsedVatLine[];
  lines: ParsedLine[];
  attachments: ParsedAttachment[];
  /** Amounts written with more than two decimals, rounded here (BR-DEC). */
  roundedAmounts: string[];
}

/** The file is not an invoice this reader understands; the message says why (shown to the user). */
export class InvoiceFormatError extends Error {}

/** Cents of a decimal amount ("1234.5", "-0.07", "12.345" rounded half away from zero); null when absent. */
export function amountCents(text: string | null, where: string, rounded: string[]): bigint | null {
  if (text === null || text === "") return null;
  const match = /^([+-]?)(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new InvoiceFormatError(`${where}: "${text}" is not an amount`);
  const decimals = match[3] ?? "";
  let cents = BigInt(match[2]!) * 100n + BigInt(decimals.slice(0, 2).padEnd(2, "0"));
  if (decimals.length > 2 && /[1-9]/.test(decimals.slice(2))) {
    rounded.push(where);
    if (Number(decimals[2]) >= 5) cents += 1n;
  }
  return match[1] === "-" ? -cents : cents;
}

/** VAT numbers compared without spaces, dots or case. */
export const normalizeVat = (text: string | null) => (text ? text.replace(/[\s.-]/g, "").toUpperCase() : null);

export const emptyParty = (): ParsedParty => ({
  name: null,
  vatNumber: null,
  kvkNumber: null,
  iban: null,
  address: null,
  country: null,
  addressParts: { street: false, city: false, postcode: false },
  legalIdScheme: null,
});
