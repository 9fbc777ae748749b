// Dutch retention (fiscale bewaarplicht): books and source documents are kept 7 years from the end
// of the financial year they belong to; documents about real estate 10 years.
export const RETENTION_YEARS = 7;
export const REAL_ESTATE_RETENTION_YEARS = 10;

/** ISO date (YYYY-MM-DD) until which a document dated `documentDate` must be kept. */
export function retainUntil(documentDate: string, financialYearEnd: { month: number; day: number }, realEstate: boolean): string {
  const [year, month, day] = documentDate.split("-").map(Number) as [number, number, number];
  // The financial year containing the date ends on its year-end day on or after the date.
  const endsThisYear = month < financialYearEnd.month || (month === financialYearEnd.month && day <= financialYearEnd.day);
  const endYear = endsThisYear ? year : year + 1;
  const keepYear = endYear + (realEstate ? REAL_ESTATE_RETENTION_YEARS : RETENTION_YEARS);
  // Clamp the day for short months (a year end of 31 in a 30-day month, 29 February).
  const lastDay = new Date(Date.UTC(keepYear, financialYearEnd.month, 0)).getUTCDate();
  const keepDay = Math.min(financialYearEnd.day, lastDay);
  return `${keepYear}-${String(financialYearEnd.month).padStart(2, "0")}-${String(keepDay).padStart(2, "0")}`;
}

export function isRetained(retainUntilDate: string | null, today = new Date()): boolean {
  return retainUntilDate !== null && retainUntilDate >= today.toISOString().slice(0, 10);
}
