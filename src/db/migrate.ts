import type { DataSource } from "typeorm";

/** Any constant; shared by every instance so that only one migrates at a time. */
const MIGRATION_LOCK = 7_270_001;

/**
 * Applies pending migrations, one instance at a time (others wait, then find nothing to do), then
 * runs `afterwards` (grants, the job queue's schema) under the same lock.
 */
export async function runMigrations(dataSource: DataSource, logger: { info: (obj: object, msg: string) => void }, afterwards?: () => Promise<void>): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: "each" });
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, "applied migrations");
    await afterwards?.();
  } finally {
    await runner.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
