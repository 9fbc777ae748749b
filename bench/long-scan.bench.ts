// A 300-page scan uploaded to a server running in its own process (the one doing the OCR): its
// resident memory sampled the whole time against its memory before the upload, progress read through
// the API as pages are done, and a password-reset mail asked for half-way — how long it takes to
// arrive at a real SMTP server while the OCR goes on (other queues are not starved).
// Run: node --import tsx bench/long-scan.bench.ts [pages=300]
import { createClient, DocumentDocument, RequestPasswordResetDocument, SignInDocument, UploadDocumentsDocument, unwrap } from "@portaldesk/sdk";
import { uploadFromPath } from "@portaldesk/sdk/node";
import path from "node:path";
import { makeLongScan } from "./corpus/invoice-corpus.js";
import { mochaGlobalSetup, mochaGlobalTeardown } from "../test/support/global-fixture.js";
import { gid, PASSWORD, TestEnv } from "../test/support/harness.js";
import { MailCapture } from "../test/support/mail-capture.js";
import { startServerProcess } from "../test/support/server-process.js";

const PAGES = Number(process.argv[2] ?? 300);
const MB = 1024 ** 2;

// The test harness's database setup (a migrated template on DATABASE_URL's server, or an embedded one).
await mochaGlobalSetup();
const mail = await MailCapture.start();
// The in-process server of the test environment works no jobs: the measured process does them all.
const env = await TestEnv.create({ SMTP_URL: mail.url, RUN_JOBS: "false" });
try {
  const world = await env.createWorld({ administrations: 1 });
  const file = path.join(env.dataDir, "long-scan.pdf");
  await makeLongScan(file, PAGES, { seed: 11 });
  const server = await startServerProcess({ DATABASE_URL: env.dbUrl, DATA_DIR: env.dataDir, LOG_LEVEL: "warn", SMTP_URL: mail.url });
  try {
    const anonymous = createClient({ url: `${server.url}/graphql` });
    const session = unwrap((await anonymous.request(SignInDocument, { input: { email: world.clients[0]!.email, password: PASSWORD } })).signIn);
    const client = createClient({ url: `${server.url}/graphql`, token: session.token });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const baseline = await server.rss();
    let peak = baseline;
    const sampler = setInterval(() => void server.rss().then((rss) => (peak = Math.max(peak, rss))), 100);
    const started = Date.now();
    const [document] = unwrap(
      (await client.request(UploadDocumentsDocument, { input: { administrationId: gid("Administration", world.administrations[0]!.id), files: [await uploadFromPath(file)] } }))
        .uploadDocuments,
    ).documents;
    let mailAsked: { at: number; page: number } | null = null;
    let mailArrived: { seconds: number; page: number } | null = null;
    const progress: string[] = [];
    for (;;) {
      const { node } = await client.request(DocumentDocument, { id: document!.id });
      const processing = node && "processing" in node ? node.processing : null;
      const done = processing?.pagesDone ?? 0;
      if (progress.length === 0 || !progress[progress.length - 1]!.startsWith(`${done}/`))
        progress.push(`${done}/${processing?.pagesTotal ?? "?"} at ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (!mailAsked && done >= PAGES / 3) {
        mailAsked = { at: Date.now(), page: done };
        await anonymous.request(RequestPasswordResetDocument, { input: { email: world.accountant.email } });
      }
      if (mailAsked && !mailArrived && mail.messages.some((m) => m.to.includes(world.accountant.email))) mailArrived = { seconds: (Date.now() - mailAsked.at) / 1000, page: done };
      if (processing?.state === "DONE" || processing?.state === "FAILED") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    console.log(`${PAGES}-page scan OCR'd by a server process (OCR_CONCURRENCY default): ${seconds.toFixed(0)} s, ${(PAGES / seconds).toFixed(2)} pages/s`);
    console.log(`progress seen: ${progress.filter((_, i) => i % Math.max(1, Math.floor(progress.length / 8)) === 0).join(", ")}`);
    console.log(
      `server rss: ${(baseline / MB).toFixed(0)} MB before, peak ${(peak / MB).toFixed(0)} MB: growth ${((peak - baseline) / MB).toFixed(0)} MB (Tesseract runs in child processes)`,
    );
    console.log(
      mailArrived
        ? `a password-reset mail asked for at page ${mailAsked!.page} arrived after ${mailArrived.seconds.toFixed(1)} s (OCR at page ${mailArrived.page})`
        : "the mail did not arrive while OCR ran",
    );
  } finally {
    await server.stop();
  }
} finally {
  await env.close();
  await mail.stop();
  await mochaGlobalTeardown();
}
