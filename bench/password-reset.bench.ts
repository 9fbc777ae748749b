// Does asking for a password reset take longer for an address with an account than for one without?
// Interleaves requestPasswordReset for a known and an unknown address against a server in this
// process (jobs worked by the same server, as in production with RUN_JOBS on), and reports the
// medians and 90th percentiles. Run: node --import tsx bench/password-reset.bench.ts (BENCH_ROUNDS, default 200).
import "reflect-metadata";
import { startPortalDesk } from "../src/server/app.js";
import { benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)]!;

await withBenchDatabase("reset", async ({ url, dataDir }) => {
  const server = await startPortalDesk(
    // Limits out of the way: the bench asks far more often than a person would.
    benchConfig({ url, dataDir }, { PASSWORD_RESET_PER_ADDRESS: "100000", PASSWORD_RESET_PER_EMAIL: "100000" }),
  );
  try {
    const { clientEmail } = await benchWorld(url);
    const ask = async (email: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "mutation($e: String!) { requestPasswordReset(input: { email: $e }) { accepted userErrors { code } } }", variables: { e: email } }),
      });
      const body = (await response.json()) as { data?: { requestPasswordReset: { accepted: boolean } } };
      if (!body.data?.requestPasswordReset.accepted) throw new Error(`not accepted: ${JSON.stringify(body)}`);
      return performance.now() - started;
    };
    const times = { "unknown address (baseline)": [] as number[], "address with an account": [] as number[] };
    for (let round = -10; round < ROUNDS; round++) {
      const unknown = await ask(`nobody-${round}@bench.test`);
      const known = await ask(clientEmail);
      if (round >= 0) {
        times["unknown address (baseline)"].push(unknown);
        times["address with an account"].push(known);
      }
    }
    const baseline = quantile(times["unknown address (baseline)"], 0.5);
    console.log(`requestPasswordReset, ${ROUNDS} interleaved requests each (after 10 warm-up rounds)`);
    for (const [name, values] of Object.entries(times)) {
      const median = quantile(values, 0.5);
      console.log(`  ${name.padEnd(28)} median ${median.toFixed(2)} ms, p90 ${quantile(values, 0.9).toFixed(2)} ms (${(median / baseline).toFixed(2)}x)`);
    }
  } finally {
    await server.stop();
  }
});
