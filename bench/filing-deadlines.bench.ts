// What the deadline queries cost a firm with many administrations, against listing as many
// administrations (the baseline, same process, interleaved): a page of filingsDue (and its
// totalCount, which runs the whole query), and the calendars of a page of administrations.
// 1000 administrations filing since 2022 — quarterly VAT, half of them ICP too, a quarter monthly —
// with four of every five periods up to 2026-Q2 already accepted. BENCH_EXPLAIN=1 prints the plan
// of a filingsDue page.
import "reflect-metadata";
import { AdministrationCalendarsDocument, AdministrationsDocument, CreateVatReturnDocument, FilingDeadlinesDocument, SignInDocument, createClient, unwrap } from "@portaldesk/sdk";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { hashPassword } from "../src/modules/auth/password.js";
import { OBLIGATIONS } from "../src/modules/deadlines/filing-deadlines.js";
import { startPortalDesk } from "../src/server/app.js";
import { benchConfig, type BenchDatabase, withBenchDatabase } from "./support/bench-database.js";

const ADMINISTRATIONS = Number(process.env.BENCH_ADMINISTRATIONS ?? 1000);
const PAGE = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main({ url, dataDir }: BenchDatabase) {
  const server = await startPortalDesk(benchConfig({ url, dataDir }, { GRAPHQL_MAX_COST: "100000", EXPOSE_QUERY_STATS: "true", RUN_JOBS: "false" }));
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const firmId = randomUUID();
    await db.query("INSERT INTO firms (id, name) VALUES ($1, 'Bench firm')", [firmId]);
    await db.query("INSERT INTO users (firm_id, email, name, role, status, password_hash) VALUES ($1, 'acc@bench.test', 'Acc', 'ACCOUNTANT', 'ACTIVE', $2)", [
      firmId,
      await hashPassword("bench password 1"),
    ]);
    await db.query(
      `INSERT INTO administrations (firm_id, name, vat_filing_frequency, icp_filing_frequency, filings_from)
       SELECT $1, 'Adm ' || lpad(i::text, 4, '0'), CASE WHEN i % 4 = 0 THEN 'MONTHLY' ELSE 'QUARTERLY' END, CASE WHEN i % 2 = 0 THEN 'QUARTERLY' ELSE 'NONE' END, '2022-01-01'
         FROM generate_series(1, $2) AS i`,
      [firmId, ADMINISTRATIONS],
    );
    const anonymous = createClient({ url: `${server.url}/graphql` });
    const token = unwrap((await anonymous.request(SignInDocument, { input: { email: "acc@bench.test", password: "bench password 1" } })).signIn).token;
    const client = createClient({ url: `${server.url}/graphql`, token });
    // One VAT return made through the API (2026-Q3 of the first administration) gives the content the copies below carry.
    const first = (await client.request(AdministrationsDocument, { first: 1 })).administrations.nodes[0]!.id;
    const model = unwrap(
      (await client.request(CreateVatReturnDocument, { input: { administrationId: first, period: { year: 2026, quarter: 3 }, boxes: { box1a: { turnover: 1000, vat: 210 } } } }))
        .createVatReturn,
    ).vatReturn!;
    // Accepted returns for four of five quarterly periods up to 2026-Q2.
    const filed = await db.query(
      `INSERT INTO filings (firm_id, administration_id, kind, period_year, period_quarter, status, content, prepared_by_label)
       SELECT a.firm_id, a.id, 'VAT_RETURN', y, q, 'ACCEPTED', (SELECT content FROM filings WHERE id = $2), 'bench'
         FROM administrations a, generate_series(2022, 2026) AS y, generate_series(1, 4) AS q
        WHERE a.firm_id = $1 AND a.vat_filing_frequency = 'QUARTERLY' AND (y < 2026 OR q <= 2) AND (hashtext(a.id::text || y || q) % 5) <> 0`,
      [firmId, Buffer.from(model.id, "base64url").toString().split(":")[1]],
    );
    await db.query("ANALYZE");
    if (process.env.BENCH_EXPLAIN) {
      const ids = (await db.query<{ id: string }>("SELECT id FROM administrations WHERE firm_id = $1", [firmId])).rows.map((r) => r.id);
      const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${OBLIGATIONS}`, [ids, "2000-01-01", "2027-01-01", true, "2026-12-31", ...Array<null>(10).fill(null), 51]);
      console.log(plan.rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n"));
    }

    const statements: Record<string, number> = {};
    const variants: Record<string, () => Promise<number>> = {
      "administrations (baseline)": async () => (await client.request(AdministrationsDocument, { first: PAGE })).administrations.nodes.length,
      "filingsDue page + totalCount": async () => (await client.request(FilingDeadlinesDocument, { dueBefore: "2027-01-01", first: PAGE })).filingDeadlines.nodes.length,
      "calendars of a page": async () => (await client.request(AdministrationCalendarsDocument, { year: 2026, first: PAGE })).administrations.nodes.length,
    };
    let total = 0;
    for (const run of Object.values(variants)) await run(); // warm up
    const times: Record<string, number[]> = Object.fromEntries([...Object.keys(variants), "filingsDue 1 + totalCount"].map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(variants)) {
        const started = process.hrtime.bigint();
        const rows = await run();
        times[name]!.push(Number(process.hrtime.bigint() - started) / 1e6);
        statements[name] = client.lastExtensions?.sqlStatements as number;
        if (rows !== PAGE) throw new Error(`${name} returned ${rows} rows`);
      }
      // FilingDeadlinesDocument always asks totalCount (the whole query, counted): a page of one shows what that costs.
      const started = process.hrtime.bigint();
      total = (await client.request(FilingDeadlinesDocument, { dueBefore: "2027-01-01", first: 1 })).filingDeadlines.totalCount;
      times["filingsDue 1 + totalCount"]!.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const baseline = median(times["administrations (baseline)"]!);
    console.log(
      `filing deadlines: ${ADMINISTRATIONS} administrations since 2022, ${filed.rowCount} accepted returns, ${total} returns due before 2027 not filed; page of ${PAGE}, ${ROUNDS} rounds, medians`,
    );
    for (const [name, values] of Object.entries(times)) {
      const count = statements[name] === undefined ? "" : `   ${statements[name]} statements`;
      console.log(`  ${name.padEnd(28)} ${median(values).toFixed(2).padStart(8)} ms   ${(median(values) / baseline).toFixed(2)}x baseline${count}`);
    }
  } finally {
    await db.end();
    await server.stop();
  }
}

await withBenchDatabase("deadlines", main);
