// What the operator's commands share: the configuration, a runtime that works no jobs (and uses
// the embedded database of a running `npm start` without stopping it), and plain messages instead
// of stack traces for what the operator can correct.
import "reflect-metadata";
import pino from "pino";
import { type Config, ConfigError, loadConfig } from "../config/config.js";
import { UserError, UserErrors } from "../core/errors.js";
import { openRuntime } from "../server/runtime.js";
import type { Services } from "../services.js";

/** Exits with `message` on standard error (64: the command was used wrongly, as sysexits has it). */
export function fail(message: string, code = 64): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export async function withServices(run: (services: Services, config: Config) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = { ...loadConfig(), runJobs: false };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 78);
    throw error;
  }
  // Warnings and worse go to standard error; standard output is the command's answer.
  const logger = pino({ level: config.logLevel === "silent" ? "silent" : "warn", base: null }, pino.destination(2));
  const runtime = await openRuntime(config, logger, { tool: true });
  try {
    await run(runtime.services, config);
  } catch (error) {
    if (error instanceof UserError) fail(error.message, 65);
    if (error instanceof UserErrors) fail(error.errors.map((e) => e.message).join("\n"), 65);
    throw error;
  } finally {
    await runtime.close();
  }
}
