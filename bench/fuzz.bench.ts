// How /healthz answers while the server takes malformed traffic (test/support/fuzz.ts: broken
// GraphQL, multipart and WebSocket frames, 8 at a time), against the same server idle, in one run:
// the figures are latencies of a health check polled every 50 ms, medians and tails, and the count
// over 200 ms. Run: node --import tsx bench/fuzz.bench.ts (FUZZ_COUNT, default 6000).
import "reflect-metadata";
import { SignInDocument, createClient, unwrap } from "@portaldesk/sdk";
import { toGlobalId } from "../src/graphql/global-id.js";
import { fuzz, isServerFault, watchHealth } from "../test/support/fuzz.js";
import { startServerProcess } from "../test/support/server-process.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { withBenchDatabase } from "./support/bench-database.js";

const COUNT = Number(process.env.FUZZ_COUNT ?? 6000);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const report = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(22)} n=${String(values.length).padStart(4)}  p50 ${percentile(values, 0.5).toFixed(1)} ms  p99 ${percentile(values, 0.99).toFixed(1)} ms  max ${Math.max(...values).toFixed(1)} ms  over 200 ms: ${values.filter((v) => v > 200).length}`,
  );

await withBenchDatabase("fuzz", async ({ url, dataDir }) => {
  const server = await startServerProcess({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: "error", SIGN_IN_MAX_FAILURES: "100000" });
  try {
    // The first start migrated; the world goes in now.
    const world = await benchWorld(url);
    const token = unwrap(
      (await createClient({ url: `${server.url}/graphql` }).request(SignInDocument, { input: { email: world.clientEmail, password: BENCH_PASSWORD } })).signIn,
    ).token!;
    const idle = watchHealth(server.url, 50, 5000);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idleLatencies = await idle.stop();
    const busy = watchHealth(server.url, 50, 5000);
    const started = performance.now();
    const outcomes = await fuzz(
      { url: server.url, token, administrationId: toGlobalId("Administration", world.administrationId) },
      { seed: 20261202, count: COUNT, concurrency: 8 },
    );
    const seconds = (performance.now() - started) / 1000;
    const busyLatencies = await busy.stop();
    console.log(
      `fuzz: ${outcomes.length} cases in ${seconds.toFixed(1)} s (${(outcomes.length / seconds).toFixed(0)}/s), server faults: ${outcomes.filter(isServerFault).length}, unanswered health checks: ${busyLatencies.filter((l) => l < 0).length}, server alive: ${server.child.exitCode === null}`,
    );
    report(
      "healthz, idle",
      idleLatencies.filter((l) => l >= 0),
    );
    report(
      "healthz, under fuzz",
      busyLatencies.filter((l) => l >= 0),
    );
    console.log(`ratio of medians (under fuzz / idle): ${(percentile(busyLatencies, 0.5) / percentile(idleLatencies, 0.5)).toFixed(2)}x`);
  } finally {
    await server.stop();
  }
});
