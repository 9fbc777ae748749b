// The one queue for background work: pg-boss on the same PostgreSQL, so nothing else runs.
// Jobs are sent inside the transaction of the change that needs them (they exist only if it
// commits), retried with backoff, and worked by any instance (or `npm run worker`).
import PgBoss from "pg-boss";
import type { EntityManager } from "typeorm";
import { measured } from "../core/outcomes.js";
import { continueTrace, traceCarrier } from "../telemetry/tracing.js";
import { databaseUnavailability } from "../db/transaction.js";

/** `lastAttempt`: no retry follows if this run fails (a handler may then record the failure for good). */
export type JobHandler<T> = (data: T, run: { attempt: number; lastAttempt: boolean }) => Promise<void>;

/** A queue a module works on (declared in its manifest, src/modules/<x>/index.ts). */
export interface QueueDefinition {
  name: string;
  /** Retries before a job fails for good (default 5; from 5 s, doubling). */
  retryLimit?: number;
  /** Jobs fetched and run side by side per poll (default 3). */
  batchSize?: number;
}

export interface JobQueueOptions {
  url: string;
  log: (level: "info" | "warn" | "error", message: string, extra?: object) => void;
  /** Every queue of every module: created at start, the only names `send` and `work` take. */
  queues: readonly QueueDefinition[];
  /** Connections of the queue's own pool. */
  poolSize?: number;
}

/**
 * A job whose worker died (a killed process) is retried after this long; pg-boss's default is 15
 * minutes. Every handler is idempotent, so a long one running twice does no harm.
 */
const EXPIRE_SECONDS = 300;

/** Where a job's data carries the trace of the request that queued it (only while tracing is on). */
const TRACE_KEY = "_trace";

/** While the database is away, a job it failed is given back every second, for up to this long. */
const GIVE_BACK_ATTEMPTS = 120;

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly queues: Map<string, QueueDefinition>;
  /** Jobs this process is running now, by id: when each began (for `longRunning`). */
  private readonly running = new Map<string, { queue: string; since: number }>();

  constructor(private readonly options: JobQueueOptions) {
    this.queues = new Map(options.queues.map((queue) => [queue.name, queue]));
    this.boss = new PgBoss({ connectionString: options.url, max: options.poolSize ?? 3, schema: "pgboss", application_name: "portaldesk-jobs" });
    this.boss.on("error", (error) => options.log("warn", "job queue error", { error: error.message }));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const { name, retryLimit = 5 } of this.queues.values()) {
      const settings = { name, retryLimit, retryDelay: 5, retryBackoff: true, expireInSeconds: EXPIRE_SECONDS };
      const queue = await this.boss.getQueue(name);
      if (!queue) await this.boss.createQueue(name, settings);
      else if (queue.expireInSeconds !== EXPIRE_SECONDS) await this.boss.updateQueue(name, settings);
    }
  }

  /**
   * A job that failed because the database went away (a restart) is no failure of the job: it is
   * put back to run again a second later, without a retry's growing delay, and without using up a
   * retry. Until the database answers again, giving it back is itself retried.
   */
  private async settleFailure(name: string, id: string, error: unknown): Promise<void> {
    // A bare network failure is the database's only if the database does not answer now either
    // (an SMTP server refusing is an ordinary failure, retried with backoff).
    const away = databaseUnavailability(error) === "away" || (databaseUnavailability(error) === "maybe" && !(await this.databaseAnswers()));
    for (let attempt = 0; attempt < GIVE_BACK_ATTEMPTS; attempt++) {
      try {
        if (!away) {
          await this.boss.fail(name, id, { message: (error as Error).message ?? String(error) });
          return;
        }
        // pg-boss 10 has no call for this: its own table, as its fetch and fail statements use it
        // (started_on cleared, so its next fetch does not count a retry).
        await this.boss.getDb().executeSql(
          `UPDATE pgboss.job SET state = 'retry', start_after = now() + interval '1 second', started_on = NULL
            WHERE name = $1 AND id = $2 AND state = 'active'`,
          [name, id],
        );
        return;
      } catch (settling) {
        if (databaseUnavailability(settling) === null) throw settling;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    this.options.log("warn", "a job could not be given back while the database was away; it runs again when it expires", { name, id });
  }

  private known(name: string): QueueDefinition {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No module declares the job queue "${name}"`);
    return queue;
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.boss.getDb().executeSql("SELECT 1", []);
      return true;
    } catch {
      return false;
    }
  }

  /** Queues a job in the caller's transaction (or on its own when `manager` is null). */
  /** `startAfter`: seconds from now, or a moment (kept in the database: it survives restarts). */
  async send<T extends object>(manager: EntityManager | null, name: string, data: T, options: { singletonKey?: string; startAfter?: number | Date } = {}): Promise<void> {
    this.known(name);
    const db = manager ? { executeSql: async (text: string, values: unknown[]) => ({ rows: (await manager.query(text, values)) as unknown[] }) } : undefined;
    const trace = traceCarrier();
    const payload = Object.keys(trace).length > 0 ? { ...data, [TRACE_KEY]: trace } : data;
    await this.boss.send(name, payload, { ...options, ...(db ? { db } : {}) });
  }

  /**
   * Works jobs of `name` in this process. pg-boss's worker waits a polling interval after every
   * fetch, so it fetches a batch and runs the batch's jobs side by side; each job that fails is
   * failed on its own (and retried), the rest complete.
   */
  async work<T extends object>(name: string, handler: JobHandler<T>): Promise<void> {
    await this.boss.work<T>(name, { pollingIntervalSeconds: 1, batchSize: this.known(name).batchSize ?? 3, includeMetadata: true }, async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          const { [TRACE_KEY]: trace, ...data } = (job.data ?? {}) as T & { [TRACE_KEY]?: Record<string, string> };
          this.running.set(job.id, { queue: name, since: Date.now() });
          try {
            const run = { attempt: job.retryCount + 1, lastAttempt: job.retryCount >= job.retryLimit };
            await continueTrace(trace, () => measured("job", name, () => handler(data as T, run)));
          } catch (error) {
            // Settled here, the job leaves the active state: the batch's completion skips it.
            await this.settleFailure(name, job.id, error);
          } finally {
            this.running.delete(job.id);
          }
        }),
      );
    });
  }

  /** Runs `name` on a cron schedule (kept in the database: one run per moment across instances). */
  async schedule(name: string, cron: string, timeZone = "UTC"): Promise<void> {
    await this.boss.schedule(name, cron, {}, { tz: timeZone });
  }

  /** Jobs this process has been running for longer than `seconds` (a handler that hangs holds up its queue here). */
  longRunning(seconds: number): { queue: string; id: string; seconds: number }[] {
    const now = Date.now();
    return [...this.running].map(([id, run]) => ({ queue: run.queue, id, seconds: Math.round((now - run.since) / 1000) })).filter((run) => run.seconds > seconds);
  }

  /** Jobs per queue and state (created, retry, active, failed …) as the database holds them now, for /metrics. */
  async counts(): Promise<{ queue: string; state: string; count: number }[]> {
    const { rows } = (await this.boss.getDb().executeSql("SELECT name, state::text, count(*)::int AS count FROM pgboss.job GROUP BY name, state", [])) as {
      rows: { name: string; state: string; count: number }[];
    };
    return rows.map((row) => ({ queue: row.name, state: row.state, count: row.count }));
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }
}
