// Calendar months as "YYYY-MM", counted as an index (year * 12 + month - 1) for arithmetic.
import { UserError, UserErrorCode } from "../../core/errors.js";

const MONTH = /^(\d{4})-(\d{2})$/;

/** The month index of "2026-03", or a UserError on `field`. */
export function monthIndex(text: string, field: string[]): number {
  const match = MONTH.exec(text);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || year < 2000 || year > 2100 || month < 1 || month > 12)
    throw new UserError(UserErrorCode.INVALID, { en: `"${text}" is not a month (YYYY-MM)`, nl: `"${text}" is geen maand (JJJJ-MM)` }, field);
  return year * 12 + month - 1;
}

export function monthLabel(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** "2026-03-01": the month's first day, as stored. */
export function monthDate(index: number): string {
  return `${monthLabel(index)}-01`;
}

export enum Granularity {
  MONTH = "MONTH",
  QUARTER = "QUARTER",
  YEAR = "YEAR",
}

/** The calendar bucket a month falls in: its label and the bucket's own months. */
export function bucketOf(index: number, granularity: Granularity): { label: string; first: number; last: number } {
  const year = Math.floor(index / 12);
  if (granularity === Granularity.MONTH) return { label: monthLabel(index), first: index, last: index };
  if (granularity === Granularity.YEAR) return { label: String(year), first: year * 12, last: year * 12 + 11 };
  const quarter = Math.floor((index % 12) / 3);
  return { label: `${year}-Q${quarter + 1}`, first: year * 12 + quarter * 3, last: year * 12 + quarter * 3 + 2 };
}
