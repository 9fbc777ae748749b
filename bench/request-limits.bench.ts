// What counting request budgets costs a request: one small authenticated query against three
// servers on one database — budgets off (the baseline), counted in PostgreSQL, counted in Redis —
// interleaved, medians and ratios to the baseline.
import "reflect-metadata";
import { AdministrationsDocument, SignInDocument, createClient, unwrap } from "@portaldesk/sdk";
import { startPortalDesk } from "../src/server/app.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await withBenchDatabase("limits", async (db) => {
  // Budgets far above what the bench spends: it measures the counting, not refusals.
  const on = { RATE_LIMITS: "true", RATE_LIMIT_PER_VIEWER: "1000000000", RATE_LIMIT_PER_ADDRESS: "1000000000", RUN_JOBS: "false" };
  const servers = {
    "off (baseline)": await startPortalDesk(benchConfig(db, { RUN_JOBS: "false" })),
    postgresql: await startPortalDesk(benchConfig(db, on)),
    redis: await startPortalDesk(benchConfig(db, { ...on, REDIS_URL })),
  };
  try {
    const { clientEmail } = await benchWorld(db.url);
    const clients = await Promise.all(
      Object.values(servers).map(async (server) => {
        const url = `${server.url}/graphql`;
        const { token } = unwrap((await createClient({ url }).request(SignInDocument, { input: { email: clientEmail, password: BENCH_PASSWORD } })).signIn);
        return createClient({ url, token, rateLimitRetries: 0 });
      }),
    );
    const names = Object.keys(servers);
    const times: number[][] = names.map(() => []);
    for (const client of clients) await client.request(AdministrationsDocument, { first: 1 }); // warm up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, client] of clients.entries()) {
        const started = process.hrtime.bigint();
        await client.request(AdministrationsDocument, { first: 1 });
        times[index]!.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const baseline = median(times[0]!);
    console.log(`request budgets: one small query (administrations, first 1), ${ROUNDS} rounds interleaved, medians`);
    for (const [index, name] of names.entries()) {
      console.log(`  ${name.padEnd(16)} ${median(times[index]!).toFixed(2).padStart(7)} ms   ${(median(times[index]!) / baseline).toFixed(2)}x baseline`);
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
});
