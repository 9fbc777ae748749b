// `npm start`: the server on the embedded database (or DATABASE_URL), with demo data on first start.
import "reflect-metadata";
import { ConfigError, loadConfig } from "./config/config.js";
import { EmbeddedPostgresError } from "./db/embedded-postgres.js";
import { demoBanner, demoMailInLine, seedDemoData } from "./scripts/demo-data.js";
import { startPortalDesk } from "./server/app.js";
import { createLogger } from "./server/logger.js";
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
  let server;
  try {
    server = await startPortalDesk(config, { logger });
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) {
      process.stderr.write(`Cannot start the embedded database: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (server.embedded) {
    const seeded = await seedDemoData(server.services, config.demoPassword);
    if (seeded.created) process.stdout.write(demoBanner(server.url, seeded, config.demoPassword) + "\n");
    const mailIn = server.mailInPort && config.mailIn ? await demoMailInLine(server.services, server.mailInPort, config.mailIn.domain) : null;
    if (mailIn) process.stdout.write(mailIn + "\n");
  }
  process.stdout.write(`PortalDesk is running at ${server.url} (GraphQL at ${server.url}/graphql)\n`);
  if (!config.smtpUrl) process.stdout.write(`Mail is written to ${config.mail.folder} (set SMTP_URL to send it)\n`);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    server.logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      server.logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, 15_000);
    force.unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`PortalDesk failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
