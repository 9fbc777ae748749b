// Small input checks shared by services; each returns a UserError naming the field, or null.
import { UserError, UserErrorCode } from "./errors.js";
import { compactTaxNumber, validDutchVat, validOmzetbelastingnummer } from "./tax-numbers.js";

export function requiredText(value: string | null | undefined, field: string[], label: string, max: number): UserError | null {
  const trimmed = (value ?? "").trim();
  if (!trimmed) return new UserError(UserErrorCode.INVALID, `${label} is required`, field);
  if (trimmed.length > max) return new UserError(UserErrorCode.INVALID, `${label} is longer than ${max} characters`, field);
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return new UserError(UserErrorCode.INVALID, `${label} contains control characters`, field);
  return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function emailProblem(value: string, field: string[]): UserError | null {
  const email = normaliseEmail(value);
  if (!EMAIL.test(email) || email.length > 320) return new UserError(UserErrorCode.INVALID, `"${value}" is not an email address`, field);
  return null;
}

/**
 * A VAT identification number: a Dutch btw-id must have valid check digits (tax-numbers.ts); other EU
 * ones are checked by shape only here (an administration's own number is Dutch).
 */
export function vatNumberProblem(value: string, field: string[]): UserError | null {
  const v = normaliseVatNumber(value);
  if (v.startsWith("NL")) {
    if (!/^NL\d{9}B\d{2}$/.test(v)) return new UserError(UserErrorCode.INVALID, `"${value}" is not a Dutch VAT number (NL, 9 digits, B, 2 digits: NL123456782B01)`, field);
    return validDutchVat(v) ? null : new UserError(UserErrorCode.INVALID, `"${value}" is not a valid Dutch VAT number: its check digits do not match`, field);
  }
  return /^[A-Z]{2}[0-9A-Z+*]{2,13}$/.test(v) ? null : new UserError(UserErrorCode.INVALID, `"${value}" is not a valid VAT number (e.g. NL123456782B01)`, field);
}

export function normaliseVatNumber(value: string): string {
  return compactTaxNumber(value);
}

/** The omzetbelastingnummer the Belastingdienst files VAT returns under: 9 digits (elfproef), B, 2 digits. */
export function omzetbelastingnummerProblem(value: string, field: string[]): UserError | null {
  const v = compactTaxNumber(value);
  if (!/^\d{9}B\d{2}$/.test(v)) return new UserError(UserErrorCode.INVALID, `"${value}" is not an omzetbelastingnummer (9 digits, B, 2 digits: 123456782B01, without NL)`, field);
  return validOmzetbelastingnummer(v) ? null : new UserError(UserErrorCode.INVALID, `"${value}" is not a valid omzetbelastingnummer: its check digits do not match`, field);
}

/** Chamber of Commerce (KvK) number: 8 digits. */
export function chamberOfCommerceProblem(value: string, field: string[]): UserError | null {
  return /^\d{8}$/.test(value.trim()) ? null : new UserError(UserErrorCode.INVALID, `"${value}" is not a Chamber of Commerce number (8 digits)`, field);
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
  if (!isCalendarDate(value)) return new UserError(UserErrorCode.INVALID, `"${value}" is not a date (YYYY-MM-DD)`, field);
  const year = Number(value.slice(0, 4));
  return year < 2000 || year > 2100 ? new UserError(UserErrorCode.INVALID, "The date must be in the years 2000 to 2100", field) : null;
}
