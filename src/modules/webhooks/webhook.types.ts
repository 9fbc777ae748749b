import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import { TEST_TYPE, WebhookEvent, wireType } from "./webhook-events.js";
import { messageHeaderId } from "./webhook-signing.js";
import type { Webhook, WebhookAttempt } from "./webhook.entity.js";

registerEnumType(WebhookEvent, {
  name: "WebhookEvent",
  description: "What a webhook can be sent. The payload's `type` is the dotted lower-case name (DOCUMENT_FILED → document.filed).",
  valuesConfig: {
    DOCUMENT_ADDED: { description: "A document was uploaded (or arrived by mail) onto a desk." },
    DOCUMENT_FILED: { description: "A client filed a document into a tray." },
    DOCUMENT_WITHDRAWN: { description: "A client took a filed document back onto the desk." },
    DOCUMENT_RETURNED: { description: "The firm returned a document to the client's desk, with a reason." },
    DOCUMENT_PROCESSED: { description: "The firm processed a document." },
    DOCUMENT_UPDATED: { description: "A document was renamed, moved, corrected, had its pages edited or was replaced." },
    DOCUMENT_REMOVED: { description: "A document was removed." },
    DOCUMENT_READ: { description: "A document's text (OCR) or data (e-invoice, bank statement) was read." },
    FILING_STATUS_CHANGED: {
      description: "A VAT return or ICP declaration took a step (prepared, asked, approved, rejected, submitted, accepted, failed …); `data.action` names it.",
    },
    REPORT_PUBLISHED: { description: "A report became visible to the administration's clients." },
    REPORT_REPLACED: { description: "A published report got a new version." },
    REPORT_WITHDRAWN: { description: "A published report was withdrawn." },
    FIGURES_UPDATED: { description: "An administration's figures were recorded; `data.months` lists the months changed." },
    ARCHIVE_CHANGED: { description: "An archive folder was made, changed, removed or had its access changed." },
  },
});

@ObjectType("Webhook", { implements: Node, description: "An endpoint of the firm that is sent the events it asked for, signed per Standard Webhooks." })
export class WebhookType extends Node {
  @Field(() => String, { description: "Where the events are POSTed." })
  url: string;

  @Field(() => String, { description: "What it is for." })
  description: string;

  @Field(() => [WebhookEvent], { description: "The events it is sent." })
  events: WebhookEvent[];

  @Field(() => Boolean, { description: "Whether it is sent events. An endpoint failing for too long is disabled; enabling it again sends what waited." })
  enabled: boolean;

  @Field(() => DateTime, { nullable: true, description: "When it was disabled." })
  disabledAt: Date | null;

  @Field(() => String, { nullable: true, description: "Why it was disabled." })
  disabledReason: string | null;

  @Field(() => DateTime, { nullable: true, description: "Since when it has failed without a success (null: it is fine)." })
  failingSince: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Its last successful delivery (to the minute)." })
  lastSuccessAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Until when messages are also signed with the secret before the last rotation." })
  previousSecretValidUntil: Date | null;

  @Field(() => String, { description: "Who made it." })
  createdBy: string;

  @Field(() => DateTime, { description: "When it was made." })
  createdAt: Date;

  webhookId: string;

  static from(w: Webhook): WebhookType {
    return Object.assign(new WebhookType(), {
      id: toGlobalId("Webhook", w.id),
      webhookId: w.id,
      url: w.url,
      description: w.description,
      events: w.events as WebhookEvent[],
      enabled: w.enabled,
      disabledAt: w.disabledAt,
      disabledReason: w.disabledReason,
      failingSince: w.failingSince,
      lastSuccessAt: w.lastSuccessAt,
      previousSecretValidUntil: w.previousSecretUntil && w.previousSecretUntil.getTime() > Date.now() ? w.previousSecretUntil : null,
      createdBy: w.createdByLabel,
      createdAt: w.createdAt,
    });
  }
}

export const WebhookConnection = Connection(WebhookType, "Webhook");

export enum WebhookMessageState {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  FAILED = "FAILED",
}
registerEnumType(WebhookMessageState, {
  name: "WebhookMessageState",
  description: "Where a message stands: still being delivered (retried with backoff), delivered, or given up (redeliverWebhook sends it again).",
  valuesConfig: {
    PENDING: { description: "Waiting for its first or next attempt (or for older messages of its subject)." },
    DELIVERED: { description: "The endpoint answered 2xx." },
    FAILED: { description: "Given up after the retry schedule (or a test that failed); redeliverWebhook sends it again." },
  },
});

@ObjectType("WebhookDelivery", { description: "One attempt to deliver one message." })
export class WebhookDeliveryType {
  @Field(() => ID, { description: "The attempt (give it to redeliverWebhook)." })
  id: string;

  @Field(() => String, { description: "The message's webhook-id header: the same on every attempt and redelivery, for de-duplication." })
  webhookId: string;

  @Field(() => String, { description: "The payload's type, e.g. document.filed (webhook.test for a test)." })
  type: string;

  @Field(() => Int, { description: "Which attempt at this message it was (1 = the first)." })
  attempt: number;

  @Field(() => DateTime, { description: "When it was made." })
  at: Date;

  @Field(() => Boolean, { description: "Whether the endpoint answered 2xx in time." })
  ok: boolean;

  @Field(() => Int, { nullable: true, description: "The HTTP status answered (null: no answer)." })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: "What went wrong." })
  error: string | null;

  @Field(() => Int, { description: "How long it took, in milliseconds." })
  durationMs: number;

  @Field(() => String, { nullable: true, description: "The start of the endpoint's answer (up to 1000 characters)." })
  responseExcerpt: string | null;

  @Field(() => WebhookMessageState, { description: "Where the message stands now." })
  messageState: WebhookMessageState;

  @Field(() => DateTime, { nullable: true, description: "When the next attempt is made, while the message is pending." })
  nextAttemptAt: Date | null;

  static from(a: WebhookAttempt, message: { event: string; state: string; nextAttemptAt: Date } | null | undefined): WebhookDeliveryType {
    return Object.assign(new WebhookDeliveryType(), {
      id: toGlobalId("WebhookDelivery", a.id),
      webhookId: messageHeaderId(a.messageId),
      type: !message ? "" : message.event === TEST_TYPE ? TEST_TYPE : wireType(message.event as WebhookEvent),
      attempt: a.attempt,
      at: a.at,
      ok: a.ok,
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
      responseExcerpt: a.responseExcerpt,
      messageState: (message?.state ?? WebhookMessageState.FAILED) as WebhookMessageState,
      nextAttemptAt: message?.state === WebhookMessageState.PENDING ? message.nextAttemptAt : null,
    });
  }
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType, "WebhookDelivery");

@InputType("CreateWebhookInput", { description: "A new webhook endpoint." })
export class CreateWebhookInput {
  @Field(() => String, { description: "Where to POST the events: https:// (and not a private address)." })
  url: string;

  @Field(() => [WebhookEvent], { description: "The events to send it." })
  events: WebhookEvent[];

  @Field(() => String, { nullable: true, description: "What it is for." })
  description?: string | null;
}

@ObjectType("CreateWebhookPayload", { description: "The new webhook and its signing secret." })
export class CreateWebhookPayload implements PayloadBase {
  @Field(() => WebhookType, { nullable: true, description: "The new webhook." })
  webhook: WebhookType | null;

  @Field(() => String, { nullable: true, description: "The signing secret (whsec_…), for verifying the webhook-signature header. Shown once." })
  secret: string | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("UpdateWebhookInput", { description: "Changes to a webhook; what is left out stays." })
export class UpdateWebhookInput {
  @Field(() => ID, { description: "The webhook." })
  id: string;

  @Field(() => String, { nullable: true, description: "A new address (https://, not private)." })
  url?: string | null;

  @Field(() => [WebhookEvent], { nullable: true, description: "The events to send it from now on." })
  events?: WebhookEvent[] | null;

  @Field(() => String, { nullable: true, description: "What it is for." })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "false stops sending (messages wait); true sends again, starting with what waited." })
  enabled?: boolean | null;
}

@ObjectType("WebhookPayload", { description: "The webhook after the change." })
export class WebhookPayload implements PayloadBase {
  @Field(() => WebhookType, { nullable: true, description: "The webhook (as it was, for one removed)." })
  webhook: WebhookType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("RotateWebhookSecretInput", { description: "Give a webhook a new signing secret." })
export class RotateWebhookSecretInput {
  @Field(() => ID, { description: "The webhook." })
  id: string;

  @Field(() => Int, { nullable: true, description: "Seconds the old secret keeps signing too (default 86400, at most 7 days; 0: it stops at once)." })
  overlapSeconds?: number | null;
}

@ObjectType("RotateWebhookSecretPayload", { description: "The webhook and its new secret." })
export class RotateWebhookSecretPayload implements PayloadBase {
  @Field(() => WebhookType, { nullable: true, description: "The webhook." })
  webhook: WebhookType | null;

  @Field(() => String, { nullable: true, description: "The new signing secret. Shown once." })
  secret: string | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("WebhookIdInput", { description: "A webhook." })
export class WebhookIdInput {
  @Field(() => ID, { description: "The webhook." })
  id: string;
}

@ObjectType("TestWebhookPayload", { description: "The test message's delivery." })
export class TestWebhookPayload implements PayloadBase {
  @Field(() => WebhookDeliveryType, { nullable: true, description: "The attempt: whether the endpoint answered 2xx, what it said." })
  delivery: WebhookDeliveryType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("RedeliverWebhookInput", { description: "Send a delivered or given-up message again." })
export class RedeliverWebhookInput {
  @Field(() => ID, { description: "An attempt at the message (WebhookDelivery.id)." })
  deliveryId: string;
}
