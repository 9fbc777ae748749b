// A filing's period: a month or a quarter of a year (the Dutch VAT return is monthly or quarterly).
import { UserError, UserErrorCode } from "../../core/errors.js";

export interface FilingPeriod {
  year: number;
  month: number | null;
  quarter: number | null;
}

/** The period from input, or a UserError naming the field that is wrong. */
export function checkPeriod(input: { year: number; month?: number | null; quarter?: number | null }): FilingPeriod {
  const { year } = input;
  const month = input.month ?? null;
  const quarter = input.quarter ?? null;
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new UserError(UserErrorCode.INVALID, { en: "The year must be between 2000 and 2100", nl: "Het jaar moet tussen 2000 en 2100 liggen" }, ["period", "year"]);
  if ((month === null) === (quarter === null))
    throw new UserError(UserErrorCode.INVALID, { en: "Give either a month or a quarter", nl: "Geef óf een maand óf een kwartaal" }, ["period"]);
  if (month !== null && (!Number.isInteger(month) || month < 1 || month > 12))
    throw new UserError(UserErrorCode.INVALID, { en: "The month must be 1 to 12", nl: "De maand moet 1 tot en met 12 zijn" }, ["period", "month"]);
  if (quarter !== null && (!Number.isInteger(quarter) || quarter < 1 || quarter > 4))
    throw new UserError(UserErrorCode.INVALID, { en: "The quarter must be 1 to 4", nl: "Het kwartaal moet 1 tot en met 4 zijn" }, ["period", "quarter"]);
  return { year, month, quarter };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** First and last day, as YYYY-MM-DD. */
export function periodBounds(period: FilingPeriod): { start: string; end: string } {
  const firstMonth = period.month ?? (period.quarter! - 1) * 3 + 1;
  const lastMonth = period.month ?? period.quarter! * 3;
  const lastDay = new Date(Date.UTC(period.year, lastMonth, 0)).getUTCDate();
  return { start: `${period.year}-${pad(firstMonth)}-01`, end: `${period.year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** "2026-Q1" or "2026-03": short, sortable, the same in every language. */
export function periodLabel(period: FilingPeriod): string {
  return period.month ? `${period.year}-${pad(period.month)}` : `${period.year}-Q${period.quarter}`;
}

export function periodOf(filing: { periodYear: number; periodMonth: number | null; periodQuarter: number | null }): FilingPeriod {
  return { year: filing.periodYear, month: filing.periodMonth, quarter: filing.periodQuarter };
}
