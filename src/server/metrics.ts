// Prometheus metrics at /metrics: GraphQL requests by operation, their latency and SQL statements,
// live subscriptions.
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type OperationDefinitionNode } from "graphql";
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { currentQueryStats, statementsSent } from "../db/query-stats.js";

/**
 * The label of an operation: its first root field, which the schema knows ("uploadDocuments", with
 * "+" when it asks for more), never the name a client gave it — a client must not grow the label
 * set (500 made-up names once filled it). Requests refused before running are "invalid".
 */
function operationLabel(operation: OperationDefinitionNode | undefined): string {
  // Apollo names the operation only once it passed validation: its root fields exist.
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  if (!operation || !first || first.kind !== Kind.FIELD) return "invalid";
  return `${first.name.value}${operation.selectionSet.selections.length > 1 ? "+" : ""}`;
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

  constructor(live: { subscriptions: () => number }) {
    collectDefaultMetrics({ register: this.registry });
    const { registry } = this;
    new Gauge({
      name: "portaldesk_live_subscriptions",
      help: "Subscriptions following the event bus on this instance (a closed one leaves at once)",
      registers: [registry],
      collect() {
        this.set(live.subscriptions());
      },
    });
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
