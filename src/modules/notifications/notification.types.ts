import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import type { Notification } from "./notification.entity.js";
import { NotificationKind } from "./notification-kinds.js";
import { NotificationDelivery, type NotificationPreference } from "./notification.service.js";

registerEnumType(NotificationKind, {
  name: "NotificationKind",
  description: "What a notification is about.",
  valuesConfig: {
    INVITATION_ACCEPTED: { description: "Someone the firm invited has set their password." },
    DOCUMENT_RETURNED: { description: "The firm returned a document to the client's desk, with a reason." },
    FILING_APPROVAL_REQUESTED: { description: "The firm asks the client to approve a VAT return or ICP declaration." },
    FILING_APPROVAL_WITHDRAWN: { description: "The firm withdrew its request for approval of a filing." },
    FILING_APPROVED: { description: "A client approved a filing." },
    FILING_REJECTED: { description: "A client rejected a filing, with a note." },
    FILING_ACCEPTED: { description: "A submitted filing was delivered to the tax authority." },
    FILING_FAILED: { description: "Submitting a filing failed, with the reason." },
    FIGURES_UPDATED: { description: "The firm recorded new or changed monthly figures (while the client may see them)." },
    REPORT_PUBLISHED: { description: "A report became visible (at its publishing moment)." },
    REPORT_REPLACED: { description: "A published report was replaced by a corrected version." },
    DESK_REMINDER: { description: "Documents have been waiting on the client's desk (at most once a day)." },
    BANK_STATEMENT_PROBLEMS: { description: "Bank statements the client handed in show gaps or do not join up (a statement is missing)." },
    BANK_ACCOUNT_PROBLEMS: { description: "A client's bank statements show gaps, balance breaks, sums that do not add up, or duplicates." },
    FILING_DEADLINE: { description: "A return is due soon (or overdue) and is not prepared, or approved but not submitted (once per return and step)." },
    FILING_APPROVAL_REMINDER: { description: "A return awaiting the client's approval is due soon (once per return)." },
    WEBHOOK_DISABLED: { description: "One of the firm's webhook endpoints failed for too long and was disabled (firm admins)." },
  },
});

registerEnumType(NotificationDelivery, {
  name: "NotificationDelivery",
  description: "How a kind of notification reaches a person by email (in the portal they always see it).",
  valuesConfig: {
    IMMEDIATE: { description: "A mail at once for each notification." },
    DAILY_DIGEST: { description: "One mail a day with all such notifications of that day." },
    OFF: { description: "No mail; only in the portal." },
  },
});

@ObjectType("NotificationPreference", { description: "How one kind of notification reaches the viewer by email." })
export class NotificationPreferenceType {
  @Field(() => NotificationKind, { description: "The kind of notification." })
  kind: NotificationKind;

  @Field(() => NotificationDelivery, { description: "How it is mailed." })
  delivery: NotificationDelivery;

  @Field(() => Boolean, { description: "True when the viewer has not chosen, and the default applies." })
  isDefault: boolean;

  static from(p: NotificationPreference): NotificationPreferenceType {
    return Object.assign(new NotificationPreferenceType(), p);
  }
}

@InputType("NotificationPreferenceInput", { description: "The delivery chosen for one kind of notification." })
export class NotificationPreferenceInput {
  @Field(() => NotificationKind, { description: "The kind of notification." })
  kind: NotificationKind;

  @Field(() => NotificationDelivery, { description: "How it should be mailed." })
  delivery: NotificationDelivery;
}

@InputType("UpdateNotificationPreferencesInput", { description: "New choices for some kinds of notification; the others stay as they are." })
export class UpdateNotificationPreferencesInput {
  @Field(() => [NotificationPreferenceInput], { description: "One entry per kind to change." })
  preferences: NotificationPreferenceInput[];
}

@ObjectType("UpdateNotificationPreferencesPayload", { description: "Result of changing notification preferences." })
export class UpdateNotificationPreferencesPayload implements PayloadBase {
  @Field(() => [NotificationPreferenceType], { nullable: true, description: "All of the viewer's preferences afterwards (null when it failed)." })
  preferences: NotificationPreferenceType[] | null = null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

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
