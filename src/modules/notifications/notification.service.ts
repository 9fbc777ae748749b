// Notifications: one row per recipient, in the recipient's language, announced on the bus after
// commit and mailed at once, in the daily digest, or not, as the recipient chose for that kind.
import { randomUUID } from "node:crypto";
import { type DataSource, type EntityManager, In } from "typeorm";
import { type Actor, requireUser, type Viewer } from "../../core/actor.js";
import { notificationAudience, scopeOwnNotifications } from "./notification.policy.js";
import { NotFoundError, UserError, UserErrorCode } from "../../core/errors.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import { portalOpen } from "../administrations/administration.policy.js";
import { User, UserStatus } from "../users/user.entity.js";
import { isStaffRole } from "../../core/roles.js";
import type { MailOutbox } from "./mail-outbox.js";
import { NOTIFICATION_AUDIENCE, NotificationKind, type NotificationParams, notificationText } from "./notification-kinds.js";
import { Notification } from "./notification.entity.js";

export { NotificationKind } from "./notification-kinds.js";

export enum NotificationDelivery {
  IMMEDIATE = "IMMEDIATE",
  DAILY_DIGEST = "DAILY_DIGEST",
  OFF = "OFF",
}

/** Without a choice of their own, people get every notification by mail at once. */
export const DEFAULT_DELIVERY = NotificationDelivery.IMMEDIATE;

export interface NewNotification<K extends NotificationKind> {
  recipientUserIds: string[];
  firmId: string;
  administrationId?: string | null;
  kind: K;
  params: NotificationParams[K];
  subject?: { type: string; id: string } | null;
}

export interface NotificationPreference {
  kind: NotificationKind;
  delivery: NotificationDelivery;
  isDefault: boolean;
}

export class NotificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly outbox: MailOutbox,
    private readonly maxPageSize: number,
  ) {}

  /**
   * Creates the notifications in the caller's transaction (disabled users get none); subscribers
   * hear of them at commit, and mails at once are queued in the same transaction.
   */
  async notify<K extends NotificationKind>(manager: EntityManager, input: NewNotification<K>): Promise<Notification[]> {
    const ids = [...new Set(input.recipientUserIds)];
    if (ids.length === 0) return [];
    let recipients = await manager.getRepository(User).findBy({ id: In(ids), status: In([UserStatus.ACTIVE, UserStatus.INVITED]) });
    // Whatever path notifies, an administration's clients hear nothing of it while its portal is off.
    if (input.administrationId && recipients.some((r) => !isStaffRole(r.role)) && !(await portalOpen(manager, input.administrationId))) {
      recipients = recipients.filter((r) => isStaffRole(r.role));
    }
    const chosen = await this.deliveries(manager, ids, input.kind);
    const repository = manager.getRepository(Notification);
    const rows: Notification[] = [];
    for (const recipient of recipients) {
      const text = notificationText(input.kind, recipient.language, input.params);
      // Someone who has not accepted their invitation yet cannot follow a link into the portal.
      const delivery = recipient.status === UserStatus.ACTIVE ? (chosen.get(recipient.id) ?? DEFAULT_DELIVERY) : NotificationDelivery.OFF;
      const row = repository.create({
        id: randomUUID(),
        recipientUserId: recipient.id,
        firmId: input.firmId,
        administrationId: input.administrationId ?? null,
        kind: input.kind,
        title: text.title.slice(0, 300),
        body: text.body,
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        readAt: null,
        mailDelivery: delivery,
        mailedAt: delivery === NotificationDelivery.IMMEDIATE ? new Date() : null,
      });
      await repository.insert(row);
      if (delivery === NotificationDelivery.IMMEDIATE) await this.outbox.queueNotification(manager, recipient, row);
      await this.bus.publish(manager, { topic: "notification.created", userId: row.recipientUserId, notificationId: row.id });
      rows.push(row);
    }
    return rows;
  }

  private async deliveries(manager: EntityManager, userIds: string[], kind: NotificationKind): Promise<Map<string, NotificationDelivery>> {
    const rows = (await manager.query("SELECT user_id, delivery FROM notification_preferences WHERE user_id = ANY($1) AND kind = $2", [userIds, kind])) as Array<{
      user_id: string;
      delivery: NotificationDelivery;
    }>;
    return new Map(rows.map((r) => [r.user_id, r.delivery]));
  }

  /** The kinds the viewer can receive, each with how it reaches them by mail. */
  async preferences(viewer: Viewer): Promise<NotificationPreference[]> {
    const user = requireUser(viewer);
    const audience = notificationAudience(user);
    const kinds = Object.values(NotificationKind).filter((kind) => NOTIFICATION_AUDIENCE[kind] === audience);
    const rows = (await this.dataSource.query("SELECT kind, delivery FROM notification_preferences WHERE user_id = $1", [user.userId])) as Array<{
      kind: string;
      delivery: NotificationDelivery;
    }>;
    const own = new Map(rows.map((r) => [r.kind, r.delivery]));
    return kinds.map((kind) => ({ kind, delivery: own.get(kind) ?? DEFAULT_DELIVERY, isDefault: !own.has(kind) }));
  }

  /** Sets the viewer's delivery for the given kinds (others stay as they are). */
  async updatePreferences(viewer: Viewer, changes: Array<{ kind: NotificationKind; delivery: NotificationDelivery }>): Promise<NotificationPreference[]> {
    const user = requireUser(viewer);
    const audience = notificationAudience(user);
    const kinds = new Set<NotificationKind>();
    for (const [index, change] of changes.entries()) {
      if (NOTIFICATION_AUDIENCE[change.kind] !== audience) {
        throw new UserError(UserErrorCode.INVALID, { en: `You do not receive ${change.kind} notifications`, nl: `U ontvangt geen meldingen van de soort ${change.kind}` }, [
          "preferences",
          String(index),
          "kind",
        ]);
      }
      if (kinds.has(change.kind))
        throw new UserError(UserErrorCode.INVALID, { en: `${change.kind} is listed twice`, nl: `${change.kind} staat er twee keer in` }, ["preferences", String(index), "kind"]);
      kinds.add(change.kind);
    }
    await inTransaction(this.dataSource, async (manager) => {
      for (const change of changes) {
        await manager.query(
          `INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, kind) DO UPDATE SET delivery = EXCLUDED.delivery, updated_at = now()`,
          [user.userId, change.kind, change.delivery],
        );
      }
    });
    return this.preferences(viewer);
  }

  private ownQuery(actor: Actor) {
    return scopeOwnNotifications(this.dataSource.getRepository(Notification).createQueryBuilder("n"), "n", actor);
  }

  /** The viewer's notifications, newest first. */
  list(viewer: Viewer, unreadOnly: boolean, page: PageArgs) {
    const user = requireUser(viewer);
    const qb = this.ownQuery(user);
    if (unreadOnly) qb.andWhere("n.read_at IS NULL");
    return paginate(qb, page, { expr: "n.created_at", type: "timestamptz", direction: "DESC", idExpr: "n.id" }, this.maxPageSize);
  }

  unreadCount(viewer: Viewer): Promise<number> {
    const user = requireUser(viewer);
    return this.ownQuery(user).andWhere("n.read_at IS NULL").getCount();
  }

  /** Marks the given (or all) of the viewer's notifications read; ids of others are ignored as unknown. */
  async markRead(viewer: Viewer, ids: string[] | null): Promise<Notification[]> {
    const user = requireUser(viewer);
    const qb = this.dataSource
      .createQueryBuilder()
      .update(Notification)
      .set({ readAt: () => "now()" })
      .where("recipient_user_id = :userId AND read_at IS NULL", { userId: user.userId });
    if (ids) {
      if (ids.length === 0) return [];
      qb.andWhere("id IN (:...ids)", { ids });
    }
    await qb.execute();
    if (!ids) return [];
    return this.ownQuery(user).andWhere("n.id IN (:...ids)", { ids }).getMany();
  }

  /** A notification as its recipient sees it; anyone else gets NOT_FOUND. */
  async findOwn(actor: Actor, id: string): Promise<Notification> {
    const found = await this.ownQuery(actor).andWhere("n.id = :id", { id }).getOne();
    if (!found) throw new NotFoundError("Notification");
    return found;
  }
}
