// The one queue for background work: pg-boss on the same PostgreSQL, so nothing else runs.
// Jobs are sent inside the transaction of the change that needs them (they exist only if it
// commits), retried with backoff, and worked by any instance (or `npm run worker`).
import PgBoss from "pg-boss";
import type { EntityManager } from "typeorm";
import { databaseUnavailability } from "../db/transaction.js";

export type JobHandler<T> = (data: T) => Promise<void>;

export interface JobQueueOptions {
  url: string;
  log: (level: "info" | "warn" | "error", message: string, extra?: object) => void;
  /** Connections of the queue's own pool. */
  poolSize?: number;
}

export const JOB_NAMES = [
  "document.thumbnail",
  "document.extract_text",
  "blobs.sweep",
  "mail.send",
  "mail.digest",
  "filing.submit",
  "filing.poll",
  "report.announce",
  "desk.remind",
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Mail keeps trying longer: an SMTP server may be down a while (from 5 s, doubling: over an hour in all). */
const RETRIES: Partial<Record<JobName, number>> = { "mail.send": 10 };

/**
 * A job whose worker died (a killed process) is retried after this long; pg-boss's default is 15
 * minutes. Every handler is idempotent, so a long one running twice does no harm.
 */
const EXPIRE_SECONDS = 300;

/** While the database is away, a job it failed is given back every second, for up to this long. */
const GIVE_BACK_ATTEMPTS = 120;

/** Jobs fetched (and run side by side) per poll: mail is network-bound; the rest are heavier. */
const BATCH: Partial<Record<JobName, number>> = { "mail.send": 20, "filing.poll": 10, "report.announce": 10 };

export class JobQueue {
  private readonly boss: PgBoss;

  constructor(private readonly options: JobQueueOptions) {
    this.boss = new PgBoss({ connectionString: options.url, max: options.poolSize ?? 3, schema: "pgboss", application_name: "portaldesk-jobs" });
    this.boss.on("error", (error) => options.log("warn", "job queue error", { error: error.message }));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const name of JOB_NAMES) {
      const settings = { name, retryLimit: RETRIES[name] ?? 5, retryDelay: 5, retryBackoff: true, expireInSeconds: EXPIRE_SECONDS };
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
  private async settleFailure(name: JobName, id: string, error: unknown): Promise<void> {
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
  async send<T extends object>(manager: EntityManager | null, name: JobName, data: T, options: { singletonKey?: string; startAfter?: number | Date } = {}): Promise<void> {
    const db = manager ? { executeSql: async (text: string, values: unknown[]) => ({ rows: (await manager.query(text, values)) as unknown[] }) } : undefined;
    await this.boss.send(name, data, { ...options, ...(db ? { db } : {}) });
  }

  /**
   * Works jobs of `name` in this process. pg-boss's worker waits a polling interval after every
   * fetch, so it fetches a batch and runs the batch's jobs side by side; each job that fails is
   * failed on its own (and retried), the rest complete.
   */
  async work<T extends object>(name: JobName, handler: JobHandler<T>): Promise<void> {
    await this.boss.work<T>(name, { pollingIntervalSeconds: 1, batchSize: BATCH[name] ?? 3 }, async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await handler(job.data);
          } catch (error) {
            // Settled here, the job leaves the active state: the batch's completion skips it.
            await this.settleFailure(name, job.id, error);
          }
        }),
      );
    });
  }

  /** Runs `name` on a cron schedule (kept in the database: one run per moment across instances). */
  async schedule(name: JobName, cron: string, timeZone = "UTC"): Promise<void> {
    await this.boss.schedule(name, cron, {}, { tz: timeZone });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }
}
