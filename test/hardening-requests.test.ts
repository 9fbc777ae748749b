// Inputs an outside probe sent that reached the database or a lookup table and came back as
// INTERNAL (with stack and SQL in the log): each is now a clear refusal that names the problem,
// and nothing is stored. Plus the costs a request may impose before it runs.
import {
  DocumentDocument,
  SearchDocument,
  TrayDocumentsDocument,
  TrayKind,
  UpdateDocumentDetailsDocument,
  UploadDocumentsDocument,
  BadUserInputError,
  unwrap,
  upload,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { pdfBytes } from "./support/files.js";
import { gid, TestEnv, type World } from "./support/harness.js";
import { leaksInternals, post, sessionToken } from "./support/raw-http.js";

describe("hardening: unsafe text, impossible dates, forged cursors and IDs", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let staff: PortalDeskClient;
  let administrationId: string;
  let documentId: string;
  let graphqlUrl: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    graphqlUrl = `${env.server.url}/graphql`;
    client = await env.signIn(world.clients[0]!.email);
    staff = await env.signIn(world.accountant.email);
    const uploaded = unwrap(
      (await client.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Purchase, files: [upload(await pdfBytes(1), { filename: "factuur.pdf" })] } }))
        .uploadDocuments,
    );
    documentId = uploaded.documents[0]!.id;
  });
  after(() => env.close());

  const raw = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
    post(graphqlUrl, JSON.stringify({ query, variables }), { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) });

  it("refuses NUL, unpaired surrogates and bidi overrides anywhere in a request with BAD_USER_INPUT, naming where", async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ["mutation($i: SignInInput!) { signIn(input: $i) { token } }", { i: { email: "a\u0000@example.test", password: "x" } }],
      ["mutation($i: SignInInput!) { signIn(input: $i) { token } }", { i: { email: "\ud800@example.test", password: "x" } }],
      ["mutation($i: UpdateDocumentDetailsInput!) { updateDocumentDetails(input: $i) { userErrors { message } } }", { i: { documentId: "x", notes: "betaald\u0000" } }],
      ["mutation($i: RenameDocumentInput!) { renameDocument(input: $i) { userErrors { message } } }", { i: { documentId: "x", filename: "rekening\u202Efdp.exe" } }],
      ["query($i: SearchInput!) { search(input: $i) { totalCount } }", { i: { administrationId: "x", query: "\udfff" } }],
    ];
    for (const [query, variables] of cases) {
      const answer = await raw(query, variables);
      expect(answer.status, answer.text).to.equal(400);
      expect(answer.body.errors?.[0]?.extensions?.code).to.equal("BAD_USER_INPUT");
      expect(answer.body.errors?.[0]?.message).to.match(/^The value at variables\.i\.\w+ (contains|is not valid Unicode)/);
    }
    // In the query text itself, too, also written as an escape in a string literal.
    for (const query of ['{ node(id: "abc\u202E") { id } }', 'mutation { signIn(input: { email: "a\\u0000@b.test", password: "x" }) { token } }']) {
      const literal = await raw(query);
      expect(literal.status, query).to.equal(400);
      expect(literal.body.errors?.[0]?.extensions?.code).to.equal("BAD_USER_INPUT");
    }
    // And in a GET request's variables, which arrive as JSON text.
    const get = await fetch(
      `${graphqlUrl}?query=${encodeURIComponent("query($id: ID!) { node(id: $id) { id } }")}&variables=${encodeURIComponent(JSON.stringify({ id: "x\u0000" }))}`,
      {
        headers: { "apollo-require-preflight": "1" },
      },
    );
    expect(get.status).to.equal(400);
    expect(((await get.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).to.equal("BAD_USER_INPUT");
    const { rows } = await env.sql<{ notes: string | null; filename: string }>("SELECT notes, filename FROM documents");
    expect(rows).to.deep.equal([{ notes: null, filename: "factuur.pdf" }]);
  });

  it("refuses impossible calendar dates on every date input, and keeps the document as it was", async () => {
    for (const date of ["2025-02-30", "0000-01-01", "2026-13-01", "2026-04-31"]) {
      // The LocalDate scalar refuses what is no calendar day before the request runs; the server what
      // it may not store (year 0): either way naming the field.
      const refused = await client.request(UpdateDocumentDetailsDocument, { input: { documentId, documentDate: date } }).then(
        (r) => r.updateDocumentDetails.userErrors[0],
        (e: unknown) => e,
      );
      if (refused instanceof BadUserInputError) expect(refused.message, date).to.contain('at "input.documentDate"');
      else expect(refused, date).to.deep.include({ field: ["input", "documentDate"] });
      const search = await client.request(SearchDocument, { input: { administrationId, query: "factuur", from: date } }).catch((e: unknown) => e);
      expect(search, date).to.be.instanceOf(BadUserInputError);
    }
    const { node } = await client.request(DocumentDocument, { id: documentId });
    expect((node as { documentDate: string | null }).documentDate, "unchanged by the refusals").not.to.be.oneOf(["2025-02-30", "0000-01-01", "2026-13-01", "2026-04-31"]);
    expect(
      unwrap((await client.request(UpdateDocumentDetailsDocument, { input: { documentId, documentDate: "2024-02-29" } })).updateDocumentDetails).document?.documentDate,
    ).to.equal("2024-02-29");
  });

  it("refuses forged cursors with BAD_USER_INPUT instead of passing them to the database", async () => {
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const uuid = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    for (const after of [
      forge(["not a time", uuid]),
      forge(["2026-02-30 10:00:00+00", uuid]),
      forge(["2026-01-01 10:00:00+00", "nope"]),
      forge(["2026-01-01 10:00:00+99", uuid]),
      forge(["2026-01-01 24:00:00+00", uuid]),
      forge([1, uuid]),
      "%%%",
      forge({}),
    ]) {
      const answer = await staff.request(TrayDocumentsDocument, { administrationId, tray: TrayKind.Purchase, first: 5, after }).catch((e: unknown) => e);
      expect(answer, after).to.be.instanceOf(BadUserInputError);
    }
  });

  it("answers node(id) with a type named like an object's own members as nothing found (null)", async () => {
    const token = await sessionToken(env.server.url, world.accountant.email);
    for (const type of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
      const id = Buffer.from(`${type}:3f2504e0-4f89-41d3-9a0c-0305e82c3301`).toString("base64url");
      const answer = await raw("query($id: ID!) { node(id: $id) { id } }", { id }, token);
      // Null, as for any id that names nothing; "__proto__" is no valid id at all.
      if (type === "__proto__") expect(answer.body.errors?.[0]?.extensions?.code, answer.text).to.equal("BAD_USER_INPUT");
      else expect(answer.body, `${type}: ${answer.text}`).to.deep.include({ data: { node: null } });
      expect(leaksInternals(answer.text)).to.equal(false);
    }
  });
});

describe("hardening: what a request may cost before it runs", () => {
  let env: TestEnv;
  let world: World;
  let graphqlUrl: string;
  let token: string;

  before(async () => {
    env = await TestEnv.create({ GRAPHQL_MAX_ALIASES: "5" });
    world = await env.createWorld({ administrations: 1 });
    graphqlUrl = `${env.server.url}/graphql`;
    token = await sessionToken(env.server.url, world.accountant.email);
  });
  after(() => env.close());

  const raw = (query: string, signedIn: boolean) =>
    post(graphqlUrl, JSON.stringify({ query }), { "content-type": "application/json", ...(signedIn ? { authorization: `Bearer ${token}` } : {}) });

  it("takes fewer tokens before signing in, counted before parsing", async () => {
    const query = `{ ${"__typename ".repeat(1200)}}`;
    const anonymous = await raw(query, false);
    expect(anonymous.status).to.equal(400);
    expect(anonymous.body.errors?.[0]?.extensions?.code).to.equal("GRAPHQL_PARSE_FAILED");
    expect(anonymous.body.errors?.[0]?.message).to.match(/more than 1000 tokens/);
    const signedIn = await raw(query, true);
    expect(signedIn.body.errors?.[0]?.message ?? "").not.to.match(/tokens/);
  });

  it("refuses a document that repeats fields to make validation quadratic, before validating it", async () => {
    const answer = await raw(`{ ${"viewer { id } ".repeat(400)}}`, true);
    expect(answer.status).to.equal(400);
    expect(answer.body.errors?.[0]?.extensions?.code).to.equal("GRAPHQL_VALIDATION_FAILED");
    expect(answer.body.errors?.[0]?.message).to.match(/repeats the same fields/);
    // An ordinary document with some repetition passes.
    const fine = await raw("{ viewer { id email } again: viewer { id } }", true);
    expect(fine.status).to.equal(200);
  });

  it("refuses a subscription over HTTP with a 400 that names the WebSocket", async () => {
    const answer = await raw("subscription { notificationReceived { id } }", true);
    expect(answer.status).to.equal(400);
    expect(answer.body.errors?.[0]?.message).to.match(/WebSocket/);
  });

  it("counts __typename aliases against the alias limit", async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `t${i}: __typename`).join(" ");
    const answer = await raw(`{ ${aliases} }`, true);
    expect(answer.status).to.equal(400);
    expect(answer.body.errors?.[0]?.message).to.match(/alias/i);
  });

  it("answers introspection only where it is switched on (off in production by default)", async () => {
    const introspection = "{ __schema { queryType { name } } }";
    expect((await raw(introspection, false)).body.data).to.deep.equal({ __schema: { queryType: { name: "Query" } } });
    const production = await env.startServer({ NODE_ENV: "production" });
    const answer = await post(`${production.url}/graphql`, JSON.stringify({ query: introspection }), { "content-type": "application/json" });
    expect(answer.status).to.equal(400);
    expect(answer.body.errors?.[0]?.extensions?.code).to.equal("GRAPHQL_VALIDATION_FAILED");
    expect(answer.body.errors?.[0]?.message).to.match(/introspection/i);
  });
});

describe("hardening: metrics", () => {
  let env: TestEnv;

  before(async () => {
    env = await TestEnv.create({ METRICS_TOKEN: "metrics-secret-123" });
  });
  after(() => env.close());

  it("answers /metrics only with its token, and labels operations by the schema's fields, never by names clients choose", async () => {
    const graphqlUrl = `${env.server.url}/graphql`;
    for (let i = 0; i < 600; i++) {
      await post(graphqlUrl, JSON.stringify({ query: `query Made${i} { __typename }`, operationName: `Made${i}` }), { "content-type": "application/json" });
    }
    expect((await fetch(`${env.server.url}/metrics`)).status).to.equal(401);
    // Without a token set, loopback is enough, but not for a request a same-host proxy forwards.
    const open = await env.startServer({ METRICS_TOKEN: "" });
    expect((await fetch(`${open.url}/metrics`)).status).to.equal(200);
    expect((await fetch(`${open.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).to.equal(403);
    expect((await fetch(`${env.server.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).to.equal(401);
    const response = await fetch(`${env.server.url}/metrics`, { headers: { authorization: "Bearer metrics-secret-123" } });
    expect(response.status).to.equal(200);
    const text = await response.text();
    expect(text).not.to.match(/Made\d+/);
    expect(text).to.match(/portaldesk_graphql_requests_total\{operation="__typename",type="query",outcome="ok"\} 600/);
  });
});
