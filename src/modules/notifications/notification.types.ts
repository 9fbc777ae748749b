import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import type { Notification } from "./notification.entity.js";
import { NotificationKind } from "./notification.service.js";

registerEnumType(NotificationKind, {
  name: "NotificationKind",
  description: "What a notification is about.",
  valuesConfig: {
    INVITATION_ACCEPTED: { description: "Someone the firm invited has set their password." },
    DOCUMENT_RETURNED: { description: "The firm returned a document to the client's desk, with a reason." },
  },
});

@ObjectType("Notification", { implements: Node, description: "Something the viewer should know about." })
export class NotificationType extends Node {
  @Field(() => NotificationKind, { description: "What it is about." })
  kind: NotificationKind;

  @Field(() => String, { description: "Short title." })
  title: string;

  @Field(() => String, { nullable: true, description: "Longer text." })
  body: string | null;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When the viewer marked it read." })
  readAt: Date | null;

  @Field(() => Boolean, { description: "Whether it has been read." })
  read: boolean;

  subjectType: string | null;
  subjectId: string | null;
  administrationId: string | null;

  static from(n: Notification): NotificationType {
    return Object.assign(new NotificationType(), {
      id: toGlobalId("Notification", n.id),
      kind: n.kind as NotificationKind,
      title: n.title,
      body: n.body,
      createdAt: n.createdAt,
      readAt: n.readAt,
      read: n.readAt !== null,
      subjectType: n.subjectType,
      subjectId: n.subjectId,
      administrationId: n.administrationId,
    });
  }
}

export const NotificationConnection = Connection(NotificationType, "Notification");

@InputType("MarkNotificationsReadInput", { description: "Which notifications to mark read." })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "These notifications; omit to mark all of the viewer's read." })
  ids?: string[] | null;
}

@ObjectType("MarkNotificationsReadPayload", { description: "Result of marking notifications read." })
export class MarkNotificationsReadPayload implements PayloadBase {
  @Field(() => [NotificationType], { description: "The notifications named in the input, now read." })
  notifications: NotificationType[] = [];

  @Field(() => Int, { nullable: true, description: "The viewer's unread count afterwards (null when it failed)." })
  unreadCount: number | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
