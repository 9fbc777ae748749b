// Documents left on a client's desk are documents the firm never sees. A daily run reminds the
// client users of every administration whose desk holds a document older than REMINDER_DESK_AGE;
// staff can remind an administration's clients now. Either way a person gets at most one reminder
// a day (the desk_reminders row for that day is the lock), delivered by their preferences.
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, assertFirmWork, requireActor, type SystemActor, type Viewer } from "../../core/actor.js";
import { UserError, UserErrorCode } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import { findVisibleAdministration } from "../administrations/administration.policy.js";
import type { AuditService } from "../audit/audit.service.js";
import { NotificationKind } from "../notifications/notification-kinds.js";
import type { NotificationService } from "../notifications/notification.service.js";

const REMINDER_ACTOR: SystemActor = { type: "SYSTEM", label: "reminders" };

export interface DeskSummary {
  administrationId: string;
  documentCount: number;
  oldestUploadedAt: Date | null;
  lastReminderAt: Date | null;
}

interface DueDesk {
  user_id: string;
  firm_id: string;
  administration_id: string;
  administration: string;
  count: number;
  oldest: Date;
}

export interface ReminderSettings {
  deskAgeSeconds: number;
  timeZone: string;
}

/** Client users (active, portal on) of administrations with desk documents uploaded before `before`. */
const DUE_DESKS = `
  SELECT m.user_id, a.firm_id, a.id AS administration_id, a.name AS administration, count(d.id)::int AS count, min(d.uploaded_at) AS oldest
    FROM documents d
    JOIN administrations a ON a.id = d.administration_id AND a.portal_enabled
    JOIN memberships m ON m.administration_id = a.id
    JOIN users u ON u.id = m.user_id AND u.status = 'ACTIVE'
   WHERE d.location = 'DESK' AND d.removed_at IS NULL AND d.replaced_at IS NULL`;

export class DeskReminders {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly settings: ReminderSettings,
  ) {}

  /** The daily run: reminds everyone due; returns how many people were reminded. */
  async remindAll(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.settings.deskAgeSeconds * 1000);
    const desks = (await this.dataSource.query(`${DUE_DESKS} GROUP BY m.user_id, a.firm_id, a.id HAVING min(d.uploaded_at) < $1 ORDER BY a.name`, [before])) as DueDesk[];
    let reminded = 0;
    for (const [userId, own] of groupByUser(desks)) {
      if (await inTransaction(this.dataSource, (manager) => this.remind(manager, REMINDER_ACTOR, userId, own, now))) reminded += 1;
    }
    return reminded;
  }

  /** Staff remind the administration's client users now (whatever the documents' age). */
  async remindNow(viewer: Viewer, administrationId: string): Promise<{ reminded: string[]; alreadyToday: string[] }> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    const administration = await findVisibleAdministration(this.dataSource.manager, actor, administrationId);
    const desks = (await this.dataSource.query(`${DUE_DESKS} AND a.id = $1 GROUP BY m.user_id, a.firm_id, a.id`, [administration.id])) as DueDesk[];
    if (desks.length === 0) {
      throw new UserError(
        UserErrorCode.WRONG_STATE,
        {
          en: `The desk of ${administration.name} is empty, or nobody can use its portal: there is nothing to remind of`,
          nl: `Het bureau van ${administration.name} is leeg, of niemand kan het portaal ervan gebruiken: er is niets om aan te herinneren`,
        },
        ["administrationId"],
      );
    }
    const reminded: string[] = [];
    const alreadyToday: string[] = [];
    for (const [userId, own] of groupByUser(desks)) {
      const done = await inTransaction(this.dataSource, (manager) => this.remind(manager, actor, userId, own, new Date()));
      (done ? reminded : alreadyToday).push(userId);
    }
    return { reminded, alreadyToday };
  }

  /** One reminder for one person about their desks, unless they had one today. */
  private async remind(manager: EntityManager, actor: Actor, userId: string, desks: DueDesk[], now: Date): Promise<boolean> {
    const [claimed] = (await manager.query(
      `INSERT INTO desk_reminders (user_id, day, administration_ids, sent_by_label) VALUES ($1, ($2::timestamptz AT TIME ZONE $3)::date, $4, $5)
       ON CONFLICT (user_id, day) DO NOTHING RETURNING user_id`,
      [userId, now, this.settings.timeZone, desks.map((d) => d.administration_id), actor.label],
    )) as Array<{ user_id: string }>;
    if (!claimed) return false;
    const first = desks[0]!;
    const day = 86_400_000;
    await this.notifications.notify(manager, {
      recipientUserIds: [userId],
      firmId: first.firm_id,
      administrationId: desks.length === 1 ? first.administration_id : null,
      kind: NotificationKind.DESK_REMINDER,
      params: {
        desks: desks.map((d) => ({ administration: d.administration, count: d.count, oldestDays: Math.max(0, Math.floor((now.getTime() - new Date(d.oldest).getTime()) / day)) })),
      },
      subject: { type: "Administration", id: first.administration_id },
    });
    for (const desk of desks) {
      await this.audit.record(manager, actor, {
        firmId: desk.firm_id,
        administrationId: desk.administration_id,
        action: "desk.reminded",
        subjectType: "User",
        subjectId: userId,
        details: { documents: desk.count, oldest: new Date(desk.oldest).toISOString() },
      });
    }
    return true;
  }

  /** Desk count, oldest document and last reminder of each administration, in two statements. */
  async summaries(administrationIds: readonly string[]): Promise<DeskSummary[]> {
    const counts = (await this.dataSource.query(
      `SELECT administration_id, count(*)::int AS count, min(uploaded_at) AS oldest FROM documents
        WHERE administration_id = ANY($1) AND location = 'DESK' AND removed_at IS NULL AND replaced_at IS NULL GROUP BY administration_id`,
      [[...administrationIds]],
    )) as Array<{ administration_id: string; count: number; oldest: Date }>;
    const reminders = (await this.dataSource.query(
      `SELECT a.id AS administration_id, max(r.created_at) AS last FROM unnest($1::uuid[]) AS a(id) JOIN desk_reminders r ON a.id = ANY(r.administration_ids) GROUP BY a.id`,
      [[...administrationIds]],
    )) as Array<{ administration_id: string; last: Date }>;
    const count = new Map(counts.map((c) => [c.administration_id, c]));
    const last = new Map(reminders.map((r) => [r.administration_id, r.last]));
    return administrationIds.map((id) => ({
      administrationId: id,
      documentCount: count.get(id)?.count ?? 0,
      oldestUploadedAt: count.get(id)?.oldest ?? null,
      lastReminderAt: last.get(id) ?? null,
    }));
  }
}

function groupByUser(desks: DueDesk[]): Map<string, DueDesk[]> {
  const byUser = new Map<string, DueDesk[]>();
  for (const desk of desks) byUser.set(desk.user_id, [...(byUser.get(desk.user_id) ?? []), desk]);
  return byUser;
}
