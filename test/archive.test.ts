import {
  AdministrationEventsDocument,
  ArchiveFolderAccessDocument,
  ArchiveFolderDocument,
  ArchiveRootDocument,
  CreateApiTokenDocument,
  CreateArchiveFolderDocument,
  DeleteArchiveFolderDocument,
  DocumentChange,
  DocumentDocument,
  FolderAccess,
  ForbiddenError,
  MarkDocumentsProcessedDocument,
  MoveArchiveFolderDocument,
  MoveDocumentsToFolderDocument,
  NotFoundError,
  RemoveDocumentDocument,
  RenameArchiveFolderDocument,
  ReturnDocumentDocument,
  ReturnDocumentsToDeskDocument,
  EditDocumentPagesDocument,
  SearchDocument,
  SetArchiveFolderAccessDocument,
  TrayKind,
  TraysDocument,
  UpdateDocumentDetailsDocument,
  UploadDocumentsDocument,
  UserErrorCode,
  upload,
  unwrap,
  type PortalDeskClient,
  SubjectEventsDocument,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { retainUntil } from "../src/modules/archive/retention.js";
import { pdfBytes } from "./support/files.js";
import { eventually, gid, nextWithin, settle, staysQuiet, TestEnv, uuidOf, type World } from "./support/harness.js";

type Outcome = "ok" | "NOT_FOUND" | "FORBIDDEN";

/** node(id) is null for what the viewer may not see: the matrix counts that as NOT_FOUND. */
function seen<T>(node: T | null): T {
  if (node === null) throw new NotFoundError("not visible", { code: "NOT_FOUND" });
  return node;
}

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run();
    const payload = result && typeof result === "object" ? Object.values(result as Record<string, unknown>)[0] : null;
    if (result && typeof result === "object" && payload === null) return "NOT_FOUND"; // node(id) answered null
    const userErrors = (payload as { userErrors?: Array<{ message: string }> } | null)?.userErrors;
    if (userErrors?.length) throw new Error(`unexpected user error: ${userErrors[0]!.message}`);
    return "ok";
  } catch (error) {
    if (error instanceof NotFoundError) return "NOT_FOUND";
    if (error instanceof ForbiddenError) return "FORBIDDEN";
    throw error;
  }
}

describe("the archive", () => {
  let env: TestEnv;
  let world: World;
  let staff: PortalDeskClient;
  let administrationId: string;
  let folders: { root: string; contracts: string; suppliers: string; year: string; q1: string };
  let documentId: string;
  let actors: Record<string, PortalDeskClient>;
  let clientIds: Record<"none" | "view" | "contribute" | "manage", string>;

  const ACTORS = ["none", "view", "contribute", "manage", "otherClient", "foreignStaff", "staff", "apiToken"] as const;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 2 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    staff = await env.signIn(world.accountant.email);
    const admin = await env.signIn(world.admin.email);
    const token = unwrap((await admin.request(CreateApiTokenDocument, { input: { name: "Integration" } })).createApiToken).token!;
    const foreign = await env.createWorld({ administrations: 1 });
    const clients = {
      none: await env.addClient(world, 0, "none"),
      view: await env.addClient(world, 0, "view"),
      contribute: await env.addClient(world, 0, "contribute"),
      manage: await env.addClient(world, 0, "manage"),
    };
    clientIds = { none: clients.none.id, view: clients.view.id, contribute: clients.contribute.id, manage: clients.manage.id };
    actors = {
      none: await env.signIn(clients.none.email),
      view: await env.signIn(clients.view.email),
      contribute: await env.signIn(clients.contribute.email),
      manage: await env.signIn(clients.manage.email),
      otherClient: await env.signIn(world.clients[1]!.email),
      foreignStaff: await env.signIn(foreign.accountant.email),
      staff,
      apiToken: env.client(token),
    };

    // root → Contracten → Leveranciers → 2026 → Q1
    const root = (await staff.request(ArchiveRootDocument, { administrationId })).administration.archive!.id;
    const create = async (parentId: string, name: string) =>
      unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId, name } })).createArchiveFolder).folder!.id;
    const contracts = await create(root, "Contracten");
    const suppliers = await create(contracts, "Leveranciers");
    const year = await create(suppliers, "2026");
    const q1 = await create(year, "Q1");
    folders = { root, contracts, suppliers, year, q1 };
    const grant = async (folderId: string, who: string | null, access: FolderAccess) =>
      unwrap(
        (await staff.request(SetArchiveFolderAccessDocument, { input: { folderId, ...(who ? { userId: gid("User", who) } : { allClients: true }), access } }))
          .setArchiveFolderAccess,
      );
    await grant(root, null, FolderAccess.View); // everyone sees the archive …
    await grant(contracts, clients.none.id, FolderAccess.None); // … except "none", from Contracten down
    await grant(contracts, clients.contribute.id, FolderAccess.Contribute);
    await grant(contracts, clients.manage.id, FolderAccess.Manage);
    await grant(q1, clients.view.id, FolderAccess.None); // an override deeper down

    const uploaded = unwrap(
      (
        await staff.request(UploadDocumentsDocument, {
          input: { administrationId, tray: TrayKind.Archive, folderId: year, files: [upload(await pdfBytes(1, "Contract"), { filename: "huurcontract.pdf" })] },
        })
      ).uploadDocuments,
    );
    documentId = uploaded.documents[0]!.id;
  });
  after(() => env.close());

  it("computes every client's effective access, inherited and overridden, for the firm's screen", async () => {
    const { node } = await staff.request(ArchiveFolderAccessDocument, { id: folders.year });
    const entries = (node as { access: Array<{ user: { name: string }; access: string; explicit: boolean }> }).access;
    const byName = Object.fromEntries(entries.map((e) => [e.user.name, [e.access, e.explicit]]));
    expect(byName).to.deep.include({ none: ["NONE", false], view: ["VIEW", false], contribute: ["CONTRIBUTE", false], manage: ["MANAGE", false] });
    const q1 = (await staff.request(ArchiveFolderAccessDocument, { id: folders.q1 })).node as { access: Array<{ user: { name: string }; access: string; explicit: boolean }> };
    expect(q1.access.find((e) => e.user.name === "view")).to.deep.include({ access: "NONE", explicit: true });
    const history = ((await staff.request(SubjectEventsDocument, { id: folders.year, first: 100 })).node as { events: { nodes: Array<{ action: string }> } }).events.nodes;
    expect(history.map((h) => h.action)).to.include("archive.folder_created");
  });

  it("gives each kind of viewer exactly the expected result on every path (the access matrix)", async () => {
    const results: Record<string, Record<string, Outcome | boolean | number>> = {};
    for (const name of ACTORS) {
      const client = actors[name]!;
      const row: Record<string, Outcome | boolean | number> = {};
      row.listChildren = await outcome(async () => {
        const node = seen((await client.request(ArchiveFolderDocument, { id: folders.suppliers })).node);
        const names = (node as { children: Array<{ name: string }> }).children.map((c) => c.name);
        if (!names.includes("2026")) throw new NotFoundError("listed without 2026", { code: "NOT_FOUND" });
      });
      row.listDocuments = await outcome(async () => {
        const node = seen((await client.request(ArchiveFolderDocument, { id: folders.year, first: 50 })).node);
        if (!(node as { documents: { nodes: Array<{ id: string }> } }).documents.nodes.some((d) => d.id === documentId)) throw new Error("document not listed");
      });
      row.folderNode = await outcome(() => client.request(ArchiveFolderDocument, { id: folders.year }));
      row.documentNode = await outcome(() => client.request(DocumentDocument, { id: documentId }));
      row.download = await outcome(async () => {
        const node = seen((await client.request(DocumentDocument, { id: documentId })).node);
        const response = await fetch((node as { downloadUrl: string }).downloadUrl);
        if (response.status !== 200) throw new Error(`download ${response.status}`);
      });
      row.searchHit = await outcome(async () => {
        const found = await client.request(SearchDocument, { input: { administrationId, query: "huurcontract" } });
        if (!found.search.nodes.some((n) => n.document.id === documentId)) throw new NotFoundError("not found by search", { code: "NOT_FOUND" });
      });
      row.archiveCount = await client
        .request(TraysDocument, { administrationId })
        .then((d) => d.administration.trays.find((t) => t.kind === TrayKind.Archive)!.documentCount)
        .catch(() => -1);
      row.uploadInto = await outcome(async () =>
        client.request(UploadDocumentsDocument, {
          input: { administrationId, tray: TrayKind.Archive, folderId: folders.year, files: [upload(await pdfBytes(1, `By ${name}`), { filename: `${name}.pdf` })] },
        }),
      );
      row.moveOut = await outcome(async () => {
        const moved = await client.request(MoveDocumentsToFolderDocument, { input: { documentIds: [documentId], folderId: folders.suppliers } });
        if (moved.moveDocumentsToFolder.userErrors.length) return moved;
        unwrap((await staff.request(MoveDocumentsToFolderDocument, { input: { documentIds: [documentId], folderId: folders.year } })).moveDocumentsToFolder);
        return moved;
      });
      row.rename = await outcome(async () => {
        const renamed = await client.request(RenameArchiveFolderDocument, { input: { folderId: folders.year, name: `2026 (${name})` } });
        if (!renamed.renameArchiveFolder.userErrors.length) {
          unwrap((await staff.request(RenameArchiveFolderDocument, { input: { folderId: folders.year, name: "2026" } })).renameArchiveFolder);
        }
        return renamed;
      });
      row.deleteFolder = await outcome(async () => {
        const scratch = unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: folders.year, name: `scratch ${name}` } })).createArchiveFolder).folder!;
        try {
          return await client.request(DeleteArchiveFolderDocument, { input: { folderId: scratch.id } });
        } finally {
          // Gone already when the actor could delete it.
          await staff.request(DeleteArchiveFolderDocument, { input: { folderId: scratch.id } }).catch(() => undefined);
        }
      });
      results[name] = row;
    }
    const row = (listChildren: Outcome, archiveCount: number, uploadInto: Outcome, moveOut: Outcome, rename: Outcome, deleteFolder: Outcome) => ({
      listChildren,
      listDocuments: listChildren,
      folderNode: listChildren,
      documentNode: listChildren,
      download: listChildren,
      searchHit: listChildren,
      archiveCount,
      uploadInto,
      moveOut,
      rename,
      deleteFolder,
    });
    // Uploads made along the way add documents: counts are those seen at each actor's turn.
    expect(results).to.deep.equal({
      none: row("NOT_FOUND", 0, "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"),
      view: row("ok", 1, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
      contribute: row("ok", 1, "ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
      manage: row("ok", 2, "ok", "ok", "ok", "ok"),
      otherClient: row("NOT_FOUND", -1, "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"),
      foreignStaff: row("NOT_FOUND", -1, "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"),
      staff: row("ok", 3, "ok", "ok", "ok", "ok"),
      apiToken: row("ok", 4, "ok", "ok", "ok", "ok"),
    });
  });

  it("sends a folder's live events only to those who can see it", async () => {
    // Background work on the documents uploaded before (thumbnails, reading) announces itself too.
    const BACKGROUND_CHANGES = new Set<DocumentChange>([DocumentChange.Updated, DocumentChange.TextRead, DocumentChange.DataRead]);
    const streams = Object.fromEntries(
      (["none", "view", "manage", "staff"] as const).map((name) => [name, actors[name]!.subscribe(AdministrationEventsDocument, { administrationId })]),
    );
    const refused = await nextWithin(actors.otherClient!.subscribe(AdministrationEventsDocument, { administrationId })).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(NotFoundError);
    await settle();
    unwrap((await staff.request(RenameArchiveFolderDocument, { input: { folderId: folders.year, name: "Jaar 2026" } })).renameArchiveFolder);
    for (const name of ["view", "manage", "staff"]) {
      let event;
      do event = await nextWithin(streams[name]!);
      while (BACKGROUND_CHANGES.has(event.administrationEvents.change));
      expect(event.administrationEvents).to.deep.include({ change: DocumentChange.FolderUpdated, folderId: folders.year });
      expect(event.administrationEvents.folder?.name).to.equal("Jaar 2026");
    }
    expect(await staysQuiet(streams.none!)).to.equal(true);
    for (const stream of Object.values(streams)) await stream.return!();
  });

  it("finds words inside PDFs, ranks name matches first, and never returns what the viewer cannot see", async () => {
    const withText = async (lines: string[]) => {
      const { PDFDocument, StandardFonts } = await import("pdf-lib");
      const pdf = await PDFDocument.create();
      const font = await pdf.embedFont(StandardFonts.Helvetica);
      const page = pdf.addPage();
      lines.forEach((line, i) => page.drawText(line, { x: 40, y: 780 - i * 20, size: 12, font }));
      return Buffer.from(await pdf.save());
    };
    const put = async (folderId: string, filename: string, bytes: Buffer) =>
      unwrap(
        (await staff.request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Archive, folderId, files: [upload(bytes, { filename })] } })).uploadDocuments,
      ).documents[0]!.id;
    const inBody = await put(folders.contracts, "overeenkomst.pdf", await withText(["Overeenkomst voor zwembadonderhoud", "tussen partijen"]));
    const inName = await put(folders.contracts, "zwembadonderhoud offerte.pdf", await withText(["Een offerte"]));
    const hidden = await put(folders.q1, "geheim.pdf", await withText(["Ook hier zwembadonderhoud"]));
    // Wait until the background job has read the text of all three.
    await eventually(async () => {
      const { rows } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE text_extracted_at IS NOT NULL AND id = ANY($1)", [
        [inBody, inName, hidden].map(uuidOf),
      ]);
      return rows[0]!.n === 3;
    }, 30_000);

    const asStaff = await staff.request(SearchDocument, { input: { administrationId, query: "zwembadonderhoud" } });
    expect(asStaff.search.nodes.map((n) => n.document.id)).to.have.members([inBody, inName, hidden]);
    expect(asStaff.search.nodes[0]!.document.id).to.equal(inName); // the name match ranks first
    const bodyHit = asStaff.search.nodes.find((n) => n.document.id === inBody)!;
    expect(bodyHit.snippet).to.contain("<mark>zwembadonderhoud</mark>");
    // Paging: the same total on every page, no hit twice.
    const page1 = await staff.request(SearchDocument, { input: { administrationId, query: "zwembadonderhoud" }, first: 2 });
    const page2 = await staff.request(SearchDocument, { input: { administrationId, query: "zwembadonderhoud" }, first: 2, after: page1.search.pageInfo.endCursor });
    expect([page1.search.totalCount, page2.search.totalCount]).to.deep.equal([3, 3]);
    expect([...page1.search.nodes, ...page2.search.nodes].map((n) => n.document.id)).to.have.members([inBody, inName, hidden]);
    expect(page2.search.pageInfo.hasNextPage).to.equal(false);
    // Dutch stemming: "overeenkomsten" finds "Overeenkomst".
    const stemmed = await staff.request(SearchDocument, { input: { administrationId, query: "overeenkomsten" } });
    expect(stemmed.search.nodes.map((n) => n.document.id)).to.include(inBody);

    const asView = await actors.view!.request(SearchDocument, { input: { administrationId, query: "zwembadonderhoud" } });
    expect(asView.search.nodes.map((n) => n.document.id)).to.have.members([inBody, inName]);
    expect(asView.search.totalCount).to.equal(2);
    const asNone = await actors.none!.request(SearchDocument, { input: { administrationId, query: "zwembadonderhoud" } });
    expect(asNone.search.totalCount).to.equal(0);
    const inFolder = await staff.request(SearchDocument, { input: { administrationId, query: "zwembadonderhoud", folderId: folders.suppliers } });
    expect(inFolder.search.nodes.map((n) => n.document.id)).to.deep.equal([hidden]);
    expect(await outcome(() => actors.view!.request(SearchDocument, { input: { administrationId, query: "x", folderId: folders.q1 } }))).to.equal("NOT_FOUND");
  });

  it("searches notes too, and takes a document's own date for retention", async () => {
    const [doc] = unwrap(
      (
        await staff.request(UploadDocumentsDocument, {
          input: { administrationId, tray: TrayKind.Archive, folderId: folders.contracts, files: [upload(await pdfBytes(1, "Polis"), { filename: "polis.pdf" })] },
        })
      ).uploadDocuments,
    ).documents;
    const bad = await staff.request(UpdateDocumentDetailsDocument, { input: { documentId: doc!.id, documentDate: "31-12-2020" } }).catch((e: unknown) => e);
    expect((bad as Error).message).to.contain('at "input.documentDate"; Value is not a valid LocalDate');
    const updated = unwrap(
      (await staff.request(UpdateDocumentDetailsDocument, { input: { documentId: doc!.id, notes: "Opstalverzekering pand Dorpsstraat", documentDate: "2040-05-01" } }))
        .updateDocumentDetails,
    );
    expect(updated.document).to.deep.include({ notes: "Opstalverzekering pand Dorpsstraat", documentDate: "2040-05-01", retainUntil: "2047-12-31" });
    const found = await staff.request(SearchDocument, { input: { administrationId, query: "opstalverzekering" } });
    expect(found.search.nodes.map((n) => n.document.id)).to.deep.equal([doc!.id]);
    const dated = await staff.request(SearchDocument, { input: { administrationId, query: "polis", from: "2040-01-01", to: "2040-12-31" } });
    expect(dated.search.nodes.map((n) => n.document.id)).to.deep.equal([doc!.id]);
  });

  it("keeps archived documents where their folder's rules hold: no return to the shared desk, retention survives page editing, no leaks to clients", async () => {
    const [doc] = unwrap(
      (
        await staff.request(UploadDocumentsDocument, {
          input: { administrationId, tray: TrayKind.Archive, folderId: folders.contracts, files: [upload(await pdfBytes(3, "Akte"), { filename: "akte.pdf" })] },
        })
      ).uploadDocuments,
    ).documents;
    const returned = await staff.request(ReturnDocumentDocument, { input: { documentId: doc!.id, reason: "?" } });
    expect(returned.returnDocument.userErrors[0]?.message).to.match(/is in the archive and cannot be returned/);
    const withdrawn = await actors.manage!.request(ReturnDocumentsToDeskDocument, { input: { documentIds: [doc!.id] } });
    expect(withdrawn.returnDocumentsToDesk.userErrors[0]?.message).to.match(/move it between folders instead/);

    const parts = unwrap((await staff.request(EditDocumentPagesDocument, { input: { documentId: doc!.id, outputs: [{ pages: [1, 2] }, { pages: [3] }] } })).editDocumentPages);
    for (const part of parts.documents) {
      expect(part.retainUntil).to.equal(doc!.retainUntil);
      const removal = await staff.request(RemoveDocumentDocument, { input: { documentId: part.id } });
      expect(removal.removeDocument.userErrors[0]?.message).to.match(/must be kept until/);
    }
    // A client sees neither the firm's audit details nor who of the firm uploaded it.
    const { node } = await actors.view!.request(DocumentDocument, { id: parts.documents[0]!.id });
    const events = (await actors.view!.request(SubjectEventsDocument, { id: parts.documents[0]!.id, first: 10 })).node as { events: { nodes: unknown[]; totalCount: number } };
    expect(events.events).to.deep.include({ nodes: [], totalCount: 0 });
    expect((node as { uploadedBy: unknown }).uploadedBy).to.equal(null);
  });

  it("re-derives inherited access at once when a folder moves, and refuses cycles", async () => {
    const view = actors.view!;
    // Move Q1 (closed to "view") under Contracten: still closed (its own grant); move 2026 under Q1? a cycle.
    const cycle = await staff.request(MoveArchiveFolderDocument, { input: { folderId: folders.suppliers, parentId: folders.q1 } });
    expect(cycle.moveArchiveFolder.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid });
    expect(cycle.moveArchiveFolder.userErrors[0]?.message).to.match(/into itself or one of its subfolders/);
    // A folder only "none" cannot see moves to the root: "none" sees it at once.
    const closed = unwrap((await staff.request(CreateArchiveFolderDocument, { input: { parentId: folders.contracts, name: "Verzekeringen" } })).createArchiveFolder).folder!.id;
    expect(await outcome(() => actors.none!.request(ArchiveFolderDocument, { id: closed }))).to.equal("NOT_FOUND");
    const moved = unwrap((await staff.request(MoveArchiveFolderDocument, { input: { folderId: closed, parentId: folders.root } })).moveArchiveFolder);
    expect(moved.folder?.path).to.deep.equal(["Archief", "Verzekeringen"]);
    expect(await outcome(() => actors.none!.request(ArchiveFolderDocument, { id: closed }))).to.equal("ok");
    expect(await outcome(() => view.request(ArchiveFolderDocument, { id: closed }))).to.equal("ok");
  });

  it("keeps sibling names unique regardless of case, and never deletes a folder with contents unless moving them up", async () => {
    const duplicate = await staff.request(CreateArchiveFolderDocument, { input: { parentId: folders.root, name: "contracten" } });
    expect(duplicate.createArchiveFolder.userErrors[0]).to.deep.include({ code: UserErrorCode.AlreadyExists });
    const notEmpty = await staff.request(DeleteArchiveFolderDocument, { input: { folderId: folders.suppliers } });
    expect(notEmpty.deleteArchiveFolder.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
    const { rows: before } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE removed_at IS NULL");
    const events = staff.subscribe(AdministrationEventsDocument, { administrationId });
    await settle();
    unwrap((await staff.request(DeleteArchiveFolderDocument, { input: { folderId: folders.suppliers, moveContentsUp: true } })).deleteArchiveFolder);
    // The moved subfolder and the removed folder are announced.
    const seen = new Set<string>();
    while (!(seen.has(`${DocumentChange.FolderUpdated}:${folders.year}`) && seen.has(`${DocumentChange.FolderRemoved}:${folders.suppliers}`))) {
      const event = (await nextWithin(events)).administrationEvents;
      seen.add(`${event.change}:${event.folderId ?? event.documentId}`);
    }
    await events.return!();
    const { node } = await staff.request(ArchiveFolderDocument, { id: folders.contracts });
    expect((node as { children: Array<{ name: string }> }).children.map((c) => c.name)).to.include("Jaar 2026");
    const { rows: after } = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE removed_at IS NULL");
    expect(after[0]!.n).to.equal(before[0]!.n);
    const root = await staff.request(DeleteArchiveFolderDocument, { input: { folderId: folders.root } });
    expect(root.deleteArchiveFolder.userErrors[0]?.message).to.match(/root folder cannot be deleted/);
  });

  it("checks folder names only against siblings the namer can see: a hidden folder's name is never confirmed", async () => {
    const create = (client: PortalDeskClient, parentId: string, name: string) => client.request(CreateArchiveFolderDocument, { input: { parentId, name } });
    // The firm keeps "Salarissen" under Contracten closed to the contributing client.
    const hidden = unwrap((await create(staff, folders.contracts, "Salarissen")).createArchiveFolder).folder!.id;
    unwrap(
      (await staff.request(SetArchiveFolderAccessDocument, { input: { folderId: hidden, userId: gid("User", clientIds.contribute), access: FolderAccess.None } }))
        .setArchiveFolderAccess,
    );

    const own = await create(actors.contribute!, folders.contracts, "salarissen");
    expect(own.createArchiveFolder.userErrors).to.deep.equal([]);
    const ownId = own.createArchiveFolder.folder!.id;
    // Their own folder of that name is visible to them, so it does clash …
    const again = await create(actors.contribute!, folders.contracts, "SALARISSEN");
    expect(again.createArchiveFolder.userErrors[0]).to.deep.include({ code: UserErrorCode.AlreadyExists });
    // … and so does a folder everyone sees, whoever names it.
    const shared = unwrap((await create(staff, folders.contracts, "Bankzaken")).createArchiveFolder).folder!.id;
    const visibleClash = await actors.manage!.request(RenameArchiveFolderDocument, { input: { folderId: ownId, name: "bankzaken" } });
    expect(visibleClash.renameArchiveFolder.userErrors[0]).to.deep.include({ code: UserErrorCode.AlreadyExists });
    // Staff see both siblings: for them the name is taken.
    const asStaff = await create(staff, folders.contracts, "Salarissen");
    expect(asStaff.createArchiveFolder.userErrors[0]).to.deep.include({ code: UserErrorCode.AlreadyExists });
    const { node } = await staff.request(ArchiveFolderDocument, { id: folders.contracts });
    expect((node as { children: Array<{ name: string }> }).children.filter((c) => c.name.toLowerCase() === "salarissen")).to.have.length(2);

    // Two clients naming a folder at the same moment: exactly one gets the name.
    const racing = await Promise.all([create(actors.contribute!, folders.contracts, "Gedeeld"), create(actors.manage!, folders.contracts, "gedeeld")]);
    const outcomes = racing.map((r) => r.createArchiveFolder.userErrors[0]?.code ?? "ok").sort();
    expect(outcomes).to.deep.equal([UserErrorCode.AlreadyExists, "ok"]);

    for (const id of [hidden, ownId, shared, ...racing.map((r) => r.createArchiveFolder.folder?.id).filter((id): id is string => Boolean(id))]) {
      unwrap((await staff.request(DeleteArchiveFolderDocument, { input: { folderId: id } })).deleteArchiveFolder);
    }
  });

  it("keeps documents under retention: nobody removes them; past retention staff can", async () => {
    const { node } = await staff.request(DocumentDocument, { id: documentId });
    const document = node as { retainUntil: string | null };
    const today = new Date().toISOString().slice(0, 10);
    expect(document.retainUntil).to.equal(retainUntil(today, { month: 12, day: 31 }, false));
    for (const who of [staff, actors.manage!]) {
      const refused = await who.request(RemoveDocumentDocument, { input: { documentId } });
      expect(refused.removeDocument.userErrors[0]?.message).to.match(/must be kept until \d{4}-12-31/);
    }
    unwrap((await staff.request(MarkDocumentsProcessedDocument, { input: { documentIds: [documentId] } })).markDocumentsProcessed);
    await env.sql("UPDATE documents SET retain_until = '2001-12-31' WHERE id = $1", [uuidOf(documentId)]);
    const byClient = await actors.manage!.request(RemoveDocumentDocument, { input: { documentId } });
    expect(byClient.removeDocument.userErrors[0]?.message).to.match(/only the firm can remove it/);
    unwrap((await staff.request(RemoveDocumentDocument, { input: { documentId } })).removeDocument);
  });

  it("computes retention from the financial year end, 10 years for real estate", () => {
    expect(retainUntil("2026-03-15", { month: 12, day: 31 }, false)).to.equal("2033-12-31");
    expect(retainUntil("2026-03-15", { month: 12, day: 31 }, true)).to.equal("2036-12-31");
    expect(retainUntil("2026-08-01", { month: 6, day: 30 }, false)).to.equal("2034-06-30");
    expect(retainUntil("2026-06-30", { month: 6, day: 30 }, false)).to.equal("2033-06-30");
    expect(retainUntil("2026-03-01", { month: 2, day: 29 }, false)).to.equal("2034-02-28");
  });

  it("lists a folder's 50 documents and its children with their access in a fixed number of statements", async () => {
    const fresh = await env.createWorld({ administrations: 1 });
    const accountant = await env.signIn(fresh.accountant.email);
    const admId = gid("Administration", fresh.administrations[0]!.id);
    const root = (await accountant.request(ArchiveRootDocument, { administrationId: admId })).administration.archive!.id;
    const folder = unwrap((await accountant.request(CreateArchiveFolderDocument, { input: { parentId: root, name: "Bulk" } })).createArchiveFolder).folder!.id;
    for (let i = 0; i < 5; i++) unwrap((await accountant.request(CreateArchiveFolderDocument, { input: { parentId: folder, name: `Sub ${i}` } })).createArchiveFolder);
    for (let i = 0; i < 50; i += 10) {
      const files = await Promise.all(Array.from({ length: 10 }, (_, j) => pdfBytes(1, `Bulk ${i + j}`)));
      unwrap(
        (
          await accountant.request(UploadDocumentsDocument, {
            input: { administrationId: admId, tray: TrayKind.Archive, folderId: folder, files: files.map((f, j) => upload(f, { filename: `b${i + j}.pdf` })) },
          })
        ).uploadDocuments,
      );
    }
    const client = await env.signIn(fresh.clients[0]!.email);
    unwrap((await accountant.request(SetArchiveFolderAccessDocument, { input: { folderId: root, allClients: true, access: FolderAccess.View } })).setArchiveFolderAccess);
    const counts: number[] = [];
    for (const who of [accountant, client]) {
      for (const first of [10, 50]) {
        const { node } = await who.request(ArchiveFolderDocument, { id: folder, first });
        const shown = node as { children: unknown[]; documents: { nodes: unknown[] } };
        expect(shown.children).to.have.length(5);
        expect(shown.documents.nodes).to.have.length(first);
        counts.push(who.lastExtensions?.sqlStatements as number);
      }
    }
    expect(counts[0]).to.equal(counts[1]);
    expect(counts[2]).to.equal(counts[3]);
  });
});
