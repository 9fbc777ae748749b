// A field's value as a person types it, checked and put the way fields keep it: dates ISO, amounts
// "1234.56", btw-id and IBAN with valid check digits and without spaces, KvK eight digits.
import { UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { centsText, findAmounts, findDates, findIbans, findVatNumbers } from "./dutch-formats.js";
import type { InvoiceFieldName } from "./text-invoice.js";

export const AMOUNT_FIELDS: readonly InvoiceFieldName[] = ["netTotal", "vatTotal", "grossTotal", "vat21", "vat9", "taxable0"];

const whole = <T>(found: Array<{ value: T; index: number; length: number }>, text: string): T | null =>
  found.length === 1 && found[0]!.index === 0 && found[0]!.length === text.length ? found[0]!.value : null;

/** The value as the field keeps it; UserError (INVALID, on `input.value`) when it is not one. */
export function normalisedFieldValue(name: InvoiceFieldName, typed: string): string {
  const text = typed.trim();
  // `what` follows "is not" and "is geen": { en: "a date", nl: "datum" }.
  const invalid = (what: Localized) => new UserError(UserErrorCode.INVALID, { en: `"${typed}" is not ${what.en}`, nl: `"${typed}" is geen ${what.nl}` }, ["value"]);
  if (!text) throw invalid({ en: "a value", nl: "waarde" });
  if (name === "issueDate" || name === "dueDate") {
    const date = whole(findDates(text), text);
    if (!date) throw invalid({ en: "a date (e.g. 2026-12-01 or 1-12-2026)", nl: "datum (bijvoorbeeld 2026-12-01 of 1-12-2026)" });
    return date;
  }
  if (AMOUNT_FIELDS.includes(name)) {
    const cents = whole(findAmounts(text), text) ?? (/^-?\d+$/.test(text) ? BigInt(text) * 100n : null);
    if (cents === null) throw invalid({ en: "an amount (e.g. 1234.56 or 1.234,56)", nl: "bedrag (bijvoorbeeld 1234.56 of 1.234,56)" });
    return centsText(cents);
  }
  const compact = text.replace(/[\s.]/g, "").toUpperCase();
  switch (name) {
    case "supplierVatNumber":
      if (whole(findVatNumbers(compact), compact) === null)
        throw invalid({ en: "a valid VAT number (its check digits do not match)", nl: "geldig btw-nummer (het controlegetal klopt niet)" });
      return compact;
    case "supplierIban":
      if (whole(findIbans(compact), compact) === null) throw invalid({ en: "a valid IBAN (its check digits do not match)", nl: "geldige IBAN (het controlegetal klopt niet)" });
      return compact;
    case "supplierKvkNumber":
      if (!/^\d{8}$/.test(compact)) throw invalid({ en: "a KvK number (eight digits)", nl: "KvK-nummer (acht cijfers)" });
      return compact;
    case "currency":
      if (!/^[A-Z]{3}$/.test(compact)) throw invalid({ en: "a currency code (e.g. EUR)", nl: "valutacode (bijvoorbeeld EUR)" });
      return compact;
    case "paymentReference":
      // A betalingskenmerk is printed in groups of four; it is quoted without the spaces.
      if (/^[\d ]+$/.test(text) && text.length <= 140) return text.replace(/ /g, "");
      if (text.length > 140) throw new UserError(UserErrorCode.INVALID, { en: "At most 140 characters", nl: "Maximaal 140 tekens" }, ["value"]);
      return text;
    default:
      if (text.length > 140) throw new UserError(UserErrorCode.INVALID, { en: "At most 140 characters", nl: "Maximaal 140 tekens" }, ["value"]);
      return text;
  }
}
