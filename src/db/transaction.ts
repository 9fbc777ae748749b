import type { DataSource, EntityManager } from "typeorm";

/** Runs `fn` in a transaction: all of it commits, or none of it (and none of its events). */
export function inTransaction<T>(dataSource: DataSource, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(fn);
}

/** Whether `error` is a PostgreSQL unique-constraint violation (optionally of `constraint`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === "23505" && (!constraint || driverError.constraint === constraint);
}

/** PostgreSQL error classes that mean "the server is not there right now" (08: connection, 57P: shutdown). */
const UNAVAILABLE_CODES = /^(08|57P0[1-3])/;
const UNAVAILABLE_NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);

/** Whether `error` says the database could not be reached or went away (a restart), rather than refused a query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const driverError = ((error as { driverError?: unknown }).driverError ?? error) as { code?: string; message?: string } | null;
  const code = driverError?.code ?? "";
  if (UNAVAILABLE_CODES.test(code) || UNAVAILABLE_NETWORK.has(code)) return true;
  return /Connection terminated|terminating connection|connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i.test(driverError?.message ?? "");
}
