// Background jobs and a database that goes away: a job the restart made fail runs again a second
// later (not after a retry's growing delay, and without using up a retry), and new jobs run again
// as soon as the database is back.
import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDatabase } from "../src/db/data-source.js";
import { databaseUrl, startEmbeddedPostgres } from "../src/db/embedded-postgres.js";
import { JobQueue } from "../src/jobs/job-queue.js";
import { queues } from "../src/modules/index.js";
import { createTestDatabase, eventually } from "./support/harness.js";

describe("hardening: jobs and a database restart", function () {
  this.timeout(120_000);

  it("runs a job again at once when the database dropped it mid-way, without counting a failure", async () => {
    const db = await createTestDatabase();
    const queue = new JobQueue({ url: db.url, queues, log: () => undefined, poolSize: 2 });
    try {
      await queue.start();
      const calls: string[] = [];
      await queue.work<{ n: number }>("desk.remind", async () => {
        if (calls.length === 0) {
          calls.push("lost the database");
          // A real "terminating connection" from the server, as in a restart.
          const client = new pg.Client({ connectionString: db.url });
          client.on("error", () => undefined);
          await client.connect();
          const error = await client.query("SELECT pg_terminate_backend(pg_backend_pid())").catch((e: unknown) => e);
          await client.end().catch(() => undefined);
          throw error;
        }
        calls.push("done");
      });
      await queue.send(null, "desk.remind", { n: 1 });
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        const job = await eventually(async () => {
          const { rows } = await admin.query<{ state: string; retry_count: number; output: unknown }>(
            "SELECT state, retry_count, output FROM pgboss.job WHERE name = 'desk.remind'",
          );
          return rows[0]?.state === "completed" ? rows[0] : null;
        }, 15_000);
        expect(calls).to.deep.equal(["lost the database", "done"]);
        expect(job.retry_count).to.equal(0);
        expect(JSON.stringify(job.output ?? null)).not.to.match(/terminating/);
      } finally {
        await admin.end();
      }
    } finally {
      await queue.stop();
      await db.drop();
    }
  });

  it("fails as usual a job that met a network error of something else (an SMTP server), with its backoff", async () => {
    const db = await createTestDatabase();
    const queue = new JobQueue({ url: db.url, queues, log: () => undefined, poolSize: 2 });
    try {
      await queue.start();
      await queue.work<{ n: number }>("mail.digest", async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:2525"), { code: "ECONNREFUSED" });
      });
      await queue.send(null, "mail.digest", { n: 1 });
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        const job = await eventually(async () => {
          const { rows } = await admin.query<{ state: string; output: { message?: string } | null; start_after: Date }>(
            "SELECT state, output, start_after FROM pgboss.job WHERE name = 'mail.digest'",
          );
          return rows[0]?.state === "retry" ? rows[0] : null;
        }, 15_000);
        expect(job.output?.message).to.match(/ECONNREFUSED/);
        expect(job.start_after.getTime()).to.be.greaterThan(Date.now() + 2000); // the retry waits its delay
      } finally {
        await admin.end();
      }
    } finally {
      await queue.stop();
      await db.drop();
    }
  });

  it("works new jobs again once a restarted database is back", async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-restart-"));
    await fs.chmod(dataDir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir, fast: true });
    await ensureDatabase(server.adminUrl, "jobs");
    const url = databaseUrl(server.adminUrl, "jobs");
    const queue = new JobQueue({ url, queues, log: () => undefined, poolSize: 2 });
    try {
      await queue.start();
      const seen: number[] = [];
      await queue.work<{ n: number }>("desk.remind", async (data) => {
        seen.push(data.n);
      });
      await queue.send(null, "desk.remind", { n: 1 });
      await eventually(async () => seen.includes(1), 10_000);
      await server.restart();
      // The first statements after a restart may meet a dropped connection: the caller retries, as any would.
      await eventually(
        async () =>
          queue.send(null, "desk.remind", { n: 2 }).then(
            () => true,
            () => false,
          ),
        10_000,
      );
      await eventually(async () => seen.includes(2), 10_000);
    } finally {
      await queue.stop();
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
