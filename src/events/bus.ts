// The event bus: PostgreSQL LISTEN/NOTIFY. A NOTIFY sent inside a transaction is delivered at
// commit and never on rollback, and every server instance on the same database LISTENs, so
// events cross instances with no extra server. Payloads carry ids only (NOTIFY's 8000-byte limit):
// subscribers load what they show through the same policies as queries.
import pg from "pg";
import type { EntityManager } from "typeorm";
import { AsyncQueue } from "./async-queue.js";

export const CHANNEL = "portaldesk_events";

/** What can happen to a document, and to an archive folder: defined once, for the bus and for `administrationEvents` (the GraphQL enum is made from these). */
export const DOCUMENT_CHANGES = ["ADDED", "FILED", "WITHDRAWN", "RETURNED", "PROCESSED", "UPDATED", "REMOVED", "REPLACED", "TEXT_READ", "DATA_READ"] as const;
export const FOLDER_CHANGES = ["FOLDER_CREATED", "FOLDER_UPDATED", "FOLDER_REMOVED", "ACCESS_CHANGED"] as const;
export type DocumentChange = (typeof DOCUMENT_CHANGES)[number];
export type FolderChange = (typeof FOLDER_CHANGES)[number];

/** Every event the system publishes. Add a variant per new kind. */
export type BusEvent =
  | { topic: "notification.created"; userId: string; notificationId: string }
  | { topic: "session.revoked"; sessionId: string }
  | { topic: "api_token.revoked"; tokenId: string }
  | {
      topic: "document.changed";
      administrationId: string;
      documentId: string;
      change: DocumentChange;
    }
  | { topic: "user.deactivated"; userId: string }
  | {
      topic: "folder.changed";
      administrationId: string;
      folderId: string;
      /** For a removed folder, visibility is judged by its parent. */
      parentId: string | null;
      change: FolderChange;
      /** For FOLDER_REMOVED: the client users who could see it (staff always hear). */
      visibleTo?: string[];
    }
  /** `action`: the audit action of the step (filing.approved, filing.submitted, …). */
  | { topic: "filing.changed"; administrationId: string; filingId: string; action: string }
  | { topic: "report.changed"; administrationId: string; reportId: string; change: ReportChange }
  | { topic: "figures.changed"; administrationId: string; months: string[] }
  /** Webhook messages were queued: deliverers look at once instead of at their next poll. */
  | { topic: "webhooks.queued" };

export const REPORT_CHANGES = ["PUBLISHED", "REPLACED", "WITHDRAWN"] as const;
export type ReportChange = (typeof REPORT_CHANGES)[number];

/**
 * Runs in the publishing transaction, before the NOTIFY (webhooks queue their messages here, so
 * they exist exactly when the change commits).
 */
export type PublishHook = (manager: EntityManager, event: BusEvent) => Promise<void>;

export type BusListener = (event: BusEvent) => void;

export interface EventBusOptions {
  url: string;
  log: (level: "info" | "warn" | "error", message: string, extra?: object) => void;
}

export class EventBus {
  private client: pg.Client | null = null;
  private readonly listeners = new Set<BusListener>();
  private readonly publishHooks: PublishHook[] = [];
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs = 250;
  private openSubscriptions = 0;

  constructor(private readonly options: EventBusOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: "portaldesk-events" });
    client.on("notification", (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      let event: BusEvent;
      try {
        event = JSON.parse(message.payload) as BusEvent;
      } catch {
        this.options.log("warn", "ignored a malformed event", { payload: message.payload.slice(0, 200) });
        return;
      }
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.options.log("error", "event listener failed", { error: String(error) });
        }
      }
    });
    client.on("error", (error) => {
      this.options.log("warn", "event bus connection lost; reconnecting", { error: error.message });
      this.scheduleReconnect();
    });
    client.on("end", () => {
      if (!this.stopped) this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
    this.reconnectDelayMs = 250;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const old = this.client;
    this.client = null;
    old?.removeAllListeners("end");
    old?.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((error: Error) => {
        this.options.log("warn", "event bus reconnect failed", { error: error.message });
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 10_000);
        this.scheduleReconnect();
      });
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
  }

  /** Queues `event` in the caller's transaction: it is delivered if and when that commits. */
  async publish(manager: EntityManager, event: BusEvent): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error("EventBus.publish must run inside a transaction (events follow their commit)");
    }
    for (const hook of this.publishHooks) await hook(manager, event);
    await manager.query("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]);
  }

  /** Adds a hook every publish runs in its transaction. */
  onPublish(hook: PublishHook): void {
    this.publishHooks.push(hook);
  }

  /** How many `subscribe` streams (live subscriptions) are open now. */
  get subscriptions(): number {
    return this.openSubscriptions;
  }

  /** Calls `listener` for every event on this instance until the returned function is called. */
  listen(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The events matching `filter` as an async iterable (for GraphQL subscriptions). The queue is
   * bounded: a consumer that falls far behind is ended rather than growing memory.
   */
  subscribe<E extends BusEvent>(filter: (event: BusEvent) => event is E): AsyncIterableIterator<E> {
    const queue = new AsyncQueue<E>({
      maxBuffered: 1000,
      onClose: () => {
        unlisten();
        this.openSubscriptions -= 1;
      },
    });
    this.openSubscriptions += 1;
    const unlisten = this.listen((event) => {
      if (filter(event)) queue.push(event);
    });
    return queue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.listeners.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
