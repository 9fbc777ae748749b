// Counts SQL statements per request, so tests can assert that a request batches its loads, and
// in all for the process (live events run outside any request).
import { AsyncLocalStorage } from "node:async_hooks";
import { AbstractLogger, type LogLevel, type LogMessage, type QueryRunner } from "typeorm";

export interface QueryStats {
  statements: number;
}

const storage = new AsyncLocalStorage<QueryStats>();

/** Every statement this process sent (all requests, jobs and live events): one increment, always on. */
let sent = 0;

export function statementsSent(): number {
  return sent;
}

/** Runs `fn` with a fresh statement counter active for everything it awaits. */
export function withQueryStats<T>(stats: QueryStats, fn: () => T): T {
  return storage.run(stats, fn);
}

export function currentQueryStats(): QueryStats | undefined {
  return storage.getStore();
}

/** TypeORM logger that counts every statement sent and passes slow or failed ones to pino. */
export class CountingLogger extends AbstractLogger {
  constructor(private readonly sink: (level: "warn" | "debug", message: string, extra?: object) => void) {
    super("all");
  }

  override logQuery(_query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    sent += 1;
    const stats = storage.getStore();
    if (stats) stats.statements += 1;
  }

  override logQuerySlow(time: number, query: string): void {
    this.sink("warn", "slow query", { ms: time, query: query.slice(0, 500) });
  }

  override logQueryError(error: string | Error, query: string): void {
    this.sink("debug", "query failed", { error: String(error), query: query.slice(0, 500) });
  }

  protected override writeLog(_level: LogLevel, _message: LogMessage | LogMessage[], _queryRunner?: QueryRunner): void {
    // schema-build and migration chatter is not logged
  }
}
