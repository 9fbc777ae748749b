// `npm run worker`: works background jobs without serving HTTP, for scaling out. Needs the
// database every server instance uses (DATABASE_URL); the servers can then run with RUN_JOBS=false.
// First: tracing patches http and pg before anything loads them (when OTEL_EXPORTER_OTLP_ENDPOINT is set).
import { flushTraces } from "./telemetry/tracing.js";
import "reflect-metadata";
import { type Config, ConfigError, loadConfig } from "./config/config.js";
import { createLogger } from "./server/logger.js";
import { installProcessGuards } from "./server/process-guards.js";
import { claimProcessTempDir } from "./storage/temp-files.js";
import { openRuntime } from "./server/runtime.js";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = { ...loadConfig(), runJobs: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  if (!config.databaseUrl) {
    process.stderr.write("The worker needs DATABASE_URL: the database the servers use (the embedded one belongs to `npm start`).\n");
    process.exit(78);
  }
  const logger = createLogger(config);
  installProcessGuards(logger);
  await claimProcessTempDir(config.dataDir);
  // Told to stop while still starting, it aborts the start (closing what was opened); once started, it stops.
  const aborter = new AbortController();
  const opening = openRuntime(config, logger, { signal: aborter.signal });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping");
    setTimeout(() => process.exit(1), 15_000).unref();
    aborter.abort();
    opening
      .then(
        (runtime) => runtime.close(),
        () => undefined,
      )
      .then(flushTraces)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  await opening.catch((error: unknown) => {
    if (!aborter.signal.aborted) throw error;
  });
  if (stopping) return;
  logger.info("PortalDesk worker is working jobs");
  process.stdout.write("PortalDesk worker is running\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`The worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
