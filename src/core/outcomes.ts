// How outside work went — jobs, outgoing mail, the filing gateway, webhook deliveries — published on
// one diagnostics channel, and each run a span of the current trace. /metrics subscribes
// (server/metrics.ts); the code doing the work needs to know nothing about who listens. Without
// subscribers and without tracing (telemetry/tracing.ts) both cost next to nothing.
import { SpanStatusCode, trace } from "@opentelemetry/api";
import diagnostics from "node:diagnostics_channel";

export type OutcomeKind = "job" | "mail" | "gateway" | "webhook";

export interface Outcome {
  kind: OutcomeKind;
  /** The queue, the mail transport ("smtp", "folder"), the gateway call ("submit", "status") or "deliver". */
  name: string;
  ok: boolean;
  seconds: number;
}

export const outcomes = diagnostics.channel("portaldesk.outcome");

const tracer = trace.getTracer("portaldesk");

/** Runs `work` in a span, publishing its outcome: failed when it throws, or when `succeeded` says so of its result. */
export function measured<T>(kind: OutcomeKind, name: string, work: () => Promise<T>, succeeded: (result: T) => boolean = () => true): Promise<T> {
  return tracer.startActiveSpan(`${kind} ${name}`, async (span) => {
    const started = performance.now();
    let ok = false;
    try {
      const result = await work();
      ok = succeeded(result);
      return result;
    } catch (error) {
      span.recordException(error as Error);
      throw error;
    } finally {
      if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      if (outcomes.hasSubscribers) outcomes.publish({ kind, name, ok, seconds: (performance.now() - started) / 1000 } satisfies Outcome);
    }
  });
}
