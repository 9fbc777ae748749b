// The words for each continuity problem, in Dutch and English: the API's `message`, the to-dos on
// the client's desk and the notifications all use these.
import type { MailLanguage } from "../../mail/layout.js";
import { type BankProblem, BankProblemKind } from "./continuity.js";

/** A problem as notification parameters keep it (JSON: cents as strings). */
export interface ProblemNote {
  kind: BankProblemKind;
  statementNumber: string | null;
  before: { date: string; cents: string } | null;
  after: { date: string; cents: string } | null;
}

export function problemNote(p: BankProblem): ProblemNote {
  const edge = (e: BankProblem["before"]) => (e ? { date: e.date, cents: String(e.cents) } : null);
  return { kind: p.kind, statementNumber: p.statementNumber, before: edge(p.before), after: edge(p.after) };
}

export function formatMoney(cents: bigint, currency: string, language: MailLanguage): string {
  // For display only: cents as a float loses nothing below 2^53.
  return new Intl.NumberFormat(language === "NL" ? "nl-NL" : "en-GB", { style: "currency", currency }).format(Number(cents) / 100);
}

function formatDay(date: string, language: MailLanguage): string {
  return new Intl.DateTimeFormat(language === "NL" ? "nl-NL" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

/** One sentence about the problem, for the account's owner or the firm. */
export function problemMessage(problem: BankProblem | ProblemNote, account: { account: string; currency: string }, language: MailLanguage): string {
  const nl = language === "NL";
  const statement = problem.statementNumber ? (nl ? `Afschrift ${problem.statementNumber}` : `Statement ${problem.statementNumber}`) : nl ? "Een afschrift" : "A statement";
  const of = `${nl ? "van" : "of"} ${account.account}`;
  const money = (cents: bigint | string) => formatMoney(BigInt(cents), account.currency, language);
  switch (problem.kind) {
    case BankProblemKind.MISSING_STATEMENT:
      return nl ? `${statement} ${of} ontbreekt.` : `${statement} ${of} is missing.`;
    case BankProblemKind.DUPLICATE_STATEMENT:
      return nl ? `${statement} ${of} is meer dan eens aangeleverd.` : `${statement} ${of} was handed in more than once.`;
    case BankProblemKind.SUM_MISMATCH:
      return nl
        ? `${statement} ${of} klopt niet: beginsaldo plus mutaties is niet het eindsaldo.`
        : `${statement} ${of} does not add up: the opening balance plus the entries is not the closing balance.`;
    case BankProblemKind.BALANCE_BREAK:
      return nl
        ? `${statement} ${of} begint met ${money(problem.after!.cents)}, maar het vorige afschrift sloot met ${money(problem.before!.cents)}.`
        : `${statement} ${of} opens with ${money(problem.after!.cents)}, but the previous one closed with ${money(problem.before!.cents)}.`;
    case BankProblemKind.DATE_GAP:
      return nl
        ? `Tussen ${formatDay(problem.before!.date, language)} en ${formatDay(problem.after!.date, language)} ontbreekt een afschrift ${of}: het saldo sluit niet aan.`
        : `A statement ${of} is missing between ${formatDay(problem.before!.date, language)} and ${formatDay(problem.after!.date, language)}: the balance does not join.`;
  }
}
