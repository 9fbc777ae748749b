// Prometheus metrics at /metrics: GraphQL requests by operation, their latency and SQL statements.
import type { ApolloServerPlugin } from "@apollo/server";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { currentQueryStats } from "../db/query-stats.js";

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
    help: "SQL statements per GraphQL request",
    labelNames: ["operation"] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });

  /** Operation names are chosen by clients: cap how many distinct ones become labels. */
  private readonly knownOperations = new Set<string>();
  private static readonly MAX_OPERATION_LABELS = 500;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  private operationLabel(name: string): string {
    const label = name.slice(0, 80);
    if (this.knownOperations.has(label)) return label;
    if (this.knownOperations.size >= Metrics.MAX_OPERATION_LABELS) return "other";
    this.knownOperations.add(label);
    return label;
  }

  /** Apollo plugin that observes every request. */
  plugin(): ApolloServerPlugin {
    const metrics = this;
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        return {
          async willSendResponse(requestContext) {
            // Unknown operations are not labelled by name: a client must not grow our label set.
            const name = requestContext.operation?.name?.value;
            const operation = name ? metrics.operationLabel(name) : requestContext.operation ? "anonymous" : "invalid";
            const type = requestContext.operation?.operation ?? "unknown";
            const outcome = requestContext.errors?.length ? "error" : "ok";
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            metrics.requests.inc({ operation, type, outcome });
            metrics.duration.observe({ operation, type }, seconds);
            const stats = currentQueryStats();
            if (stats) metrics.statements.observe({ operation }, stats.statements);
          },
        };
      },
    };
  }
}
