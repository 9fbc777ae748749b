// Structured JSON logs (pino) to stdout; one child logger per request carries its request id.
import { pino, type Logger } from "pino";
import type { Config } from "../config/config.js";
import { currentTraceIds, tracingEnabled } from "../telemetry/tracing.js";

export type { Logger };

export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "portaldesk" },
    timestamp: pino.stdTimeFunctions.isoTime,
    // With tracing on, each line names the trace and span it was written in.
    ...(tracingEnabled ? { mixin: currentTraceIds } : {}),
    redact: { paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token"], censor: "[redacted]" },
  });
}
