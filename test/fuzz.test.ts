// Thousands of malformed requests, multipart bodies and WebSocket frames at a real server process:
// it must stay up, answer every one without a 5xx or an INTERNAL error, and keep /healthz answering.
// (How fast /healthz answers meanwhile is a figure, reported by bench/fuzz.bench.ts, not asserted.)
import { expect } from "chai";
import { APP_ROLE, withRole } from "../src/db/app-role.js";
import { fuzz, isServerFault, watchHealth } from "./support/fuzz.js";
import { TEST_APP_PASSWORD } from "./support/global-fixture.js";
import { gid, TestEnv } from "./support/harness.js";
import { sessionToken } from "./support/raw-http.js";
import { startServerProcess } from "./support/server-process.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);

describe("fuzzing a running server", function () {
  this.timeout(600_000);
  let env: TestEnv;

  before(async () => {
    env = await TestEnv.create();
  });
  after(() => env.close());

  it(`answers ${COUNT} malformed requests cleanly and stays up (seed ${SEED})`, async () => {
    const world = await env.createWorld({ administrations: 1 });
    const server = await startServerProcess({
      DATABASE_URL: withRole(env.dbUrl, APP_ROLE, TEST_APP_PASSWORD),
      DATABASE_OWNER_URL: env.dbUrl,
      DATA_DIR: env.dataDir,
      LOG_LEVEL: "warn",
      SIGN_IN_MAX_FAILURES: "1000",
    });
    try {
      const token = await sessionToken(server.url, world.clients[0]!.email);
      const health = watchHealth(server.url, 100, 5000);
      const outcomes = await fuzz({ url: server.url, token, administrationId: gid("Administration", world.administrations[0]!.id) }, { seed: SEED, count: COUNT, concurrency: 8 });
      const latencies = await health.stop();

      const failures = outcomes.filter(isServerFault);
      expect(
        failures.slice(0, 5),
        `replay with FUZZ_SEED=${SEED}; cases ${failures
          .map((f) => f.index)
          .slice(0, 20)
          .join(", ")}`,
      ).to.deep.equal([]);
      expect(outcomes).to.have.length(COUNT);
      expect(new Set(outcomes.map((o) => o.kind))).to.deep.equal(new Set(["http", "multipart", "websocket"]));
      expect(latencies.length).to.be.above(10);
      expect(
        latencies.filter((l) => l < 0),
        "/healthz went unanswered",
      ).to.deep.equal([]);
      expect(server.child.exitCode).to.equal(null);
      expect(server.output()).not.to.match(/unhandled promise rejection|uncaught exception|unexpected error/);
    } finally {
      await server.stop();
    }
  });
});
