// What webhooks cost. (1) A change: one renameDocument through the API with no webhook (baseline),
// with a webhook of the firm for other events (the recorder's one statement), and with one that
// wants the event (snapshot + message row); interleaved, medians. (2) Delivery: 1000 queued
// messages over 100 subjects through the deliverer (claim, sign, send, settle) against the same
// signed requests sent straight by sendWebhook with the same concurrency (the baseline), to a
// receiver on loopback.
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { RenameDocumentDocument, SignInDocument, UploadDocumentsDocument, createClient, unwrap, upload } from "@portaldesk/sdk";
import { startPortalDesk } from "../src/server/app.js";
import { WebhookDeliverer } from "../src/modules/webhooks/webhook-deliverer.js";
import { sendWebhook } from "../src/modules/webhooks/webhook-sender.js";
import { newWebhookSecret, signedHeaders } from "../src/modules/webhooks/webhook-signing.js";
import { BENCH_PASSWORD, benchWorld } from "./support/bench-world.js";
import { benchConfig, withBenchDatabase } from "./support/bench-database.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const MESSAGES = 1000;
const SUBJECTS = 100;
const CONCURRENCY = 4;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const tinyPdf = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

await withBenchDatabase("webhooks", async (db) => {
  let received = 0;
  const receiver = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const server = await startPortalDesk(benchConfig(db, { RUN_JOBS: "false", WEBHOOK_ALLOW_PRIVATE: "true" }));
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    const { clientEmail, administrationId } = await benchWorld(db.url);
    const api = `${server.url}/graphql`;
    const { token } = unwrap((await createClient({ url: api }).request(SignInDocument, { input: { email: clientEmail, password: BENCH_PASSWORD } })).signIn);
    const client = createClient({ url: api, token });
    const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64url");
    const [document] = unwrap(
      (await client.request(UploadDocumentsDocument, { input: { administrationId: gid("Administration", administrationId), files: [upload(tinyPdf, { filename: "bench.pdf" })] } }))
        .uploadDocuments,
    ).documents;
    const [{ firm_id: firmId }] = (await sql.query<{ firm_id: string }>("SELECT firm_id FROM administrations WHERE id = $1", [administrationId])).rows as [{ firm_id: string }];
    const webhook = async (events: string[]) => {
      const id = randomUUID();
      await sql.query("INSERT INTO webhooks (id, firm_id, url, events, secret, enabled, created_by_label) VALUES ($1, $2, $3, $4, $5, false, 'bench')", [
        id,
        firmId,
        url,
        events,
        newWebhookSecret(),
      ]);
      return id;
    };
    const other = await webhook(["ARCHIVE_CHANGED"]);
    const wanting = await webhook(["DOCUMENT_UPDATED"]);
    const states: Array<[string, string | null]> = [
      ["no webhook (baseline)", null],
      ["webhook, other events", other],
      ["webhook wants the event", wanting],
    ];
    const times: number[][] = states.map(() => []);
    let n = 0;
    const rename = () => client.request(RenameDocumentDocument, { input: { documentId: document!.id, filename: `bench-${n++}.pdf` } });
    await rename();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, [, enabled]] of states.entries()) {
        await sql.query("UPDATE webhooks SET enabled = coalesce(id = $1, false) WHERE firm_id = $2", [enabled, firmId]);
        const started = process.hrtime.bigint();
        await rename();
        times[index]!.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const queued = Number((await sql.query("SELECT count(*) FROM webhook_messages")).rows[0]!.count);
    console.log(`webhooks: one renameDocument, ${ROUNDS} rounds interleaved, medians (${queued} messages queued)`);
    const baseline = median(times[0]!);
    for (const [index, [name]] of states.entries()) {
      console.log(`  ${name.padEnd(26)} ${median(times[index]!).toFixed(2).padStart(7)} ms   ${(median(times[index]!) / baseline).toFixed(2)}x baseline`);
    }

    // (2) Delivery throughput.
    await sql.query("DELETE FROM webhook_messages");
    await sql.query("UPDATE webhooks SET enabled = coalesce(id = $1, false) WHERE firm_id = $2", [wanting, firmId]);
    const body = JSON.stringify({ type: "document.updated", timestamp: new Date().toISOString(), data: { document: { id: "x", filename: "bench.pdf" } } });
    await sql.query(
      `INSERT INTO webhook_messages (id, webhook_id, subject, event, body) SELECT gen_random_uuid(), $1, 'Document:' || (i % ${SUBJECTS}), 'DOCUMENT_UPDATED', $2 FROM generate_series(1, ${MESSAGES}) i`,
      [wanting, body],
    );
    const secret = (await sql.query<{ secret: string }>("SELECT secret FROM webhooks WHERE id = $1", [wanting])).rows[0]!.secret;
    const settings = { ...server.services.config.webhooks, concurrency: CONCURRENCY, pollMs: 100 };
    const { services } = server;
    const deliverer = new WebhookDeliverer(services.dataSource, services.bus, services.audit, services.notifications, settings, () => undefined);
    received = 0;
    let started = performance.now();
    deliverer.start();
    while (received < MESSAGES) await new Promise((resolve) => setTimeout(resolve, 5));
    const throughDeliverer = performance.now() - started;
    await deliverer.stop();

    received = 0;
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < MESSAGES) {
          next++;
          await sendWebhook(url, body, signedHeaders(randomUUID(), body, [secret]), { timeoutMs: 10_000, allowPrivate: true });
        }
      }),
    );
    const straight = performance.now() - started;
    console.log(`webhooks: delivering ${MESSAGES} messages over ${SUBJECTS} subjects, ${CONCURRENCY} side by side`);
    console.log(`  sendWebhook straight (baseline) ${((MESSAGES / straight) * 1000).toFixed(0).padStart(6)} messages/s`);
    console.log(
      `  the deliverer (queue, in order)  ${((MESSAGES / throughDeliverer) * 1000).toFixed(0).padStart(6)} messages/s   ${(throughDeliverer / straight).toFixed(2)}x the baseline's time`,
    );
  } finally {
    await sql.end();
    await server.stop();
    receiver.close();
  }
});
