// Small input checks shared by services; each returns a UserError naming the field, or null.
import { UserError, UserErrorCode } from "./errors.js";
import type { Localized } from "./language.js";
import { compactTaxNumber, validDutchVat, validOmzetbelastingnummer } from "./tax-numbers.js";

/** `label` names the field in a sentence: { en: "Name", nl: "De naam" }. */
export function requiredText(value: string | null | undefined, field: string[], label: Localized, max: number): UserError | null {
  const trimmed = (value ?? "").trim();
  if (!trimmed) return new UserError(UserErrorCode.INVALID, { en: `${label.en} is required`, nl: `${label.nl} is verplicht` }, field);
  if (trimmed.length > max)
    return new UserError(UserErrorCode.INVALID, { en: `${label.en} is longer than ${max} characters`, nl: `${label.nl} is langer dan ${max} tekens` }, field);
  if (/[\u0000-\u001f\u007f]/.test(trimmed))
    return new UserError(UserErrorCode.INVALID, { en: `${label.en} contains control characters`, nl: `${label.nl} bevat stuurtekens` }, field);
  return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function emailProblem(value: string, field: string[]): UserError | null {
  const email = normaliseEmail(value);
  if (!EMAIL.test(email) || email.length > 320)
    return new UserError(UserErrorCode.INVALID, { en: `"${value}" is not an email address`, nl: `"${value}" is geen e-mailadres` }, field);
  return null;
}

/**
 * A VAT identification number: a Dutch btw-id must have valid check digits (tax-numbers.ts); other EU
 * ones are checked by shape only here (an administration's own number is Dutch).
 */
export function vatNumberProblem(value: string, field: string[]): UserError | null {
  const v = normaliseVatNumber(value);
  if (v.startsWith("NL")) {
    if (!/^NL\d{9}B\d{2}$/.test(v))
      return new UserError(
        UserErrorCode.INVALID,
        {
          en: `"${value}" is not a Dutch VAT number (NL, 9 digits, B, 2 digits: NL123456782B01)`,
          nl: `"${value}" is geen Nederlands btw-id (NL, 9 cijfers, B, 2 cijfers: NL123456782B01)`,
        },
        field,
      );
    return validDutchVat(v)
      ? null
      : new UserError(
          UserErrorCode.INVALID,
          { en: `"${value}" is not a valid Dutch VAT number: its check digits do not match`, nl: `"${value}" is geen geldig btw-id: het controlegetal klopt niet` },
          field,
        );
  }
  return /^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(v)
    ? null
    : new UserError(
        UserErrorCode.INVALID,
        { en: `"${value}" is not a valid VAT number (e.g. NL123456782B01)`, nl: `"${value}" is geen geldig btw-nummer (bijvoorbeeld NL123456782B01)` },
        field,
      );
}

export function normaliseVatNumber(value: string): string {
  return compactTaxNumber(value);
}

/** The omzetbelastingnummer the Belastingdienst files VAT returns under: 9 digits (elfproef), B, 2 digits. */
export function omzetbelastingnummerProblem(value: string, field: string[]): UserError | null {
  const v = compactTaxNumber(value);
  if (!/^\d{9}B\d{2}$/.test(v))
    return new UserError(
      UserErrorCode.INVALID,
      {
        en: `"${value}" is not an omzetbelastingnummer (9 digits, B, 2 digits: 123456782B01, without NL)`,
        nl: `"${value}" is geen omzetbelastingnummer (9 cijfers, B, 2 cijfers: 123456782B01, zonder NL)`,
      },
      field,
    );
  return validOmzetbelastingnummer(v)
    ? null
    : new UserError(
        UserErrorCode.INVALID,
        { en: `"${value}" is not a valid omzetbelastingnummer: its check digits do not match`, nl: `"${value}" is geen geldig omzetbelastingnummer: het controlegetal klopt niet` },
        field,
      );
}

/** Chamber of Commerce (KvK) number: 8 digits. */
export function chamberOfCommerceProblem(value: string, field: string[]): UserError | null {
  return /^\d{8}$/.test(value.trim())
    ? null
    : new UserError(UserErrorCode.INVALID, { en: `"${value}" is not a Chamber of Commerce number (8 digits)`, nl: `"${value}" is geen KvK-nummer (8 cijfers)` }, field);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether `value` is a real calendar day as YYYY-MM-DD from year 1000 to 9999: "2025-02-30" and
 * "0000-01-01" are not (Date.parse accepts both, and PostgreSQL refuses the first).
 */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A UserError unless `value` is a calendar day (YYYY-MM-DD) of the years 2000 to 2100, the range filings use. */
export function calendarDateProblem(value: string, field: string[]): UserError | null {
  if (!isCalendarDate(value)) return new UserError(UserErrorCode.INVALID, { en: `"${value}" is not a date (YYYY-MM-DD)`, nl: `"${value}" is geen datum (JJJJ-MM-DD)` }, field);
  const year = Number(value.slice(0, 4));
  return year < 2000 || year > 2100
    ? new UserError(UserErrorCode.INVALID, { en: "The date must be in the years 2000 to 2100", nl: "De datum moet in de jaren 2000 tot en met 2100 liggen" }, field)
    : null;
}
