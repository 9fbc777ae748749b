// One event to many live subscribers: a staff member renames a document of an administration that
// SUBSCRIBERS subscriptions follow (`administrationEvents`, the portal's selection): 80 % of them
// from ten accountants, 20 % from four client users, 20 per socket, in a child process. Measured per
// event: the time from sending the mutation (its commit inside) to each subscriber's delivery (p50,
// p99, max), the SQL statements the server sent beyond the mutation's own, and the latency of a
// small query sent at the same moment (do other requests stay served?).
//
// Baseline in the same run: a raw WebSocket server on pg LISTEN that, per event, reads the document
// with one statement and sends the same JSON to as many plain sockets — the floor of commit-to-
// delivery on this machine. They take turns (baseline, project, …); medians over the rounds.
// Finally: how long the server takes to let go of all subscriptions once their sockets close.
import "reflect-metadata";
import { fork, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import os from "node:os";
import pg from "pg";
import { WebSocketServer } from "ws";
import { createClient, RenameDocumentDocument, SignInDocument, unwrap, ViewerDocument, type PortalDeskClient } from "@portaldesk/sdk";
import { startPortalDesk, type PortalDesk } from "../src/server/app.js";
import { statementsSent } from "../src/db/query-stats.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";
import type { SubscribersMessage, SubscribersPlan } from "./support/fanout-subscribers.js";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PER_SOCKET = 20;
const RAW_CHANNEL = "fanout_bench";

const now = () => performance.timeOrigin + performance.now();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` subscriptions over sockets of PER_SOCKET, spread over `tokens` in turn. */
function socketsFor(tokens: string[], count: number): SubscribersPlan["sockets"] {
  const sockets: SubscribersPlan["sockets"] = [];
  for (let left = count, i = 0; left > 0; i++) {
    const subscriptions = Math.min(PER_SOCKET, left);
    sockets.push({ token: tokens[i % tokens.length]!, subscriptions });
    left -= subscriptions;
  }
  return sockets;
}

/** The subscribers' process: started, subscribed, and asked for the arrival times of each event. */
class Subscribers {
  private readonly waiting = new Map<string, (at: number[]) => void>();
  private constructor(private readonly child: ChildProcess) {
    child.on("message", (message: SubscribersMessage) => {
      if (message.type === "arrived") this.waiting.get(message.name)?.(message.at);
      if (message.type === "failed") console.error(`  subscriber failed: ${message.error}`);
    });
  }

  static async start(plan: SubscribersPlan): Promise<Subscribers> {
    const child = fork(new URL("./support/fanout-subscribers.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
    const ready = new Promise<void>((resolve, reject) => {
      child.on("message", (message: SubscribersMessage) => {
        if (message.type === "ready") resolve();
        if (message.type === "failed") reject(new Error(message.error));
      });
      child.once("exit", (code) => reject(new Error(`subscribers exited with ${code}`)));
    });
    child.send(plan);
    await ready;
    return new Subscribers(child);
  }

  /** Arrival times at every subscriber of the event named `name` (rejects after 30 s). */
  arrivals(name: string): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not every subscriber got ${name} within 30 s`)), 30_000);
      this.waiting.set(name, (at) => {
        clearTimeout(timer);
        this.waiting.delete(name);
        resolve(at);
      });
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "close" });
    await exited;
  }
}

interface Round {
  p50: number;
  p99: number;
  max: number;
  /** Statements per event beyond the mutation's own (project only). */
  statements: number;
  /** Latency of a small query sent with each event. */
  probeP99: number;
}

/** Runs EVENTS events, one after the other; `fire` starts one and returns when its request was answered. */
async function round(subscribers: Subscribers, fire: (name: string) => Promise<void>, probe: () => Promise<void>, tag: string, ownStatements = 0): Promise<Round> {
  const latencies: number[] = [];
  const probes: number[] = [];
  let statements = 0;
  for (let n = 0; n < EVENTS; n++) {
    const name = `fanout-${tag}-${n}.pdf`;
    const arrived = subscribers.arrivals(name);
    const before = statementsSent();
    const sent = now();
    const fired = fire(name);
    const probeStart = now();
    await probe();
    probes.push(now() - probeStart);
    await fired;
    for (const at of await arrived) latencies.push(at - sent);
    statements += statementsSent() - before - ownStatements;
    await pause(100);
  }
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    statements: statements / EVENTS,
    probeP99: percentile(probes, 99),
  };
}

/** The baseline: pg LISTEN, one statement per event, one JSON sent to every socket. */
async function rawServer(url: string): Promise<{ url: string; close: () => Promise<void> }> {
  const listener = new pg.Client({ connectionString: url });
  await listener.connect();
  await listener.query(`LISTEN ${RAW_CHANNEL}`);
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  listener.on("notification", (message) => {
    void listener.query<{ id: string; filename: string; status: string }>("SELECT id, filename, status FROM documents WHERE id = $1", [message.payload]).then(({ rows }) => {
      const json = JSON.stringify({ change: "UPDATED", documentId: toGlobalId("Document", rows[0]!.id), filename: rows[0]!.filename, status: rows[0]!.status });
      for (const socket of wss.clients) socket.send(json);
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => wss.close(resolve));
      await listener.end();
    },
  };
}

async function signIn(server: PortalDesk, email: string): Promise<{ token: string; client: PortalDeskClient }> {
  const { token } = unwrap((await createClient({ url: `${server.url}/graphql` }).request(SignInDocument, { input: { email, password: BENCH_PASSWORD } })).signIn);
  if (!token) throw new Error(`${email} got no session`);
  return { token, client: createClient({ url: `${server.url}/graphql`, token }) };
}

await withBenchDatabase("event_fanout", async (db) => {
  const server = await startPortalDesk(benchConfig(db, { RUN_JOBS: "false", SUBSCRIPTIONS_PER_USER: String(SUBSCRIBERS), SUBSCRIPTIONS_PER_CONNECTION: String(PER_SOCKET) }));
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const raw = await rawServer(db.url);
  try {
    const world = await benchWorld(db.url, { staff: 10, clients: 4 });
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO documents (firm_id, administration_id, filename, content_type, format, byte_size, sha256, location, status, uploaded_by_user_id)
       SELECT $1, $2, 'fanout.pdf', 'application/pdf', 'PDF', 1000, md5('a') || md5('b'), 'DESK', 'ON_DESK', u.id FROM users u WHERE u.email = $3 RETURNING id`,
      [world.firmId, world.administrationId, world.clientEmail],
    );
    const documentId = rows[0]!.id;
    const staff = await Promise.all(world.staffEmails.map((email) => signIn(server, email)));
    const clients = await Promise.all(world.clientEmails.map((email) => signIn(server, email)));
    const renamer = staff[0]!.client;
    const administrationId = toGlobalId("Administration", world.administrationId);
    const rename = async (filename: string) => {
      unwrap((await renamer.request(RenameDocumentDocument, { input: { documentId: toGlobalId("Document", documentId), filename } })).renameDocument);
    };
    const probe = async () => {
      await clients[0]!.client.request(ViewerDocument);
    };
    const staffShare = Math.round(SUBSCRIBERS * 0.8);
    const sockets = [
      ...socketsFor(
        staff.map((s) => s.token),
        staffShare,
      ),
      ...socketsFor(
        clients.map((c) => c.token),
        SUBSCRIBERS - staffShare,
      ),
    ];

    // The mutation's own statements, with nobody listening.
    const own: number[] = [];
    for (let n = 0; n < 5; n++) {
      const before = statementsSent();
      await rename(`alone-${n}.pdf`);
      own.push(statementsSent() - before);
    }
    const idleProbes: number[] = [];
    const probeOwn: number[] = [];
    for (let n = 0; n < 20; n++) {
      const [start, before] = [now(), statementsSent()];
      await probe();
      idleProbes.push(now() - start);
      probeOwn.push(statementsSent() - before);
    }
    // Not the subscribers' work: the mutation and the query beside it.
    const ownStatements = median(own) + median(probeOwn);

    console.log(
      `event fan-out bench: ${SUBSCRIBERS} subscriptions of one administration (${staffShare} from 10 accountants, ${SUBSCRIBERS - staffShare} from 4 clients, ${PER_SOCKET} per socket), ${EVENTS} events x ${ROUNDS} rounds alternating`,
    );
    const figures: Record<"raw" | "project", Round[]> = { raw: [], project: [] };
    let released = { ms: 0, left: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const rawSubscribers = await Subscribers.start({ mode: "raw", url: raw.url, administrationId, sockets });
      figures.raw.push(
        await round(
          rawSubscribers,
          async (filename) => {
            const client = await pool.connect();
            try {
              await client.query("BEGIN");
              await client.query("UPDATE documents SET filename = $1 WHERE id = $2", [filename, documentId]);
              await client.query("SELECT pg_notify($1, $2)", [RAW_CHANNEL, documentId]);
              await client.query("COMMIT");
            } finally {
              client.release();
            }
          },
          probe,
          `raw${r}`,
        ),
      );
      await rawSubscribers.close();

      const base = server.services.bus.subscriptions;
      const subscribers = await Subscribers.start({ mode: "project", url: `${server.url}/graphql`, administrationId, sockets });
      const deadline = Date.now() + 30_000;
      while (server.services.bus.subscriptions < base + SUBSCRIBERS) {
        if (Date.now() > deadline) throw new Error(`only ${server.services.bus.subscriptions - base} of ${SUBSCRIBERS} subscriptions started`);
        await pause(20);
      }
      figures.project.push(await round(subscribers, rename, probe, `project${r}`, ownStatements));
      const closing = now();
      await subscribers.close();
      while (server.services.bus.subscriptions > base && now() - closing < 10_000) await pause(5);
      released = { ms: now() - closing, left: server.services.bus.subscriptions - base };
    }

    const summary = (list: Round[]) => ({
      p50: median(list.map((f) => f.p50)),
      p99: median(list.map((f) => f.p99)),
      max: median(list.map((f) => f.max)),
      statements: median(list.map((f) => f.statements)),
      probeP99: median(list.map((f) => f.probeP99)),
    });
    const [base, project] = [summary(figures.raw), summary(figures.project)];
    for (const [name, f] of [
      ["raw ws + pg LISTEN (baseline)", base],
      ["PortalDesk", project],
    ] as const) {
      console.log(
        `  ${name.padEnd(30)} delivery p50 ${f.p50.toFixed(1).padStart(6)} ms   p99 ${f.p99.toFixed(1).padStart(6)} ms   max ${f.max.toFixed(1).padStart(6)} ms   query beside it p99 ${f.probeP99.toFixed(1)} ms`,
      );
    }
    console.log(
      `  PortalDesk: ${project.statements.toFixed(1)} SQL statements per event for ${SUBSCRIBERS} subscribers (the mutation's and the query's own ${ownStatements} not counted)`,
    );
    console.log(
      `  ratio: p99 ${(project.p99 / base.p99).toFixed(1)}x the baseline's (goal: p99 < 200 ms); the same query when idle: p99 ${percentile(idleProbes, 99).toFixed(1)} ms`,
    );
    console.log(`  ${SUBSCRIBERS} subscriptions whose sockets closed left the bus in ${released.ms.toFixed(0)} ms (${released.left} left), without any event`);
    console.log(
      `  load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await raw.close();
    await pool.end();
    await server.stop();
  }
});
