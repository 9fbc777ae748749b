// 100,000 documents in one administration (and 100,000 in others): do the desk and tray lists use
// their indexes? For each list query the service sends, EXPLAIN ANALYZE it as is, and again with
// index scans turned off (the baseline), in the same session; report plans, times and ratios.
import "reflect-metadata";
import pg from "pg";
import { startPortalDesk } from "../src/server/app.js";
import { benchConfig, type BenchDatabase, withBenchDatabase } from "./support/bench-database.js";

const PER_ADMINISTRATION = Number(process.env.BENCH_DOCUMENTS ?? 100_000);

/** The statements DocumentService.list and the count loader send (same joins, filters and order). */
const QUERIES: Record<string, string> = {
  "tray PURCHASE, SUBMITTED, newest first (page of 50)": `
    SELECT d.* FROM documents d JOIN administrations a ON a.id = d.administration_id
     WHERE d.administration_id = $1 AND d.replaced_at IS NULL AND d.tray = 'PURCHASE' AND d.status = 'SUBMITTED'
       AND d.removed_at IS NULL AND d.location = 'TRAY' AND a.firm_id = $2
     ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 51`,
  "desk, newest first (page of 50)": `
    SELECT d.* FROM documents d JOIN administrations a ON a.id = d.administration_id
     WHERE d.administration_id = $1 AND d.replaced_at IS NULL AND d.location = 'DESK' AND d.tray IS NULL
       AND d.removed_at IS NULL AND a.firm_id = $2
     ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 51`,
  "all documents, newest first (page of 50)": `
    SELECT d.* FROM documents d JOIN administrations a ON a.id = d.administration_id
     WHERE d.administration_id = $1 AND d.replaced_at IS NULL AND d.removed_at IS NULL AND a.firm_id = $2
     ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 51`,
  "search by part of the name": `
    SELECT d.* FROM documents d JOIN administrations a ON a.id = d.administration_id
     WHERE d.administration_id = $1 AND d.replaced_at IS NULL AND d.removed_at IS NULL AND a.firm_id = $2
       AND lower(d.filename) LIKE '%factuur-04242%'
     ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 51`,
  "counts per tray and status": `
    SELECT administration_id, location, tray, status, count(*)::int FROM documents
     WHERE administration_id = ANY($3) AND removed_at IS NULL AND replaced_at IS NULL GROUP BY 1, 2, 3, 4`,
};

async function main({ url, dataDir }: BenchDatabase) {
  // Starting the server applies the migrations (the indexes under test).
  const server = await startPortalDesk(benchConfig({ url, dataDir }));
  await server.stop();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows: firm } = await db.query<{ id: string }>("INSERT INTO firms (name) VALUES ('Bench') RETURNING id");
    const firmId = firm[0]!.id;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { rows } = await db.query<{ id: string }>("INSERT INTO administrations (firm_id, name) VALUES ($1, $2) RETURNING id", [firmId, `Adm ${i}`]);
      ids.push(rows[0]!.id);
    }
    const started = Date.now();
    for (const administrationId of ids) {
      // A realistic mix: most processed, some in trays, a few on the desk.
      await db.query(
        `INSERT INTO documents (firm_id, administration_id, filename, content_type, format, byte_size, sha256, location, tray, status, uploaded_at)
         SELECT $1, $2, 'factuur-' || lpad(g::text, 6, '0') || '.pdf', 'application/pdf', 'PDF', 1000 + g, md5(g::text) || md5((g + 1)::text),
                CASE WHEN g % 100 = 0 THEN 'DESK' ELSE 'TRAY' END,
                CASE WHEN g % 100 = 0 THEN NULL ELSE (ARRAY['PURCHASE','SALES','RECEIPTS','BANK_STATEMENTS'])[1 + g % 4] END,
                CASE WHEN g % 100 = 0 THEN 'ON_DESK' WHEN g % 10 = 1 THEN 'SUBMITTED' ELSE 'PROCESSED' END,
                now() - (g || ' minutes')::interval
           FROM generate_series(1, $3) AS g`,
        [firmId, administrationId, PER_ADMINISTRATION],
      );
    }
    await db.query("VACUUM ANALYZE documents"); // as autovacuum would have done on a live table
    console.log(`documents index bench: ${PER_ADMINISTRATION} documents in each of 2 administrations (seeded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const params = (sql: string) => (sql.includes("$3") ? [null, null, ids] : [ids[0], firmId]);
    const explain = async (sql: string) => {
      const values = params(sql).filter((v) => v !== null);
      const numbered = sql.includes("$3") ? sql.replace("$3", "$1") : sql;
      const { rows } = await db.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${numbered}`, values);
      const plan = (rows[0]!["QUERY PLAN"] as Array<{ Plan: Record<string, unknown>; "Execution Time": number }>)[0]!;
      const nodes: string[] = [];
      const walk = (node: Record<string, unknown>) => {
        nodes.push(`${node["Node Type"]}${node["Index Name"] ? ` on ${node["Index Name"]}` : ""}`);
        for (const child of (node.Plans as Array<Record<string, unknown>>) ?? []) walk(child);
      };
      walk(plan.Plan);
      return { ms: plan["Execution Time"], nodes };
    };
    const best = async (sql: string) => {
      let result = await explain(sql);
      for (let i = 0; i < 4; i++) {
        const again = await explain(sql);
        if (again.ms < result.ms) result = again;
      }
      return result;
    };
    for (const [name, sql] of Object.entries(QUERIES)) {
      const indexed = await best(sql);
      await db.query("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off");
      const baseline = await best(sql);
      await db.query("RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan");
      console.log(`  ${name}`);
      console.log(`    with indexes:    ${indexed.ms.toFixed(2).padStart(8)} ms  ${indexed.nodes.filter((n) => /Scan/.test(n)).join(", ")}`);
      console.log(`    without (base):  ${baseline.ms.toFixed(2).padStart(8)} ms  ${baseline.nodes.filter((n) => /Scan/.test(n)).join(", ")}`);
      console.log(`    ratio: ${(baseline.ms / Math.max(indexed.ms, 0.001)).toFixed(1)}x faster with indexes`);
    }
  } finally {
    await db.end();
  }
}

await withBenchDatabase("idx", main);
