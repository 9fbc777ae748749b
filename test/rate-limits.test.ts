// Request budgets: a person or API token and a client address may spend so much query cost per
// window; past it the answer is 429 with Retry-After (RATE_LIMITED), others stay served, the SDK
// waits and retries, every instance counts in the same place, and downloads take from the address.
import {
  AdministrationsDocument,
  createClient,
  DocumentDocument,
  RateLimitedError,
  SignInDocument,
  TrayKind,
  unwrap,
  upload,
  UploadDocumentsDocument,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { Redis } from "ioredis";
import { pdfBytes } from "./support/files.js";
import { gid, PASSWORD, TestEnv, type World } from "./support/harness.js";
import type { PortalDesk } from "../src/server/app.js";

const WINDOW_SECONDS = 10;
// The cost limit per request and the budget per person are the same: one costliest request fits.
const PER_VIEWER = 3000;

describe("request budgets (rate limits)", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let address = 10;

  before(async () => {
    env = await TestEnv.create({
      RATE_LIMITS: "true",
      RATE_LIMIT_WINDOW: `${WINDOW_SECONDS}s`,
      GRAPHQL_MAX_COST: String(PER_VIEWER),
      RATE_LIMIT_PER_VIEWER: String(PER_VIEWER),
      RATE_LIMIT_PER_ADDRESS: String(PER_VIEWER * 10),
      RATE_LIMIT_FILE_WEIGHT: String(PER_VIEWER * 3),
      // The tests speak for several client addresses through X-Forwarded-For from loopback.
      TRUST_PROXY: "loopback",
    });
    world = await env.createWorld({ administrations: 1 });
  });
  after(() => env?.close());

  /** A fresh client address for each use: budgets of one test never reach into another. */
  const nextAddress = () => `203.0.113.${address++}`;

  async function clientAs(email: string, from: string, options: { retries?: number; server?: PortalDesk } = {}): Promise<PortalDeskClient & { bearer: string }> {
    const url = `${(options.server ?? env.server).url}/graphql`;
    const headers = { "x-forwarded-for": from };
    const { token } = unwrap((await createClient({ url, headers, language: "en" }).request(SignInDocument, { input: { email, password: PASSWORD } })).signIn);
    return Object.assign(createClient({ url, headers, language: "en", token, rateLimitRetries: options.retries ?? 0 }), { bearer: token! });
  }

  /** Requests until one is refused: how many went through, and the refusal. */
  async function burst(clients: PortalDeskClient[]): Promise<{ served: number; refusal: RateLimitedError }> {
    for (let served = 0; served < 200; served++) {
      try {
        await clients[served % clients.length]!.request(AdministrationsDocument, { first: 50 });
      } catch (error) {
        if (error instanceof RateLimitedError) return { served, refusal: error };
        throw error;
      }
    }
    throw new Error("200 requests and none refused");
  }

  it("refuses a burst past the budget with 429 and Retry-After, while another person is served", async () => {
    const from = nextAddress();
    const accountant = await clientAs(world.accountant.email, from);
    const { served, refusal } = await burst([accountant]);
    expect(served, "some requests fit the budget").to.be.greaterThan(3);
    expect(refusal).to.include({ code: "RATE_LIMITED", status: 429 });
    expect(refusal.retryAfter).to.be.within(1, WINDOW_SECONDS);
    expect(refusal.message).to.match(/^Too many requests: try again in \d+ s$/);
    // Counted in PostgreSQL (no REDIS_URL), where every instance sees it.
    const { rows } = await env.sql<{ points: number }>("SELECT points FROM sign_in_throttle WHERE key = $1", [`req-viewer:u:${world.accountant.id}`]);
    expect(rows[0]!.points).to.be.greaterThan(PER_VIEWER);

    const raw = await fetch(`${env.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${accountant.bearer}`, "x-forwarded-for": from },
      body: JSON.stringify({ query: "{ administrations(first: 1) { nodes { id } } }" }),
    });
    expect(raw.status).to.equal(429);
    expect(Number(raw.headers.get("retry-after"))).to.be.within(1, WINDOW_SECONDS);
    expect(((await raw.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).to.equal("RATE_LIMITED");

    // Someone else, from the same address, still has their own budget.
    const admin = await clientAs(world.admin.email, from);
    expect((await admin.request(AdministrationsDocument, { first: 50 })).administrations.nodes).to.have.length(1);
  });

  it("lets the SDK wait as long as the server says and then succeed", async () => {
    const from = nextAddress();
    const patient = await clientAs(world.clients[0]!.email, from, { retries: 2 });
    const impatient = createClient({ url: `${env.server.url}/graphql`, headers: { "x-forwarded-for": from }, token: patient.bearer, rateLimitRetries: 0 });
    const { refusal } = await burst([impatient]);
    const started = Date.now();
    const result = await patient.request(AdministrationsDocument, { first: 50 });
    expect(result.administrations.nodes).to.have.length(1);
    // It waited for the window to pass (to the second), not less.
    expect(Date.now() - started).to.be.at.least((refusal.retryAfter - 1) * 1000);
  });

  it("counts in one place for every instance: a person spread over two instances gets the same budget", async () => {
    const [one, other] = [await env.addClient(world, 0, "alone"), await env.addClient(world, 0, "spread")];
    const alone = await burst([await clientAs(one.email, nextAddress())]);
    const second = await env.startServer();
    const from = nextAddress();
    const spread = await burst([await clientAs(other.email, from), await clientAs(other.email, from, { server: second })]);
    expect(spread.served, "two instances, one budget").to.equal(alone.served);
  });

  it("counts in Redis when REDIS_URL is set, and nothing in PostgreSQL", async () => {
    const viaRedis = await env.startServer({ REDIS_URL: "redis://127.0.0.1:6379" });
    const user = await env.addClient(world, 0, "redis");
    const { refusal } = await burst([await clientAs(user.email, nextAddress(), { server: viaRedis })]);
    expect(refusal.code).to.equal("RATE_LIMITED");
    const redis = new Redis("redis://127.0.0.1:6379");
    try {
      expect(Number(await redis.get(`req-viewer:u:${user.id}`))).to.be.greaterThan(PER_VIEWER);
    } finally {
      redis.disconnect();
    }
    const { rows } = await env.sql("SELECT key FROM sign_in_throttle WHERE key = $1", [`req-viewer:u:${user.id}`]);
    expect(rows).to.deep.equal([]);
  });

  it("takes downloads from the address's budget", async () => {
    // The admin has spent one request's worth so far (the accountant's budget may still be spent).
    const staff = await clientAs(world.admin.email, nextAddress());
    const administrationId = gid("Administration", world.administrations[0]!.id);
    const uploaded = unwrap(
      (await staff.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Purchase, files: [upload(await pdfBytes(1), { filename: "limit.pdf" })] } }))
        .uploadDocuments,
    );
    const link = ((await staff.request(DocumentDocument, { id: uploaded.documents[0]!.id })).node as { downloadUrl: string }).downloadUrl;
    const from = nextAddress();
    const download = () => fetch(link, { headers: { "x-forwarded-for": from } });
    // The address may spend ten requests' worth; a download costs three.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await download();
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).to.be.within(1, WINDOW_SECONDS);
    }
    expect(statuses).to.deep.equal([200, 200, 200, 429]);
    // Another address downloads as before.
    expect((await fetch(link, { headers: { "x-forwarded-for": nextAddress() } })).status).to.equal(200);
  });
});
