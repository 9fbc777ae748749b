// The SDK's transport against a real server over HTTP, with a real proxy in front where a test
// needs the network to misbehave: documents are sent as automatic persisted queries (hash first,
// the text only once the server asks for it), a request can be aborted and timed out, queries are
// retried when the server is unreachable or unavailable (honouring Retry-After), mutations only
// when the server said it did not run them.
import {
  AbortedError,
  AdministrationsDocument,
  createClient,
  NetworkError,
  RenameDocumentDocument,
  SignInDocument,
  TimeoutError,
  unwrap,
  upload,
  UploadDocumentsDocument,
  ViewerDocument,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pdfBytes } from "./support/files.js";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";

interface Sent {
  body: { query?: string; operationName?: string; extensions?: { persistedQuery?: { sha256Hash: string } } };
}

/** A fetch that records each JSON body it sends, then sends it. */
function recordingFetch(log: Sent[]): typeof fetch {
  return (input, init) => {
    if (typeof init?.body === "string") log.push({ body: JSON.parse(init.body) as Sent["body"] });
    return fetch(input, init);
  };
}

/** An HTTP proxy to the server whose answers a test decides: `plan(n)` for the n-th request (from 0) returns what to do. */
async function proxy(target: string, plan: (n: number) => { status: number; retryAfter?: string; delayMs?: number } | "pass") {
  let count = 0;
  const server = http.createServer((req, res) => {
    const step = plan(count++);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (step !== "pass") {
        setTimeout(() => {
          res.writeHead(step.status, { "content-type": "text/html", ...(step.retryAfter ? { "retry-after": step.retryAfter } : {}) });
          res.end("<html>unavailable</html>");
        }, step.delayMs ?? 0);
        return;
      }
      const forward = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the SDK's transport", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let token: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    token = await tokenOf(world.accountant.email);
  });
  after(() => env?.close());

  const tokenOf = async (email: string) => unwrap((await env.client().request(SignInDocument, { input: { email, password: PASSWORD } })).signIn).token!;

  const clientVia = (url: string, options: Parameters<typeof createClient>[0] = { url }): PortalDeskClient => createClient({ ...options, url, token });

  it("sends a query by its hash, and its text only the first time the server does not know it", async () => {
    const sent: Sent[] = [];
    const client = createClient({ url: `${env.server.url}/graphql`, token, fetch: recordingFetch(sent) });
    const first = await client.request(ViewerDocument);
    expect(first.viewer.email).to.equal(world.accountant.email);
    expect(sent.map((s) => [Boolean(s.body.query), Boolean(s.body.extensions?.persistedQuery)])).to.deep.equal([
      [false, true],
      [true, true],
    ]);
    // Another client of the same server: the hash alone is enough now.
    const others: Sent[] = [];
    const other = createClient({ url: `${env.server.url}/graphql`, token, fetch: recordingFetch(others) });
    expect((await other.request(ViewerDocument)).viewer.email).to.equal(world.accountant.email);
    expect(others).to.have.length(1);
    expect(others[0]!.body.query).to.equal(undefined);
    expect(others[0]!.body.extensions!.persistedQuery!.sha256Hash).to.match(/^[0-9a-f]{64}$/);
    expect(others[0]!.body.operationName).to.equal("Viewer");
    // Turned off, the text goes every time.
    const plain: Sent[] = [];
    await createClient({ url: `${env.server.url}/graphql`, token, fetch: recordingFetch(plain), persistedQueries: false }).request(ViewerDocument);
    expect(plain.map((s) => [Boolean(s.body.query), Boolean(s.body.extensions)])).to.deep.equal([[true, false]]);
  });

  it("aborts a request through its signal, and times one out, each with its own error", async () => {
    const slow = await proxy(env.server.url, () => ({ status: 200, delayMs: 3000 }));
    try {
      const controller = new AbortController();
      const pending = clientVia(slow.url).request(ViewerDocument, {}, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const aborted = await pending.catch((e: unknown) => e);
      expect(aborted).to.be.instanceOf(AbortedError);
      expect((aborted as AbortedError).code).to.equal("ABORTED");
      const timedOut = await clientVia(slow.url)
        .request(ViewerDocument, {}, { timeoutMs: 200 })
        .catch((e: unknown) => e);
      expect(timedOut).to.be.instanceOf(TimeoutError);
      expect((timedOut as TimeoutError).code).to.equal("TIMEOUT");
      // The client's default applies where the request names none.
      const byDefault = await clientVia(slow.url, { url: slow.url, timeoutMs: 200 })
        .request(ViewerDocument)
        .catch((e: unknown) => e);
      expect(byDefault).to.be.instanceOf(TimeoutError);
    } finally {
      await slow.close();
    }
  });

  it("retries a query after a 503, waiting as Retry-After says, and a query when the server cannot be reached", async () => {
    const flaky = await proxy(env.server.url, (n) => (n < 2 ? { status: 503, retryAfter: "1" } : "pass"));
    try {
      const started = Date.now();
      const { administrations } = await clientVia(flaky.url).request(AdministrationsDocument, { first: 5 });
      expect(administrations.nodes).to.have.length(1);
      expect(flaky.requests()).to.be.greaterThan(2);
      // Two waits of the Retry-After's one second each.
      expect(Date.now() - started).to.be.at.least(1900);
    } finally {
      await flaky.close();
    }
    const attempts: number[] = [];
    const unreachable = createClient({
      url: "http://127.0.0.1:9/graphql",
      token,
      retries: 2,
      fetch: (input, init) => {
        attempts.push(Date.now());
        return fetch(input, init);
      },
    });
    const failed = await unreachable.request(ViewerDocument).catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(NetworkError);
    expect(attempts).to.have.length(3);
  });

  it("sends a mutation again after a 503 (it did not run), but not after a 502", async () => {
    const clientToken = await tokenOf(world.clients[0]!.email);
    const direct = createClient({ url: `${env.server.url}/graphql`, token: clientToken });
    const { uploadDocuments } = await direct.request(UploadDocumentsDocument, {
      input: { administrationId: gid("Administration", world.administrations[0]!.id), files: [upload(await pdfBytes(1, "a"), { filename: "a.pdf" })] },
    });
    const id = uploadDocuments.documents[0]!.id;
    const unavailable = await proxy(env.server.url, (n) => (n === 0 ? { status: 503 } : "pass"));
    const gateway = await proxy(env.server.url, (n) => (n === 0 ? { status: 502 } : "pass"));
    try {
      const renamed = await createClient({ url: unavailable.url, token: clientToken }).request(RenameDocumentDocument, { input: { documentId: id, filename: "b.pdf" } });
      expect(renamed.renameDocument.document?.filename).to.equal("b.pdf");
      const refused = await createClient({ url: gateway.url, token: clientToken })
        .request(RenameDocumentDocument, { input: { documentId: id, filename: "c.pdf" } })
        .catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(NetworkError);
      expect((refused as NetworkError).status).to.equal(502);
      expect(gateway.requests()).to.equal(1);
    } finally {
      await unavailable.close();
      await gateway.close();
    }
  });
});
