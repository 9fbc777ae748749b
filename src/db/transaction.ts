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
