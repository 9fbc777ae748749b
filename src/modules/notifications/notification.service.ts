// Notifications: one row per recipient, announced on the bus after commit.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireUser, type Viewer } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import type { EventBus } from "../../events/bus.js";
import { Notification } from "./notification.entity.js";

export enum NotificationKind {
  INVITATION_ACCEPTED = "INVITATION_ACCEPTED",
  DOCUMENT_RETURNED = "DOCUMENT_RETURNED",
}

export interface NewNotification {
  recipientUserIds: string[];
  firmId: string;
  administrationId?: string | null;
  kind: NotificationKind;
  title: string;
  body?: string | null;
  subject?: { type: string; id: string } | null;
}

export class NotificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly maxPageSize: number,
  ) {}

  /** Creates the notifications in the caller's transaction; subscribers hear of them at commit. */
  async notify(manager: EntityManager, input: NewNotification): Promise<Notification[]> {
    const recipients = [...new Set(input.recipientUserIds)];
    if (recipients.length === 0) return [];
    const repository = manager.getRepository(Notification);
    const rows = recipients.map((recipientUserId) =>
      repository.create({
        id: randomUUID(),
        recipientUserId,
        firmId: input.firmId,
        administrationId: input.administrationId ?? null,
        kind: input.kind,
        title: input.title,
        body: input.body ?? null,
        subjectType: input.subject?.type ?? null,
        subjectId: input.subject?.id ?? null,
        readAt: null,
      }),
    );
    await repository.insert(rows);
    for (const row of rows) {
      await this.bus.publish(manager, { topic: "notification.created", userId: row.recipientUserId, notificationId: row.id });
    }
    return rows;
  }

  private ownQuery(userId: string) {
    return this.dataSource.getRepository(Notification).createQueryBuilder("n").where("n.recipient_user_id = :userId", { userId });
  }

  /** The viewer's notifications, newest first. */
  list(viewer: Viewer, unreadOnly: boolean, page: PageArgs) {
    const user = requireUser(viewer);
    const qb = this.ownQuery(user.userId);
    if (unreadOnly) qb.andWhere("n.read_at IS NULL");
    return paginate(qb, page, { expr: "n.created_at", type: "timestamptz", direction: "DESC", idExpr: "n.id" }, this.maxPageSize);
  }

  unreadCount(viewer: Viewer): Promise<number> {
    const user = requireUser(viewer);
    return this.ownQuery(user.userId).andWhere("n.read_at IS NULL").getCount();
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
    return this.ownQuery(user.userId).andWhere("n.id IN (:...ids)", { ids }).getMany();
  }

  /** A notification as its recipient sees it; anyone else gets NOT_FOUND. */
  async findOwn(actor: Actor, id: string): Promise<Notification> {
    if (actor.type !== "USER") throw new NotFoundError("Notification");
    const found = await this.ownQuery(actor.userId).andWhere("n.id = :id", { id }).getOne();
    if (!found) throw new NotFoundError("Notification");
    return found;
  }
}
