// Everything an instance needs besides HTTP: the database (embedded or DATABASE_URL), migrations,
// the event bus, the job queue and the services. The server and `npm run worker` share it.
import { PROJECT_VERSION } from "../config/project-root.js";
import type { DataSource } from "typeorm";
import type { Config } from "../config/config.js";
import { createDataSource, ensureDatabase } from "../db/data-source.js";
import { databaseUrl, type EmbeddedPostgres, startEmbeddedPostgres } from "../db/embedded-postgres.js";
import { APP_ROLE, auditTrailExposure, ensureLoginRole, grantAppRole, roleOf, withRole } from "../db/app-role.js";
import { runMigrations } from "../db/migrate.js";
import { loadServerSecret } from "../db/server-secrets.js";
import { EventBus } from "../events/bus.js";
import { JobQueue } from "../jobs/job-queue.js";
import { entities, queues, registerJobs } from "../modules/index.js";
import { createMailer, type Mailer } from "../mail/mailer.js";
import { type OpenGateway, openGateway } from "../modules/filings/open-gateway.js";
import { databaseSimulatorStore } from "../modules/filings/simulator-process-store.js";
import { createServices, type Services } from "../services.js";
import { createStorage } from "../storage/index.js";
import { removeOrphanedTempDirs, sweepStaleTempFiles } from "../storage/temp-files.js";
import type { Logger } from "./logger.js";

export const EMBEDDED_DATABASE_NAME = "portaldesk";

const TEMP_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** A job running longer than this is named in a warning, every LONG_JOB_CHECK_MS while it runs. */
const LONG_JOB_SECONDS = 60;
const LONG_JOB_CHECK_MS = 30_000;

export interface Runtime {
  services: Services;
  embedded: EmbeddedPostgres | null;
  /** Stops jobs, the bus and the pool, then the embedded database. */
  close(): Promise<void>;
}

interface Database {
  /** What the server connects as. */
  url: string;
  /** Who migrates and grants; null: the server's own role does (and is warned about). */
  ownerUrl: string | null;
  embedded: EmbeddedPostgres | null;
}

/**
 * Resolves the database: the configured URLs, or the embedded PostgreSQL under DATA_DIR, where the
 * server works as a restricted role of its own and the superuser only migrates.
 */
async function openDatabase(config: Config, logger: Logger, options: RuntimeOptions): Promise<Database> {
  if (config.databaseUrl) return { url: config.databaseUrl, ownerUrl: config.databaseOwnerUrl, embedded: null };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    leaveRunningIfFound: options.tool ?? false,
    log: (message) => logger.info({ component: "embedded-postgres" }, message),
  });
  try {
    await ensureDatabase(embedded.adminUrl, EMBEDDED_DATABASE_NAME);
    await ensureLoginRole(embedded.adminUrl, APP_ROLE, embedded.appPassword);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const ownerUrl = databaseUrl(embedded.adminUrl, EMBEDDED_DATABASE_NAME);
  return { url: withRole(ownerUrl, APP_ROLE, embedded.appPassword), ownerUrl, embedded };
}

/** Migrations, the job queue's schema and the server role's grants, as the owner (one instance at a time). */
async function prepareDatabase(database: Database, logger: Logger): Promise<void> {
  const owner = createDataSource({ url: database.ownerUrl ?? database.url, entities, poolSize: 2, applicationName: "portaldesk-migrate" });
  await owner.initialize();
  try {
    const appRole = roleOf(database.url);
    const separate = database.ownerUrl !== null && appRole !== roleOf(database.ownerUrl);
    await runMigrations(owner, logger, async () => {
      if (!separate) return;
      // pg-boss makes its schema and queues (DDL) as the owner; the server only uses them.
      const jobs = new JobQueue({ url: database.ownerUrl!, queues, log: () => undefined, poolSize: 1 });
      await jobs.start();
      await jobs.stop();
      await grantAppRole((text) => owner.query(text), appRole);
    });
  } finally {
    await owner.destroy();
  }
}

export interface RuntimeOptions {
  /** A command-line tool: it uses the embedded database of a running server, and leaves it running. */
  tool?: boolean;
  /** Aborted during start-up (a signal): what was opened is closed, and openRuntime rejects with an AbortError. */
  signal?: AbortSignal;
}

export async function openRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const database = await openDatabase(config, logger, options);
  const { url, embedded } = database;
  const log = (component: string) => (level: "info" | "warn" | "error" | "debug", message: string, extra?: object) => logger[level]({ component, ...extra }, message);
  let dataSource: DataSource | null = null;
  let bus: EventBus | null = null;
  let jobs: JobQueue | null = null;
  let mailer: Mailer | null = null;
  let gateway: OpenGateway | null = null;
  let tempSweep: NodeJS.Timeout | null = null;
  let longJobWatch: NodeJS.Timeout | null = null;
  let requestLimits: Services["requestLimits"] | null = null;
  let webhookDeliverer: Services["webhookDeliverer"] | null = null;
  const close = async () => {
    if (tempSweep) clearInterval(tempSweep);
    if (longJobWatch) clearInterval(longJobWatch);
    await requestLimits?.close();
    await webhookDeliverer?.stop();
    await jobs?.stop().catch((error: unknown) => logger.warn({ err: error }, "stopping the job queue failed"));
    mailer?.close();
    await gateway?.close();
    await bus?.stop();
    await dataSource?.destroy().catch(() => undefined);
    await embedded?.stop();
  };
  // Each step that takes long is followed by a look at the signal; close() undoes what was done.
  const unlessAborted = () => options.signal?.throwIfAborted();
  try {
    unlessAborted();
    await prepareDatabase(database, logger);
    unlessAborted();
    dataSource = createDataSource({ url, entities, poolSize: config.databasePoolSize, log: log("db") });
    await dataSource.initialize();
    const exposure = await auditTrailExposure((text) => dataSource!.query(text));
    if (exposure) {
      logger.warn(
        { component: "db" },
        `${exposure}: it could disable the audit trail's protection. Run the server as a restricted role (DATABASE_URL) and migrate as the owner (DATABASE_OWNER_URL); see docs/OPERATIONS.md`,
      );
    }
    bus = new EventBus({ url, log: log("events") });
    await bus.start();
    jobs = new JobQueue({ url, queues, log: log("jobs") });
    await jobs.start();
    unlessAborted();
    mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mail.from, folder: config.mail.folder });
    gateway = await openGateway(config.filings.gateway, databaseSimulatorStore(dataSource));
    const services = createServices(config, dataSource, bus, {
      storage: await createStorage(config.storage),
      jobs,
      mailer,
      gateway: gateway.gateway,
      simulator: gateway.simulator,
      version: PROJECT_VERSION,
      log: log("maintenance"),
      urlSigningSecret: await loadServerSecret(dataSource, "url_signing"),
    });
    requestLimits = services.requestLimits;
    webhookDeliverer = services.webhookDeliverer;
    if (config.runJobs) {
      await registerJobs(services);
      // Jobs of one queue are fetched only when the queue's last batch is done: a hanging one stops its queue.
      const queue = jobs;
      longJobWatch = setInterval(() => {
        for (const run of queue.longRunning(LONG_JOB_SECONDS)) logger.warn({ component: "jobs", ...run }, "a job has been running long; its queue waits for it");
      }, LONG_JOB_CHECK_MS);
      longJobWatch.unref();
    }
    // Local temp files are this machine's, so each process sweeps them (not a queue job, which any instance may take).
    const sweepTemp = () =>
      sweepStaleTempFiles(config.dataDir, config.blobSweepGraceSeconds, log("temp")).catch((error: unknown) => logger.warn({ err: error }, "temp sweep failed"));
    await removeOrphanedTempDirs(config.dataDir, log("temp"));
    await sweepTemp();
    tempSweep = setInterval(() => void sweepTemp(), TEMP_SWEEP_INTERVAL_MS);
    tempSweep.unref();
    unlessAborted();
    return { services, embedded, close };
  } catch (error) {
    await close();
    throw error;
  }
}
