// The checks on a read invoice: its arithmetic (EN 16931's BR-CO rules: lines to totals, each VAT
// line against its rate within a cent) and the Dutch NLCIUS rules NL-R-001 … NL-R-009. Findings are
// warnings with the rule's id; the invoice is kept whatever they say. A warning is stored as its
// rule and values, and worded in the reader's language when shown.
import { formatCents } from "../../core/money.js";
import type { MailLanguage } from "../../mail/layout.js";
import { InvoiceKind, type ParsedInvoice, type ParsedParty } from "./invoice-model.js";

export interface InvoiceWarning {
  rule: string;
  /** The amounts or fields the message names, as text. */
  values: Record<string, string>;
}

const money = formatCents;
const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

/** A percentage ("21", "9.5") as numerator over a power of ten. */
function rational(rate: string): { num: bigint; den: bigint } | null {
  const match = /^(\d{1,3})(?:\.(\d{1,6}))?$/.exec(rate.trim());
  if (!match) return null;
  const decimals = match[2] ?? "";
  return { num: BigInt(match[1]! + decimals), den: 10n ** BigInt(decimals.length) };
}

const PAYMENT_CODES = new Set(["30", "48", "49", "57", "58", "59"]);
const NL_LEGAL_SCHEMES = new Set(["0106", "0190"]);

function arithmetic(invoice: ParsedInvoice, warn: (rule: string, values: Record<string, string>) => void): void {
  const lines = sum(invoice.lines.map((l) => l.amountCents));
  if (invoice.lines.length && invoice.lineTotalCents !== null && lines !== invoice.lineTotalCents) {
    warn("BR-CO-10", { lines: money(lines), total: money(invoice.lineTotalCents) });
  }
  if (invoice.lineTotalCents !== null && invoice.netCents !== null) {
    const expected = invoice.lineTotalCents - invoice.allowanceTotalCents + invoice.chargeTotalCents;
    if (expected !== invoice.netCents) warn("BR-CO-13", { expected: money(expected), net: money(invoice.netCents) });
  }
  const breakdownVat = sum(invoice.vatBreakdown.map((v) => v.vatCents));
  if (invoice.vatCents !== null && invoice.vatBreakdown.length && breakdownVat !== invoice.vatCents) {
    warn("BR-CO-14", { breakdown: money(breakdownVat), total: money(invoice.vatCents) });
  }
  if (invoice.netCents !== null && invoice.grossCents !== null) {
    const expected = invoice.netCents + (invoice.vatCents ?? 0n);
    if (expected !== invoice.grossCents) warn("BR-CO-15", { expected: money(expected), gross: money(invoice.grossCents) });
  }
  if (invoice.grossCents !== null && invoice.payableCents !== null) {
    const expected = invoice.grossCents - invoice.prepaidCents + invoice.roundingCents;
    if (expected !== invoice.payableCents) warn("BR-CO-16", { expected: money(expected), payable: money(invoice.payableCents) });
  }
  for (const line of invoice.vatBreakdown) {
    const rate = line.rate === null ? null : rational(line.rate);
    if (rate === null) continue;
    // |vat − taxable × rate / 100| within one cent, in whole numbers.
    const difference = line.vatCents * 100n * rate.den - line.taxableCents * rate.num;
    if ((difference < 0n ? -difference : difference) > 100n * rate.den) {
      warn("BR-CO-17", {
        rate: line.rate!,
        taxable: money(line.taxableCents),
        vat: money(line.vatCents),
        expected: money((line.taxableCents * rate.num + 50n * rate.den) / (100n * rate.den)),
      });
    }
    // Without document-level allowances or charges, the lines of a rate add up to its taxable amount.
    if (invoice.allowanceTotalCents === 0n && invoice.chargeTotalCents === 0n && invoice.lines.length) {
      const ofRate = invoice.lines.filter((l) => (l.vatCategory ?? "S") === line.category && l.vatRate !== null && Number(l.vatRate) === Number(line.rate));
      const linesOfRate = sum(ofRate.map((l) => l.amountCents));
      if (ofRate.length && linesOfRate !== line.taxableCents) warn("BR-S-08", { rate: line.rate!, lines: money(linesOfRate), taxable: money(line.taxableCents) });
    }
  }
}

const fullAddress = (p: ParsedParty) => p.addressParts.street && p.addressParts.city && p.addressParts.postcode;

function dutchRules(invoice: ParsedInvoice, warn: (rule: string, values: Record<string, string>) => void): void {
  if (invoice.supplier.country !== "NL") return;
  if (invoice.kind === InvoiceKind.CREDIT_NOTE && !invoice.precedingNumber) warn("NL-R-001", {});
  if (!fullAddress(invoice.supplier)) warn("NL-R-002", {});
  if (!invoice.supplier.legalIdScheme || !NL_LEGAL_SCHEMES.has(invoice.supplier.legalIdScheme)) warn("NL-R-003", { scheme: invoice.supplier.legalIdScheme ?? "" });
  if (invoice.customer.country === "NL") {
    if (!fullAddress(invoice.customer)) warn("NL-R-004", {});
    if (invoice.customer.legalIdScheme && !NL_LEGAL_SCHEMES.has(invoice.customer.legalIdScheme)) warn("NL-R-005", { scheme: invoice.customer.legalIdScheme });
  }
  if (invoice.taxRepresentative?.country === "NL" && !fullAddress(invoice.taxRepresentative)) warn("NL-R-006", {});
  if (invoice.kind === InvoiceKind.INVOICE && (invoice.payableCents ?? 0n) > 0n && invoice.paymentMeansCodes.length === 0) warn("NL-R-007", {});
  for (const code of invoice.paymentMeansCodes) if (!PAYMENT_CODES.has(code)) warn("NL-R-008", { code });
  if (invoice.lines.some((l) => l.orderLineReference) && !invoice.orderReference) warn("NL-R-009", {});
}

/**
 * The findings that apply to an invoice read from a page's words: a missing number or date, and
 * arithmetic (net plus VAT against the total, VAT against its rate). The e-invoice rules on
 * structure (customer name, NLCIUS) do not apply to a paper invoice.
 */
export function checkReadArithmetic(invoice: ParsedInvoice): InvoiceWarning[] {
  const warnings: InvoiceWarning[] = [];
  const warn = (rule: string, values: Record<string, string>) => warnings.push({ rule, values });
  if (!invoice.number && invoice.kind !== InvoiceKind.RECEIPT) warn("BR-02", {});
  if (!invoice.issueDate) warn("BR-03", {});
  arithmetic(invoice, warn);
  return warnings;
}

/** Every finding on the invoice, in rule order of appearance. */
export function checkInvoice(invoice: ParsedInvoice): InvoiceWarning[] {
  const warnings: InvoiceWarning[] = [];
  const warn = (rule: string, values: Record<string, string>) => warnings.push({ rule, values });
  if (!invoice.number) warn("BR-02", {});
  if (!invoice.issueDate) warn("BR-03", {});
  if (!invoice.currency) warn("BR-05", {});
  if (!invoice.supplier.name) warn("BR-06", {});
  if (!invoice.customer.name) warn("BR-07", {});
  for (const where of invoice.roundedAmounts) warn("BR-DEC", { where });
  arithmetic(invoice, warn);
  dutchRules(invoice, warn);
  return warnings;
}

type Words = Record<MailLanguage, (v: Record<string, string>) => string>;

const WORDS: Record<string, Words> = {
  "BR-02": { EN: () => "The invoice has no number.", NL: () => "De factuur heeft geen nummer." },
  "BR-03": { EN: () => "The invoice has no issue date.", NL: () => "De factuur heeft geen factuurdatum." },
  "BR-05": { EN: () => "The invoice has no currency.", NL: () => "De factuur heeft geen valuta." },
  "BR-06": { EN: () => "The supplier has no name.", NL: () => "De leverancier heeft geen naam." },
  "BR-07": { EN: () => "The customer has no name.", NL: () => "De afnemer heeft geen naam." },
  "BR-DEC": { EN: (v) => `${v.where} has more than two decimals; it was rounded to cents.`, NL: (v) => `${v.where} heeft meer dan twee decimalen; afgerond op centen.` },
  "BR-CO-10": { EN: (v) => `The lines add up to ${v.lines}, the invoice says ${v.total}.`, NL: (v) => `De regels tellen op tot ${v.lines}, de factuur noemt ${v.total}.` },
  "BR-CO-13": {
    EN: (v) => `Lines minus allowances plus charges is ${v.expected}, the net total says ${v.net}.`,
    NL: (v) => `Regels min kortingen plus toeslagen is ${v.expected}, het totaal excl. btw noemt ${v.net}.`,
  },
  "BR-CO-14": {
    EN: (v) => `The VAT lines add up to ${v.breakdown}, the VAT total says ${v.total}.`,
    NL: (v) => `De btw-regels tellen op tot ${v.breakdown}, het btw-totaal noemt ${v.total}.`,
  },
  "BR-CO-15": { EN: (v) => `Net plus VAT is ${v.expected}, the total says ${v.gross}.`, NL: (v) => `Excl. btw plus btw is ${v.expected}, het totaal noemt ${v.gross}.` },
  "BR-CO-16": {
    EN: (v) => `Total minus prepaid plus rounding is ${v.expected}, the amount due says ${v.payable}.`,
    NL: (v) => `Totaal min vooruitbetaald plus afronding is ${v.expected}, het te betalen bedrag noemt ${v.payable}.`,
  },
  "BR-CO-17": {
    EN: (v) => `${v.rate}% of ${v.taxable} is ${v.expected}, the invoice charges ${v.vat} VAT.`,
    NL: (v) => `${v.rate}% van ${v.taxable} is ${v.expected}, de factuur rekent ${v.vat} btw.`,
  },
  "BR-S-08": {
    EN: (v) => `The lines at ${v.rate}% add up to ${v.lines}, the VAT line's taxable amount is ${v.taxable}.`,
    NL: (v) => `De regels tegen ${v.rate}% tellen op tot ${v.lines}, de grondslag van de btw-regel is ${v.taxable}.`,
  },
  "NL-R-001": { EN: () => "A Dutch credit note must name the invoice it corrects.", NL: () => "Een Nederlandse creditnota moet de factuur noemen die ze corrigeert." },
  "NL-R-002": { EN: () => "The supplier's address lacks street, city or postcode.", NL: () => "Het adres van de leverancier mist straat, plaats of postcode." },
  "NL-R-003": {
    EN: (v) => `The supplier's legal identifier must be a KvK or OIN number${v.scheme ? ` (scheme ${v.scheme} given)` : " (none given)"}.`,
    NL: (v) => `Het identificatienummer van de leverancier moet een KvK- of OIN-nummer zijn${v.scheme ? ` (schema ${v.scheme} opgegeven)` : " (ontbreekt)"}.`,
  },
  "NL-R-004": { EN: () => "The Dutch customer's address lacks street, city or postcode.", NL: () => "Het adres van de Nederlandse afnemer mist straat, plaats of postcode." },
  "NL-R-005": {
    EN: (v) => `The Dutch customer's legal identifier must be a KvK or OIN number (scheme ${v.scheme} given).`,
    NL: (v) => `Het identificatienummer van de Nederlandse afnemer moet een KvK- of OIN-nummer zijn (schema ${v.scheme} opgegeven).`,
  },
  "NL-R-006": {
    EN: () => "The Dutch fiscal representative's address lacks street, city or postcode.",
    NL: () => "Het adres van de Nederlandse fiscaal vertegenwoordiger mist straat, plaats of postcode.",
  },
  "NL-R-007": { EN: () => "A Dutch invoice must say how to pay it (payment means).", NL: () => "Een Nederlandse factuur moet vermelden hoe te betalen (betaalwijze)." },
  "NL-R-008": {
    EN: (v) => `Payment means code ${v.code} is not allowed in the Netherlands (30, 48, 49, 57, 58 or 59).`,
    NL: (v) => `Betaalwijzecode ${v.code} is in Nederland niet toegestaan (30, 48, 49, 57, 58 of 59).`,
  },
  "NL-R-009": { EN: () => "Lines refer to order lines, but the invoice names no order.", NL: () => "Regels verwijzen naar orderregels, maar de factuur noemt geen order." },
  DIRECTION: {
    EN: () => "Neither party is recognised as this administration (VAT number, KvK number or IBAN): taken as a purchase.",
    NL: () => "Geen van beide partijen is herkend als deze administratie (btw-nummer, KvK-nummer of IBAN): als inkoop genomen.",
  },
};

export function warningMessage(warning: InvoiceWarning, language: MailLanguage): string {
  return WORDS[warning.rule]?.[language](warning.values) ?? warning.rule;
}
