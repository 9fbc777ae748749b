// Scoped API tokens: every operation declares what a token needs (core/api-scopes.ts, beside each
// module's policy); a token without the scope is FORBIDDEN naming it, over HTTP and WebSocket; a
// token limited to some administrations sees nothing else and cannot act firm-wide; tokens made
// without scopes keep full access.
import {
  AdministrationEventsDocument,
  AdministrationsDocument,
  ApiScope,
  AuditTrailDocument,
  CreateApiTokenDocument,
  CreateVatReturnDocument,
  DocumentDocument,
  FilingsDocument,
  FilingDeadlinesDocument,
  ForbiddenError,
  NotFoundError,
  SubmitFilingDocument,
  TrayDocumentsDocument,
  unwrap,
  upload,
  UploadDocumentsDocument,
  UsersDocument,
  type CreateApiTokenInput,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import fs from "node:fs";
import { buildSchema, isObjectType } from "graphql";
import { scopeRules } from "../src/modules/index.js";
import { pdfBytes } from "./support/files.js";
import { gid, nextWithin, TestEnv, type World } from "./support/harness.js";

describe("API token scopes: the declarations", () => {
  const schema = buildSchema(fs.readFileSync("schema/schema.graphql", "utf8"));

  it("declare a rule for every root field, and only for fields and node types that exist", () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    expect(roots.filter((coordinate) => !scopeRules.has(coordinate))).to.deep.equal([]);
    const unknown = [...scopeRules.keys()].filter((coordinate) => {
      if (coordinate.startsWith("node:")) {
        const type = schema.getType(coordinate.slice(5));
        return !isObjectType(type) || !type.getInterfaces().some((i) => i.name === "Node");
      }
      const [typeName, field] = coordinate.split(".") as [string, string];
      const type = schema.getType(typeName);
      return !isObjectType(type) || !type.getFields()[field];
    });
    expect(unknown).to.deep.equal([]);
  });

  it("guard node(id) of every Node type", () => {
    const nodeTypes = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node"));
    expect(nodeTypes.map((t) => t.name).filter((name) => !scopeRules.has(`node:${name}`))).to.deep.equal([]);
  });
});

describe("API token scopes: in use", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let admin: PortalDeskClient;
  let ids: string[];
  let documentId: string;
  let filingId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    ids = world.administrations.map((a) => gid("Administration", a.id));
    admin = await env.signIn(world.admin.email);
    const uploaded = unwrap(
      (await admin.request(UploadDocumentsDocument, { input: { administrationId: ids[0]!, files: [upload(await pdfBytes(1), { filename: "scoped.pdf" })] } })).uploadDocuments,
    );
    documentId = uploaded.documents[0]!.id;
    filingId = unwrap(
      (await admin.request(CreateVatReturnDocument, { input: { administrationId: ids[0]!, period: { year: 2026, quarter: 3 }, boxes: { box1a: { turnover: 100, vat: 21 } } } }))
        .createVatReturn,
    ).vatReturn!.id;
  });
  after(() => env?.close());

  async function token(input: Omit<CreateApiTokenInput, "name">) {
    const made = await make(input);
    return { client: env.client(made.token!), record: made.apiToken!, secret: made.token! };
  }
  const make = async (input: Omit<CreateApiTokenInput, "name">) =>
    unwrap((await admin.request(CreateApiTokenDocument, { input: { name: "Integration", ...input } })).createApiToken);
  const refusal = (request: Promise<unknown>) =>
    request.then(
      () => null,
      (e: Error) => e,
    );

  it("lets a token with filings:read read filings, and refuses writing them and reading documents, naming the scope", async () => {
    const { client, record, secret } = await token({ scopes: [ApiScope.FilingsRead] });
    expect(record.scopes).to.deep.equal([ApiScope.FilingsRead]);
    expect((await client.request(FilingsDocument, { administrationId: ids[0]! })).administration.filings.nodes.map((f) => f.id)).to.deep.equal([filingId]);
    expect((await client.request(FilingDeadlinesDocument, { dueBefore: "2027-01-01" })).filingDeadlines.nodes.length).to.be.greaterThan(0);

    const submit = await refusal(client.request(SubmitFilingDocument, { input: { filingId } }));
    expect(submit).to.be.instanceOf(ForbiddenError);
    expect((submit as ForbiddenError).message).to.equal("This API token lacks the scope filings:write (Mutation.submitFiling)");
    expect((submit as ForbiddenError).status).to.equal(403);

    const documents = await refusal(client.request(TrayDocumentsDocument, { administrationId: ids[0]!, first: 10 }));
    expect((documents as ForbiddenError).message).to.equal("This API token lacks the scope documents:read (Administration.documents)");
    const node = await refusal(client.request(DocumentDocument, { id: documentId }));
    expect((node as ForbiddenError).message).to.equal("This API token lacks the scope documents:read (node(id) of a Document)");
    // Nor does a fragment or an alias hide a field from the check.
    const hidden = await fetch(`${env.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: "{ administrations(first: 1) { nodes { ...F } } } fragment F on Administration { d: documents(first: 1) { nodes { id } } }" }),
    });
    expect(hidden.status).to.equal(403);
    expect(((await hidden.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).to.match(/lacks the scope documents:read/);
    // Nothing ran: the filing is still a draft.
    expect((await admin.request(FilingsDocument, { administrationId: ids[0]! })).administration.filings.nodes[0]!.status).to.equal("DRAFT");
  });

  it("refuses a live subscription the token has no scope for", async () => {
    const { client } = await token({ scopes: [ApiScope.FilingsRead] });
    const refused = await nextWithin(client.subscribe(AdministrationEventsDocument, { administrationId: ids[0]! })).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(ForbiddenError);
    expect((refused as Error).message).to.match(/lacks the scope documents:read \(Subscription\.administrationEvents\)/);
  });

  it("limits a token to its administrations: nothing else is seen, and firm-wide operations are refused", async () => {
    const { client, record } = await token({ administrationIds: [ids[0]!] });
    expect(record.administrations!.map((a) => a.id)).to.deep.equal([ids[0]]);
    expect(record.scopes, "no scopes given: all of them").to.equal(null);
    expect((await client.request(AdministrationsDocument, { first: 10 })).administrations.nodes.map((a) => a.id)).to.deep.equal([ids[0]]);
    expect(await refusal(client.request(FilingsDocument, { administrationId: ids[1]! }))).to.be.instanceOf(NotFoundError);
    const elsewhere = client.request(CreateVatReturnDocument, {
      input: { administrationId: ids[1]!, period: { year: 2026, quarter: 2 }, boxes: { box1a: { turnover: 100, vat: 21 } } },
    });
    expect(await refusal(elsewhere), "another administration does not exist for it").to.be.instanceOf(NotFoundError);
    expect(((await refusal(client.request(UsersDocument, {}))) as Error).message).to.equal(
      "This API token is limited to some administrations, and Query.users concerns the whole firm",
    );
    expect(((await refusal(client.request(AuditTrailDocument, {}))) as Error).message).to.match(/limited to some administrations: it reads their trails, not the firm's own/);
    expect((await client.request(AuditTrailDocument, { administrationId: ids[0]! })).auditTrail.nodes.length).to.be.greaterThan(0);
  });

  it("keeps full access for a token made without scopes", async () => {
    const { client, record } = await token({});
    expect(record).to.include({ scopes: null, administrations: null });
    expect((await client.request(TrayDocumentsDocument, { administrationId: ids[0]!, first: 10 })).administration.documents.nodes.length).to.be.greaterThan(0);
    expect((await client.request(UsersDocument, {})).users.nodes.length).to.be.greaterThan(0);
  });

  it("refuses an empty scope list and another firm's administration", async () => {
    const other = await env.createWorld({ administrations: 1 });
    const empty = await admin.request(CreateApiTokenDocument, { input: { name: "x", scopes: [] } });
    expect(empty.createApiToken.userErrors.map((e) => [e.code, e.field])).to.deep.equal([["INVALID", ["input", "scopes"]]]);
    const foreign = await admin.request(CreateApiTokenDocument, { input: { name: "x", administrationIds: [gid("Administration", other.administrations[0]!.id)] } });
    expect(foreign.createApiToken.userErrors.map((e) => [e.code, e.field])).to.deep.equal([["NOT_FOUND", ["input", "administrationIds"]]]);
  });
});
