// Prometheus metrics at /metrics: GraphQL requests by operation, their latency and SQL statements,
// live subscriptions and WebSockets, the database pool, jobs, and how outside work went (mail, the
// filing gateway, webhooks: core/outcomes.ts).
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type OperationDefinitionNode } from "graphql";
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { type Outcome, outcomes } from "../core/outcomes.js";
import { currentQueryStats, statementsSent } from "../db/query-stats.js";

/**
 * The label of an operation: its first root field, which the schema knows ("uploadDocuments", with
 * "+" when it asks for more), never the name a client gave it — a client must not grow the label
 * set (500 made-up names once filled it). Requests refused before running are "invalid".
 */
export function operationLabel(operation: OperationDefinitionNode | undefined): string {
  // Apollo names the operation only once it passed validation: its root fields exist.
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  if (!operation || !first || first.kind !== Kind.FIELD) return "invalid";
  return `${first.name.value}${operation.selectionSet.selections.length > 1 ? "+" : ""}`;
}

/** What the gauges read when /metrics is asked. */
export interface MetricSources {
  subscriptions: () => number;
  webSockets: () => number;
  pool: () => { total: number; idle: number; waiting: number };
  jobs: () => Promise<{ queue: string; state: string; count: number }[]>;
}

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "portaldesk_graphql_requests_total",
    help: "GraphQL requests by operation and outcome",
    labelNames: ["operation", "type", "outcome"] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "portaldesk_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation",
    labelNames: ["operation", "type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly statements = new Histogram({
    name: "portaldesk_graphql_sql_statements",
    help: "SQL statements per GraphQL request (counted only with SQL_STATEMENT_METRICS or EXPOSE_QUERY_STATS)",
    labelNames: ["operation"] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });

  private readonly onOutcome: (message: unknown) => void;

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry });
    const { registry } = this;
    new Gauge({
      name: "portaldesk_live_subscriptions",
      help: "Subscriptions following the event bus on this instance (a closed one leaves at once)",
      registers: [registry],
      collect() {
        this.set(sources.subscriptions());
      },
    });
    new Gauge({
      name: "portaldesk_websocket_connections",
      help: "Open WebSocket connections to this instance",
      registers: [registry],
      collect() {
        this.set(sources.webSockets());
      },
    });
    new Gauge({
      name: "portaldesk_db_pool_connections",
      help: "Connections of this instance's database pool, in use or idle",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        const pool = sources.pool();
        this.set({ state: "in_use" }, pool.total - pool.idle);
        this.set({ state: "idle" }, pool.idle);
      },
    });
    new Gauge({
      name: "portaldesk_db_pool_waiting",
      help: "Queries of this instance waiting for a free database connection",
      registers: [registry],
      collect() {
        this.set(sources.pool().waiting);
      },
    });
    new Gauge({
      name: "portaldesk_jobs",
      help: "Jobs in the queue by queue and state (created, retry, active, completed, failed …), for all instances",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        // The database away: the other metrics still answer (this one is then empty).
        for (const { queue, state, count } of await sources.jobs().catch(() => [])) this.set({ queue, state }, count);
      },
    });
    const jobDuration = new Histogram({
      name: "portaldesk_job_duration_seconds",
      help: "Jobs this process ran, by queue and outcome",
      labelNames: ["queue", "outcome"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    const mail = new Counter({
      name: "portaldesk_mail_sent_total",
      help: "Mail sent, by transport and outcome",
      labelNames: ["transport", "outcome"] as const,
      registers: [registry],
    });
    const gateway = new Counter({
      name: "portaldesk_gateway_calls_total",
      help: "Calls to the filing gateway (Digipoort or its simulator), by call and outcome",
      labelNames: ["call", "outcome"] as const,
      registers: [registry],
    });
    const webhooks = new Counter({
      name: "portaldesk_webhook_deliveries_total",
      help: "Webhook delivery attempts by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    });
    this.onOutcome = (message) => {
      const { kind, name, ok, seconds } = message as Outcome;
      const outcome = ok ? "ok" : "failed";
      if (kind === "job") jobDuration.observe({ queue: name, outcome }, seconds);
      else if (kind === "mail") mail.inc({ transport: name, outcome });
      else if (kind === "gateway") gateway.inc({ call: name, outcome });
      else webhooks.inc({ outcome });
    };
    outcomes.subscribe(this.onOutcome);
    new Counter({
      name: "portaldesk_sql_statements_total",
      help: "SQL statements this process sent: requests, jobs and live events",
      registers: [registry],
      collect() {
        this.reset();
        this.inc(statementsSent());
      },
    });
  }

  /** Stops following outcomes (the instance stops). */
  close(): void {
    outcomes.unsubscribe(this.onOutcome);
  }

  /** Apollo plugin that observes every request. */
  plugin(): ApolloServerPlugin {
    const { requests, duration, statements } = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse(requestContext) {
            const operation = operationLabel(requestContext.operation);
            const type = requestContext.operation?.operation ?? "unknown";
            const outcome = requestContext.errors?.length ? "error" : "ok";
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            requests.inc({ operation, type, outcome });
            duration.observe({ operation, type }, seconds);
            const stats = currentQueryStats();
            if (stats) statements.observe({ operation }, stats.statements);
          },
        };
      },
    };
  }
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether a request may read /metrics: the bearer token when one is set, else a loopback peer that
 * is not a proxy forwarding someone else's request (a proxy on the same host is loopback too).
 */
export function metricsAllowed(token: string | null, headers: IncomingHttpHeaders, remoteAddress: string | undefined): boolean {
  const authorization = headers.authorization;
  if (token) {
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "";
    return timingSafeEqual(digest(given), digest(token));
  }
  if (headers["x-forwarded-for"] || headers.forwarded || headers["x-real-ip"]) return false;
  const address = (remoteAddress ?? "").replace(/^::ffff:/, "");
  return address === "::1" || address.startsWith("127.");
}
