// Search over 100,000 archived documents with text, through the real API (SDK over HTTP), as staff
// and as a client whose folder access must be checked. Each document has 60 words: 57 from a
// vocabulary of ~19,000 (48 Dutch business words × 400 variants: "factuur17") and 3 of the 48 words
// themselves. So a variant matches ~300 documents (a specific search) and a plain word ~6% of them
// (a broad one, ~6,000 hits): both kinds are measured.
// Baseline in the same run: the naive alternative, a substring scan of names and text (ILIKE).
import "reflect-metadata";
import { createClient, SearchDocument, SignInDocument, unwrap } from "@portaldesk/sdk";
import pg from "pg";
import { hashPassword } from "../src/modules/auth/password.js";
import { startPortalDesk } from "../src/server/app.js";
import { benchConfig, type BenchDatabase, withBenchDatabase } from "./support/bench-database.js";

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const WORDS = [
  "factuur",
  "huur",
  "contract",
  "verzekering",
  "polis",
  "aangifte",
  "btw",
  "omzet",
  "bank",
  "afschrift",
  "leverancier",
  "klant",
  "onderhoud",
  "reparatie",
  "auto",
  "lease",
  "kantoor",
  "inventaris",
  "salaris",
  "pensioen",
  "hypotheek",
  "rente",
  "aflossing",
  "belasting",
  "jaarrekening",
  "balans",
  "winst",
  "verlies",
  "kosten",
  "opbrengst",
  "bakkerij",
  "meel",
  "oven",
  "energie",
  "water",
  "gas",
  "telefoon",
  "internet",
  "software",
  "licentie",
  "abonnement",
  "advies",
  "accountant",
  "notaris",
  "akte",
  "vergunning",
  "gemeente",
  "subsidie",
];

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

async function main({ url, dataDir }: BenchDatabase) {
  const server = await startPortalDesk(benchConfig({ url, dataDir }, { RUN_JOBS: "false" }));
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const hash = await hashPassword("bench password 1");
    const firmId = (await db.query<{ id: string }>("INSERT INTO firms (name) VALUES ('Bench') RETURNING id")).rows[0]!.id;
    const administrationId = (await db.query<{ id: string }>("INSERT INTO administrations (firm_id, name) VALUES ($1, 'Adm') RETURNING id", [firmId])).rows[0]!.id;
    await db.query("INSERT INTO users (firm_id, email, name, role, status, password_hash) VALUES ($1, 'acc@bench.test', 'Acc', 'ACCOUNTANT', 'ACTIVE', $2)", [firmId, hash]);
    const clientId = (
      await db.query<{ id: string }>(
        "INSERT INTO users (firm_id, email, name, role, status, password_hash) VALUES ($1, 'client@bench.test', 'Client', 'CLIENT', 'ACTIVE', $2) RETURNING id",
        [firmId, hash],
      )
    ).rows[0]!.id;
    await db.query("INSERT INTO memberships (user_id, administration_id) VALUES ($1, $2)", [clientId, administrationId]);
    // A tree of 40 folders; the client sees half of them.
    const root = (
      await db.query<{ id: string }>("INSERT INTO archive_folders (firm_id, administration_id, name) VALUES ($1, $2, 'Archief') RETURNING id", [firmId, administrationId])
    ).rows[0]!.id;
    await db.query("INSERT INTO archive_folder_grants (folder_id, user_id, access, updated_by_label) VALUES ($1, NULL, 'VIEW', 'bench')", [root]);
    const folders: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = (
        await db.query<{ id: string }>("INSERT INTO archive_folders (firm_id, administration_id, parent_id, name) VALUES ($1, $2, $3, $4) RETURNING id", [
          firmId,
          administrationId,
          root,
          `Map ${i}`,
        ])
      ).rows[0]!.id;
      if (i % 2 === 1) await db.query("INSERT INTO archive_folder_grants (folder_id, user_id, access, updated_by_label) VALUES ($1, $2, 'NONE', 'bench')", [id, clientId]);
      folders.push(id);
    }
    const started = Date.now();
    await db.query(
      `INSERT INTO documents (firm_id, administration_id, filename, content_type, format, byte_size, sha256, location, tray, folder_id, status, body_text, text_extracted_at)
       SELECT $1, $2, ($4::text[])[1 + g % array_length($4::text[], 1)] || '-' || g || '.pdf', 'application/pdf', 'PDF', 1000, md5(g::text) || md5((g + 7)::text),
              'TRAY', 'ARCHIVE', ($5::uuid[])[1 + g % 40], 'SUBMITTED',
              (SELECT string_agg(CASE WHEN i <= 57
                   THEN ($4::text[])[1 + ((g * 7919 + i * 104729) % array_length($4::text[], 1))] || ((g * 31 + i * 977) % 400)
                   ELSE ($4::text[])[1 + ((g * 13 + i * 7) % array_length($4::text[], 1))] END, ' ')
                 FROM generate_series(1, 60) AS i), now()
         FROM generate_series(1, $3) AS g`,
      [firmId, administrationId, DOCUMENTS, WORDS, folders],
    );
    await db.query("VACUUM ANALYZE documents");
    console.log(`search bench: ${DOCUMENTS} documents with 60 words of text each, 40 folders (client sees 20); seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    if (process.env.BENCH_EXPLAIN) {
      const term = `${WORDS[3]}17`;
      const q = "(websearch_to_tsquery('dutch', $2) || websearch_to_tsquery('simple', $2))";
      for (const sql of [
        `SELECT d.id, (ts_rank(d.search_vector, ${q}, 1))::text FROM documents d JOIN administrations a ON a.id = d.administration_id
          WHERE d.administration_id = $1 AND d.replaced_at IS NULL AND (d.search_vector @@ ${q} OR lower(d.filename) LIKE $3) AND d.removed_at IS NULL
          ORDER BY ts_rank(d.search_vector, ${q}, 1) DESC, d.id DESC LIMIT 21`,
        `SELECT count(*) FROM documents d JOIN administrations a ON a.id = d.administration_id
          WHERE d.administration_id = $1 AND d.replaced_at IS NULL AND (d.search_vector @@ ${q} OR lower(d.filename) LIKE $3) AND d.removed_at IS NULL`,
      ]) {
        const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [administrationId, term, `%${term}%`]);
        console.log(rows.map((r) => r["QUERY PLAN"]).join("\n"));
      }
    }
    const anonymous = createClient({ url: `${server.url}/graphql` });
    const signIn = async (email: string) =>
      createClient({ url: `${server.url}/graphql`, token: unwrap((await anonymous.request(SignInDocument, { input: { email, password: "bench password 1" } })).signIn).token });
    const viewers = { staff: await signIn("acc@bench.test"), client: await signIn("client@bench.test") };
    const gid = Buffer.from(`Administration:${administrationId}`).toString("base64url");
    const kinds = {
      specific: (i: number) => `${WORDS[(i * 31) % WORDS.length]}${(i * 7) % 400}`,
      broad: (i: number) => WORDS[(i * 31) % WORDS.length]!,
    };
    for (const [kind, queryOf] of Object.entries(kinds)) {
      for (const [name, client] of Object.entries(viewers)) {
        const times: number[] = [];
        const baseline: number[] = [];
        let hits = 0;
        for (let i = 0; i < QUERIES; i++) {
          const query = queryOf(i);
          const t0 = process.hrtime.bigint();
          const result = await client.request(SearchDocument, { input: { administrationId: gid, query }, first: 20 });
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          hits += result.search.totalCount;
          if (name === "staff" && i < 20) {
            const t1 = process.hrtime.bigint();
            await db.query("SELECT id FROM documents WHERE administration_id = $1 AND (filename ILIKE $2 OR body_text ILIKE $2) ORDER BY uploaded_at DESC LIMIT 20", [
              administrationId,
              `%${query}%`,
            ]);
            baseline.push(Number(process.hrtime.bigint() - t1) / 1e6);
          }
        }
        console.log(
          `  ${kind.padEnd(8)} ${name.padEnd(6)} ${QUERIES} searches (page of 20 + total), ~${Math.round(hits / QUERIES)} hits each: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
        );
        if (baseline.length)
          console.log(
            `  ${kind.padEnd(8)} baseline: substring scan (ILIKE on name and text, no count): p50 ${percentile(baseline, 50).toFixed(1)} ms, p95 ${percentile(baseline, 95).toFixed(1)} ms`,
          );
      }
    }
  } finally {
    await db.end();
    await server.stop();
  }
}

await withBenchDatabase("search", main);
