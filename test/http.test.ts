import { InvalidRequestError, ViewerDocument, BadUserInputError, InternalServerError } from "@portaldesk/sdk";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { expect } from "chai";
import { parse } from "graphql";
import { TestEnv, type World } from "./support/harness.js";

interface RawResult {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  text: string;
  headers: Headers;
}

describe("HTTP behaviour, limits and errors", () => {
  let env: TestEnv;
  let world: World;
  let token: string;

  before(async () => {
    env = await TestEnv.create({ GRAPHQL_MAX_DEPTH: "6", GRAPHQL_MAX_ALIASES: "5", GRAPHQL_MAX_COST: "300" });
    world = await env.createWorld();
    const response = await raw({ query: `mutation { signIn(input: { email: "${world.accountant.email}", password: "correct horse battery staple" }) { token } }` });
    token = (response.body.data as { signIn: { token: string } }).signIn.token;
  });
  after(() => env.close());

  async function raw(body: unknown, init: { headers?: Record<string, string>; method?: string; rawBody?: string; path?: string } = {}): Promise<RawResult> {
    const response = await fetch(`${env.server.url}${init.path ?? "/graphql"}`, {
      method: init.method ?? "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
      body: init.method === "GET" ? undefined : (init.rawBody ?? JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: RawResult["body"] = {};
    try {
      parsed = JSON.parse(text) as RawResult["body"];
    } catch {
      // left empty: the assertion on `text` will tell
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  function expectNoInternals(result: RawResult) {
    expect(result.text).not.to.match(/\bat .*\.(ts|js):\d+/);
    expect(result.text).not.to.match(/stacktrace|SELECT |INSERT |node_modules/i);
  }

  it("refuses a query deeper than the limit with a 400", async () => {
    const result = await raw({ query: "{ administrations { nodes { memberships { user { memberships { administration { memberships { user { id } } } } } } } } }" });
    expect(result.status).to.equal(400);
    expect(result.body.errors?.[0]?.extensions?.code).to.equal("GRAPHQL_VALIDATION_FAILED");
    expect(result.body.errors?.[0]?.message).to.match(/depth/i);
    expectNoInternals(result);
  });

  it("refuses too many aliases and too high a cost", async () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: unreadNotificationCount`).join(" ");
    const aliasResult = await raw({ query: `{ ${aliases} }` });
    expect(aliasResult.status).to.equal(400);
    expect(aliasResult.body.errors?.[0]?.message).to.match(/alias/i);

    const fields = "id name vatNumber chamberOfCommerceNumber portalEnabled createdAt updatedAt";
    const page = `nodes { ${fields} firm { id name } memberships { id canApproveFilings user { id email name role status language createdAt firm { id name createdAt } } } } edges { cursor node { ${fields} } }`;
    const costly = `{ administrations { ${page} } again: administrations { ${page} } }`;
    const costResult = await raw({ query: costly });
    expect(costResult.status).to.equal(400);
    expect(costResult.body.errors?.[0]?.message).to.match(/cost/i);
  });

  it("answers a malformed JSON body with a 400 and a GraphQL-shaped error", async () => {
    const result = await raw(null, { rawBody: '{"query": "{ viewer { id } ' });
    expect(result.status).to.equal(400);
    expect(result.body.errors?.[0]).to.deep.equal({ message: "The request body is not valid JSON", extensions: { code: "BAD_REQUEST" } });
  });

  it("answers a syntax error, a wrong variable type and an unknown operation with 400s", async () => {
    const syntax = await raw({ query: "{ viewer { id " });
    expect(syntax.status).to.equal(400);
    expect(syntax.body.errors?.[0]?.extensions?.code).to.equal("GRAPHQL_PARSE_FAILED");

    const wrongType = await raw({ query: "query($first: Int) { administrations(first: $first) { totalCount } }", variables: { first: "ten" } });
    expect(wrongType.status).to.equal(400);
    expect(wrongType.body.errors?.[0]?.extensions?.code).to.equal("BAD_USER_INPUT");

    const unknownField = await raw({ query: "{ nothingHere }" });
    expect(unknownField.status).to.equal(400);
    expect(unknownField.body.errors?.[0]?.extensions?.code).to.equal("GRAPHQL_VALIDATION_FAILED");

    const unknownOperation = await raw({ query: "query A { viewer { id } }", operationName: "B" });
    expect(unknownOperation.status).to.be.within(400, 499);
    expect(unknownOperation.body.errors?.[0]?.message).to.match(/Unknown operation named "B"/);

    for (const result of [syntax, wrongType, unknownField, unknownOperation]) expectNoInternals(result);
  });

  it("refuses a mutation over GET and a multipart request without the preflight header", async () => {
    const get = await fetch(`${env.server.url}/graphql?query=${encodeURIComponent("mutation { signOut { signedOut } }")}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(get.status).to.be.within(400, 405);
    const form = new FormData();
    form.append("operations", JSON.stringify({ query: "{ viewer { id } }" }));
    form.append("map", "{}");
    const multipart = await fetch(`${env.server.url}/graphql`, { method: "POST", body: form });
    expect(multipart.status).to.equal(400);
  });

  it("maps the SDK's errors to typed classes", async () => {
    const client = env.client(token);
    const invalid = await client.request(parse("{ nothingHere }") as TypedDocumentNode<unknown, Record<string, never>>).catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(InvalidRequestError);
    const wrongVariable = await client
      .request(parse("query($first: Int) { administrations(first: $first) { totalCount } }") as TypedDocumentNode<unknown, { first: unknown }>, { first: "many" })
      .catch((e: unknown) => e);
    expect(wrongVariable).to.be.instanceOf(BadUserInputError);
    expect((wrongVariable as BadUserInputError).status).to.equal(400);
  });

  it("hides unexpected failures behind INTERNAL, without stack traces or SQL", async () => {
    await env.sql("ALTER TABLE firms RENAME TO firms_moved");
    try {
      const result = await raw({ query: "{ viewer { email firm { name } } }" });
      expect(result.body.errors?.[0]).to.deep.include({ message: "Internal server error" });
      expect(result.body.errors?.[0]?.extensions).to.deep.equal({ code: "INTERNAL" });
      expectNoInternals(result);
      const sdkError = await env
        .client(token)
        .request(ViewerDocument)
        .catch((e: unknown) => e);
      expect(sdkError).to.be.instanceOf(InternalServerError);
    } finally {
      await env.sql("ALTER TABLE firms_moved RENAME TO firms");
    }
  });

  it("serves health, readiness and Prometheus metrics, and tags requests with an id", async () => {
    const health = await fetch(`${env.server.url}/healthz`);
    expect(health.status).to.equal(200);
    const ready = await fetch(`${env.server.url}/readyz`);
    expect(await ready.json()).to.deep.equal({ status: "ready" });
    await raw({ query: "query CountMe { unreadNotificationCount }", operationName: "CountMe" });
    const metrics = await (await fetch(`${env.server.url}/metrics`)).text();
    expect(metrics).to.match(/portaldesk_graphql_requests_total\{operation="unreadNotificationCount",type="query",outcome="ok"\} \d+/);
    expect(metrics).not.to.contain("CountMe"); // a client-chosen name is never a label
    expect(metrics).to.contain("portaldesk_graphql_request_duration_seconds_bucket");
    const tagged = await raw({ query: "{ unreadNotificationCount }" }, { headers: { "x-request-id": "trace-123" } });
    expect(tagged.headers.get("x-request-id")).to.equal("trace-123");
    const generated = await raw({ query: "{ unreadNotificationCount }" });
    expect(generated.headers.get("x-request-id")).to.match(/^[0-9a-f-]{36}$/);
  });

  it("accepts application/graphql-response+json clients", async () => {
    const result = await raw({ query: "{ unreadNotificationCount }" }, { headers: { accept: "application/graphql-response+json" } });
    expect(result.status).to.equal(200);
    expect(result.headers.get("content-type")).to.contain("application/graphql-response+json");
  });
});
