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
const UNAVAILABLE_CODES = /^(08|57P0[1-3])$/;
/** Network failures: from the pg driver they mean the database, from anything else (SMTP, S3) not. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);

/**
 * What `error` says of the database: "away" when PostgreSQL or the pg driver says the connection
 * went (a restart), "maybe" for a bare network failure, which any client (SMTP, S3) may also raise,
 * and null otherwise.
 */
export function databaseUnavailability(error: unknown): "away" | "maybe" | null {
  const driverError = ((error as { driverError?: unknown } | null)?.driverError ?? error) as { code?: string; message?: string } | null;
  const code = driverError?.code ?? "";
  if (UNAVAILABLE_CODES.test(code)) return "away";
  if (/Connection terminated|terminating connection|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i.test(driverError?.message ?? ""))
    return "away";
  return NETWORK_CODES.has(code) ? "maybe" : null;
}
