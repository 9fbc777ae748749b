// Every connection, with every field of its nodes selected, costs the same number of SQL statements
// for 1, 5 and 50 rows — for a staff member and for a client. A field resolver that loads per row
// (an N+1) makes the count grow with the page and fails here. SHOW_STATEMENT_COUNTS=1 prints them.
// On the same rows, every connection pages backwards (`last`/`before`) through the same items as
// forwards, in reverse, with each page's boundaries and PageInfo right.
import {
  ApproveFilingDocument,
  ArchiveRootDocument,
  CreateApiTokenDocument,
  CreateArchiveFolderDocument,
  CreateVatReturnDocument,
  FolderAccess,
  MarkReportReadDocument,
  PublishReportDocument,
  ReportKind,
  RequestFilingApprovalDocument,
  SetArchiveFolderAccessDocument,
  TrayKind,
  unwrap,
  upload,
  UploadDocumentsDocument,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { everyField, operation } from "./support/broad-selection.js";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, TestEnv, uuidOf, type World } from "./support/harness.js";

const ROWS = 50;
const PAGE_SIZES = [1, 5, ROWS];
/** Statements a page may differ by from run to run (see expectNoGrowth). */
const SLACK = 3;
/** Fields a client is refused (FORBIDDEN) rather than shown empty. */
const CLIENTS_REFUSED = ["ArchiveFolder.access"];

/** Runs `tasks` a few at a time (the arrangement is hundreds of requests). */
async function inBatches<T>(count: number, task: (i: number) => Promise<T>, width = 10): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, j) => task(start + j)))));
  }
  return results;
}

/** A query of one connection (`call` is the field with its arguments, `wrap` what encloses it) selecting every field of its nodes. */
function broadQuery(connection: string, call: string, wrap = (inner: string) => inner, omit: readonly string[] = []) {
  const selection = everyField(connection, 3, new Set([...omit, `${connection}.edges`]));
  const usesAdministration = (call + wrap("")).includes("$administrationId");
  const variables = usesAdministration ? "$first: Int, $administrationId: ID!" : "$first: Int";
  return operation<Record<string, unknown>, { first: number; administrationId?: string }>(`query Broad(${variables}) { ${wrap(`${call} { ${selection} }`)} }`);
}

describe("statements per page, every field selected", function () {
  this.timeout(300_000);
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let client: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: ROWS });
    // The client is a member of every administration (the administrations connection pages through them).
    for (const administration of world.administrations.slice(1)) {
      await env.sql("INSERT INTO memberships (user_id, administration_id, can_approve_filings) VALUES ($1, $2, true)", [world.clients[0]!.id, administration.id]);
    }
    staff = await env.signIn(world.admin.email);
    client = await env.signIn(world.clients[0]!.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
    // Its VAT number, which preflight needs before approval of a return can be asked.
    await env.sql("UPDATE administrations SET vat_number = 'NL123456782B01' WHERE id = $1", [world.administrations[0]!.id]);

    // Archive: one document in each of 50 folders, the whole archive open to the clients.
    const root = (await staff.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
    unwrap((await staff.request(SetArchiveFolderAccessDocument, { input: { folderId: root, allClients: true, access: FolderAccess.View } })).setArchiveFolderAccess);
    const pdf = await pdfBytes(1, "Bulk");
    await inBatches(ROWS, async (i) => {
      const folder = unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: root, name: `Folder ${i}` } })).createArchiveFolder).folder!.id;
      const files = [upload(Buffer.concat([pdf, Buffer.from(`\n% ${i}\n`)]), { filename: `bulk-${i}.pdf` })];
      unwrap((await staff.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Archive, folderId: folder, files } })).uploadDocuments);
    });

    // Reports: 50 published and read by the client (the client is told of each, before the filings below: so the newest 50 notifications are all of one kind).
    await inBatches(ROWS, async (i) => {
      const input = {
        administrationId,
        kind: ReportKind.ProfitAndLoss,
        title: `Report ${i}`,
        periodStart: "2026-01-01",
        periodEnd: "2026-12-31",
        file: upload(pdf, { filename: `report-${i}.pdf` }),
      };
      const report = unwrap((await staff.request(PublishReportDocument, { input })).publishReport).report!;
      unwrap((await client.request(MarkReportReadDocument, { input: { reportId: report.id } })).markReportRead);
    });

    // Clients hear of a report from a job: wait for all 50 announcements.
    await eventually(async () => {
      const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE recipient_user_id = $1", [world.clients[0]!.id]);
      return rows[0]!.n >= ROWS;
    }, 30_000);

    // Filings: 50 VAT returns offered and approved (the firm is told of each approval), each correcting another.
    const filingIds = await inBatches(ROWS, async (i) => {
      const period = { year: 2061 + Math.floor(i / 12), month: (i % 12) + 1 };
      const vat = unwrap(
        (await staff.request(CreateVatReturnDocument, { input: { administrationId, period, boxes: { box1a: { turnover: 100, vat: 21 } } } })).createVatReturn,
      ).vatReturn!;
      unwrap((await staff.request(RequestFilingApprovalDocument, { input: { filingId: vat.id } })).requestFilingApproval);
      unwrap((await client.request(ApproveFilingDocument, { input: { filingId: vat.id, version: vat.version } })).approveFiling);
      return uuidOf(vat.id);
    });
    for (let i = 0; i < ROWS; i++) await env.sql("UPDATE filings SET corrects_id = $2 WHERE id = $1", [filingIds[i], filingIds[(i + 1) % ROWS]]);

    await inBatches(ROWS, async (i) => unwrap((await staff.request(CreateApiTokenDocument, { input: { name: `Token ${i}` } })).createApiToken));
    // The uploads' background work writes audit events: done before any test pages through them.
    await env.jobsDone();
  });
  after(() => env.close());

  const inAdministration = (inner: string) => `administration(id: $administrationId) { ${inner} }`;
  const connections: Array<{ connection: string; call: string; wrap?: (inner: string) => string; clientToo: boolean }> = [
    { connection: "AdministrationConnection", call: "administrations(first: $first)", clientToo: true },
    { connection: "DocumentConnection", call: "documents(first: $first)", wrap: inAdministration, clientToo: true },
    { connection: "FilingConnection", call: "filings(first: $first)", wrap: inAdministration, clientToo: true },
    { connection: "ReportConnection", call: "reports(first: $first)", wrap: inAdministration, clientToo: true },
    { connection: "FilingDeadlineConnection", call: `filingDeadlines(first: $first, dueBefore: "2028-01-01")`, clientToo: true },
    { connection: "NotificationConnection", call: "notifications(first: $first)", clientToo: true },
    { connection: "SearchResultConnection", call: `search(first: $first, input: { administrationId: $administrationId, query: "bulk" })`, clientToo: true },
    { connection: "AuditEventConnection", call: "auditTrail(first: $first, administrationId: $administrationId)", clientToo: false },
    { connection: "ApiTokenConnection", call: "apiTokens(first: $first)", clientToo: false },
    { connection: "UserConnection", call: "users(first: $first, role: CLIENT)", clientToo: false },
  ];

  /** The connection in a result, wherever `wrap` put it. */
  function connectionIn(result: Record<string, unknown>): { nodes: unknown[] } {
    const top = Object.values(result)[0] as Record<string, unknown>;
    return ("nodes" in top ? top : Object.values(top)[0]) as { nodes: unknown[] };
  }

  /** The statements each page size took, after checking each page is full. */
  async function countsFor(who: PortalDeskClient, document: ReturnType<typeof broadQuery>): Promise<number[]> {
    const counts: number[] = [];
    for (const first of PAGE_SIZES) {
      const result = await who.request(document, { first, administrationId });
      expect(connectionIn(result).nodes, `a page of ${first}`).to.have.length(first);
      counts.push(who.lastExtensions?.sqlStatements as number);
    }
    return counts;
  }

  /**
   * No page costs a statement per row. A loader called from two places batches once when both ask in
   * the same tick and twice when they do not, so a count may differ by a few between runs: allowed up
   * to SLACK, far below the 49 more statements one per-row load adds at 50 rows. Fewer is fine (a batch
   * may find rows the page already loaded).
   */
  function expectNoGrowth(counts: number[], who: string): void {
    if (process.env.SHOW_STATEMENT_COUNTS) console.log(`      ${who}: ${counts.join(" / ")}`);
    expect(
      counts.filter((n) => n > counts[0]! + SLACK),
      `${who}: statements for ${PAGE_SIZES.join(", ")} rows were ${counts.join(", ")}`,
    ).to.deep.equal([]);
  }

  for (const { connection, call, wrap, clientToo } of connections) {
    it(`${connection}: no more statements for ${ROWS} rows than for 1, for staff${clientToo ? " and for a client" : ""}`, async () => {
      expectNoGrowth(await countsFor(staff, broadQuery(connection, call, wrap)), "staff");
      // Fields only the firm may read (who may use a folder) are refused to clients, so their query leaves them out.
      if (clientToo) expectNoGrowth(await countsFor(client, broadQuery(connection, call, wrap, CLIENTS_REFUSED)), "client");
    });
  }

  interface PageOfCursors {
    edges: Array<{ cursor: string }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  }
  const PAGE = 7;

  for (const { connection, call, wrap } of connections) {
    it(`${connection}: pages backwards through the same items as forwards, in reverse, with the boundaries right`, async () => {
      const pagedCall = call.replace("first: $first", "first: $first, after: $after, last: $last, before: $before");
      const usesAdministration = (call + (wrap ?? ((i: string) => i))("")).includes("$administrationId");
      const document = operation<Record<string, unknown>, { first?: number; after?: string; last?: number; before?: string; administrationId?: string }>(
        `query Pages($first: Int, $after: String, $last: Int, $before: String${usesAdministration ? ", $administrationId: ID!" : ""}) { ${(wrap ?? ((i: string) => i))(
          `${pagedCall} { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`,
        )} }`,
      );
      const page = async (variables: { first?: number; after?: string; last?: number; before?: string }) => {
        const top = Object.values(await staff.request(document, { ...variables, administrationId }))[0] as Record<string, unknown>;
        return ("edges" in top ? top : Object.values(top)[0]) as PageOfCursors;
      };

      const forward: PageOfCursors[] = [];
      for (let after: string | undefined; ;) {
        const next = await page({ first: PAGE, after });
        forward.push(next);
        if (!next.pageInfo.hasNextPage) break;
        after = next.pageInfo.endCursor!;
      }
      const backward: PageOfCursors[] = [];
      for (let before: string | undefined; ;) {
        const next = await page({ last: PAGE, before });
        backward.push(next);
        if (!next.pageInfo.hasPreviousPage) break;
        before = next.pageInfo.startCursor!;
      }
      const items = forward.flatMap((p) => p.edges.map((e) => e.cursor));
      expect(items.length, "enough items for several pages").to.be.greaterThan(2 * PAGE);
      // The same items, each page in list order, the pages from the end.
      expect(backward.flatMap((p) => p.edges.map((e) => e.cursor)).length).to.equal(items.length);
      backward.forEach((p, k) => {
        const end = items.length - k * PAGE;
        expect(
          p.edges.map((e) => e.cursor),
          `backward page ${k}`,
        ).to.deep.equal(items.slice(Math.max(0, end - PAGE), end));
        expect(p.pageInfo.startCursor).to.equal(p.edges[0]!.cursor);
        expect(p.pageInfo.endCursor).to.equal(p.edges.at(-1)!.cursor);
        expect(p.pageInfo.hasNextPage, `backward page ${k} has items after it`).to.equal(k > 0);
        expect(p.pageInfo.hasPreviousPage, `backward page ${k} has items before it`).to.equal(k < backward.length - 1);
      });
      forward.forEach((p, k) => expect(p.pageInfo.hasPreviousPage, `forward page ${k}`).to.equal(k > 0));
      // Between two cursors, from either end.
      const [from, to] = [items[3]!, items[3 + PAGE + 1]!];
      const between = items.slice(4, 3 + PAGE + 1);
      expect((await page({ first: PAGE, after: from, before: to })).edges.map((e) => e.cursor)).to.deep.equal(between);
      expect((await page({ last: PAGE, after: from, before: to })).edges.map((e) => e.cursor)).to.deep.equal(between);
      // Both sizes at once are refused.
      const refused = await staff.request(document, { first: 2, last: 2, administrationId }).catch((e: unknown) => e);
      expect((refused as Error).message).to.contain("Give `first` or `last`, not both");
    });
  }
});
