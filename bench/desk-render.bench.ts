// How long the web portal takes, in a real (headless) Chromium, from navigation start to every card
// of a desk on screen: a desk of 200 documents against a desk of 10 as the baseline, reloaded in
// turn. Run: node --import tsx bench/desk-render.bench.ts (BENCH_ROUNDS, default 10).
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { startPortalDesk } from "../src/server/app.js";
import { launchBrowser, signInThroughPage } from "../test/support/browser.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await withBenchDatabase("desk", async ({ url, dataDir }) => {
  const server = await startPortalDesk(benchConfig({ url, dataDir }, { RUN_JOBS: "false" }));
  const browser = await launchBrowser();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const world = await benchWorld(url);
    const [{ firm_id: firmId }] = (await db.query<{ firm_id: string }>("SELECT firm_id FROM administrations WHERE id = $1", [world.administrationId])).rows as [
      { firm_id: string },
    ];
    const small = randomUUID();
    await db.query("INSERT INTO administrations (id, firm_id, name) VALUES ($1, $2, 'Small BV')", [small, firmId]);
    const fill = (administrationId: string, count: number) =>
      db.query(
        `INSERT INTO documents (firm_id, administration_id, filename, content_type, format, byte_size, sha256, location, status, uploaded_at)
         SELECT $1, $2::uuid, 'scan-' || g || '.pdf', 'application/pdf', 'PDF', 1000, md5($2::text || g::text) || md5(g::text), 'DESK', 'ON_DESK', now() - make_interval(mins => g)
           FROM generate_series(1, $3::int) AS g`,
        [firmId, administrationId, count],
      );
    await fill(world.administrationId, 200);
    await fill(small, 10);
    // Two people: one a client of the full desk, one of the small one.
    const fullDeskClient = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [world.clientEmail])).rows[0]!.id;
    const other = await db.query<{ id: string }>(
      "INSERT INTO users (firm_id, email, name, role, status, password_hash) SELECT firm_id, 'small@bench.test', 'Small', 'CLIENT', 'ACTIVE', password_hash FROM users WHERE id = $1 RETURNING id",
      [fullDeskClient],
    );
    await db.query("INSERT INTO memberships (user_id, administration_id) VALUES ($1, $2)", [other.rows[0]!.id, small]);
    const pages = {
      "200 documents": await (await browser.createBrowserContext()).newPage(),
      "10 documents (baseline)": await (await browser.createBrowserContext()).newPage(),
    };
    await signInThroughPage(pages["200 documents"], server.url, world.clientEmail, BENCH_PASSWORD);
    await signInThroughPage(pages["10 documents (baseline)"], server.url, "small@bench.test", BENCH_PASSWORD);
    const expected = { "200 documents": 200, "10 documents (baseline)": 10 };
    const times: Record<string, number[]> = { "200 documents": [], "10 documents (baseline)": [] };
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [name, page] of Object.entries(pages)) {
        await page.reload();
        await page.waitForFunction(
          (n) => document.querySelectorAll('[data-testid="card"]').length >= n,
          { timeout: 20_000, polling: "mutation" },
          expected[name as keyof typeof expected],
        );
        if (round > 0) times[name]!.push(await page.evaluate(() => performance.now())); // round 0 warms up
      }
    }
    const baseline = median(times["10 documents (baseline)"]!);
    console.log(`desk render: navigation start to all cards on screen, ${ROUNDS} reloads each, medians`);
    for (const [name, values] of Object.entries(times))
      console.log(`  ${name.padEnd(24)} ${median(values).toFixed(0)} ms (max ${Math.max(...values).toFixed(0)} ms, ${(median(values) / baseline).toFixed(2)}x)`);
  } finally {
    await db.end();
    await browser.close();
    await server.stop();
  }
});
