// How outside work went — jobs, outgoing mail, the filing gateway, webhook deliveries — published on
// one diagnostics channel. /metrics subscribes (server/metrics.ts); publishing costs nothing while
// nobody listens, and the code doing the work needs to know nothing about who does.
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

/** Runs `work`, publishing its outcome: failed when it throws, or when `succeeded` says so of its result. */
export async function measured<T>(kind: OutcomeKind, name: string, work: () => Promise<T>, succeeded: (result: T) => boolean = () => true): Promise<T> {
  if (!outcomes.hasSubscribers) return work();
  const started = performance.now();
  const publish = (ok: boolean) => outcomes.publish({ kind, name, ok, seconds: (performance.now() - started) / 1000 } satisfies Outcome);
  try {
    const result = await work();
    publish(succeeded(result));
    return result;
  } catch (error) {
    publish(false);
    throw error;
  }
}
