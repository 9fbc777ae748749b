// PortalDesk as its own process (`node src/main.ts`), for tests that watch the server from outside.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resident memory of the server process, in bytes (Linux /proc). */
  rss(): Promise<number>;
  stop(): Promise<number | null>;
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/** `entry`: the TypeScript source through tsx (default), or e.g. `["dist/src/main.js"]` as built. */
export function startServerProcess(env: Record<string, string>, entry: string[] = ["--import", "tsx", "src/main.ts"]): Promise<ServerProcess> {
  const child = spawn(process.execPath, entry, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PortalDesk is running at (http:\/\/\S+) /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          output: () => output,
          async rss() {
            const status = await fs.readFile(`/proc/${child.pid}/status`, "utf8");
            return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
          },
          async stop() {
            if (child.exitCode !== null) return child.exitCode;
            child.kill("SIGTERM");
            return exited(child);
          },
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}
