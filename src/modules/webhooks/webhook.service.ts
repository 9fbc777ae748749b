// A firm's webhooks: made, changed, rotated, tested, redelivered and removed by its firm admins (or
// tokens with webhooks:manage). Secrets are shown once, when made or rotated.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { WebhookSettings } from "../../config/config.js";
import { type Actor, requireActor, type Viewer } from "../../core/actor.js";
import { NotFoundError, throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import { requiredText } from "../../core/validation.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { AuditService } from "../audit/audit.service.js";
import { type ClaimedMessage, activeSecrets, type WebhookDeliverer } from "./webhook-deliverer.js";
import { TEST_TYPE, type WebhookEvent } from "./webhook-events.js";
import { webhookBody } from "./webhook-recorder.js";
import { signedHeaders, newWebhookSecret } from "./webhook-signing.js";
import { sendWebhook } from "./webhook-sender.js";
import { targetProblem } from "./webhook-target.js";
import { assertMayManageWebhooks, mayManageWebhooks } from "./webhook.policy.js";
import { Webhook, WebhookAttempt } from "./webhook.entity.js";

/** How long a rotated-out secret keeps signing, unless told otherwise. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
const MAX_ROTATION_OVERLAP_SECONDS = 7 * 86400;

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  description?: string | null;
}

export interface WebhookMessageState {
  id: string;
  event: string;
  state: "PENDING" | "DELIVERED" | "FAILED";
  nextAttemptAt: Date;
}

export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
    private readonly deliverer: WebhookDeliverer,
    private readonly settings: WebhookSettings,
    private readonly maxPageSize: number,
  ) {}

  list(viewer: Viewer, page: PageArgs) {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    const qb = this.dataSource.getRepository(Webhook).createQueryBuilder("w").where("w.firm_id = :firmId", { firmId: actor.firmId });
    return paginate(qb, page, { expr: "w.created_at", type: "timestamptz", direction: "DESC", idExpr: "w.id" }, this.maxPageSize);
  }

  /** One of the viewer's firm's webhooks; NOT_FOUND for anyone who may not manage them. */
  async find(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager): Promise<Webhook> {
    if (!mayManageWebhooks(actor) || actor.type === "SYSTEM") throw new NotFoundError("Webhook");
    const webhook = await manager.getRepository(Webhook).findOneBy({ id, firmId: actor.firmId });
    if (!webhook) throw new NotFoundError("Webhook");
    return webhook;
  }

  private check(input: Partial<WebhookInput>): void {
    const problem = input.url === undefined ? null : targetProblem(input.url, this.settings.allowPrivate);
    throwIfAny(
      [
        input.url !== undefined ? requiredText(input.url, ["url"], { en: "URL", nl: "De URL" }, 2000) : null,
        problem ? new UserError(UserErrorCode.INVALID, problem, ["url"]) : null,
        input.events !== undefined && input.events.length === 0
          ? new UserError(UserErrorCode.INVALID, { en: "Choose at least one event", nl: "Kies ten minste één gebeurtenis" }, ["events"])
          : null,
        input.description ? (requiredText(input.description, ["description"], { en: "Description", nl: "De omschrijving" }, 300) ?? null) : null,
      ].filter((e): e is UserError => e !== null),
    );
  }

  async create(viewer: Viewer, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    this.check(input);
    const secret = newWebhookSecret();
    return inTransaction(this.dataSource, async (manager) => {
      const id = randomUUID();
      const url = input.url.trim();
      await manager.getRepository(Webhook).insert({
        id,
        firmId: actor.firmId,
        url,
        description: input.description?.trim() ?? "",
        events: [...new Set(input.events)],
        secret,
        previousSecret: null,
        previousSecretUntil: null,
        enabled: true,
        disabledAt: null,
        disabledReason: null,
        failingSince: null,
        lastSuccessAt: null,
        createdByLabel: actor.label,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await this.record(manager, actor, id, "webhook.created", { url, events: input.events });
      return { webhook: await manager.getRepository(Webhook).findOneByOrFail({ id }), secret };
    });
  }

  /** Changes what is given; enabling a disabled endpoint starts its pending messages again. */
  async update(
    viewer: Viewer,
    input: { id: string; url?: string | null; events?: WebhookEvent[] | null; description?: string | null; enabled?: boolean | null },
  ): Promise<Webhook> {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    this.check({ url: input.url ?? undefined, events: input.events ?? undefined, description: input.description });
    return inTransaction(this.dataSource, async (manager) => {
      const webhook = await this.find(actor, input.id, manager);
      const changes: Partial<Webhook> = { updatedAt: new Date() };
      if (input.url != null) changes.url = input.url.trim();
      if (input.events != null) changes.events = [...new Set(input.events)];
      if (input.description != null) changes.description = input.description.trim();
      if (input.enabled === true && !webhook.enabled) Object.assign(changes, { enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
      if (input.enabled === false && webhook.enabled) Object.assign(changes, { enabled: false, disabledAt: new Date(), disabledReason: `Disabled by ${actor.label}` });
      await manager.getRepository(Webhook).update({ id: webhook.id }, changes);
      const { updatedAt: _ignored, ...recorded } = changes;
      await this.record(manager, actor, webhook.id, "webhook.updated", recorded);
      return manager.getRepository(Webhook).findOneByOrFail({ id: webhook.id });
    });
  }

  /** A new secret at once; the old one signs too for `overlapSeconds`, so receivers can switch without losing a message. */
  async rotateSecret(viewer: Viewer, input: { id: string; overlapSeconds?: number | null }): Promise<{ webhook: Webhook; secret: string }> {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    const overlap = input.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS;
    if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_ROTATION_OVERLAP_SECONDS) {
      throw new UserError(
        UserErrorCode.INVALID,
        {
          en: `The overlap must be from 0 to ${MAX_ROTATION_OVERLAP_SECONDS} seconds (7 days)`,
          nl: `De overlap moet 0 tot en met ${MAX_ROTATION_OVERLAP_SECONDS} seconden (7 dagen) zijn`,
        },
        ["overlapSeconds"],
      );
    }
    const secret = newWebhookSecret();
    return inTransaction(this.dataSource, async (manager) => {
      const webhook = await this.find(actor, input.id, manager);
      await manager.query(
        `UPDATE webhooks SET previous_secret = CASE WHEN $3 > 0 THEN secret END, previous_secret_until = CASE WHEN $3 > 0 THEN now() + make_interval(secs => $3) END,
                secret = $2, updated_at = now() WHERE id = $1`,
        [webhook.id, secret, overlap],
      );
      await this.record(manager, actor, webhook.id, "webhook.secret_rotated", { overlapSeconds: overlap });
      return { webhook: await manager.getRepository(Webhook).findOneByOrFail({ id: webhook.id }), secret };
    });
  }

  /** Removes the endpoint with its queue and history. */
  async remove(viewer: Viewer, id: string): Promise<Webhook> {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    return inTransaction(this.dataSource, async (manager) => {
      const webhook = await this.find(actor, id, manager);
      await manager.getRepository(Webhook).delete({ id: webhook.id });
      await this.record(manager, actor, webhook.id, "webhook.removed", { url: webhook.url });
      return webhook;
    });
  }

  /** Sends a test message now (not queued, not retried) and answers with the attempt. */
  async test(viewer: Viewer, id: string): Promise<WebhookAttempt> {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    const webhook = await this.find(actor, id);
    const [secrets] = (await this.dataSource.query("SELECT secret, previous_secret, previous_secret_until FROM webhooks WHERE id = $1", [webhook.id])) as Array<{
      secret: string;
      previous_secret: string | null;
      previous_secret_until: Date | null;
    }>;
    const messageId = randomUUID();
    const body = webhookBody(TEST_TYPE, { webhook: { id: webhook.id, url: webhook.url }, by: actor.label });
    await this.dataSource.query(
      `INSERT INTO webhook_messages (id, webhook_id, subject, event, body, state, attempts) VALUES ($1, $2, $3, $4, $5, 'PENDING', 1)`,
      // A subject of its own: a test never waits behind (or holds up) the endpoint's real messages.
      [messageId, webhook.id, `Test:${messageId}`, TEST_TYPE, body],
    );
    const message: ClaimedMessage = {
      id: messageId,
      webhookId: webhook.id,
      subject: `Test:${messageId}`,
      body,
      attempts: 1,
      lease: null,
      url: webhook.url,
      secrets: activeSecrets(secrets!),
    };
    const result = await sendWebhook(webhook.url, body, signedHeaders(messageId, body, message.secrets), this.settings);
    await this.deliverer.settle(message, result, { retry: false });
    return this.dataSource.getRepository(WebhookAttempt).findOneOrFail({ where: { messageId }, order: { at: "DESC" } });
  }

  /** Queues the message of an attempt again, under its webhook-id, behind what is pending for its subject. */
  async redeliver(viewer: Viewer, attemptId: string): Promise<Webhook> {
    const actor = requireActor(viewer);
    assertMayManageWebhooks(actor);
    return inTransaction(this.dataSource, async (manager) => {
      const [attempt] = (await manager.query(
        `SELECT a.message_id, m.state, w.id AS webhook_id FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id JOIN webhooks w ON w.id = a.webhook_id
          WHERE a.id = $1 AND w.firm_id = $2 FOR UPDATE OF m`,
        [attemptId, actor.firmId],
      )) as Array<{ message_id: string; state: string; webhook_id: string }>;
      if (!attempt) throw new NotFoundError("WebhookDelivery");
      if (attempt.state === "PENDING")
        throw new UserError(UserErrorCode.WRONG_STATE, { en: "This message is still being delivered", nl: "Dit bericht wordt nog afgeleverd" }, ["deliveryId"]);
      await manager.query(
        `UPDATE webhook_messages SET state = 'PENDING', next_attempt_at = now(), lease_until = NULL, delivered_at = NULL,
                seq = nextval(pg_get_serial_sequence('webhook_messages', 'seq')) WHERE id = $1`,
        [attempt.message_id],
      );
      await this.record(manager, actor, attempt.webhook_id, "webhook.redelivery_requested", { messageId: attempt.message_id });
      await this.bus.publish(manager, { topic: "webhooks.queued" });
      return manager.getRepository(Webhook).findOneByOrFail({ id: attempt.webhook_id });
    });
  }

  /** Removes messages delivered or given up longer ago than WEBHOOK_RETENTION, with their attempts. */
  async prune(): Promise<number> {
    const [, removed] = (await this.dataSource.query("DELETE FROM webhook_messages WHERE state <> 'PENDING' AND created_at < now() - make_interval(secs => $1)", [
      this.settings.retentionSeconds,
    ])) as [unknown, number];
    return removed;
  }

  /** The attempts made for a webhook, newest first. */
  deliveries(webhookId: string, page: PageArgs) {
    const qb = this.dataSource.getRepository(WebhookAttempt).createQueryBuilder("a").where("a.webhook_id = :webhookId", { webhookId });
    return paginate(qb, page, { expr: "a.at", type: "timestamptz", direction: "DESC", idExpr: "a.id" }, this.maxPageSize);
  }

  /** The messages of these ids (for a page of deliveries). */
  async messages(ids: readonly string[]): Promise<Map<string, WebhookMessageState>> {
    const rows = (await this.dataSource.query("SELECT id, event, state, next_attempt_at FROM webhook_messages WHERE id = ANY($1)", [ids])) as Array<{
      id: string;
      event: string;
      state: WebhookMessageState["state"];
      next_attempt_at: Date;
    }>;
    return new Map(rows.map((r) => [r.id, { id: r.id, event: r.event, state: r.state, nextAttemptAt: r.next_attempt_at }]));
  }

  /** Messages waiting to be delivered, per webhook. */
  async pendingCounts(webhookIds: readonly string[]): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query("SELECT webhook_id, count(*)::int AS n FROM webhook_messages WHERE webhook_id = ANY($1) AND state = 'PENDING' GROUP BY webhook_id", [
      webhookIds,
    ])) as Array<{ webhook_id: string; n: number }>;
    return new Map(rows.map((r) => [r.webhook_id, r.n]));
  }

  private async record(manager: EntityManager, actor: Exclude<Actor, { type: "SYSTEM" }>, webhookId: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.audit.record(manager, actor, { firmId: actor.firmId, administrationId: null, action, subjectType: "Webhook", subjectId: webhookId, details });
  }
}
