// `npm start`: the server on the embedded database (or DATABASE_URL), with demo data on first start.
// First: tracing patches http and pg before anything loads them (when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import { flushTraces } from "./telemetry/tracing.js";
import "reflect-metadata";
import { type Config, ConfigError, loadConfig } from "./config/config.js";
import { EmbeddedPostgresError } from "./db/embedded-postgres.js";
import { demoBanner, demoMailInLine, seedDemoData } from "./scripts/demo-data.js";
import { type PortalDesk, startPortalDesk } from "./server/app.js";
import { createLogger, type Logger } from "./server/logger.js";
import { installProcessGuards } from "./server/process-guards.js";
import { claimProcessTempDir } from "./storage/temp-files.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config);
  installProcessGuards(logger);
  await claimProcessTempDir(config.dataDir);

  // Signals are handled from the first moment: one during start-up aborts it (what was opened, the
  // embedded database included, is closed again); after it, the server drains and stops.
  const aborter = new AbortController();
  let server: PortalDesk | null = null;
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, server ? "shutting down" : "stopping during start-up");
    const force = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, 30_000);
    force.unref();
    aborter.abort();
    starting
      .then(() => server?.stop())
      .then(flushTraces)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  const starting = start(config, aborter.signal, logger).then(
    (started) => {
      server = started;
    },
    (error: unknown) => {
      if (aborter.signal.aborted) return; // stopped on purpose; shutdown() exits
      if (error instanceof EmbeddedPostgresError) {
        process.stderr.write(`Cannot start the embedded database: ${error.message}\n`);
        process.exit(1);
      }
      throw error;
    },
  );
  await starting;
}

/** The server, demo data on the embedded database, and then ready (/readyz) — or aborted on the way. */
async function start(config: Config, signal: AbortSignal, logger: Logger): Promise<PortalDesk> {
  const server = await startPortalDesk(config, { logger, signal, deferReadiness: true });
  if (server.embedded && !signal.aborted) {
    const seeded = await seedDemoData(server.services, config.demoPassword);
    if (seeded.created) process.stdout.write(demoBanner(server.url, seeded, config.demoPassword) + "\n");
    const mailIn = server.mailInPort && config.mailIn ? await demoMailInLine(server.services, server.mailInPort, config.mailIn.domain) : null;
    if (mailIn) process.stdout.write(mailIn + "\n");
  }
  if (signal.aborted) return server; // shutdown() stops it
  server.markReady();
  process.stdout.write(`PortalDesk is running at ${server.url} (GraphQL at ${server.url}/graphql)\n`);
  if (!config.smtpUrl) process.stdout.write(`Mail is written to ${config.mail.folder} (set SMTP_URL to send it)\n`);
  return server;
}

main().catch((error: unknown) => {
  process.stderr.write(`PortalDesk failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
