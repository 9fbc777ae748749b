// When a VAT return or ICP declaration is due. The law: the return for a month or quarter must be
// filed (and the VAT paid) within one month after the period ends (Algemene wet inzake rijksbelastingen
// art. 10 and 19; Wet op de omzetbelasting 1968 art. 14; the ICP declaration: Wet OB art. 37a), so by the
// last day of the following month. A term set by law that ends on a Saturday, Sunday or general
// holiday runs to the next day that is none of these (Algemene termijnenwet art. 1 and 3).
// Dates are "YYYY-MM-DD" strings, computed on UTC midnights so that no time zone shifts a day.
import type { FilingPeriod } from "../filings/filing-period.js";

const DAY_MS = 86_400_000;

const toDate = (date: string): Date => new Date(`${date}T00:00:00Z`);
const toText = (date: Date): string => date.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return toText(new Date(toDate(date).getTime() + days * DAY_MS));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / DAY_MS);
}

/** The calendar day it is at `now` in `timeZone`. */
export function dayIn(timeZone: string, now: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const holidayCache = new Map<number, ReadonlySet<string>>();

/**
 * The general holidays of the Algemene termijnenwet (art. 3 lid 1): New Year's Day, Easter Monday,
 * Ascension Day, Whit Monday, both Christmas days, the King's birthday as celebrated (27 April, or
 * the 26th when the 27th is a Sunday) and 5 May. Days the government equates with them for one year
 * (art. 3 lid 2) are not known here.
 */
export function generalHolidays(year: number): ReadonlySet<string> {
  let days = holidayCache.get(year);
  if (!days) {
    const easter = easterSunday(year);
    const kingsDay = toDate(`${year}-04-27`).getUTCDay() === 0 ? `${year}-04-26` : `${year}-04-27`;
    days = new Set([`${year}-01-01`, addDays(easter, 1), addDays(easter, 39), addDays(easter, 50), kingsDay, `${year}-05-05`, `${year}-12-25`, `${year}-12-26`]);
    holidayCache.set(year, days);
  }
  return days;
}

export function isWorkingDay(date: string): boolean {
  const weekday = toDate(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !generalHolidays(Number(date.slice(0, 4))).has(date);
}

/** `date` itself when it is a working day, else the next one. */
export function workingDayFrom(date: string): string {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The last day of the month after the period: the term as the law sets it, before any weekend shift. */
export function termEnd(period: FilingPeriod): string {
  const lastMonth = period.month ?? period.quarter! * 3;
  // Day 0 of the month two on is the last day of the month after lastMonth.
  return toText(new Date(Date.UTC(period.year, lastMonth + 1, 0)));
}

/** The day the return must be in: the term's end, or the next working day. */
export function dueDate(period: FilingPeriod): string {
  return workingDayFrom(termEnd(period));
}

/**
 * The latest term end (always a month's last day) whose due date falls before `before`: every
 * obligation due before that day has a term ending on or before it (the shift never passes another term's end).
 */
export function lastTermEndDueBefore(before: string): string {
  let monthEnd = toText(new Date(Date.UTC(Number(before.slice(0, 4)), Number(before.slice(5, 7)), 0)));
  while (workingDayFrom(monthEnd) >= before) monthEnd = addDays(monthEnd.slice(0, 8) + "01", -1);
  return monthEnd;
}
