// Financial figures: the firm's books (or an integration) push monthly revenue and costs; the
// series per month, quarter or year comes with the same period a year before and totals. A month
// nobody pushed is reported as missing, never as zero. Amounts are exact cents (BigInt).
import type { EventBus } from "../../events/bus.js";
import type { DataSource, EntityManager } from "typeorm";
import { assertFirmWork, requireActor, type Viewer } from "../../core/actor.js";
import { BadInputError, NotFoundError, throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import { formatCents, parseCents } from "../../core/money.js";
import { inTransaction } from "../../db/transaction.js";
import { findVisibleAdministration, portalClientIds } from "../administrations/administration.policy.js";
import type { Administration } from "../administrations/administration.entity.js";
import type { AuditService } from "../audit/audit.service.js";
import { NotificationKind } from "../notifications/notification-kinds.js";
import type { NotificationService } from "../notifications/notification.service.js";
import { mayReadFigures } from "./figures.policy.js";
import { bucketOf, Granularity, monthDate, monthIndex, monthLabel } from "./months.js";

export interface MonthInput {
  month: string;
  revenue: string;
  costs: string;
}

/** Amounts over the recorded months of a period; null when none of its months was recorded. */
export interface Amounts {
  revenue: string | null;
  costs: string | null;
  result: string | null;
  /** Months of the period nobody recorded ("2026-02"). */
  missingMonths: string[];
}

export interface FiguresPeriod extends Amounts {
  label: string;
  /** First and last month of the period that lie in the range asked for. */
  from: string;
  to: string;
  previousYear: Amounts;
}

export interface FiguresSeries {
  periods: FiguresPeriod[];
  totals: Amounts & { previousYear: Amounts };
}

const MAX_MONTHS_PER_PUSH = 120;
const MAX_RANGE_MONTHS = 120;

export class FiguresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly bus: EventBus,
  ) {}

  /** Staff and integrations; idempotent per month: a second push of a month replaces it (audited when it changes). */
  async record(viewer: Viewer, input: { administrationId: string; months: MonthInput[] }): Promise<{ changed: string[] }> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    if (input.months.length === 0) throw new UserError(UserErrorCode.INVALID, { en: "Give at least one month", nl: "Geef ten minste één maand op" }, ["months"]);
    if (input.months.length > MAX_MONTHS_PER_PUSH)
      throw new UserError(UserErrorCode.INVALID, { en: `At most ${MAX_MONTHS_PER_PUSH} months per push`, nl: `Maximaal ${MAX_MONTHS_PER_PUSH} maanden per aanlevering` }, [
        "months",
      ]);
    const problems: UserError[] = [];
    const seen = new Set<number>();
    const rows = input.months.map((m, i) => {
      const path = ["months", String(i)];
      let index = -1;
      try {
        index = monthIndex(m.month, [...path, "month"]);
        if (seen.has(index)) problems.push(new UserError(UserErrorCode.INVALID, { en: `${m.month} is given twice`, nl: `${m.month} is twee keer opgegeven` }, [...path, "month"]));
        seen.add(index);
      } catch (error) {
        problems.push(error as UserError);
      }
      const revenue = parseCents(m.revenue);
      const costs = parseCents(m.costs);
      if (revenue === null)
        problems.push(new UserError(UserErrorCode.INVALID, { en: `${m.month}: revenue is not an amount`, nl: `${m.month}: de omzet is geen bedrag` }, [...path, "revenue"]));
      if (costs === null)
        problems.push(new UserError(UserErrorCode.INVALID, { en: `${m.month}: costs are not an amount`, nl: `${m.month}: de kosten zijn geen bedrag` }, [...path, "costs"]));
      return { index, revenue: revenue ?? 0n, costs: costs ?? 0n };
    });
    throwIfAny(problems);
    return inTransaction(this.dataSource, async (manager) => {
      const administration = await findVisibleAdministration(manager, actor, input.administrationId);
      const before = (await manager.query(
        "SELECT to_char(month, 'YYYY-MM') AS month, revenue::text, costs::text FROM financial_figures WHERE administration_id = $1 AND month = ANY($2::date[]) FOR UPDATE",
        [administration.id, rows.map((r) => monthDate(r.index))],
      )) as Array<{ month: string; revenue: string; costs: string }>;
      const previous = new Map(before.map((b) => [b.month, { revenue: parseCents(b.revenue)!, costs: parseCents(b.costs)! }]));
      const changes = rows
        .filter((r) => {
          const old = previous.get(monthLabel(r.index));
          return !old || old.revenue !== r.revenue || old.costs !== r.costs;
        })
        .sort((a, b) => a.index - b.index);
      for (const r of changes) {
        await manager.query(
          `INSERT INTO financial_figures (administration_id, month, revenue, costs, updated_by_label) VALUES ($1, $2, $3::numeric, $4::numeric, $5)
           ON CONFLICT (administration_id, month) DO UPDATE SET revenue = EXCLUDED.revenue, costs = EXCLUDED.costs, updated_at = now(), updated_by_label = EXCLUDED.updated_by_label`,
          [administration.id, monthDate(r.index), formatCents(r.revenue), formatCents(r.costs), actor.label],
        );
      }
      if (changes.length === 0) return { changed: [] };
      const changed = changes.map((r) => monthLabel(r.index));
      await this.audit.record(manager, actor, {
        firmId: administration.firmId,
        administrationId: administration.id,
        action: "figures.recorded",
        subjectType: "Administration",
        subjectId: administration.id,
        details: {
          months: changes.map((r) => {
            const old = previous.get(monthLabel(r.index));
            return {
              month: monthLabel(r.index),
              revenue: formatCents(r.revenue),
              costs: formatCents(r.costs),
              before: old ? { revenue: formatCents(old.revenue), costs: formatCents(old.costs) } : null,
            };
          }),
        },
      });
      if (administration.figuresVisible) await this.tellClients(manager, administration, changed);
      await this.bus.publish(manager, { topic: "figures.changed", administrationId: administration.id, months: changed });
      return { changed };
    });
  }

  private async tellClients(manager: EntityManager, administration: Administration, changed: string[]): Promise<void> {
    await this.notifications.notify(manager, {
      recipientUserIds: await portalClientIds(manager, administration.id),
      firmId: administration.firmId,
      administrationId: administration.id,
      kind: NotificationKind.FIGURES_UPDATED,
      params: { administration: administration.name, from: changed[0]!, to: changed[changed.length - 1]! },
      subject: { type: "Administration", id: administration.id },
    });
  }

  /** Staff decide whether clients see the figures. */
  async setVisible(viewer: Viewer, input: { administrationId: string; visible: boolean }): Promise<Administration> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    return inTransaction(this.dataSource, async (manager) => {
      const administration = await findVisibleAdministration(manager, actor, input.administrationId);
      if (administration.figuresVisible === input.visible) return administration;
      administration.figuresVisible = input.visible;
      await manager.query("UPDATE administrations SET figures_visible = $2, updated_at = now() WHERE id = $1", [administration.id, input.visible]);
      await this.audit.record(manager, actor, {
        firmId: administration.firmId,
        administrationId: administration.id,
        action: input.visible ? "figures.shown" : "figures.hidden",
        subjectType: "Administration",
        subjectId: administration.id,
      });
      return administration;
    });
  }

  /** The series from `from` to `to` (months, inclusive) per granularity; clients only while visible (else NOT_FOUND). */
  async series(viewer: Viewer, administrationId: string, range: { from: string; to: string; granularity: Granularity }): Promise<FiguresSeries> {
    const actor = requireActor(viewer);
    const administration = await findVisibleAdministration(this.dataSource.manager, actor, administrationId);
    if (!mayReadFigures(actor, administration)) throw new NotFoundError("Figures");
    // A query argument: problems are BAD_USER_INPUT, not user errors of a payload.
    const month = (text: string) => {
      try {
        return monthIndex(text, []);
      } catch (error) {
        throw new BadInputError((error as Error).message);
      }
    };
    const first = month(range.from);
    const last = month(range.to);
    if (last < first) throw new BadInputError("`to` comes before `from`");
    if (last - first + 1 > MAX_RANGE_MONTHS) throw new BadInputError(`At most ${MAX_RANGE_MONTHS} months at a time`);
    const rows = (await this.dataSource.query(
      "SELECT to_char(month, 'YYYY-MM') AS month, revenue::text, costs::text FROM financial_figures WHERE administration_id = $1 AND month BETWEEN $2::date AND $3::date",
      [administration.id, monthDate(first - 12), monthDate(last)],
    )) as Array<{ month: string; revenue: string; costs: string }>;
    const byMonth = new Map(rows.map((r) => [monthIndex(r.month, []), { revenue: parseCents(r.revenue)!, costs: parseCents(r.costs)! }]));
    const amounts = (months: number[]): Amounts => {
      let revenue = 0n;
      let costs = 0n;
      let recorded = 0;
      const missingMonths: string[] = [];
      for (const m of months) {
        const found = byMonth.get(m);
        if (!found) {
          missingMonths.push(monthLabel(m));
          continue;
        }
        recorded += 1;
        revenue += found.revenue;
        costs += found.costs;
      }
      if (recorded === 0) return { revenue: null, costs: null, result: null, missingMonths };
      return { revenue: formatCents(revenue), costs: formatCents(costs), result: formatCents(revenue - costs), missingMonths };
    };
    const periods: FiguresPeriod[] = [];
    for (let m = first; m <= last;) {
      const bucket = bucketOf(m, range.granularity);
      const end = Math.min(bucket.last, last);
      const months = Array.from({ length: end - m + 1 }, (_, i) => m + i);
      periods.push({ label: bucket.label, from: monthLabel(m), to: monthLabel(end), ...amounts(months), previousYear: amounts(months.map((x) => x - 12)) });
      m = end + 1;
    }
    const all = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    return { periods, totals: { ...amounts(all), previousYear: amounts(all.map((x) => x - 12)) } };
  }
}
