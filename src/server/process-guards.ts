// The last line of defence of a server process: a promise rejection nobody handled, or an
// exception thrown outside any request, is logged and the process keeps serving everyone else.
// Node's default is to exit, so one faulty path (or one malformed request reaching it) would stop
// the service for all. Each such log line is a bug to fix: the paths that produced them are tested.
import type { Logger } from "./logger.js";

let installed = false;

export function installProcessGuards(logger: Logger): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "unhandled promise rejection; the process keeps serving");
  });
  process.on("uncaughtException", (error, origin) => {
    logger.error({ err: error, origin }, "uncaught exception; the process keeps serving");
  });
}
