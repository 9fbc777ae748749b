// What the SDK's automatic persisted queries save: the same queries (a list and a node query with
// the document fragments) sent with the query's text every time (the baseline) and by hash,
// interleaved against one server; medians of the time per request and the request bytes.
import "reflect-metadata";
import { AdministrationsDocument, DocumentDocument, SignInDocument, createClient, unwrap, type PortalDeskClient } from "@portaldesk/sdk";
import { startPortalDesk } from "../src/server/app.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await withBenchDatabase("sdk_transport", async (db) => {
  const server = await startPortalDesk(benchConfig(db, { RUN_JOBS: "false" }));
  try {
    const { clientEmail } = await benchWorld(db.url);
    const url = `${server.url}/graphql`;
    const { token } = unwrap((await createClient({ url }).request(SignInDocument, { input: { email: clientEmail, password: BENCH_PASSWORD } })).signIn);
    const sent: Record<string, number[]> = { text: [], hash: [] };
    const counting =
      (into: number[]): typeof fetch =>
      (input, init) => {
        if (typeof init?.body === "string") into.push(Buffer.byteLength(init.body));
        return fetch(input, init);
      };
    const clients: Record<string, PortalDeskClient> = {
      "text (baseline)": createClient({ url, token, persistedQueries: false, fetch: counting(sent.text!) }),
      hash: createClient({ url, token, fetch: counting(sent.hash!) }),
    };
    const administrations = await clients.hash!.request(AdministrationsDocument, { first: 1 });
    const administrationId = administrations.administrations.nodes[0]!.id;
    const operations = [
      { name: "administrations (small)", run: (c: PortalDeskClient) => c.request(AdministrationsDocument, { first: 1 }) },
      { name: "node query with the document fragments", run: (c: PortalDeskClient) => c.request(DocumentDocument, { id: administrationId }).catch(() => null) },
    ];
    for (const operation of operations) {
      for (const client of Object.values(clients)) await operation.run(client); // warm up (the hash is learnt here)
      sent.text!.length = 0;
      sent.hash!.length = 0;
      const times: Record<string, number[]> = { "text (baseline)": [], hash: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, client] of Object.entries(clients)) {
          const started = process.hrtime.bigint();
          await operation.run(client);
          times[name]!.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      const baseline = median(times["text (baseline)"]!);
      console.log(`SDK transport: ${operation.name}, ${ROUNDS} rounds interleaved, medians`);
      for (const [name, bytes] of [
        ["text (baseline)", sent.text!],
        ["hash", sent.hash!],
      ] as const) {
        console.log(
          `  ${name.padEnd(16)} ${median(times[name]!).toFixed(2).padStart(7)} ms  ${(median(times[name]!) / baseline).toFixed(2)}x   request ${median(bytes)} bytes (${(median(bytes) / median(sent.text!)).toFixed(2)}x)`,
        );
      }
    }
  } finally {
    await server.stop();
  }
});
