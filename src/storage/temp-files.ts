// Temporary files on this machine's disk: every process writes its own under
// DATA_DIR/tmp/<host>-<pid>-<start>/ (uploads being received, work folders of page editing and
// thumbnails, and, in a server or worker process, the multipart parser's upload buffers, by
// pointing the process's TMPDIR there). <start> is the process's start time (Linux /proc), so a
// new process that got an old pid (pid 1 in every container) is not taken for the old one. A
// process killed mid-upload leaves its folder behind: the next process on the same host removes the
// folders of processes that no longer run as it starts, and an hourly sweep removes files untouched
// for the grace period where no live process of this host owns them (inside other hosts' folders
// only the files, never the folders, which a live process there may need; files of earlier
// versions; the parser's old buffers in the OS temp folder).
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const FOLDER = /^(.+)-(\d+)-(\d+)$/;
/** graphql-upload's buffers (fs-capacitor), where TMPDIR was not pointed at a process folder. */
const UPLOAD_BUFFER = /^capacitor-[0-9a-f]{32}\.tmp$/;

export type TempLog = (level: "info" | "warn", message: string, extra?: object) => void;

export function tempRoot(dataDir: string): string {
  return path.join(dataDir, "tmp");
}

/** When process `pid` started (clock ticks since boot, /proc/<pid>/stat field 22), or 0 where /proc is not there. */
function startTime(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]) || 0;
  } catch {
    return 0;
  }
}

const OWN_START = startTime(process.pid);

/** This process's own temp folder. */
export function processTempDir(dataDir: string): string {
  return path.join(tempRoot(dataDir), `${os.hostname()}-${process.pid}-${OWN_START}`);
}

/** Whether the process that made a folder of this host still runs: its pid lives and started then. */
function alive(pid: number, started: number): boolean {
  if (pid === process.pid) return started === OWN_START;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false; // EPERM: exists, owned by someone else
  }
  const now = startTime(pid);
  return now === 0 || now === started;
}

/** Newest modification time of anything under `entry` (a folder being written is recent). */
async function newestChange(entry: string): Promise<number> {
  const stat = await fs.lstat(entry).catch(() => null);
  if (!stat) return 0;
  let newest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const child of await fs.readdir(entry).catch(() => [])) newest = Math.max(newest, await newestChange(path.join(entry, child)));
  }
  return newest;
}

async function remove(entries: string[], log: TempLog, why: string): Promise<number> {
  for (const entry of entries) await fs.rm(entry, { recursive: true, force: true });
  if (entries.length) log("info", `removed temporary files ${why}`, { count: entries.length });
  return entries.length;
}

/**
 * At start: the folders of this host's processes that no longer run. Returns how many were removed.
 * Another live process's folder is never touched, whatever its age.
 */
export async function removeOrphanedTempDirs(dataDir: string, log: TempLog): Promise<number> {
  const root = tempRoot(dataDir);
  const host = os.hostname();
  const orphans: string[] = [];
  for (const name of await fs.readdir(root).catch(() => [])) {
    const match = FOLDER.exec(name);
    if (match && match[1] === host && !alive(Number(match[2]), Number(match[3]))) orphans.push(path.join(root, name));
  }
  return remove(orphans, log, "of processes that ended without cleaning up");
}

/** The files under `dir` unchanged since `before` (folders are kept). */
async function staleFiles(dir: string, before: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await staleFiles(full, before)));
    else if (((await fs.lstat(full).catch(() => null))?.mtimeMs ?? Infinity) < before) found.push(full);
  }
  return found;
}

/**
 * Hourly: what no live process of this host owns and nobody touched for `graceSeconds` — whole
 * folders of this host's ended processes and entries of earlier versions; inside other hosts'
 * folders only stale files (a live process there may be idle, its folders must stay).
 */
export async function sweepStaleTempFiles(dataDir: string, graceSeconds: number, log: TempLog): Promise<number> {
  const before = Date.now() - graceSeconds * 1000;
  const root = tempRoot(dataDir);
  const host = os.hostname();
  const stale: string[] = [];
  for (const name of await fs.readdir(root).catch(() => [])) {
    const entry = path.join(root, name);
    const match = FOLDER.exec(name);
    if (match && match[1] === host && alive(Number(match[2]), Number(match[3]))) continue;
    if (match && match[1] !== host) stale.push(...(await staleFiles(entry, before)));
    else if ((await newestChange(entry)) < before) stale.push(entry);
  }
  const osTemp = os.tmpdir();
  if (!path.resolve(osTemp).startsWith(path.resolve(root))) {
    for (const name of await fs.readdir(osTemp).catch(() => [])) {
      if (!UPLOAD_BUFFER.test(name)) continue;
      const entry = path.join(osTemp, name);
      if ((await newestChange(entry)) < before) stale.push(entry);
    }
  }
  return remove(stale, log, "left over from earlier work");
}

/**
 * For a server or worker process: its temp folder, created, with the process's TMPDIR pointed into
 * it, so that libraries writing to the OS temp folder (graphql-upload's buffers) and child
 * processes write here too. Call once, at process start.
 */
export async function claimProcessTempDir(dataDir: string): Promise<string> {
  const dir = processTempDir(dataDir);
  const buffers = path.join(dir, "buffers");
  await fs.mkdir(buffers, { recursive: true });
  process.env.TMPDIR = buffers;
  return dir;
}
