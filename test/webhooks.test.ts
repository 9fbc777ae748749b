// Webhooks as an integrator meets them: endpoints made by firm admins (or tokens with
// webhooks:manage), events delivered signed per Standard Webhooks (checked with the
// `standardwebhooks` library and the SDK's verifyWebhook), in order per subject, at least once under
// one webhook-id through 500s, timeouts and a killed deliverer; secrets rotated with an overlap; an
// endpoint failing too long disabled and its admins told; private targets refused.
import {
  ApiScope,
  CreateApiTokenDocument,
  CreateWebhookDocument,
  FileDocumentsDocument,
  ForbiddenError,
  NotFoundError,
  NotificationsDocument,
  RedeliverWebhookDocument,
  RenameDocumentDocument,
  RotateWebhookSecretDocument,
  TestWebhookDocument,
  TrayKind,
  unwrap,
  UpdateWebhookDocument,
  upload,
  UploadDocumentsDocument,
  verifyWebhook,
  WebhookDeliveriesDocument,
  WebhookEvent,
  WebhooksDocument,
  WebhookVerificationError,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { sendWebhook } from "../src/modules/webhooks/webhook-sender.js";
import { guardedLookup, isPrivateAddress, targetProblem } from "../src/modules/webhooks/webhook-target.js";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";
import { exited, startServerProcess } from "./support/server-process.js";
import { type ReceivedData, WebhookReceiver } from "./support/webhook-receiver.js";

const refusal = (request: Promise<unknown>) =>
  request.then(
    () => null,
    (e: Error) => e,
  );

/** Each payload verified by the reference library and by the SDK; the parsed payloads in arrival order. */
async function verifiedPayloads(receiver: WebhookReceiver, secret: string) {
  const library = new StandardWebhook(secret);
  for (const r of receiver.received) {
    library.verify(r.body, r.headers);
    await verifyWebhook(r.headers, r.body, secret);
  }
  return receiver.payloads();
}

/** Per subject, the event types in the order their first copy arrived; and each event's webhook-ids. */
function bySubject(payloads: ReturnType<WebhookReceiver["payloads"]>, subjectOf: (p: { data: ReceivedData }) => string) {
  const order = new Map<string, string[]>();
  const ids = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const p of payloads) {
    const subject = subjectOf(p);
    ids.set(`${subject} ${p.type}`, (ids.get(`${subject} ${p.type}`) ?? new Set()).add(p.id));
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    order.set(subject, [...(order.get(subject) ?? []), p.type]);
  }
  return { order, ids };
}

async function deliveriesOf(client: PortalDeskClient, id: string) {
  const node = (await client.request(WebhookDeliveriesDocument, { id, first: 50 })).node;
  if (!node || !("deliveries" in node)) throw new Error("not a webhook");
  return node;
}

const documentSubject = (p: { data: ReceivedData }) => String(p.data.document.id);

async function uploadPdfs(client: PortalDeskClient, administrationId: string, names: string[]): Promise<string[]> {
  const files = await Promise.all(names.map(async (filename, i) => upload(await pdfBytes(1, `${filename} ${i}`), { filename })));
  return unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, files } })).uploadDocuments).documents.map((d) => d.id);
}

describe("webhooks", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let admin: PortalDeskClient;
  let administrationId: string;
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const made = await WebhookReceiver.start();
    receivers.push(made);
    return made;
  };

  before(async () => {
    env = await TestEnv.create({ WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_RETRY_SCHEDULE: "1s,1s,1s,2s", WEBHOOK_TIMEOUT: "2s", WEBHOOK_POLL: "1s" });
    world = await env.createWorld({ administrations: 1 });
    admin = await env.signIn(world.admin.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(async () => {
    await env?.close();
    for (const r of receivers) await r.close();
  });

  const create = async (url: string, events: WebhookEvent[], client = admin) =>
    unwrap((await client.request(CreateWebhookDocument, { input: { url, events, description: "Boekhoudpakket" } })).createWebhook);
  const disable = (id: string) => admin.request(UpdateWebhookDocument, { input: { id, enabled: false } });

  it("is made by firm admins and tokens with webhooks:manage only; the secret is shown once; bad input is refused clearly", async () => {
    const target = await receiver();
    const made = await create(target.url, [WebhookEvent.DocumentAdded]);
    expect(made.secret).to.match(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(made.webhook!.enabled).to.equal(true);
    expect(made.webhook!.createdBy).to.contain(world.admin.email.split("@")[0]!.slice(0, 3));
    const listed = (await admin.request(WebhooksDocument, { first: 10 })).webhooks.nodes;
    expect(listed.map((w) => w.id)).to.deep.equal([made.webhook!.id]);
    expect(JSON.stringify(listed)).not.to.contain(made.secret!); // never again

    const accountant = await env.signIn(world.accountant.email);
    expect(await refusal(accountant.request(WebhooksDocument, {}))).to.be.instanceOf(ForbiddenError);
    const client = await env.signIn(world.clients[0]!.email);
    expect(await refusal(client.request(CreateWebhookDocument, { input: { url: target.url, events: [WebhookEvent.DocumentAdded] } }))).to.be.instanceOf(ForbiddenError);

    const token = async (input: { scopes?: ApiScope[]; administrationIds?: string[] }) =>
      env.client(unwrap((await admin.request(CreateApiTokenDocument, { input: { name: "Integratie", ...input } })).createApiToken).token!);
    const withoutScope = await refusal((await token({ scopes: [ApiScope.DocumentsRead] })).request(WebhooksDocument, {}));
    expect((withoutScope as ForbiddenError).message).to.equal("This API token lacks the scope webhooks:manage (Query.webhooks)");
    const limited = await refusal((await token({ administrationIds: [administrationId] })).request(WebhooksDocument, {}));
    expect(limited).to.be.instanceOf(ForbiddenError);
    const manager = await token({ scopes: [ApiScope.WebhooksManage] });
    const byToken = await create(target.url, [WebhookEvent.FilingStatusChanged], manager);
    expect((await manager.request(WebhooksDocument, {})).webhooks.nodes).to.have.length(2);

    // Another firm's admin: the webhooks do not exist for them.
    const other = await env.createWorld({ administrations: 1 });
    const stranger = await env.signIn(other.admin.email);
    expect((await stranger.request(WebhooksDocument, {})).webhooks.nodes).to.deep.equal([]);
    expect((await stranger.request(WebhookDeliveriesDocument, { id: made.webhook!.id })).node).to.equal(null);
    expect(await refusal(stranger.request(UpdateWebhookDocument, { input: { id: made.webhook!.id, enabled: false } }))).to.be.instanceOf(NotFoundError);

    const bad = async (url: string, events: WebhookEvent[]) => (await admin.request(CreateWebhookDocument, { input: { url, events } })).createWebhook.userErrors;
    expect(await bad("ftp://example.com/hook", [WebhookEvent.DocumentAdded])).to.deep.include({
      code: "INVALID",
      field: ["input", "url"],
      message: "The URL must start with https://",
    });
    expect((await bad("not a url", [WebhookEvent.DocumentAdded]))[0]!.message).to.equal("The URL is not a valid absolute URL");
    expect((await bad("https://user:pw@example.com/", [WebhookEvent.DocumentAdded]))[0]!.message).to.equal("The URL must not contain a user name or password");
    expect((await bad("https://example.com/", []))[0]).to.include({ code: "INVALID", message: "Choose at least one event" });
    await disable(made.webhook!.id);
    await disable(byToken.webhook!.id);
  });

  it("delivers each event signed, with the subject as the firm sees it, in order per subject", async () => {
    const target = await receiver();
    const { webhook, secret } = await create(target.url, [WebhookEvent.DocumentAdded, WebhookEvent.DocumentFiled, WebhookEvent.DocumentUpdated]);
    const client = await env.signIn(world.clients[0]!.email);
    const [first, second] = await uploadPdfs(client, administrationId, ["factuur-a.pdf", "factuur-b.pdf"]);
    unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [first!, second!], tray: TrayKind.Purchase } })).fileDocuments);
    unwrap((await admin.request(RenameDocumentDocument, { input: { documentId: first!, filename: "factuur-a-2026.pdf" } })).renameDocument);

    // Wait for the rename itself: a background update of either document (reading it) can arrive
    // first, so a count of distinct events alone could be reached without it.
    const isRename = (p: ReturnType<typeof target.payloads>[number]) =>
      p.type === "document.updated" && documentSubject(p) === first && p.data.document.filename === "factuur-a-2026.pdf";
    await eventually(async () => {
      const seen = new Set(target.payloads().map((p) => `${documentSubject(p)} ${p.type}`));
      return seen.size >= 5 && target.payloads().some(isRename);
    }, 20_000);
    const payloads = await verifiedPayloads(target, secret!);
    const { order, ids } = bySubject(payloads, documentSubject);
    // Added, then filed, then only updates: the rename of the first, and for either an update a
    // background step (reading the document) may announce after the filing.
    const inOrder = (types: string[] | undefined) => types?.slice(0, 2).join() === "document.added,document.filed" && types.slice(2).every((type) => type === "document.updated");
    expect(order.get(first!), "first").to.satisfy(inOrder);
    expect(order.get(first!)!.slice(2), "the rename of the first").to.have.length.greaterThan(0);
    expect(order.get(second!), "second").to.satisfy(inOrder);
    // Each was delivered once (no retries here), so every message has its own webhook-id, and an
    // event that happens once per subject has exactly one. (A subject can have several updates.)
    expect(new Set(payloads.map((p) => p.id)).size, "distinct webhook-ids").to.equal(payloads.length);
    const once = [...ids].filter(([key]) => !key.endsWith(" document.updated"));
    expect(once.map(([, set]) => set.size)).to.deep.equal([1, 1, 1, 1]);

    const filed = payloads.find((p) => p.type === "document.filed" && documentSubject(p) === second)!;
    expect(filed.data.administration).to.deep.equal({ id: administrationId, name: world.administrations[0]!.name });
    expect(filed.data.document).to.include({ filename: "factuur-b.pdf", tray: "PURCHASE", location: "TRAY", format: "PDF" });
    expect(filed.data.document.uploadedBy).to.deep.include({ type: "User", id: gid("User", world.clients[0]!.id) });
    expect(filed.data.change).to.equal("FILED");
    expect(payloads.filter(isRename), "the rename, as one update of the first").to.have.length(1);
    const beforeRename = payloads.filter((p) => documentSubject(p) === first && p.type !== "document.updated");
    expect(beforeRename.map((p) => p.data.document.filename)).to.deep.equal(["factuur-a.pdf", "factuur-a.pdf"]);
    const headers = target.received[0]!.headers;
    expect(headers["webhook-id"]).to.match(/^msg_[0-9a-f]{32}$/);
    expect(Math.abs(Number(headers["webhook-timestamp"]) - Date.now() / 1000)).to.be.lessThan(60);

    // A body changed in transit, a wrong secret or an old timestamp fail the SDK's check.
    const r = target.received[0]!;
    const failures = await Promise.all([
      verifyWebhook(r.headers, r.body.replace("document", "docvment"), secret!).catch((e: unknown) => e),
      verifyWebhook(r.headers, r.body, "whsec_" + Buffer.alloc(24, 1).toString("base64")).catch((e: unknown) => e),
      verifyWebhook(r.headers, r.body, secret!, { now: new Date(Date.now() + 3600_000) }).catch((e: unknown) => e),
      verifyWebhook({ ...r.headers, "webhook-signature": "" }, r.body, secret!).catch((e: unknown) => e),
    ]);
    expect(failures.every((f) => f instanceof WebhookVerificationError)).to.equal(true);

    const deliveries = await deliveriesOf(admin, webhook!.id);
    expect(deliveries.deliveries.nodes).to.have.length(payloads.length);
    expect(deliveries.deliveries.nodes.every((d) => d.ok && d.statusCode === 204 && d.messageState === "DELIVERED" && d.attempt === 1)).to.equal(true);
    expect(deliveries.pendingCount).to.equal(0);
    expect(deliveries.lastSuccessAt).to.be.a("string");
    await disable(webhook!.id);
  });

  it("keeps trying through 500s and timeouts: every event arrives, under one webhook-id each, in order", async () => {
    const target = await receiver();
    // The first two requests get 500, the third no answer (past WEBHOOK_TIMEOUT), the rest 200.
    target.answer = (_, i) => (i < 2 ? 500 : i === 2 ? "hang" : 200);
    const { webhook, secret } = await create(target.url, [WebhookEvent.DocumentAdded, WebhookEvent.DocumentFiled]);
    const documents = await uploadPdfs(admin, administrationId, ["bon-1.pdf", "bon-2.pdf", "bon-3.pdf"]);
    unwrap((await admin.request(FileDocumentsDocument, { input: { documentIds: documents, tray: TrayKind.Receipts } })).fileDocuments);

    await eventually(async () => {
      const ok = target.received.filter((_, i) => i > 2).map((r) => JSON.parse(r.body) as { type: string; data: { document: { id: string } } });
      return new Set(ok.map((p) => `${p.data.document.id} ${p.type}`)).size === 6;
    }, 40_000);
    const { order, ids } = bySubject(await verifiedPayloads(target, secret!), documentSubject);
    for (const id of documents) expect(order.get(id), id).to.deep.equal(["document.added", "document.filed"]);
    expect([...ids.values()].map((set) => set.size)).to.deep.equal([1, 1, 1, 1, 1, 1]);

    const deliveries = await deliveriesOf(admin, webhook!.id);
    const failed = deliveries.deliveries.nodes.filter((d) => !d.ok);
    expect(failed.map((d) => d.statusCode ?? d.error).sort()).to.deep.equal([500, 500, "No answer within 2 s"].sort() as Array<number | string>);
    expect(failed.find((d) => d.statusCode === 500)!.responseExcerpt).to.equal("refused with 500");
    expect(deliveries.deliveries.nodes.filter((d) => d.ok)).to.have.length(6);
    await disable(webhook!.id);
  });

  it("rotates the secret with an overlap: both secrets verify until it ends; without one only the new", async () => {
    const target = await receiver();
    const { webhook, secret: old } = await create(target.url, [WebhookEvent.DocumentAdded]);
    const rotated = unwrap((await admin.request(RotateWebhookSecretDocument, { input: { id: webhook!.id, overlapSeconds: 3600 } })).rotateWebhookSecret);
    expect(rotated.secret).not.to.equal(old);
    expect(rotated.webhook!.previousSecretValidUntil).to.be.a("string");
    await uploadPdfs(admin, administrationId, ["rotatie.pdf"]);
    await eventually(async () => target.received.length === 1, 10_000);
    const [r] = target.received;
    expect(r!.headers["webhook-signature"]!.split(" ")).to.have.length(2);
    new StandardWebhook(old!).verify(r!.body, r!.headers);
    new StandardWebhook(rotated.secret!).verify(r!.body, r!.headers);

    const again = unwrap((await admin.request(RotateWebhookSecretDocument, { input: { id: webhook!.id, overlapSeconds: 0 } })).rotateWebhookSecret);
    await uploadPdfs(admin, administrationId, ["rotatie-2.pdf"]);
    await eventually(async () => target.received.length === 2, 10_000);
    const second = target.received[1]!;
    new StandardWebhook(again.secret!).verify(second.body, second.headers);
    expect(() => new StandardWebhook(rotated.secret!).verify(second.body, second.headers)).to.throw("No matching signature found");
    const tooLong = (await admin.request(RotateWebhookSecretDocument, { input: { id: webhook!.id, overlapSeconds: 8 * 86400 } })).rotateWebhookSecret.userErrors;
    expect(tooLong[0]!.message).to.equal("The overlap must be from 0 to 604800 seconds (7 days)");
    await disable(webhook!.id);
  });

  it("sends a test message on request, and redelivers a message under the same webhook-id", async () => {
    const target = await receiver();
    const { webhook, secret } = await create(target.url, [WebhookEvent.DocumentAdded]);
    const tested = unwrap((await admin.request(TestWebhookDocument, { input: { id: webhook!.id } })).testWebhook);
    expect(tested.delivery).to.include({ ok: true, statusCode: 204, type: "webhook.test", attempt: 1, messageState: "DELIVERED" });
    const payload = await verifyWebhook(target.received[0]!.headers, target.received[0]!.body, secret!);
    expect(payload.type).to.equal("webhook.test");
    expect(target.received[0]!.headers["webhook-id"]).to.equal(tested.delivery!.webhookId);

    unwrap((await admin.request(RedeliverWebhookDocument, { input: { deliveryId: tested.delivery!.id } })).redeliverWebhook);
    await eventually(async () => target.received.length === 2, 10_000);
    expect(target.received[1]!.headers["webhook-id"]).to.equal(tested.delivery!.webhookId);
    expect(target.received[1]!.body).to.equal(target.received[0]!.body);

    // A test to an endpoint that refuses says so at once.
    target.answer = () => 503;
    const refused = unwrap((await admin.request(TestWebhookDocument, { input: { id: webhook!.id } })).testWebhook);
    expect(refused.delivery).to.include({ ok: false, statusCode: 503, error: "The endpoint answered 503", messageState: "FAILED" });
    expect(await refusal(admin.request(RedeliverWebhookDocument, { input: { deliveryId: gid("WebhookDelivery", "00000000-0000-4000-8000-000000000000") } }))).to.be.instanceOf(
      NotFoundError,
    );
    await disable(webhook!.id);
  });

  it("prunes delivered and given-up messages past the retention, keeping what is still pending", async () => {
    const target = await receiver();
    const { webhook } = await create(target.url, [WebhookEvent.DocumentAdded]);
    unwrap((await admin.request(TestWebhookDocument, { input: { id: webhook!.id } })).testWebhook);
    const webhookId = (await env.sql("SELECT id FROM webhooks WHERE url = $1", [target.url])).rows[0]!.id as string;
    await env.sql(
      "INSERT INTO webhook_messages (id, webhook_id, subject, event, body, created_at) VALUES (gen_random_uuid(), $1, 'Document:x', 'DOCUMENT_ADDED', '{}', now() - interval '40 days')",
      [webhookId],
    );
    await env.sql("UPDATE webhooks SET enabled = false WHERE id = $1", [webhookId]); // the old pending one stays unsent
    await env.sql("UPDATE webhook_messages SET created_at = now() - interval '31 days' WHERE webhook_id = $1 AND state = 'DELIVERED'", [webhookId]);
    expect(await env.server.services.webhooks.prune()).to.equal(1);
    const left = await env.sql("SELECT state FROM webhook_messages WHERE webhook_id = $1", [webhookId]);
    expect(left.rows.map((r) => r.state)).to.deep.equal(["PENDING"]);
    expect((await env.sql("SELECT count(*)::int AS n FROM webhook_attempts WHERE webhook_id = $1", [webhookId])).rows[0]!.n).to.equal(0);
  });

  it("refuses private, loopback and link-local targets unless WEBHOOK_ALLOW_PRIVATE, also when a name resolves to one at delivery", async () => {
    const strict = await env.startServer({ WEBHOOK_ALLOW_PRIVATE: "false", RUN_JOBS: "false" });
    const strictAdmin = await env.signIn(world.admin.email, undefined, strict);
    for (const url of [
      "https://127.0.0.1/hook",
      "https://10.1.2.3/",
      "https://169.254.169.254/latest",
      "https://[::1]/",
      "https://[fd00::1]/",
      "https://localhost:8443/",
      "https://[::ffff:192.168.1.1]/",
    ]) {
      const errors = (await strictAdmin.request(CreateWebhookDocument, { input: { url, events: [WebhookEvent.DocumentAdded] } })).createWebhook.userErrors;
      expect(errors[0]?.message, url).to.equal("The URL points to a private, loopback or link-local address");
    }
    expect(
      (await strictAdmin.request(CreateWebhookDocument, { input: { url: "http://example.com/", events: [WebhookEvent.DocumentAdded] } })).createWebhook.userErrors[0]!.message,
    ).to.equal("The URL must start with https://");
    expect(targetProblem("https://hooks.example.com/portaldesk", false)).to.equal(null);
    expect(["8.8.8.8", "2a00:1450:4001::1"].map(isPrivateAddress)).to.deep.equal([false, false]);
    expect(["127.0.0.2", "100.64.1.1", "::ffff:10.0.0.1", "fe80::1", "0.0.0.0"].map(isPrivateAddress)).to.deep.equal([true, true, true, true, true]);

    // At delivery: a name is resolved and each address checked (a name made to point inside later is refused then).
    const lookup = guardedLookup(false);
    const looked = await new Promise<Error | null>((resolve) => lookup("localhost", {}, (error) => resolve(error)));
    expect(looked?.message).to.match(/^localhost resolves to (127\.0\.0\.1|::1), a private address$/);
    const target = await receiver();
    const sent = await sendWebhook(target.url.replace("127.0.0.1", "localhost"), "{}", {}, { timeoutMs: 2000, allowPrivate: false });
    expect(sent).to.include({ ok: false, statusCode: null });
    expect(sent.error).to.match(/a private address$/);
    const literal = await sendWebhook(target.url, "{}", {}, { timeoutMs: 2000, allowPrivate: false });
    expect(literal.error).to.equal("127.0.0.1 is a private address");
    expect(target.received).to.have.length(0);
  });
});

describe("webhooks: an endpoint failing too long", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let target: WebhookReceiver;

  before(async () => {
    env = await TestEnv.create({
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_RETRY_SCHEDULE: "1s,1s,1s,1s,1s,1s",
      WEBHOOK_DISABLE_AFTER: "2s",
      WEBHOOK_POLL: "1s",
      WEBHOOK_TIMEOUT: "2s",
    });
    target = await WebhookReceiver.start();
  });
  after(async () => {
    await env?.close();
    await target?.close();
  });

  it("is disabled, its firm admins are told by notification and mail, and enabling it sends what waited", async () => {
    const world = await env.createWorld({ administrations: 1 });
    const admin = await env.signIn(world.admin.email);
    target.answer = () => 500;
    const { webhook, secret } = unwrap((await admin.request(CreateWebhookDocument, { input: { url: target.url, events: [WebhookEvent.DocumentAdded] } })).createWebhook);
    const [documentId] = await uploadPdfs(admin, gid("Administration", world.administrations[0]!.id), ["kapot.pdf"]);

    const disabled = await eventually(async () => {
      const [w] = (await admin.request(WebhooksDocument, {})).webhooks.nodes;
      return w && !w.enabled ? w : null;
    }, 30_000);
    expect(disabled.disabledReason).to.match(/^Failing without a success since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(disabled.failingSince).to.be.a("string");
    expect(disabled.pendingCount, "the message waits").to.equal(1);
    const notices = (await admin.request(NotificationsDocument, { first: 10 })).notifications.nodes.filter((n) => n.kind === "WEBHOOK_DISABLED");
    expect(notices).to.have.length(1);
    expect(notices[0]!.title).to.equal(`Webhook ${target.url} staat uit`);
    const mails = await env.sql("SELECT to_address FROM outgoing_mails WHERE notification_kind = 'WEBHOOK_DISABLED'");
    expect(mails.rows.map((m) => m.to_address)).to.deep.equal([world.admin.email]);
    const attemptsWhileDisabled = target.received.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(target.received.length, "nothing is sent while disabled").to.equal(attemptsWhileDisabled);

    target.answer = () => 200;
    unwrap((await admin.request(UpdateWebhookDocument, { input: { id: webhook!.id, enabled: true } })).updateWebhook);
    await eventually(async () => target.received.length > attemptsWhileDisabled, 10_000);
    const last = target.received.at(-1)!;
    const payload = await verifyWebhook<{ document: { id: string } }>(last.headers, last.body, secret!);
    expect(payload.data.document.id).to.equal(documentId);
    expect(new Set(target.received.map((r) => r.headers["webhook-id"])).size, "every attempt was the same message").to.equal(1);
  });
});

describe("webhooks: the delivering process killed mid-request", function () {
  this.timeout(180_000);
  let env: TestEnv;
  let target: WebhookReceiver;
  let dataDir: string;
  const children: Array<Awaited<ReturnType<typeof startServerProcess>>> = [];

  before(async () => {
    // This instance serves the API but delivers nothing: a separate process does.
    env = await TestEnv.create({ RUN_JOBS: "false", WEBHOOK_ALLOW_PRIVATE: "true" });
    target = await WebhookReceiver.start();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-webhook-worker-"));
  });
  after(async () => {
    for (const child of children) await child.stop();
    await env?.close();
    await target?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const deliverer = async () => {
    const child = await startServerProcess({
      DATABASE_URL: env.dbUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      RUN_JOBS: "true",
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_TIMEOUT: "3s",
      WEBHOOK_POLL: "1s",
    });
    children.push(child);
    return child;
  };

  it("leaves its messages to the next deliverer, which sends them under the same webhook-ids, in order", async () => {
    const world = await env.createWorld({ administrations: 1 });
    const admin = await env.signIn(world.admin.email);
    const { secret } = unwrap(
      (await admin.request(CreateWebhookDocument, { input: { url: target.url, events: [WebhookEvent.DocumentAdded, WebhookEvent.DocumentFiled] } })).createWebhook,
    );
    const documents = await uploadPdfs(admin, gid("Administration", world.administrations[0]!.id), ["a.pdf", "b.pdf"]);
    unwrap((await admin.request(FileDocumentsDocument, { input: { documentIds: documents, tray: TrayKind.Sales } })).fileDocuments);

    // The first deliverer gets no answer; it is killed while it waits.
    target.answer = () => "hang";
    const first = await deliverer();
    await eventually(async () => target.received.length >= 2, 30_000);
    first.child.kill("SIGKILL");
    await exited(first.child);
    const lost = target.received.map((r) => r.headers["webhook-id"]);

    target.answer = () => 200;
    await deliverer();
    await eventually(
      async () =>
        new Set(
          target
            .payloads()
            .slice(lost.length)
            .map((p) => `${documentSubject(p)} ${p.type}`),
        ).size === 4,
      60_000,
    );
    const payloads = await verifiedPayloads(target, secret!);
    const { order, ids } = bySubject(payloads, documentSubject);
    for (const id of documents) expect(order.get(id)).to.deep.equal(["document.added", "document.filed"]);
    expect(
      [...ids.values()].every((set) => set.size === 1),
      "one webhook-id per event",
    ).to.equal(true);
    // What the killed process was sending came again, under the same ids.
    const resent = payloads.slice(lost.length).map((p) => p.id);
    for (const id of lost) expect(resent).to.include(id);
  });
});
