// When the client sends a request again, and how long it waits first. Queries are safe to repeat:
// they are retried when the server cannot be reached or its gateway fails (502, 503, 504).
// Mutations only when the server said it did not run them: over the rate limit (429) or
// unavailable (503). Waits follow the server's Retry-After where it names one, else grow
// exponentially with jitter; a wait longer than `maxWaitSeconds` is not sat out.
import { NetworkError, PortalDeskError, RateLimitedError } from "./errors.js";

export interface RetryPolicy {
  /** How many times a request may be sent again (default 2). */
  retries: number;
  /** The longest wait the client sits out (default 30 s). */
  maxWaitSeconds: number;
  /** First backoff step in ms (default 300; doubled each time). */
  baseDelayMs: number;
}

/** Seconds named by a Retry-After header (seconds or an HTTP date), if any. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

/** The wait (ms) before sending again after `error`, or null when it is not to be sent again. */
export function retryDelay(error: unknown, attempt: number, kind: "query" | "mutation" | "subscription", policy: RetryPolicy): number | null {
  if (attempt >= policy.retries || !(error instanceof PortalDeskError)) return null;
  const backoff = policy.baseDelayMs * 2 ** attempt * (0.5 + Math.random() / 2);
  let wait: number | null = null;
  if (error instanceof RateLimitedError) wait = error.retryAfter * 1000;
  else if (error.status === 503) wait = error.retryAfterMs ?? backoff;
  else if (kind === "query" && (error.status === 502 || error.status === 504 || (error instanceof NetworkError && error.code === "NETWORK_ERROR"))) wait = backoff;
  return wait !== null && wait <= policy.maxWaitSeconds * 1000 ? wait : null;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
