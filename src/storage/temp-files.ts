// Temporary files on this machine's disk: every process writes its own under
// DATA_DIR/tmp/<host>-<pid>/ (uploads being received, work folders of page editing and thumbnails,
// and, in a server or worker process, the multipart parser's upload buffers, by pointing the
// process's TMPDIR there). A process that is killed mid-upload leaves its folder behind: the next
// process on the same host removes the folders of processes that no longer run as it starts, and an
// hourly sweep removes what is older than the grace period (folders of other hosts sharing the
// disk, files of earlier versions, the parser's old buffers in the OS temp folder).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const FOLDER = /^(.+)-(\d+)$/;
/** graphql-upload's buffers (fs-capacitor), where TMPDIR was not pointed at a process folder. */
const UPLOAD_BUFFER = /^capacitor-[0-9a-f]{32}\.tmp$/;

export type TempLog = (level: "info" | "warn", message: string, extra?: object) => void;

export function tempRoot(dataDir: string): string {
  return path.join(dataDir, "tmp");
}

/** This process's own temp folder. */
export function processTempDir(dataDir: string): string {
  return path.join(tempRoot(dataDir), `${os.hostname()}-${process.pid}`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
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
    if (match && match[1] === host && !alive(Number(match[2]))) orphans.push(path.join(root, name));
  }
  return remove(orphans, log, "of processes that ended without cleaning up");
}

/** Hourly: everything in the temp root not owned by a live process of this host, unchanged for `graceSeconds`. */
export async function sweepStaleTempFiles(dataDir: string, graceSeconds: number, log: TempLog): Promise<number> {
  const before = Date.now() - graceSeconds * 1000;
  const root = tempRoot(dataDir);
  const host = os.hostname();
  const stale: string[] = [];
  for (const name of await fs.readdir(root).catch(() => [])) {
    const match = FOLDER.exec(name);
    if (match && match[1] === host && alive(Number(match[2]))) continue;
    const entry = path.join(root, name);
    if ((await newestChange(entry)) < before) stale.push(entry);
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
