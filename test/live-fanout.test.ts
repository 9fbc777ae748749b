// One event to many subscribers: what they compute is shared (the verdict by everyone the policy
// cannot tell apart, the loads by each person's subscriptions), and a subscription that ends
// leaves the bus at once rather than at the next event of its administration.
import { AdministrationEventsDocument, upload, UploadDocumentsDocument, unwrap, type PortalDeskClient } from "@portaldesk/sdk";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { expect } from "chai";
import { parse } from "graphql";
import { CHANNEL } from "../src/events/bus.js";
import { statementsSent } from "../src/db/query-stats.js";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, nextWithin, TestEnv, uuidOf, type World } from "./support/harness.js";

interface Event {
  administrationEvents: { change: string; document: { filename: string; uploadedBy: { name: string } | null; events: { totalCount: number } } | null };
}
type Events = AsyncIterableIterator<Event>;

/** A subscriber's view with fields loaded per event (the uploader, the document's history). */
const FOLLOW = parse(`subscription Follow($administrationId: ID!) {
  administrationEvents(administrationId: $administrationId) {
    change
    document { filename uploadedBy { name } events(first: 3) { totalCount nodes { action } } }
  }
}`) as unknown as TypedDocumentNode<Event, { administrationId: string }>;

describe("live events to many subscribers", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let administrationId: string;
  let documentId: string;
  let people: Record<"admin" | "accountant" | "client" | "otherClient", PortalDeskClient>;

  before(async () => {
    // No background jobs: the statements counted are the subscribers' alone.
    env = await TestEnv.create({ RUN_JOBS: "false" });
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    const otherClient = await env.addClient(world, 0, "second client");
    people = {
      admin: await env.signIn(world.admin.email),
      accountant: await env.signIn(world.accountant.email),
      client: await env.signIn(world.clients[0]!.email),
      otherClient: await env.signIn(otherClient.email),
    };
    const uploaded = unwrap(
      (await people.client.request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "shared.pdf" })] } })).uploadDocuments,
    );
    documentId = uploaded.documents[0]!.id;
  });
  after(() => env.close());

  const bus = () => env.server.services.bus;

  /** Opens `count` subscriptions for each person named, and waits until all follow the bus. */
  async function follow(counts: Partial<Record<keyof typeof people, number>>, operation: TypedDocumentNode<Event, { administrationId: string }> = FOLLOW): Promise<Events[]> {
    const before = bus().subscriptions;
    const streams: Events[] = [];
    for (const [who, count] of Object.entries(counts)) {
      for (let i = 0; i < count; i++) streams.push(people[who as keyof typeof people].subscribe(operation, { administrationId }));
    }
    await eventually(async () => bus().subscriptions === before + streams.length);
    return streams;
  }

  /** Statements the server sends to deliver one document event to all of `streams` (fewest of three tries). */
  async function statementsForOneEvent(streams: Events[]): Promise<number> {
    const tries: number[] = [];
    for (let i = 0; i < 3; i++) {
      const event = { topic: "document.changed", administrationId: world.administrations[0]!.id, documentId: uuidOf(documentId), change: "UPDATED" };
      const start = statementsSent();
      await env.sql("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]);
      for (const stream of streams) {
        const { document } = (await nextWithin(stream)).administrationEvents;
        expect(document?.filename).to.equal("shared.pdf");
      }
      tries.push(statementsSent() - start);
    }
    return Math.min(...tries);
  }

  /** Ends the subscriptions and waits until the server has let them go. */
  async function end(streams: Events[]): Promise<void> {
    const before = bus().subscriptions;
    await Promise.all(streams.map((stream) => stream.return?.()));
    await eventually(async () => bus().subscriptions === before - streams.length);
  }

  it("costs the same statements for eight subscriptions per person as for one", async () => {
    const one = await follow({ admin: 1, accountant: 1, client: 1, otherClient: 1 });
    const single = await statementsForOneEvent(one);
    await end(one);
    const many = await follow({ admin: 8, accountant: 8, client: 8, otherClient: 8 });
    const shared = await statementsForOneEvent(many);
    await end(many);
    expect(single).to.be.greaterThan(0);
    expect(shared).to.equal(single);
  });

  it("checks and loads an event once for all of a firm's staff, per client user", async () => {
    // The portal's selection: nothing loaded per person beyond the check and the document.
    const portalView = AdministrationEventsDocument as unknown as TypedDocumentNode<Event, { administrationId: string }>;
    const cost = async (counts: Partial<Record<keyof typeof people, number>>) => {
      const streams = await follow(counts, portalView);
      const statements = await statementsForOneEvent(streams);
      await end(streams);
      return statements;
    };
    const admin = await cost({ admin: 1 });
    const secondStaff = (await cost({ admin: 1, accountant: 1 })) - admin;
    const secondClient = (await cost({ client: 1, otherClient: 1 })) - (await cost({ client: 1 }));
    // The second staff member shares the verdict and the document; a second client user has their own.
    expect(admin).to.be.greaterThanOrEqual(2);
    expect(secondStaff).to.equal(0);
    expect(secondClient).to.equal(admin);
  });

  it("shares an event's result only between one person's subscriptions of the same operation and variables", async () => {
    const staffStreams = await follow({ admin: 3 });
    const clientStreams = await follow({ client: 3 });
    const event = { topic: "document.changed", administrationId: world.administrations[0]!.id, documentId: uuidOf(documentId), change: "UPDATED" };
    await env.sql("SELECT pg_notify($1, $2)", [CHANNEL, JSON.stringify(event)]);
    const staffViews = await Promise.all(staffStreams.map((stream) => nextWithin(stream)));
    const clientViews = await Promise.all(clientStreams.map((stream) => nextWithin(stream)));
    // Staff read the document's history; for a client it is empty: each got their own execution.
    for (const view of staffViews) expect(view.administrationEvents.document?.events.totalCount).to.be.greaterThan(0);
    for (const view of clientViews) expect(view.administrationEvents.document?.events.totalCount).to.equal(0);
    await end([...staffStreams, ...clientStreams]);
  });

  it("skips an event it cannot check or execute (the database away) and keeps the subscriptions going", async () => {
    const streams = await follow({ accountant: 1, client: 1 });
    const notify = (change: string) =>
      env.sql("SELECT pg_notify($1, $2)", [
        CHANNEL,
        JSON.stringify({ topic: "document.changed", administrationId: world.administrations[0]!.id, documentId: uuidOf(documentId), change }),
      ]);
    await env.sql("ALTER TABLE documents RENAME TO documents_away");
    try {
      await notify("UPDATED");
      await new Promise((resolve) => setTimeout(resolve, 500)); // delivered (and failed) in the meantime
    } finally {
      await env.sql("ALTER TABLE documents_away RENAME TO documents");
    }
    await notify("FILED");
    for (const stream of streams) {
      const { change, document } = (await nextWithin(stream)).administrationEvents;
      expect({ change, filename: document?.filename }).to.deep.equal({ change: "FILED", filename: "shared.pdf" });
    }
    await end(streams);
  });

  it("lets a subscription that ends, or whose socket closes, leave the bus at once, without waiting for an event", async () => {
    const base = bus().subscriptions;
    const streams = await follow({ admin: 5, client: 5 });
    // Completed by the client: graphql-ws sends `complete`.
    await end(streams.slice(0, 5));
    expect(bus().subscriptions).to.equal(base + 5);
    // The socket goes away with its five subscriptions.
    await people.client.dispose();
    await eventually(async () => bus().subscriptions === base);
    const metrics = await (await fetch(`${env.server.url}/metrics`)).text();
    expect(metrics).to.match(new RegExp(`^portaldesk_live_subscriptions ${base}$`, "m"));
    expect(metrics).to.match(/^portaldesk_sql_statements_total \d+$/m);
  });
});
