// What operators see: request log lines (no headers, no query strings, the operation's name), error
// lines with their request id, and the metrics for jobs, mail, WebSockets and the database pool.
import { AdministrationEventsDocument, createClient, RequestPasswordResetDocument, SignInDocument, upload, UploadDocumentsDocument, unwrap } from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { startServerProcess } from "./support/server-process.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";
import { pdfBytes } from "./support/files.js";
import { MailCapture } from "./support/mail-capture.js";
import { sessionToken } from "./support/raw-http.js";

type Line = Record<string, unknown> & { msg?: string; req?: Record<string, unknown>; reqId?: string; operation?: string };

describe("observability: logs and metrics", function () {
  this.timeout(90_000);
  const lines: Line[] = [];
  const text: string[] = [];
  let env: TestEnv;
  let world: World;
  let mail: MailCapture;

  before(async () => {
    mail = await MailCapture.start();
    const logger = pino(
      { level: "info" },
      {
        write(line: string) {
          text.push(line);
          lines.push(JSON.parse(line) as Line);
        },
      },
    );
    env = await TestEnv.create({ SMTP_URL: mail.url }, { logger });
    world = await env.createWorld({ administrations: 1 });
  });
  after(async () => {
    await env?.close();
    await mail?.stop();
  });

  const metrics = async () => (await fetch(`${env.server.url}/metrics`)).text();

  it("logs each request once it is answered: method, path, status, the operation's name; no headers, no query string", async () => {
    const client = await env.signIn(world.clients[0]!.email);
    await fetch(`${env.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer not-a-real-token-but-secret", "x-request-id": "log-check-1", cookie: "c=1" },
      body: JSON.stringify({ query: "query CountMe { unreadNotificationCount }", operationName: "CountMe" }),
    });
    await fetch(`${env.server.url}/files/some-id?expires=1&signature=very-secret-signature`, { headers: { "x-request-id": "log-check-2" } });
    await client.request(AdministrationEventsDocument, { administrationId: gid("Administration", world.administrations[0]!.id) }).catch(() => undefined);

    const graphql = await eventually(async () => lines.find((line) => line.req?.id === "log-check-1" && line.msg === "request completed"));
    expect(graphql.req).to.deep.equal({ id: "log-check-1", method: "POST", path: "/graphql", remoteAddress: graphql.req!.remoteAddress });
    expect(graphql.operation).to.equal("CountMe");
    expect((graphql.res as { statusCode: number }).statusCode).to.be.a("number");
    const file = lines.find((line) => line.req?.id === "log-check-2" && line.msg === "request completed")!;
    expect(file.req!.path).to.equal("/files/some-id");
    const everything = text.join("");
    expect(everything).not.to.contain("very-secret-signature");
    expect(everything).not.to.contain("not-a-real-token-but-secret");
    expect(everything).not.to.contain('"headers"');
    expect(everything).not.to.contain("user-agent");
  });

  it("logs an unexpected error with the request's id and operation", async () => {
    const token = await sessionToken(env.server.url, world.admin.email);
    await env.sql("ALTER TABLE firms RENAME TO firms_moved");
    try {
      const answer = await fetch(`${env.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": "broken-123" },
        body: JSON.stringify({ query: "query WhoAmI { viewer { email firm { name } } }", operationName: "WhoAmI" }),
      });
      expect(((await answer.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).to.equal("INTERNAL");
    } finally {
      await env.sql("ALTER TABLE firms_moved RENAME TO firms");
    }
    const error = lines.find((line) => line.msg === "unexpected error in a GraphQL request" && line.reqId === "broken-123");
    expect(error, "an error line with the request id").to.not.equal(undefined);
    expect(error!.operation).to.equal("WhoAmI");
    expect(JSON.stringify(error!.err)).to.contain("firms");
  });

  it("counts jobs by queue and state, their durations, the mail sent, WebSockets and the pool", async () => {
    const client = await env.signIn(world.clients[0]!.email);
    const administrationId = gid("Administration", world.administrations[0]!.id);
    unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "metrics.pdf" })] } })).uploadDocuments);
    await env.client().request(RequestPasswordResetDocument, { input: { email: world.clients[0]!.email } });
    await mail.waitFor(world.clients[0]!.email);
    const live = client.subscribe(AdministrationEventsDocument, { administrationId });
    const pending = live.next(); // the socket opens with the first read
    try {
      const figures = await eventually(async () => {
        const body = await metrics();
        // The socket open, the mail's job counted.
        return /portaldesk_websocket_connections [1-9]/.test(body) && /portaldesk_mail_sent_total\{transport="smtp",outcome="ok"\} [1-9]/.test(body) && body;
      });
      expect(figures).to.match(/portaldesk_jobs\{queue="[\w.-]+",state="(created|active|completed|retry|failed)"\} \d+/);
      expect(figures).to.match(/portaldesk_job_duration_seconds_count\{queue="[\w.-]+",outcome="ok"\} [1-9]/);
      expect(figures).to.match(/portaldesk_db_pool_connections\{state="in_use"\} \d+/);
      expect(figures).to.match(/portaldesk_db_pool_connections\{state="idle"\} \d+/);
      expect(figures).to.match(/portaldesk_db_pool_waiting \d+/);
      expect(figures).to.match(/portaldesk_live_subscriptions [1-9]/);
      for (const name of ["portaldesk_gateway_calls_total", "portaldesk_webhook_deliveries_total"]) expect(figures).to.contain(`# TYPE ${name} counter`);
    } finally {
      await live.return?.();
      await pending;
    }
  });
});

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: number } }[];
}

/** A local OTLP/HTTP receiver: keeps every span posted to /v1/traces (JSON, as the exporter sends). */
async function otlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
        for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("traces over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)", function () {
  this.timeout(120_000);

  it("exports the trace of an upload: the HTTP request, the GraphQL operation, its SQL and the jobs it queued; log lines name it", async () => {
    const receiver = await otlpReceiver();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-traces-"));
    await fs.chmod(dataDir, 0o755);
    const server = await startServerProcess({
      DATA_DIR: dataDir,
      MAIL_IN: "false",
      DEMO_PASSWORD: "demo password 123",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: "100",
    });
    try {
      const session = unwrap(
        (await createClient({ url: `${server.url}/graphql` }).request(SignInDocument, { input: { email: "client@demo.test", password: "demo password 123" } })).signIn,
      );
      const client = createClient({ url: `${server.url}/graphql`, token: session.token });
      const administrationId = session.viewer!.memberships[0]!.administration.id;
      unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "traced.pdf" })] } })).uploadDocuments);

      const trace = await eventually(async () => {
        const operation = receiver.spans.find((span) => span.name === "graphql mutation uploadDocuments");
        if (!operation) return null;
        const inTrace = receiver.spans.filter((span) => span.traceId === operation.traceId);
        return inTrace.some((span) => span.name.startsWith("job document.")) && { operation, inTrace };
      }, 30_000);
      const { operation, inTrace } = trace;
      const request = inTrace.find((span) => span.spanId === operation.parentSpanId)!;
      expect(request, "the GraphQL span sits in the HTTP request's").to.not.equal(undefined);
      expect(request.kind).to.equal(2); // SERVER
      expect(request.attributes.find((a) => a.key === "http.method" || a.key === "http.request.method")?.value.stringValue).to.equal("POST");
      const statements = inTrace.filter((span) => span.attributes.some((a) => a.key === "db.system" && a.value.stringValue === "postgresql"));
      expect(statements.length, "SQL statements of the upload").to.be.greaterThan(3);
      const jobs = inTrace.filter((span) => span.name.startsWith("job "));
      expect(jobs.map((span) => span.name)).to.include.members(["job document.thumbnail"]);
      // The jobs' own statements belong to the same trace.
      expect(statements.some((span) => jobs.some((job) => job.spanId === span.parentSpanId))).to.equal(true);
      expect(server.output()).to.contain(`"traceId":"${operation.traceId}"`);
    } finally {
      await server.stop();
      await receiver.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
