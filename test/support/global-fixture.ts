// Mocha global fixtures: one PostgreSQL server for the run (the embedded one, or DATABASE_URL's),
// and a migrated template database that every test file clones (fast and fresh).
import "reflect-metadata";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDataSource } from "../../src/db/data-source.js";
import { databaseUrl, startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { runMigrations } from "../../src/db/migrate.js";
import { APP_ROLE, ensureLoginRole, grantAppRole } from "../../src/db/app-role.js";
import { JobQueue } from "../../src/jobs/job-queue.js";
import { entities, queues } from "../../src/modules/index.js";

/** The servers under test work as the restricted role, as in production (the password matters only where the server asks for one). */
export const TEST_APP_PASSWORD = "portaldesk-app-test";

let embedded: EmbeddedPostgres | null = null;
let tempDir: string | null = null;

export async function mochaGlobalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-test-"));
    await fs.chmod(tempDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: tempDir, fast: true });
    adminUrl = embedded.adminUrl;
  }
  const template = `pd_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const dataSource = createDataSource({ url: databaseUrl(adminUrl, template), entities, poolSize: 2 });
  await dataSource.initialize();
  await runMigrations(dataSource, { info: () => undefined });
  // The job queue's schema too, so that each cloned database starts with it, and the grants.
  const jobs = new JobQueue({ url: databaseUrl(adminUrl, template), queues, log: () => undefined, poolSize: 1 });
  await jobs.start();
  await jobs.stop();
  await ensureLoginRole(adminUrl, APP_ROLE, TEST_APP_PASSWORD);
  await grantAppRole((text) => dataSource.query(text), APP_ROLE);
  await dataSource.destroy();
  process.env.PORTALDESK_TEST_ADMIN_URL = adminUrl;
  process.env.PORTALDESK_TEST_TEMPLATE = template;
}

export async function mochaGlobalTeardown(): Promise<void> {
  const adminUrl = process.env.PORTALDESK_TEST_ADMIN_URL;
  if (adminUrl && !embedded) {
    // On a shared server, drop what this run created.
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`pd\\_%\\_${process.pid}%`]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await embedded?.stop();
  if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  exitIfStuck();
}

/**
 * Mocha waits for the event loop to empty (no --exit, so that a leak shows). A handle some test left
 * open would then keep CI waiting until its time limit: name what is still open, and end the
 * process with mocha's result (its exit listener sets the code).
 */
function exitIfStuck(): void {
  setTimeout(() => {
    console.error(`The test process has not ended 20 s after the run; still open: ${process.getActiveResourcesInfo().join(", ")}`);
    process.exit();
  }, 20_000).unref();
}
