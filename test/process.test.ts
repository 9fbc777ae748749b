// `npm start` as a person runs it: a child process on the embedded database.
import { SignInDocument, ViewerDocument, createClient, unwrap } from "@portaldesk/sdk";
import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../src/db/embedded-postgres.js";
import { exited, startServerProcess } from "./support/server-process.js";

const root = path.resolve(import.meta.dirname, "..");
const start = (env: Record<string, string>) => startServerProcess(env);

async function postmasterAlive(dataDir: string): Promise<boolean> {
  const pid = Number((await fs.readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the server process (npm start)", function () {
  this.timeout(120_000);
  let dataDir: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-start-"));
    await fs.chmod(dataDir, 0o755);
  });
  after(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("stops at once on a wrong setting, naming the variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "not-a-port", SESSION_TTL: "forever" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    expect(await exited(child)).to.equal(78);
    expect(stderr).to.contain("PORT: must be a port number");
    expect(stderr).to.contain("SESSION_TTL: must be a duration");
  });

  it("starts on the embedded database with demo users, and shuts down cleanly on SIGTERM", async () => {
    const server = await start({ DATA_DIR: dataDir, DEMO_PASSWORD: "demo password 123" });
    expect(server.output()).to.contain("client@demo.test");
    expect(server.output()).not.to.contain("demo password 123"); // a given password is not echoed
    const anonymous = createClient({ url: `${server.url}/graphql` });
    const session = unwrap((await anonymous.request(SignInDocument, { input: { email: "client@demo.test", password: "demo password 123" } })).signIn);
    expect(session.viewer?.memberships.map((m) => m.administration.name)).to.deep.equal(["Bakkerij De Demo B.V."]);
    expect(await postmasterAlive(dataDir)).to.equal(true);

    const stoppedAt = Date.now();
    server.child.kill("SIGTERM");
    expect(await exited(server.child)).to.equal(0);
    expect(Date.now() - stoppedAt).to.be.lessThan(10_000);
    expect(await postmasterAlive(dataDir)).to.equal(false);
  });

  it("says ready only once start-up is done: 'starting' while the demo data is made", async () => {
    const fresh = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-ready-"));
    await fs.chmod(fresh, 0o755);
    const port = await freePort();
    const seen = new Set<string>();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        if (answer) seen.add(`${answer.status} ${((await answer.json()) as { status: string }).status}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      const server = await start({ DATA_DIR: fresh, PORT: String(port), MAIL_IN: "false" });
      polling = false;
      await poll;
      expect(server.output()).to.contain("demo data created");
      expect(seen).to.include("503 starting"); // served, but still seeding
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).to.deep.equal({ status: "ready" });
      expect(await server.stop()).to.equal(0);
    } finally {
      polling = false;
      await fs.rm(fresh, { recursive: true, force: true });
    }
  });

  for (const moment of ["the embedded database has started", "migrations ran", "it listens, before the demo data"] as const) {
    it(`stops cleanly on a SIGTERM at any moment of start-up: when ${moment}`, async () => {
      const fresh = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-abort-"));
      await fs.chmod(fresh, 0o755);
      try {
        const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
          cwd: root,
          env: { ...process.env, DATABASE_URL: "", PORT: "0", HOST: "127.0.0.1", MAIL_IN: "false", DATA_DIR: fresh },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const sent = new Promise<void>((resolve) => {
          const onData = (chunk: Buffer) => {
            output += chunk.toString();
            if (moment === "migrations ran" ? output.includes("applied migrations") : moment === "it listens, before the demo data" && output.includes("PortalDesk is listening")) {
              child.kill("SIGTERM");
              resolve();
            }
          };
          child.stdout!.on("data", onData);
          child.stderr!.on("data", onData);
          if (moment === "the embedded database has started") {
            const watch = setInterval(() => {
              void postmasterAlive(fresh).then((alive) => {
                if (!alive || child.exitCode !== null) return;
                clearInterval(watch);
                child.kill("SIGTERM");
                resolve();
              });
            }, 10);
          }
        });
        await sent;
        expect(await exited(child)).to.equal(0);
        expect(output).to.match(/stopping during start-up|shutting down/);
        expect(output).not.to.contain("PortalDesk is running");
        expect(output).not.to.contain("failed to start");
        expect(await postmasterAlive(fresh)).to.equal(false);
      } finally {
        await fs.rm(fresh, { recursive: true, force: true });
      }
    });
  }

  it("recovers after being killed hard: the left-over database is reused, the data kept", async () => {
    const first = await start({ DATA_DIR: dataDir, DEMO_PASSWORD: "demo password 123" });
    first.child.kill("SIGKILL");
    await exited(first.child);
    expect(await postmasterAlive(dataDir)).to.equal(true); // orphaned postgres

    const second = await start({ DATA_DIR: dataDir });
    expect(second.output()).to.contain("reusing the embedded PostgreSQL");
    const anonymous = createClient({ url: `${second.url}/graphql` });
    const session = unwrap((await anonymous.request(SignInDocument, { input: { email: "admin@demo.test", password: "demo password 123" } })).signIn);
    const client = createClient({ url: `${second.url}/graphql`, token: session.token });
    expect((await client.request(ViewerDocument)).viewer.email).to.equal("admin@demo.test");
    second.child.kill("SIGINT");
    expect(await exited(second.child)).to.equal(0);
    expect(await postmasterAlive(dataDir)).to.equal(false);
  });

  it("explains what to change when the postgres user cannot reach DATA_DIR", async function () {
    if (process.getuid?.() !== 0) this.skip();
    const locked = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-locked-"));
    await fs.chmod(locked, 0o700);
    try {
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: "", PORT: "0", DATA_DIR: path.join(locked, "data") },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
      expect(await exited(child)).to.equal(1);
      expect(stderr).to.contain(`cannot enter ${locked}`);
      expect(stderr).to.contain("Set DATA_DIR");
    } finally {
      await fs.rm(locked, { recursive: true, force: true });
    }
  });
});

describe("the built server (npm run build, then node dist/src/main.js)", function () {
  this.timeout(180_000);

  it("compiles once, skips the build when nothing changed, and starts from dist/ in production mode", async () => {
    const build = async (...args: string[]) => {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["scripts/build.mjs", ...args], { cwd: root });
      return stdout + stderr;
    };
    await build("server");
    const again = await build("--if-stale", "server");
    expect(again).not.to.contain("built server"); // up to date: nothing compiled

    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-dist-"));
    await fs.chmod(dataDir, 0o755);
    try {
      const server = await startServerProcess({ DATA_DIR: dataDir, NODE_ENV: "production", MAIL_IN: "false", DEMO_PASSWORD: "demo password 123" }, ["dist/src/main.js"]);
      const anonymous = createClient({ url: `${server.url}/graphql` });
      const session = unwrap((await anonymous.request(SignInDocument, { input: { email: "admin@demo.test", password: "demo password 123" } })).signIn);
      expect(session.viewer?.email).to.equal("admin@demo.test");
      const portal = await fetch(`${server.url}/`);
      expect(await portal.text()).to.contain('<div id="app">');
      expect(await (await fetch(`${server.url}/readyz`)).json()).to.deep.equal({ status: "ready" });
      expect(await server.stop()).to.equal(0);
      expect(await postmasterAlive(dataDir)).to.equal(false);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
