// A tray listing under load: `administration.documents(first: 50, filter: { tray: PURCHASE })` with
// each document's uploader, from 100,000 documents in one administration, against the baseline of a
// raw node:http + pg server that answers the same JSON shape with one hand-written statement, on
// the same database. Both servers live in this process; autocannon runs in a child process (so it
// does not take this event loop). They take turns (baseline, project, baseline, …); medians of the
// rounds: requests per second, p99 latency, CPU per request (this process's CPU time over the
// requests it served), and the project's ratios to the baseline.
import "reflect-metadata";
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import pg from "pg";
import { SignInDocument, createClient, unwrap } from "@portaldesk/sdk";
import { startPortalDesk } from "../src/server/app.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const QUERY = `query Tray($id: ID!) { administration(id: $id) { documents(first: 50, filter: { tray: PURCHASE }) {
  nodes { id filename contentType byteSize status tray uploadedAt uploadedBy { id name email } }
  pageInfo { hasNextPage endCursor } } } }`;

/** The baseline: the same page and JSON shape, one statement, no GraphQL. */
function rawServer(pool: pg.Pool, administrationId: string, firmId: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      JSON.parse(body); // as the project parses the request
      void pool
        .query<Record<string, string | number | null>>(
          `SELECT d.id, d.filename, d.content_type, d.byte_size, d.status, d.tray, d.uploaded_at, u.id AS user_id, u.name AS user_name, u.email AS user_email
             FROM documents d JOIN administrations a ON a.id = d.administration_id LEFT JOIN users u ON u.id = d.uploaded_by_user_id
            WHERE d.administration_id = $1 AND a.firm_id = $2 AND d.tray = 'PURCHASE' AND d.location = 'TRAY' AND d.removed_at IS NULL AND d.replaced_at IS NULL
            ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 51`,
          [administrationId, firmId],
        )
        .then(({ rows }) => {
          const nodes = rows.slice(0, 50).map((r) => ({
            id: toGlobalId("Document", String(r.id)),
            filename: r.filename,
            contentType: r.content_type,
            byteSize: Number(r.byte_size),
            status: r.status,
            tray: r.tray,
            uploadedAt: new Date(r.uploaded_at as string).toISOString(),
            uploadedBy: r.user_id ? { id: toGlobalId("User", String(r.user_id)), name: r.user_name, email: r.user_email } : null,
          }));
          const last = rows[Math.min(rows.length, 50) - 1];
          const json = JSON.stringify({
            data: {
              administration: { documents: { nodes, pageInfo: { hasNextPage: rows.length > 50, endCursor: last ? Buffer.from(String(last.id)).toString("base64url") : null } } },
            },
          });
          response.writeHead(200, { "content-type": "application/json" }).end(json);
        })
        .catch((error: Error) => response.writeHead(500).end(error.message));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

interface Figures {
  rps: number;
  p99: number;
  cpuMs: number;
}

async function load(url: string, token: string | null, body: string): Promise<Figures> {
  const cpu = process.cpuUsage();
  const headers = ["-H", "content-type=application/json", ...(token ? ["-H", `authorization=Bearer ${token}`] : [])];
  const { stdout } = await run("npx", ["autocannon", "-j", "-c", String(CONNECTIONS), "-d", String(SECONDS), "-m", "POST", ...headers, "-b", body, url], { maxBuffer: 1 << 26 });
  const used = process.cpuUsage(cpu);
  const result = JSON.parse(stdout) as { requests: { average: number; total: number }; latency: { p99: number }; non2xx: number; errors: number };
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, cpuMs: (used.user + used.system) / 1000 / result.requests.total };
}

await withBenchDatabase("tray_listing", async (db) => {
  const server = await startPortalDesk(benchConfig(db, { RUN_JOBS: "false" }));
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
  let raw: http.Server | null = null;
  try {
    const { administrationId, clientEmail } = await benchWorld(db.url);
    const [{ firm_id: firmId, id: userId }] = (await pool.query("SELECT firm_id, id FROM users WHERE email = $1", [clientEmail])).rows as Array<{ firm_id: string; id: string }>;
    const seeded = Date.now();
    await pool.query(
      `INSERT INTO documents (firm_id, administration_id, filename, content_type, format, byte_size, sha256, location, tray, status, uploaded_at, uploaded_by_user_id)
       SELECT $1, $2, 'factuur-' || lpad(g::text, 6, '0') || '.pdf', 'application/pdf', 'PDF', 1000 + g, md5(g::text) || md5((g + 1)::text),
              'TRAY', (ARRAY['PURCHASE','SALES','RECEIPTS','BANK_STATEMENTS'])[1 + g % 4], CASE WHEN g % 10 = 1 THEN 'SUBMITTED' ELSE 'PROCESSED' END,
              now() - (g || ' minutes')::interval, $4
         FROM generate_series(1, $3) AS g`,
      [firmId, administrationId, DOCUMENTS, userId],
    );
    await pool.query("VACUUM ANALYZE documents");
    const { token } = unwrap((await createClient({ url: `${server.url}/graphql` }).request(SignInDocument, { input: { email: clientEmail, password: BENCH_PASSWORD } })).signIn);
    raw = await rawServer(pool, administrationId, firmId);
    const rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/graphql`;
    const body = JSON.stringify({ query: QUERY, variables: { id: toGlobalId("Administration", administrationId) } });

    // The same page from both (a wrong answer would make the comparison meaningless).
    const ask = async (url: string, auth: string | null) =>
      (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body })).json()) as {
        data: { administration: { documents: { nodes: Array<{ id: string; uploadedBy: unknown }> } } };
      };
    const [mine, theirs] = [await ask(`${server.url}/graphql`, token), await ask(rawUrl, null)];
    const ids = (r: typeof mine) => r.data.administration.documents.nodes.map((n) => n.id).join();
    if (ids(mine) !== ids(theirs) || mine.data.administration.documents.nodes.length !== 50) throw new Error("the two servers answer different pages");

    console.log(
      `tray listing bench: ${DOCUMENTS} documents (seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s), autocannon -c ${CONNECTIONS} -d ${SECONDS}, ${ROUNDS} rounds alternating`,
    );
    const figures: Record<"raw" | "project", Figures[]> = { raw: [], project: [] };
    for (let round = 0; round < ROUNDS; round++) {
      figures.raw.push(await load(rawUrl, null, body));
      figures.project.push(await load(`${server.url}/graphql`, token, body));
    }
    const summary = (list: Figures[]) => ({ rps: median(list.map((f) => f.rps)), p99: median(list.map((f) => f.p99)), cpuMs: median(list.map((f) => f.cpuMs)) });
    const [base, project] = [summary(figures.raw), summary(figures.project)];
    for (const [name, f] of [
      ["raw node:http + pg (baseline)", base],
      ["PortalDesk", project],
    ] as const) {
      console.log(`  ${name.padEnd(30)} ${f.rps.toFixed(1).padStart(8)} req/s   p99 ${String(f.p99).padStart(5)} ms   CPU ${f.cpuMs.toFixed(2)} ms/request`);
    }
    console.log(
      `  ratio: ${(project.rps / base.rps).toFixed(3)}x the baseline's req/s (goal >= 0.5), p99 ${(project.p99 / base.p99).toFixed(1)}x (goal <= 3), CPU ${(project.cpuMs / base.cpuMs).toFixed(1)}x`,
    );
    console.log(
      `  load average ${(await import("node:os"))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    raw?.close();
    await pool.end();
    await server.stop();
  }
});
