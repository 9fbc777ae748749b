// Reminders of returns coming due: a daily run tells whoever has the next step of each open return
// due within FILING_REMINDER_DAYS — the firm's staff to prepare or to submit it, the client's
// approvers to approve it — once per return and step, delivered by their preferences. The
// filing_reminders row is the claim: with several instances running the job, only one sends it.
import type { DataSource, EntityManager } from "typeorm";
import type { SystemActor } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import { firmStaffIds, portalClientIds } from "../administrations/administration.policy.js";
import type { AuditService } from "../audit/audit.service.js";
import { FILING_TYPE_NAME } from "../filings/filing.service.js";
import { periodLabel } from "../filings/filing-period.js";
import { NotificationKind } from "../notifications/notification-kinds.js";
import type { NotificationService } from "../notifications/notification.service.js";
import { addDays, daysBetween } from "./due-dates.js";
import { DeadlineState, type FilingDeadline, type FilingDeadlines } from "./filing-deadlines.js";

const REMINDER_ACTOR: SystemActor = { type: "SYSTEM", label: "filing reminders" };

/** Returns overdue by more than this are not reminded of any more (the calendar still shows them overdue). */
const LOOKBACK_DAYS = 31;

export type ReminderStep = "PREPARE" | "APPROVE" | "SUBMIT";

/** Whose move it is in each open state. */
const STEP: Partial<Record<DeadlineState, ReminderStep>> = {
  [DeadlineState.NOT_PREPARED]: "PREPARE",
  [DeadlineState.REJECTED]: "PREPARE",
  [DeadlineState.AWAITING_APPROVAL]: "APPROVE",
  [DeadlineState.APPROVED]: "SUBMIT",
  [DeadlineState.FAILED]: "SUBMIT",
};

export interface DeadlineReminderSettings {
  /** How many days before the due date the reminder goes out. */
  daysBefore: number;
}

export class DeadlineReminders {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deadlines: FilingDeadlines,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly settings: DeadlineReminderSettings,
  ) {}

  /** The daily run: reminds of every open return due soon; returns how many reminders went out. */
  async remindDue(now = new Date()): Promise<number> {
    const today = this.deadlines.today(now);
    const open = await this.deadlines.openBetween(this.dataSource.manager, addDays(today, -LOOKBACK_DAYS), addDays(today, this.settings.daysBefore));
    // A firm's staff are asked once per run, not once per return.
    const staff = new Map<string, Promise<string[]>>();
    const staffOf = (firmId: string) => staff.get(firmId) ?? staff.set(firmId, firmStaffIds(this.dataSource.manager, firmId)).get(firmId)!;
    let sent = 0;
    for (const deadline of open) {
      const step = STEP[deadline.state];
      if (step && (await inTransaction(this.dataSource, (manager) => this.remind(manager, deadline, step, today, staffOf)))) sent += 1;
    }
    return sent;
  }

  /** One reminder of one return's step, unless it went out before (or nobody is there to take the step). */
  private async remind(manager: EntityManager, deadline: FilingDeadline, step: ReminderStep, today: string, staffOf: (firmId: string) => Promise<string[]>): Promise<boolean> {
    const recipients = step === "APPROVE" ? await portalClientIds(manager, deadline.administrationId, { approversOnly: true }) : await staffOf(deadline.firmId);
    if (recipients.length === 0) return false;
    const period = periodLabel(deadline.period);
    const [claimed] = (await manager.query(
      `INSERT INTO filing_reminders (administration_id, kind, period, step, filing_id, due_date, recipient_user_ids) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING step`,
      [deadline.administrationId, deadline.kind, period, step, deadline.filingId, deadline.dueDate, recipients],
    )) as Array<{ step: string }>;
    if (!claimed) return false;
    const filing = { filingKind: deadline.kind, period, administration: deadline.administrationName, dueDate: deadline.dueDate, daysLeft: daysBetween(today, deadline.dueDate) };
    const common = {
      recipientUserIds: recipients,
      firmId: deadline.firmId,
      administrationId: deadline.administrationId,
      subject: deadline.filingId ? { type: FILING_TYPE_NAME[deadline.kind], id: deadline.filingId } : { type: "Administration", id: deadline.administrationId },
    };
    if (step === "APPROVE") await this.notifications.notify(manager, { ...common, kind: NotificationKind.FILING_APPROVAL_REMINDER, params: filing });
    else await this.notifications.notify(manager, { ...common, kind: NotificationKind.FILING_DEADLINE, params: { ...filing, step } });
    await this.audit.record(manager, REMINDER_ACTOR, {
      firmId: deadline.firmId,
      administrationId: deadline.administrationId,
      action: "filing.deadline_reminded",
      subjectType: common.subject.type,
      subjectId: common.subject.id,
      details: { kind: deadline.kind, period, step, dueDate: deadline.dueDate, recipients: recipients.length },
    });
    return true;
  }
}
