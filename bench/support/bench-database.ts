// A fresh database for one benchmark: on DATABASE_URL's server, or a throw-away embedded
// PostgreSQL. Dropped (and the embedded server stopped) afterwards, whatever happens.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Config, loadConfig } from "../../src/config/config.js";
import { ensureDatabase } from "../../src/db/data-source.js";
import { databaseUrl, startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";

export interface BenchDatabase {
  /** URL of the benchmark's own database. */
  url: string;
  /** A temporary folder for DATA_DIR (blobs, temp files). */
  dataDir: string;
}

/**
 * A server's config on the bench database, listening on a free loopback port, quiet, and without
 * request budgets (a bench asks far faster than people do), with `extra` on top.
 */
export function benchConfig({ url, dataDir }: BenchDatabase, extra: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_URL: url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: dataDir, RATE_LIMITS: "false", ...extra });
}

export async function withBenchDatabase<T>(name: string, run: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-bench-"));
  await fs.chmod(dataDir, 0o755);
  let adminUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  try {
    if (!adminUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir, fast: true });
      adminUrl = embedded.adminUrl;
      stopEmbedded = embedded.stop;
    }
    const dbName = `pd_bench_${name}_${process.pid}`;
    await ensureDatabase(adminUrl, dbName);
    try {
      return await run({ url: databaseUrl(adminUrl, dbName), dataDir });
    } finally {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await stopEmbedded?.();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
