// The continuity guard of one bank account: from every statement it has (in whatever order they
// arrived), what is missing or does not add up. A pure function of the statements, so a problem
// disappears by itself once the statement that fills the gap comes in.

export enum BankProblemKind {
  /** A statement number between two present ones is absent. */
  MISSING_STATEMENT = "MISSING_STATEMENT",
  /** A statement opens with another balance than the previous one closed with. */
  BALANCE_BREAK = "BALANCE_BREAK",
  /** Opening balance plus the entries is not the closing balance. */
  SUM_MISMATCH = "SUM_MISMATCH",
  /** The same statement arrived more than once (in different files). */
  DUPLICATE_STATEMENT = "DUPLICATE_STATEMENT",
  /** Statements without numbers: the balance does not join across days no statement covers. */
  DATE_GAP = "DATE_GAP",
}

export interface StatementSummary {
  id: string;
  number: string | null;
  sequence: number;
  openingDate: string;
  closingDate: string;
  openingCents: bigint;
  closingCents: bigint;
  entriesCents: bigint;
  /** When it arrived: of two copies, the first is the one counted. */
  receivedAt: Date;
}

export interface BankProblem {
  kind: BankProblemKind;
  /** The statement the problem is about (for MISSING_STATEMENT: the absent number); null when statements are unnumbered. */
  statementNumber: string | null;
  /** The statement it was found on (null for a missing one). */
  statementId: string | null;
  /** For gaps and breaks: the closing day and balance before, and the opening day and balance after. */
  before: { date: string; cents: bigint } | null;
  after: { date: string; cents: bigint } | null;
}

const numeric = (s: StatementSummary) => (s.number !== null && /^\d+$/.test(s.number) ? Number(s.number) : null);
const dayAfter = (date: string) => new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10);

function identity(s: StatementSummary): string {
  return s.number !== null ? `n:${s.number}/${s.sequence}` : `d:${s.openingDate}/${s.closingDate}/${s.openingCents}/${s.closingCents}`;
}

/** The problems of one account's statements, in statement order. */
export function continuityProblems(statements: readonly StatementSummary[]): BankProblem[] {
  const problems: BankProblem[] = [];
  const byIdentity = new Map<string, StatementSummary>();
  for (const s of [...statements].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id.localeCompare(b.id))) {
    const first = byIdentity.get(identity(s));
    if (first) problems.push({ kind: BankProblemKind.DUPLICATE_STATEMENT, statementNumber: s.number, statementId: s.id, before: null, after: null });
    else byIdentity.set(identity(s), s);
  }
  const ordered = [...byIdentity.values()].sort(
    (a, b) => a.closingDate.localeCompare(b.closingDate) || (numeric(a) ?? 0) - (numeric(b) ?? 0) || a.sequence - b.sequence || a.openingDate.localeCompare(b.openingDate),
  );
  ordered.forEach((s, index) => {
    if (s.openingCents + s.entriesCents !== s.closingCents) {
      problems.push({ kind: BankProblemKind.SUM_MISMATCH, statementNumber: s.number, statementId: s.id, before: null, after: null });
    }
    const previous = ordered[index - 1];
    if (!previous) return;
    const edge = { before: { date: previous.closingDate, cents: previous.closingCents }, after: { date: s.openingDate, cents: s.openingCents } };
    const [prevNumber, number] = [numeric(previous), numeric(s)];
    if (prevNumber !== null && number !== null) {
      // Banks restart numbering each year: a new year may begin again at 1.
      const newYear = s.closingDate.slice(0, 4) > previous.closingDate.slice(0, 4) && number <= prevNumber;
      const first = newYear ? 1 : number === prevNumber ? number : prevNumber + 1;
      for (let missing = first; missing < number; missing += 1) {
        problems.push({ kind: BankProblemKind.MISSING_STATEMENT, statementNumber: String(missing), statementId: null, ...edge });
      }
      // Across a gap the balances cannot be compared: the missing statement explains the difference.
      if (first < number) return;
    }
    if (s.openingCents === previous.closingCents) return;
    const unnumbered = prevNumber === null || number === null;
    const gap = unnumbered && s.openingDate > dayAfter(previous.closingDate);
    problems.push({ kind: gap ? BankProblemKind.DATE_GAP : BankProblemKind.BALANCE_BREAK, statementNumber: s.number, statementId: s.id, ...edge });
  });
  return problems;
}
