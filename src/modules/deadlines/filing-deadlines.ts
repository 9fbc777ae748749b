// Which returns are due when, and how far each is: per administration and period, from the
// administration's filing frequencies (from `filings_from` on) and the filings made. One SQL query
// makes the obligations for a calendar, for the firm-wide list and for the reminders; due dates come
// from due-dates.ts (the weekend and holiday shift is not SQL's to know).
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireActor, type Viewer } from "../../core/actor.js";
import { BadInputError } from "../../core/errors.js";
import { isCalendarDate } from "../../core/validation.js";
import { type Page, type PageArgs, pageEnds, pageShape } from "../../db/pagination.js";
import { Administration } from "../administrations/administration.entity.js";
import { scopeVisibleAdministrations } from "../administrations/administration.policy.js";
import { FilingKind, FilingStatus } from "../filings/filing.entity.js";
import { filingVisibleTo } from "../filings/filing.policy.js";
import type { FilingPeriod } from "../filings/filing-period.js";
import { addDays, dayIn, daysBetween, dueDate, lastTermEndDueBefore } from "./due-dates.js";

/** How far the return of one period is. */
export enum DeadlineState {
  NOT_PREPARED = "NOT_PREPARED",
  AWAITING_APPROVAL = "AWAITING_APPROVAL",
  REJECTED = "REJECTED",
  APPROVED = "APPROVED",
  SUBMITTED = "SUBMITTED",
  ACCEPTED = "ACCEPTED",
  FAILED = "FAILED",
}

/** States in which the obligation is met (or on its way: the gateway has it). */
const MET = new Set([DeadlineState.SUBMITTED, DeadlineState.ACCEPTED]);

export interface FilingDeadline {
  firmId: string;
  administrationId: string;
  administrationName: string;
  kind: FilingKind;
  period: FilingPeriod;
  /** YYYY-MM-DD: the day it must be in (the term's end, or the next working day). */
  dueDate: string;
  state: DeadlineState;
  /** The filing that state is of (null: none, or one the viewer may not see yet). */
  filingId: string | null;
}

export interface DeadlineSettings {
  timeZone: string;
}

interface ObligationRow {
  firm_id: string;
  administration_id: string;
  name: string;
  kind: FilingKind;
  year: number;
  month: number | null;
  quarter: number | null;
  period_start: string;
  term_end: string;
  sort_name: string;
  filing_id: string | null;
  filing_status: FilingStatus | null;
}

interface ObligationQuery {
  administrationIds: readonly string[];
  /** Periods starting from (inclusive) ... */
  periodFrom: string;
  /** ... to (inclusive), YYYY-MM-DD. */
  periodTo: string;
  /** Only obligations not met yet. */
  openOnly: boolean;
  /** Only terms ending on or before this day. */
  termEndTo: string | null;
  after: Cursor | null;
  before: Cursor | null;
  /** DESC reads the list from its end (backward paging). */
  direction: "ASC" | "DESC";
  limit: number | null;
}

/** Keyset position: the sort key of the last row seen. */
type Cursor = [termEnd: string, sortName: string, administrationId: string, kind: string, periodStart: string];

/**
 * The obligations: every period of each frequency (not NONE) from `filings_from`, plus every period
 * a filing exists for (a frequency changed, or filed before `filings_from`), each with the filing
 * that says how far it is: one handed to the gateway if any (the first such), else the latest
 * correction. Sorted by term end, administration name, administration, kind, period. Filings are
 * joined by hash on their period rather than looked up per period: a firm's obligations since
 * years are tens of thousands of rows (bench/filing-deadlines.bench.ts). `direction` DESC reads it
 * from the end (backward paging: the caller turns the page round).
 */
export const obligationsSql = (direction: "ASC" | "DESC") => `
  WITH states AS (
    SELECT DISTINCT ON (f.administration_id, f.kind, f.period_year, coalesce(f.period_month, 0), coalesce(f.period_quarter, 0))
           f.administration_id, f.kind, make_date(f.period_year, coalesce(f.period_month, f.period_quarter * 3 - 2), 1) AS period_start,
           f.period_month IS NOT NULL AS monthly, f.id, f.status
      FROM filings f
     WHERE f.administration_id = ANY($1::uuid[])
       AND make_date(f.period_year, coalesce(f.period_month, f.period_quarter * 3 - 2), 1) BETWEEN date_trunc('quarter', $2::date::timestamp)::date AND $3::date
     ORDER BY f.administration_id, f.kind, f.period_year, coalesce(f.period_month, 0), coalesce(f.period_quarter, 0),
              f.status IN ('SUBMITTED', 'ACCEPTED') DESC,
              CASE WHEN f.status IN ('SUBMITTED', 'ACCEPTED') THEN f.correction_number ELSE -f.correction_number END
  ), schedules AS (
    SELECT a.id AS administration_id, o.kind, o.frequency = 'MONTHLY' AS monthly,
           date_trunc(CASE o.frequency WHEN 'MONTHLY' THEN 'month' ELSE 'quarter' END, greatest(a.filings_from, $2::date)::timestamp)::date AS first_start
      FROM administrations a
     CROSS JOIN LATERAL (VALUES ('VAT_RETURN', a.vat_filing_frequency), ('ICP_DECLARATION', a.icp_filing_frequency)) AS o(kind, frequency)
     WHERE a.id = ANY($1::uuid[]) AND o.frequency <> 'NONE'
  ), periods AS (
    SELECT s.administration_id, s.kind, p.start::date AS period_start, s.monthly
      FROM schedules s
     CROSS JOIN LATERAL generate_series(s.first_start::timestamp, $3::date::timestamp, CASE WHEN s.monthly THEN interval '1 month' ELSE interval '3 months' END) AS p(start)
    UNION ALL
    -- Periods with a filing that no schedule makes.
    SELECT st.administration_id, st.kind, st.period_start, st.monthly
      FROM states st
     WHERE NOT EXISTS (SELECT 1 FROM schedules s WHERE s.administration_id = st.administration_id AND s.kind = st.kind AND s.monthly = st.monthly AND st.period_start >= s.first_start)
  ), obligations AS (
    SELECT p.administration_id, p.kind, p.period_start, p.monthly,
           (p.period_start + CASE WHEN p.monthly THEN interval '2 months' ELSE interval '4 months' END - interval '1 day')::date AS term_end,
           extract(year FROM p.period_start)::int AS year,
           CASE WHEN p.monthly THEN extract(month FROM p.period_start)::int END AS month,
           CASE WHEN NOT p.monthly THEN extract(quarter FROM p.period_start)::int END AS quarter
      FROM periods p
  )
  SELECT a.firm_id, o.administration_id, a.name, lower(a.name) AS sort_name, o.kind, o.year, o.month, o.quarter,
         o.period_start::text AS period_start, o.term_end::text AS term_end, f.id AS filing_id, f.status AS filing_status
    FROM obligations o
    JOIN administrations a ON a.id = o.administration_id
    LEFT JOIN states f ON f.administration_id = o.administration_id AND f.kind = o.kind AND f.period_start = o.period_start AND f.monthly = o.monthly
   WHERE ($4::boolean IS FALSE OR f.status IS NULL OR f.status NOT IN ('SUBMITTED', 'ACCEPTED'))
     AND ($5::date IS NULL OR o.term_end <= $5::date)
     AND ($6::date IS NULL OR (o.term_end, lower(a.name), o.administration_id, o.kind, o.period_start) > ($6::date, $7::text, $8::uuid, $9::text, $10::date))
     AND ($11::date IS NULL OR (o.term_end, lower(a.name), o.administration_id, o.kind, o.period_start) < ($11::date, $12::text, $13::uuid, $14::text, $15::date))
   ORDER BY o.term_end ${direction}, lower(a.name) ${direction}, o.administration_id ${direction}, o.kind ${direction}, o.period_start ${direction}
   LIMIT $16`;

export const OBLIGATIONS = obligationsSql("ASC");
/** Both readings, built once (the text is the same for every request). */
const OBLIGATIONS_READ = { ASC: OBLIGATIONS, DESC: obligationsSql("DESC") } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(row: ObligationRow): string {
  const cursor: Cursor = [row.term_end, row.sort_name, row.administration_id, row.kind, row.period_start];
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(text: string, argument: "after" | "before"): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 5 &&
      value.every((part) => typeof part === "string") &&
      isCalendarDate(value[0] as string) &&
      (value[1] as string).length <= 400 &&
      UUID.test(value[2] as string) &&
      Object.values(FilingKind).includes(value[3] as FilingKind) &&
      isCalendarDate(value[4] as string)
    ) {
      return value as Cursor;
    }
  } catch {
    // fall through
  }
  throw new BadInputError(`\`${argument}\` is not a cursor returned by this list`);
}

/** The query's parameters, in the order of OBLIGATIONS' placeholders. */
function obligationParameters(q: ObligationQuery): unknown[] {
  const none = [null, null, null, null, null];
  return [q.administrationIds, q.periodFrom, q.periodTo, q.openOnly, q.termEndTo, ...(q.after ?? none), ...(q.before ?? none), q.limit];
}

/** The state of an obligation as `actor` may know it: a client sees a draft as not prepared (and not the draft). */
function stateOf(row: ObligationRow, actor: Actor | null): { state: DeadlineState; filingId: string | null } {
  if (!row.filing_id || !row.filing_status || row.filing_status === FilingStatus.DRAFT) {
    const seen = row.filing_status === FilingStatus.DRAFT && (actor === null || filingVisibleTo(actor, { status: FilingStatus.DRAFT }));
    return { state: DeadlineState.NOT_PREPARED, filingId: seen ? row.filing_id : null };
  }
  return { state: row.filing_status as unknown as DeadlineState, filingId: row.filing_id };
}

export class FilingDeadlines {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxPageSize: number,
    private readonly settings: DeadlineSettings,
  ) {}

  /** Today in SCHEDULE_TIME_ZONE (deadlines are calendar days). */
  today(now = new Date()): string {
    return dayIn(this.settings.timeZone, now);
  }

  /** Days until the due date from `today` (negative: overdue by that many) and whether it is overdue. */
  standing(deadline: FilingDeadline, today: string): { daysLeft: number; overdue: boolean } {
    const daysLeft = daysBetween(today, deadline.dueDate);
    return { daysLeft, overdue: daysLeft < 0 && !MET.has(deadline.state) };
  }

  checkYear(year: number): void {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new BadInputError("`year` must be between 2000 and 2100");
  }

  /**
   * Every return of each administration for periods of `year`, by due date, in one statement. The
   * administrations are ones the viewer sees (callers reach them through the policy).
   */
  async calendars(viewer: Viewer, administrationIds: readonly string[], year: number): Promise<Map<string, FilingDeadline[]>> {
    const actor = requireActor(viewer);
    this.checkYear(year);
    const rows = await this.obligations(this.dataSource.manager, {
      administrationIds,
      periodFrom: `${year}-01-01`,
      periodTo: `${year}-12-31`,
      openOnly: false,
      termEndTo: null,
      after: null,
      before: null,
      direction: "ASC",
      limit: null,
    });
    const byAdministration = new Map<string, FilingDeadline[]>(administrationIds.map((id) => [id, []]));
    for (const row of rows) byAdministration.get(row.administration_id)?.push(this.deadline(row, actor));
    return byAdministration;
  }

  /**
   * Returns of every administration the viewer sees that are not with the tax authority yet and
   * due before `before` (YYYY-MM-DD), overdue ones included: soonest first.
   */
  async due(viewer: Viewer, dueBefore: string, page: PageArgs, argument = "dueBefore"): Promise<Page<FilingDeadline>> {
    const actor = requireActor(viewer);
    if (!isCalendarDate(dueBefore) || dueBefore < "2000-01-01" || dueBefore > "2101-01-01")
      throw new BadInputError(`\`${argument}\` must be a date (YYYY-MM-DD) between 2000 and 2100`);
    const { size, backward } = pageShape(page, this.maxPageSize);
    const query: ObligationQuery = {
      administrationIds: await this.visibleAdministrationIds(actor),
      periodFrom: "2000-01-01",
      periodTo: dueBefore,
      openOnly: true,
      termEndTo: lastTermEndDueBefore(dueBefore),
      after: page.after ? decodeCursor(page.after, "after") : null,
      before: page.before ? decodeCursor(page.before, "before") : null,
      direction: backward ? "DESC" : "ASC",
      limit: size + 1,
    };
    const rows = query.administrationIds.length ? await this.obligations(this.dataSource.manager, query) : [];
    const items = rows.slice(0, size);
    if (backward) items.reverse();
    return {
      items: items.map((row) => this.deadline(row, actor)),
      cursors: items.map(encodeCursor),
      ...pageEnds(page, backward, rows.length > size),
      totalCount: async () => (query.administrationIds.length ? this.countObligations({ ...query, after: null, before: null, limit: null }) : 0),
    };
  }

  /**
   * Open obligations of every administration due from `from` to `to` (inclusive): for the reminders,
   * which run as the system and read them inside their transaction.
   */
  async openBetween(manager: EntityManager, from: string, to: string): Promise<FilingDeadline[]> {
    const ids = ((await manager.query("SELECT id FROM administrations")) as Array<{ id: string }>).map((r) => r.id);
    if (ids.length === 0) return [];
    // A term ends at most four months after its period starts; the due date at most a few days after the term.
    const rows = await this.obligations(manager, {
      administrationIds: ids,
      periodFrom: addDays(from, -130),
      periodTo: to,
      openOnly: true,
      termEndTo: lastTermEndDueBefore(addDays(to, 1)),
      after: null,
      before: null,
      direction: "ASC",
      limit: null,
    });
    return rows.map((row) => this.deadline(row, null)).filter((d) => d.dueDate >= from);
  }

  private async visibleAdministrationIds(actor: Actor): Promise<string[]> {
    const qb = this.dataSource.getRepository(Administration).createQueryBuilder("a").select("a.id", "id");
    return ((await scopeVisibleAdministrations(qb, "a", actor).getRawMany()) as Array<{ id: string }>).map((r) => r.id);
  }

  private async obligations(manager: EntityManager, q: ObligationQuery): Promise<ObligationRow[]> {
    return (await manager.query(OBLIGATIONS_READ[q.direction], obligationParameters(q))) as ObligationRow[];
  }

  private async countObligations(q: ObligationQuery): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${OBLIGATIONS}) counted`, obligationParameters(q))) as Array<{ n: number }>;
    return row!.n;
  }

  private deadline(row: ObligationRow, actor: Actor | null): FilingDeadline {
    const period: FilingPeriod = { year: row.year, month: row.month, quarter: row.quarter };
    return {
      firmId: row.firm_id,
      administrationId: row.administration_id,
      administrationName: row.name,
      kind: row.kind,
      period,
      dueDate: dueDate(period),
      ...stateOf(row, actor),
    };
  }
}
