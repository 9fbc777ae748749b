// Delivers queued webhook messages (webhook_messages is the queue). Runs in every process that
// works jobs. Per endpoint and subject only the oldest pending message is due, so a subject's
// messages arrive in order; a message is claimed with a lease (FOR UPDATE SKIP LOCKED, then
// committed), so a deliverer that dies mid-request leaves it to another once the lease ends, under
// the same webhook-id: at least once, never out of order. Failures back off per
// WEBHOOK_RETRY_SCHEDULE; an endpoint failing for WEBHOOK_DISABLE_AFTER is disabled and its firm
// admins are told.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { WebhookSettings } from "../../config/config.js";
import type { SystemActor } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { AuditService } from "../audit/audit.service.js";
import { NotificationKind } from "../notifications/notification-kinds.js";
import type { NotificationService } from "../notifications/notification.service.js";
import { signedHeaders } from "./webhook-signing.js";
import { type SendResult, sendWebhook } from "./webhook-sender.js";

/** What a claim returns of the message and its endpoint. */
const CLAIMED = "m.id, m.webhook_id, m.subject, m.body, m.attempts, m.lease_until::text AS lease, w.url, w.secret, w.previous_secret, w.previous_secret_until";

const DELIVERER: SystemActor = { type: "SYSTEM", label: "webhooks" };

/** A message claimed for one attempt, with what sending it needs. */
export interface ClaimedMessage {
  id: string;
  webhookId: string;
  /** Its subject: after a success the same deliverer goes on with the subject's next message. */
  subject: string;
  body: string;
  attempts: number;
  /** The lease as the database wrote it: only its holder settles the attempt. */
  lease: string | null;
  url: string;
  secrets: string[];
}

interface ClaimRow {
  id: string;
  webhook_id: string;
  subject: string;
  body: string;
  attempts: number;
  lease: string | null;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
}

/** The secrets a message is signed with now: the current one, and the previous one during its overlap. */
export function activeSecrets(row: { secret: string; previous_secret: string | null; previous_secret_until: Date | null }): string[] {
  return row.previous_secret && row.previous_secret_until && row.previous_secret_until.getTime() > Date.now() ? [row.secret, row.previous_secret] : [row.secret];
}

export const toClaimed = (row: ClaimRow): ClaimedMessage => ({
  id: row.id,
  webhookId: row.webhook_id,
  subject: row.subject,
  body: row.body,
  attempts: row.attempts,
  lease: row.lease,
  url: row.url,
  secrets: activeSecrets(row),
});

export class WebhookDeliverer {
  private running = false;
  private pumping = false;
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly settings: WebhookSettings,
    private readonly log: (level: "info" | "warn", message: string, extra?: object) => void,
  ) {}

  /** A lease outlasts the longest request, so a live deliverer never loses its message. */
  private get leaseSeconds(): number {
    return Math.ceil(this.settings.timeoutMs / 1000) + 5;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unlisten = this.bus.listen((event) => {
      if (event.topic === "webhooks.queued") this.wake();
    });
    this.timer = setInterval(() => this.wake(), this.settings.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops claiming; waits for the requests under way (each ends within the timeout). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.unlisten?.();
    await Promise.allSettled([...this.inFlight]);
  }

  private wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump()
      .catch((error: unknown) => this.log("warn", "webhook delivery pass failed", { error: String(error) }))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async pump(): Promise<void> {
    while (this.running) {
      const free = this.settings.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const claimed = await this.claim(free);
      if (claimed.length === 0) return;
      for (const message of claimed) {
        const delivery: Promise<void> = this.deliver(message)
          .catch((error: unknown) => this.log("warn", "webhook delivery failed to settle", { error: String(error), messageId: message.id }))
          .finally(() => {
            this.inFlight.delete(delivery);
            this.wake();
          });
        this.inFlight.add(delivery);
      }
    }
  }

  /** Claims up to `limit` due messages, each the oldest pending one of its endpoint and subject. */
  async claim(limit: number): Promise<ClaimedMessage[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = (await this.dataSource.query(
      `WITH heads AS (
         SELECT h.id FROM webhook_messages h JOIN webhooks w ON w.id = h.webhook_id AND w.enabled
          WHERE h.state = 'PENDING' AND h.next_attempt_at <= now() AND (h.lease_until IS NULL OR h.lease_until < now())
            AND NOT EXISTS (SELECT 1 FROM webhook_messages e WHERE e.webhook_id = h.webhook_id AND e.subject = h.subject AND e.state = 'PENDING' AND e.seq < h.seq)
          ORDER BY h.next_attempt_at, h.seq LIMIT $1 FOR UPDATE OF h SKIP LOCKED)
       UPDATE webhook_messages m SET lease_until = now() + make_interval(secs => $2), attempts = m.attempts + 1
         FROM heads, webhooks w WHERE m.id = heads.id AND w.id = m.webhook_id
       RETURNING ${CLAIMED}`,
      [limit, this.leaseSeconds],
    )) as [ClaimRow[], number];
    return rows.map(toClaimed);
  }

  /** Sends the message, then (while they succeed) the subject's next ones, each claimed as the previous is settled. */
  private async deliver(first: ClaimedMessage): Promise<void> {
    let message: ClaimedMessage | null = first;
    while (message) {
      const result = await sendWebhook(message.url, message.body, signedHeaders(message.id, message.body, message.secrets), this.settings);
      message = await this.settle(message, result, { retry: true, claimNext: this.running });
    }
  }

  /**
   * Records an attempt and what follows from it: delivered; or pending again after the schedule's
   * wait (FAILED once the schedule is used up); and the endpoint disabled once it has failed long
   * enough. `retry: false` (testWebhook) records the attempt without queueing another.
   */
  async settle(message: ClaimedMessage, result: SendResult, options: { retry: boolean; claimNext?: boolean }): Promise<ClaimedMessage | null> {
    return inTransaction(this.dataSource, async (manager) => {
      // Not waiting for the flush to disk: a settlement lost in a database crash only means the
      // message is sent again under its webhook-id, which at-least-once delivery allows anyway.
      await manager.query("SET LOCAL synchronous_commit TO OFF");
      await manager.query(
        `INSERT INTO webhook_attempts (id, message_id, webhook_id, attempt, ok, status_code, error, duration_ms, response_excerpt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [randomUUID(), message.id, message.webhookId, message.attempts, result.ok, result.statusCode, result.error, result.durationMs, result.responseExcerpt],
      );
      const ours = message.lease === null ? "" : "AND lease_until = $2::timestamptz";
      const leaseParam = message.lease === null ? [] : [message.lease];
      if (result.ok) {
        const [, settled] = (await manager.query(`UPDATE webhook_messages SET state = 'DELIVERED', delivered_at = now(), lease_until = NULL WHERE id = $1 ${ours}`, [
          message.id,
          ...leaseParam,
        ])) as [unknown, number];
        // The endpoint's row is written at most once a minute while all is well: deliveries side
        // by side would otherwise queue on its lock.
        await manager.query(
          "UPDATE webhooks SET last_success_at = now(), failing_since = NULL WHERE id = $1 AND (failing_since IS NOT NULL OR last_success_at IS NULL OR last_success_at < now() - interval '1 minute')",
          [message.webhookId],
        );
        return settled === 1 && options.claimNext ? this.claimNext(manager, message) : null;
      }
      const schedule = this.settings.retryScheduleSeconds;
      const giveUp = !options.retry || message.attempts > schedule.length;
      const wait = giveUp ? 0 : schedule[message.attempts - 1]!;
      await manager.query(
        `UPDATE webhook_messages SET state = $${leaseParam.length + 2}, next_attempt_at = now() + make_interval(secs => $${leaseParam.length + 3}), lease_until = NULL WHERE id = $1 ${ours}`,
        [message.id, ...leaseParam, giveUp ? "FAILED" : "PENDING", wait],
      );
      await this.noteFailure(manager, message.webhookId);
      return null;
    });
  }

  /**
   * The next due message of the same endpoint and subject, claimed in the transaction that settled
   * its predecessor. FOR UPDATE waits (never SKIP LOCKED here: skipping a head locked by another
   * claim would take its successor out of turn); a head claimed meanwhile fails the lease test.
   */
  private async claimNext(manager: EntityManager, previous: ClaimedMessage): Promise<ClaimedMessage | null> {
    const [[row]] = (await manager.query(
      `UPDATE webhook_messages m SET lease_until = now() + make_interval(secs => $3), attempts = m.attempts + 1
         FROM webhooks w
        WHERE w.id = m.webhook_id AND w.enabled AND m.id = (
          SELECT n.id FROM webhook_messages n WHERE n.webhook_id = $1 AND n.subject = $2 AND n.state = 'PENDING'
           ORDER BY n.seq LIMIT 1 FOR UPDATE)
          AND m.next_attempt_at <= now() AND (m.lease_until IS NULL OR m.lease_until < now())
       RETURNING ${CLAIMED}`,
      [previous.webhookId, previous.subject, this.leaseSeconds],
    )) as [ClaimRow[], number];
    return row ? toClaimed(row) : null;
  }

  /** Marks the endpoint failing since its first failure after a success; disables it once that is long enough ago. */
  private async noteFailure(manager: EntityManager, webhookId: string): Promise<void> {
    // Two statements: one statement cannot update the same row twice (a CTE's change would be lost).
    await manager.query("UPDATE webhooks SET failing_since = coalesce(failing_since, now()) WHERE id = $1", [webhookId]);
    const [[disabled]] = (await manager.query(
      `UPDATE webhooks SET enabled = false, disabled_at = now(), updated_at = now(),
              disabled_reason = 'Failing without a success since ' || to_char(failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
        WHERE id = $1 AND enabled AND failing_since <= now() - make_interval(secs => $2)
       RETURNING id, firm_id, url, failing_since`,
      [webhookId, this.settings.disableAfterSeconds],
    )) as [Array<{ id: string; firm_id: string; url: string; failing_since: Date }>, number];
    if (!disabled) return;
    this.log("warn", "webhook endpoint disabled after failing too long", { webhookId, url: disabled.url });
    await this.audit.record(manager, DELIVERER, {
      firmId: disabled.firm_id,
      administrationId: null,
      action: "webhook.disabled",
      subjectType: "Webhook",
      subjectId: disabled.id,
      details: { url: disabled.url, failingSince: disabled.failing_since.toISOString() },
    });
    const admins = (await manager.query("SELECT id FROM users WHERE firm_id = $1 AND role = 'FIRM_ADMIN' AND status = 'ACTIVE'", [disabled.firm_id])) as Array<{ id: string }>;
    await this.notifications.notify(manager, {
      recipientUserIds: admins.map((a) => a.id),
      firmId: disabled.firm_id,
      kind: NotificationKind.WEBHOOK_DISABLED,
      params: { url: disabled.url, since: disabled.failing_since.toISOString() },
      subject: { type: "Webhook", id: disabled.id },
    });
  }
}
