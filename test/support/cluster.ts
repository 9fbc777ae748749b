// A PortalDesk cluster on this machine, for `npm run test:cluster`: its own PostgreSQL (embedded,
// so the test may restart it), S3 storage (s3rver), server processes with RUN_JOBS=false, worker
// processes, and haproxy in front with health checks on /readyz and WebSockets passed through.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import S3rver from "s3rver";
import { APP_ROLE, ensureLoginRole, withRole } from "../../src/db/app-role.js";
import { ensureDatabase } from "../../src/db/data-source.js";
import { databaseUrl, type EmbeddedPostgres, freePort, startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { exited, type ServerProcess, startServerProcess } from "./server-process.js";

const root = path.resolve(import.meta.dirname, "..", "..");

export const CLUSTER_PASSWORD = "cluster password 123";

export interface Cluster {
  /** The load balancer's address: what clients use. */
  url: string;
  servers: ServerProcess[];
  workers: ChildProcess[];
  /** What each worker wrote (warnings and errors at LOG_LEVEL=warn). */
  workerOutput: () => string[];
  database: EmbeddedPostgres;
  /** A pool on the cluster's database as its owner (to look at jobs and rows). */
  sql: pg.Pool;
  stop(): Promise<void>;
}

/** A worker process (`npm run worker`), resolved once it works jobs. */
function startWorker(env: Record<string, string>, outputs: string[], index: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      outputs[index] = output;
      if (output.includes("PortalDesk worker is running")) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

function haproxyConfig(port: number, backends: string[]): string {
  return [
    "global",
    "  maxconn 4000",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  timeout tunnel 1h",
    // A connection refused by a dead server is tried on another one.
    "  retries 2",
    "  option redispatch",
    "frontend portal",
    `  bind 127.0.0.1:${port}`,
    "  default_backend servers",
    "backend servers",
    "  balance roundrobin",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  default-server inter 500ms fall 2 rise 2",
    ...backends.map((address, i) => `  server s${i + 1} ${address} check`),
    "",
  ].join("\n");
}

export async function startCluster(options: { servers: number; workers: number }): Promise<Cluster> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-cluster-"));
  await fs.chmod(base, 0o755);
  const database = await startEmbeddedPostgres({ dataDir: path.join(base, "postgres"), fast: true });
  await ensureDatabase(database.adminUrl, "portaldesk");
  await ensureLoginRole(database.adminUrl, APP_ROLE, database.appPassword);
  const ownerUrl = databaseUrl(database.adminUrl, "portaldesk");
  const sql = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  sql.on("error", () => undefined); // the test restarts the database

  const s3Dir = path.join(base, "s3");
  await fs.mkdir(s3Dir);
  const s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3Dir });
  const endpoint = `http://127.0.0.1:${((await s3.run()) as AddressInfo).port}`;
  const admin = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  await admin.send(new CreateBucketCommand({ Bucket: "portaldesk" }));
  admin.destroy();

  const balancerPort = await freePort();
  const url = `http://127.0.0.1:${balancerPort}`;
  const common = {
    DATABASE_OWNER_URL: ownerUrl,
    DATABASE_URL: withRole(ownerUrl, APP_ROLE, database.appPassword),
    STORAGE: "s3",
    S3_ENDPOINT: endpoint,
    S3_BUCKET: "portaldesk",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_FORCE_PATH_STYLE: "true",
    PUBLIC_URL: url,
    TRUST_PROXY: "loopback",
    MAIL_IN: "false",
    RATE_LIMITS: "false",
    DEMO_PASSWORD: CLUSTER_PASSWORD,
    LOG_LEVEL: "warn",
  };
  const own = async (name: string) => {
    const dir = path.join(base, name);
    await fs.mkdir(dir);
    return { ...common, DATA_DIR: dir };
  };

  // The first server migrates; the demo data is seeded once; then the rest start side by side.
  const ports = await Promise.all(Array.from({ length: options.servers }, () => freePort()));
  const first = await startServerProcess({ ...(await own("server-1")), PORT: String(ports[0]), RUN_JOBS: "false" });
  const seed = spawn(process.execPath, ["--import", "tsx", "src/scripts/seed.ts"], { cwd: root, env: { ...process.env, ...(await own("seed")) }, stdio: "ignore" });
  if ((await exited(seed)) !== 0) throw new Error("seeding the cluster's demo data failed");
  const rest = await Promise.all(ports.slice(1).map(async (port, i) => startServerProcess({ ...(await own(`server-${i + 2}`)), PORT: String(port), RUN_JOBS: "false" })));
  const servers = [first, ...rest];
  const outputs: string[] = [];
  const workers = await Promise.all(Array.from({ length: options.workers }, async (_, i) => startWorker(await own(`worker-${i + 1}`), outputs, i)));

  const configFile = path.join(base, "haproxy.cfg");
  await fs.writeFile(
    configFile,
    haproxyConfig(
      balancerPort,
      ports.map((port) => `127.0.0.1:${port}`),
    ),
  );
  const balancer = spawn("haproxy", ["-f", configFile, "-db"], { stdio: ["ignore", "ignore", "pipe"] });
  for (let i = 0; ; i++) {
    const answer = await fetch(`${url}/readyz`).catch(() => null);
    if (answer?.ok) break;
    if (i > 200) throw new Error("haproxy did not come up");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    servers,
    workers,
    workerOutput: () => outputs,
    database,
    sql,
    async stop() {
      balancer.kill("SIGTERM");
      await Promise.all([...servers.map((server) => server.stop()), ...workers.map((worker) => (worker.exitCode === null ? (worker.kill("SIGTERM"), exited(worker)) : null))]);
      await sql.end();
      await database.stop();
      await s3.close();
      await fs.rm(base, { recursive: true, force: true });
    },
  };
}
