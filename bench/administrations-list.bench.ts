// Lists 50 administrations with their memberships and users three ways, interleaved in one
// process against one database, and reports medians and ratios (absolute times on a shared
// machine mean little):
//   sql-batched  the three hand-written statements a perfect resolver would send (baseline)
//   sql-n+1      the same data fetched row by row, as naive field resolvers would
//   graphql      the real request through the SDK over HTTP (auth, parse, validate, DataLoaders)
import "reflect-metadata";
import { AdministrationsWithMembersDocument, SignInDocument, UnreadNotificationCountDocument, createClient, unwrap } from "@portaldesk/sdk";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../src/modules/auth/password.js";
import { startPortalDesk } from "../src/server/app.js";
import { benchConfig, type BenchDatabase, withBenchDatabase } from "./support/bench-database.js";

const ADMINISTRATIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main({ url, dataDir }: BenchDatabase) {
  const server = await startPortalDesk(benchConfig({ url, dataDir }, { GRAPHQL_MAX_COST: "100000", EXPOSE_QUERY_STATS: "true" }));
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const firmId = randomUUID();
    const hash = await hashPassword("bench password 1");
    await db.query("INSERT INTO firms (id, name) VALUES ($1, 'Bench firm')", [firmId]);
    await db.query("INSERT INTO users (firm_id, email, name, role, status, password_hash) VALUES ($1, 'acc@bench.test', 'Acc', 'ACCOUNTANT', 'ACTIVE', $2)", [firmId, hash]);
    for (let i = 0; i < ADMINISTRATIONS; i++) {
      const { rows } = await db.query<{ id: string }>("INSERT INTO administrations (firm_id, name) VALUES ($1, $2) RETURNING id", [firmId, `Adm ${String(i).padStart(3, "0")}`]);
      const user = await db.query<{ id: string }>("INSERT INTO users (firm_id, email, name, role, status) VALUES ($1, $2, $3, 'CLIENT', 'ACTIVE') RETURNING id", [
        firmId,
        `c${i}@bench.test`,
        `Client ${i}`,
      ]);
      await db.query("INSERT INTO memberships (user_id, administration_id) VALUES ($1, $2)", [user.rows[0]!.id, rows[0]!.id]);
    }
    const anonymous = createClient({ url: `${server.url}/graphql` });
    const token = unwrap((await anonymous.request(SignInDocument, { input: { email: "acc@bench.test", password: "bench password 1" } })).signIn).token;
    const client = createClient({ url: `${server.url}/graphql`, token });

    const variants: Record<string, () => Promise<number>> = {
      "sql-batched": async () => {
        const page = await db.query<{ id: string }>("SELECT * FROM administrations WHERE firm_id = $1 ORDER BY lower(name), id LIMIT $2", [firmId, ADMINISTRATIONS]);
        const ids = page.rows.map((r) => r.id);
        const members = await db.query<{ user_id: string }>("SELECT * FROM memberships WHERE administration_id = ANY($1)", [ids]);
        const users = await db.query("SELECT * FROM users WHERE id = ANY($1)", [members.rows.map((m) => m.user_id)]);
        return page.rowCount! + users.rowCount!;
      },
      "sql-n+1": async () => {
        const page = await db.query<{ id: string }>("SELECT * FROM administrations WHERE firm_id = $1 ORDER BY lower(name), id LIMIT $2", [firmId, ADMINISTRATIONS]);
        let count = page.rowCount!;
        for (const row of page.rows) {
          const members = await db.query<{ user_id: string }>("SELECT * FROM memberships WHERE administration_id = $1", [row.id]);
          for (const m of members.rows) count += (await db.query("SELECT * FROM users WHERE id = $1", [m.user_id])).rowCount!;
        }
        return count;
      },
      graphql: async () => {
        const data = await client.request(AdministrationsWithMembersDocument, { first: ADMINISTRATIONS });
        return data.administrations.nodes.length + data.administrations.nodes.reduce((n, a) => n + a.memberships.length, 0);
      },
    };
    // Fixed cost of one authenticated GraphQL round trip, for reading the figures above.
    const trivial: number[] = [];
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (const run of Object.values(variants)) await run(); // warm up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(variants)) {
        const started = process.hrtime.bigint();
        const rows = await run();
        times[name]!.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (rows !== ADMINISTRATIONS * 2) throw new Error(`${name} returned ${rows} rows`);
      }
      const started = process.hrtime.bigint();
      await client.request(UnreadNotificationCountDocument);
      trivial.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const baseline = median(times["sql-batched"]!);
    console.log(`administrations list: ${ADMINISTRATIONS} administrations with memberships and users, ${ROUNDS} rounds, medians`);
    for (const [name, values] of Object.entries(times)) {
      console.log(`  ${name.padEnd(12)} ${median(values).toFixed(2).padStart(8)} ms   ${(median(values) / baseline).toFixed(2)}x baseline`);
    }
    console.log(`  (one trivial authenticated GraphQL request: ${median(trivial).toFixed(2)} ms, ${(median(trivial) / baseline).toFixed(2)}x baseline)`);
    await client.request(AdministrationsWithMembersDocument, { first: ADMINISTRATIONS });
    console.log(`  graphql statements per request: ${client.lastExtensions?.sqlStatements ?? "(EXPOSE_QUERY_STATS off)"}`);
  } finally {
    await db.end();
    await server.stop();
  }
}

await withBenchDatabase("list", main);
