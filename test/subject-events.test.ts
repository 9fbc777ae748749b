// The `events` connections of documents, folders and filings: each subject's own events, paged
// both ways, one statement for a whole page of subjects, the same events as the deprecated
// `history` list (which keeps working), and nothing for those who may not read them.
import { DocumentDocument, RenameDocumentDocument, SubjectEventsDocument, TrayKind, unwrap, upload, UploadDocumentsDocument, type PortalDeskClient } from "@portaldesk/sdk";
import { expect } from "chai";
import { operation } from "./support/broad-selection.js";
import { pdfBytes } from "./support/files.js";
import { gid, TestEnv, type World } from "./support/harness.js";

const RENAMES = 16;

describe("events of a document, folder or filing (connections)", function () {
  this.timeout(120_000);
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let client: PortalDeskClient;
  let administrationId: string;
  let documentIds: string[];

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    staff = await env.signIn(world.accountant.email);
    client = await env.signIn(world.clients[0]!.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
    const pdf = await pdfBytes(1, "Events");
    const files = Array.from({ length: 10 }, (_, i) => upload(Buffer.concat([pdf, Buffer.from(`\n% ${i}\n`)]), { filename: `doc-${i}.pdf` }));
    const uploaded = unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Purchase, files } })).uploadDocuments);
    documentIds = uploaded.documents.map((d) => d.id);
    // The first document is renamed many times: a log long enough for several pages; the others are renamed i times.
    for (let n = 0; n < RENAMES; n++)
      unwrap((await staff.request(RenameDocumentDocument, { input: { documentId: documentIds[0]!, filename: `renamed-${n}.pdf` } })).renameDocument);
    for (let i = 1; i < documentIds.length; i++) {
      for (let n = 0; n < i % 4; n++)
        unwrap((await staff.request(RenameDocumentDocument, { input: { documentId: documentIds[i]!, filename: `doc-${i}-${n}.pdf` } })).renameDocument);
    }
  });
  after(() => env.close());

  type EventPage = {
    nodes: Array<{ id: string; action: string; subjectId: string | null }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    totalCount: number;
  };
  const eventsOf = async (who: PortalDeskClient, id: string, page: { first?: number; after?: string | null; last?: number; before?: string | null }) =>
    ((await who.request(SubjectEventsDocument, { id, ...page })).node as { events: EventPage }).events;

  it("pages a document's events forwards and backwards through the same events, oldest first, as the deprecated history lists them", async () => {
    const forward: EventPage[] = [];
    for (let after: string | null = null; ;) {
      const page = await eventsOf(staff, documentIds[0]!, { first: 3, after });
      forward.push(page);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const backward: EventPage[] = [];
    for (let before: string | null = null; ;) {
      const page = await eventsOf(staff, documentIds[0]!, { last: 3, before });
      backward.unshift(page);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    const ids = forward.flatMap((p) => p.nodes.map((e) => e.id));
    expect(ids).to.have.length(1 + RENAMES);
    expect(forward[0]!.totalCount).to.equal(1 + RENAMES);
    expect(backward.flatMap((p) => p.nodes.map((e) => e.id))).to.deep.equal(ids);
    // Backwards, the short page is the first one.
    expect(backward[0]!.nodes).to.have.length((1 + RENAMES) % 3 || 3);
    expect(forward.at(-1)!.pageInfo).to.deep.include({ hasNextPage: false, hasPreviousPage: true });
    expect(backward.at(-1)!.pageInfo).to.deep.include({ hasNextPage: false, hasPreviousPage: true });

    const actions = forward.flatMap((p) => p.nodes.map((e) => e.action));
    expect(actions[0]).to.equal("document.uploaded");
    expect(actions.slice(1)).to.deep.equal(Array(RENAMES).fill("document.renamed"));
    // The deprecated list keeps working: the same events in the same order.
    const history = operation<{ node: { history: Array<{ id: string }> } }, { id: string }>(`query History($id: ID!) { node(id: $id) { ... on Document { history { id } } } }`);
    expect((await staff.request(history, { id: documentIds[0]! })).node.history.map((e) => e.id)).to.deep.equal(ids);
  });

  it("gives each document of a page its own events, in one statement for 1 or 10 documents", async () => {
    const page = operation<
      { administration: { documents: { nodes: Array<{ id: string; events: EventPage }> } } },
      { administrationId: string; first: number }
    >(`query Page($administrationId: ID!, $first: Int) { administration(id: $administrationId) { documents(first: $first) { nodes { id
      events(first: 2) { nodes { id action subjectId } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } } } }`);
    const counts: number[] = [];
    for (const first of [1, 10]) {
      const result = await staff.request(page, { administrationId, first });
      counts.push(staff.lastExtensions?.sqlStatements as number);
      const nodes = result.administration.documents.nodes;
      expect(nodes).to.have.length(first);
      const subjects = nodes.map((n) => n.events.nodes[0]!.subjectId);
      expect(new Set(subjects).size, "each document its own subject").to.equal(first);
      for (const node of nodes) {
        const i = documentIds.indexOf(node.id);
        const total = 1 + (i === 0 ? RENAMES : i % 4);
        expect(new Set(node.events.nodes.map((e) => e.subjectId)).size, "one subject's events").to.equal(1);
        expect(node.events.totalCount, `document ${i}`).to.equal(total);
        expect(node.events.nodes, `document ${i}`).to.have.length(Math.min(2, total));
        expect(node.events.pageInfo.hasNextPage, `document ${i}`).to.equal(total > 2);
        // The same as the document's own first page.
        expect(node.events.nodes.map((e) => e.id)).to.deep.equal((await eventsOf(staff, node.id, { first: 2 })).nodes.map((e) => e.id));
      }
    }
    expect(counts[1], `statements for 1 and 10 documents: ${counts.join(", ")}`).to.be.at.most(counts[0]! + 1);
  });

  it("shows a client no events of a document, as the audit trail (an empty page)", async () => {
    const events = await eventsOf(client, documentIds[0]!, { first: 5 });
    expect(events.nodes).to.deep.equal([]);
    expect(events.totalCount).to.equal(0);
    expect(events.pageInfo).to.deep.include({ hasNextPage: false, hasPreviousPage: false });
    // The document itself the client does see.
    expect(((await client.request(DocumentDocument, { id: documentIds[0]! })).node as { id: string }).id).to.equal(documentIds[0]);
  });

  it("refuses a forged cursor and first with last, naming the argument", async () => {
    const forged = await eventsOf(staff, documentIds[0]!, { first: 2, after: Buffer.from('["1; DROP TABLE x", "nope"]').toString("base64url") }).catch((e: unknown) => e);
    expect((forged as Error).message).to.contain("`after` is not a cursor returned by this list");
    const both = await eventsOf(staff, documentIds[0]!, { first: 2, last: 2 }).catch((e: unknown) => e);
    expect((both as Error).message).to.contain("Give `first` or `last`, not both");
    // A cursor of the right form from another subject's list keeps only that subject's own events.
    const other = await eventsOf(staff, documentIds[3]!, { first: 1 });
    const page = await eventsOf(staff, documentIds[0]!, { first: 50, after: other.pageInfo.endCursor });
    expect(page.nodes.every((e) => e.subjectId === page.nodes[0]?.subjectId)).to.equal(true);
  });
});
