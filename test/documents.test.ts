import {
  AdministrationEventsDocument,
  DeskDocument,
  DocumentChange,
  DocumentDocument,
  DocumentFormat,
  DocumentStatus,
  DuplicatePolicy,
  FileDocumentsDocument,
  MarkDocumentsProcessedDocument,
  NotFoundError,
  ForbiddenError,
  RemoveDocumentDocument,
  RenameDocumentDocument,
  SignInDocument,
  ReturnDocumentDocument,
  ReturnDocumentsToDeskDocument,
  TrayDocumentsDocument,
  TrayKind,
  TraysDocument,
  UpdateAdministrationDocument,
  UploadDocumentsDocument,
  UserErrorCode,
  upload,
  unwrap,
  type PortalDeskClient,
  SubjectEventsDocument,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { camt053, executable, heicBytes, jpegBytes, mt940, pdfBytes, pngBytes, tiffBytes, ublInvoice } from "./support/files.js";
import { eventually, gid, nextWithin, PASSWORD, settle, staysQuiet, TestEnv, type World } from "./support/harness.js";

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function blobKeys(dir: string): Promise<string[]> {
  const root = path.join(dir, "blobs");
  const keys: string[] = [];
  for (const a of await fs.readdir(root).catch(() => [])) {
    for (const b of await fs.readdir(path.join(root, a))) keys.push(...(await fs.readdir(path.join(root, a, b))));
  }
  return keys;
}

describe("the desk and the trays", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let accountant: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create({ UPLOAD_MAX_FILE_SIZE: "5mb", UPLOAD_MAX_FILES: "6", UPLOAD_MAX_TOTAL_SIZE: "8mb" });
    world = await env.createWorld();
    client = await env.signIn(world.clients[0]!.email);
    accountant = await env.signIn(world.accountant.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(() => env.close());

  async function uploadFiles(files: Array<[Buffer, string]>, extra: { tray?: TrayKind } = {}, as = client) {
    return (
      await as.request(UploadDocumentsDocument, {
        input: { administrationId, files: files.map(([bytes, filename]) => upload(bytes, { filename })), ...extra },
      })
    ).uploadDocuments;
  }

  it("uploads several files at once onto the desk, with types decided from content, hashes, sizes and page counts", async () => {
    const pdf = await pdfBytes(3);
    const png = await pngBytes();
    const jpeg = await jpegBytes();
    const tiff = await tiffBytes();
    const ubl = ublInvoice();
    // Declared names and types are not trusted: the JPEG is called .png.
    const result = await uploadFiles([
      [pdf, "factuur maart.pdf"],
      [png, "bon.png"],
      [jpeg, "foto.png"],
      [tiff, "scan.tif"],
      [ubl, "e-factuur.xml"],
    ]);
    expect(result.userErrors).to.deep.equal([]);
    expect(result.documents.map((d) => [d.filename, d.format, d.contentType, d.pageCount, d.status, d.location])).to.deep.equal([
      ["factuur maart.pdf", DocumentFormat.Pdf, "application/pdf", 3, DocumentStatus.OnDesk, "DESK"],
      ["bon.png", DocumentFormat.Png, "image/png", 1, DocumentStatus.OnDesk, "DESK"],
      ["foto.png", DocumentFormat.Jpeg, "image/jpeg", 1, DocumentStatus.OnDesk, "DESK"],
      ["scan.tif", DocumentFormat.Tiff, "image/tiff", 1, DocumentStatus.OnDesk, "DESK"],
      ["e-factuur.xml", DocumentFormat.Ubl, "application/xml", null, DocumentStatus.OnDesk, "DESK"],
    ]);
    expect(result.documents.map((d) => d.sha256)).to.deep.equal([pdf, png, jpeg, tiff, ubl].map(sha));
    expect(result.documents.map((d) => d.byteSize)).to.deep.equal([pdf, png, jpeg, tiff, ubl].map((b) => b.length));
    expect(result.documents[0]!.uploadedBy?.email).to.equal(world.clients[0]!.email);

    const desk = await client.request(DeskDocument, { administrationId });
    expect(desk.administration.desk.documentCount).to.equal(5);
    expect(desk.administration.desk.documents.nodes.map((d) => d.filename)).to.have.members(result.documents.map((d) => d.filename));
  });

  it("downloads exactly the uploaded bytes, honours Range, and refuses tampered or expired links", async () => {
    const pdf = await pdfBytes(2, "Download");
    const [doc] = unwrap(await uploadFiles([[pdf, "download me.pdf"]])).documents;
    const { node } = await client.request(DocumentDocument, { id: doc!.id });
    const url = (node as { downloadUrl: string }).downloadUrl;
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("application/pdf");
    expect(response.headers.get("content-disposition")).to.equal(`attachment; filename="download me.pdf"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).to.equal(true);

    const partial = await fetch(url, { headers: { range: "bytes=10-19" } });
    expect(partial.status).to.equal(206);
    expect(partial.headers.get("content-range")).to.equal(`bytes 10-19/${pdf.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(pdf.subarray(10, 20))).to.equal(true);
    expect((await fetch(url, { headers: { range: `bytes=${pdf.length + 10}-` } })).status).to.equal(416);

    const tampered = url.replace(/s=[^&]+/, "s=AAAA");
    expect((await fetch(tampered)).status).to.equal(403);
    const otherDocument = url.replace(/\/files\/d\/[0-9a-f-]+\//, `/files/d/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}/`);
    expect((await fetch(otherDocument)).status).to.equal(403);
    const expired = new URL(url);
    expired.searchParams.set("e", String(Math.floor(Date.now() / 1000) - 10));
    // Said plainly, in the reader's language: a sentence for a program, a page with the way back for a browser.
    const plain = await fetch(expired);
    expect(plain.status).to.equal(403);
    expect(plain.headers.get("content-type")).to.match(/^text\/plain/);
    expect(await plain.text()).to.equal("This download link does not work: its signature does not match. Open the file again in the portal for a new link.\n");
    const dutchPage = await fetch(expired, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8", "accept-language": "nl-NL,nl;q=0.9,en;q=0.5" } });
    expect(dutchPage.status).to.equal(403);
    expect(dutchPage.headers.get("content-type")).to.match(/^text\/html/);
    expect(dutchPage.headers.get("content-language")).to.equal("nl");
    const html = await dutchPage.text();
    expect(html).to.include('<html lang="nl">').and.include("Deze downloadlink werkt niet: de ondertekening klopt niet.").and.include('<a href="/">Terug naar het portaal</a>');
  });

  it("refuses disguised, empty, oversized and badly named files, naming each, keeping the good ones and no stray rows or blobs", async () => {
    const before = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents");
    const good = await pdfBytes(1, "Good");
    const result = await uploadFiles([
      [executable(), "invoice.pdf"],
      [Buffer.alloc(0), "empty.pdf"],
      [Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(6 * 1024 * 1024, 0x20)]), "huge.pdf"],
      [await pdfBytes(1), "../../etc/passwd.pdf"],
      [Buffer.from("%PDF-1.7\nthis is not really a pdf"), "broken.pdf"],
      [good, "good.pdf"],
    ]);
    expect(result.documents.map((d) => d.filename)).to.deep.equal(["good.pdf"]);
    expect(result.userErrors.map((e) => [e.field?.join("."), e.code])).to.deep.equal([
      ["input.files.0", UserErrorCode.Invalid],
      ["input.files.1", UserErrorCode.Invalid],
      ["input.files.2", UserErrorCode.Invalid],
      ["input.files.3", UserErrorCode.Invalid],
      ["input.files.4", UserErrorCode.Invalid],
    ]);
    const messages = result.userErrors.map((e) => e.message);
    expect(messages[0]).to.match(/"invoice\.pdf" is not a PDF, JPEG, PNG, TIFF or HEIC file/);
    expect(messages[1]).to.equal('"empty.pdf" is empty');
    expect(messages[2]).to.match(/"huge\.pdf" is too large/);
    expect(messages[3]).to.match(/contains a path/);
    expect(messages[4]).to.match(/"broken\.pdf" looks like a PDF but cannot be read/);
    const after = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents");
    expect(after.rows[0]!.n).to.equal(before.rows[0]!.n + 1);
    // Background reading stores a preview's blob just before its row names it: wait until all is read.
    await eventually(
      async () =>
        (await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE data_read_at IS NULL OR (preview_sha256 IS NOT NULL AND thumbnail_sha256 IS NULL)")).rows[0]!
          .n === 0,
      30_000,
    );
    // Every stored blob belongs to a document (as its content, its thumbnail or its preview): nothing stray.
    const { rows: referenced } = await env.sql<{ key: string }>(
      `SELECT sha256 AS key FROM documents UNION SELECT thumbnail_sha256 FROM documents WHERE thumbnail_sha256 IS NOT NULL
       UNION SELECT preview_sha256 FROM documents WHERE preview_sha256 IS NOT NULL`,
    );
    expect(await blobKeys(env.dataDir)).to.have.members(referenced.map((r) => r.key));
    expect((await fs.readdir(path.join(env.dataDir, "tmp"))).filter((f) => f.startsWith("upload-"))).to.deep.equal([]);
  });

  it("accepts a HEIC photo from a phone", async () => {
    const result = unwrap(await uploadFiles([[heicBytes(), "IMG_0001.HEIC"]]));
    expect(result.documents[0]).to.include({ format: DocumentFormat.Heic, contentType: "image/heic", pageCount: 1 });
  });

  it("keeps nothing of an upload whose body stops half way", async () => {
    const before = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents");
    const token = unwrap((await env.client().request(SignInDocument, { input: { email: world.clients[0]!.email, password: PASSWORD } })).signIn).token!;
    const boundary = "----halfway";
    const operations = JSON.stringify({
      query: "mutation($input: UploadDocumentsInput!) { uploadDocuments(input: $input) { documents { id } } }",
      variables: { input: { administrationId, files: [null] } },
    });
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.input.files.0"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="half.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const url = new URL(`${env.server.url}/graphql`);
    await new Promise<void>((resolve) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "apollo-require-preflight": "true",
            authorization: `Bearer ${token}`,
            "content-length": String(head.length + 1_000_000),
          },
        },
        () => resolve(),
      );
      request.on("error", () => resolve());
      request.write(head);
      request.write(Buffer.alloc(200_000, 0x25));
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 300);
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = await env.sql<{ n: number }>("SELECT count(*)::int AS n FROM documents");
    expect(after.rows[0]!.n).to.equal(before.rows[0]!.n);
    expect((await fs.readdir(path.join(env.dataDir, "tmp")).catch(() => [])).filter((f) => f.startsWith("upload-"))).to.deep.equal([]);
    // The server is fine afterwards.
    expect((await client.request(DeskDocument, { administrationId })).administration.id).to.equal(administrationId);
  });

  it("accepts bank statements (MT940, CAMT.053) for the desk and the bank tray only", async () => {
    const onDesk = unwrap(
      await uploadFiles([
        [mt940(), "statement.sta"],
        [camt053(), "statement.xml"],
      ]),
    );
    expect(onDesk.documents.map((d) => d.format)).to.deep.equal([DocumentFormat.Mt940, DocumentFormat.Camt053]);
    const wrongTray = await uploadFiles([[mt940(), "other.sta"]], { tray: TrayKind.Purchase });
    expect(wrongTray.userErrors[0]?.message).to.match(/is a bank statement \(MT940\)/);
    const filedWrong = await client.request(FileDocumentsDocument, { input: { documentIds: [onDesk.documents[0]!.id], tray: TrayKind.Sales } });
    expect(filedWrong.fileDocuments.userErrors[0]?.message).to.match(/is a bank statement/);
    const filed = unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: onDesk.documents.map((d) => d.id), tray: TrayKind.BankStatements } })).fileDocuments);
    expect(filed.documents.every((d) => d.tray === TrayKind.BankStatements && d.status === DocumentStatus.Submitted)).to.equal(true);
  });

  it("refuses too many files and a malformed multipart body with 4xx errors", async () => {
    const tooMany = await uploadFiles(Array.from({ length: 7 }, (_, i) => [Buffer.from(`x${i}`), `f${i}.pdf`] as [Buffer, string])).catch((e: Error) => e);
    expect(tooMany).to.be.instanceOf(Error);
    expect((tooMany as { status?: number }).status).to.equal(413);
    expect((tooMany as Error).message).to.match(/6 max file uploads exceeded/);

    const malformed = await fetch(`${env.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz", "apollo-require-preflight": "true" },
      body: '--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\nnot json\r\n--xyz--\r\n',
    });
    expect(malformed.status).to.equal(400);
    const body = (await malformed.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]!.message).to.match(/operations/);
  });

  describe("duplicates", () => {
    it("warns by default: keeps the file and names the earlier document", async () => {
      const bytes = await pdfBytes(1, "Twice");
      const first = unwrap(await uploadFiles([[bytes, "first.pdf"]])).documents[0]!;
      const second = unwrap(await uploadFiles([[bytes, "second.pdf"]])).documents[0]!;
      expect(second.duplicateOf).to.deep.equal({ id: first.id, filename: "first.pdf" });
    });

    it("rejects per policy REJECT, and allows silently per ALLOW", async () => {
      const admin = await env.signIn(world.admin.email);
      unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, duplicatePolicy: DuplicatePolicy.Reject } })).updateAdministration);
      const bytes = await pdfBytes(1, "Reject me");
      const first = unwrap(await uploadFiles([[bytes, "original.pdf"]])).documents[0]!;
      const again = await uploadFiles([
        [bytes, "copy.pdf"],
        [await pdfBytes(1, "Fresh"), "fresh.pdf"],
        [Buffer.alloc(0), "empty.pdf"],
      ]);
      expect(again.documents.map((d) => d.filename)).to.deep.equal(["fresh.pdf"]);
      expect(again.duplicates).to.deep.equal([{ index: 0, filename: "copy.pdf", duplicateOf: { id: first.id, filename: "original.pdf" } }]);
      expect(again.userErrors[0]).to.deep.include({ code: UserErrorCode.AlreadyExists, message: '"copy.pdf" was uploaded before as "original.pdf"' });
      // In file order, though the empty file is refused on arrival and the duplicate only in the transaction.
      expect(again.userErrors.map((e) => e.field)).to.deep.equal([
        ["input", "files", "0"],
        ["input", "files", "2"],
      ]);

      unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, duplicatePolicy: DuplicatePolicy.Allow } })).updateAdministration);
      const allowed = unwrap(await uploadFiles([[bytes, "allowed.pdf"]])).documents[0]!;
      expect(allowed.duplicateOf).to.equal(null);
      unwrap((await admin.request(UpdateAdministrationDocument, { input: { id: administrationId, duplicatePolicy: DuplicatePolicy.Warn } })).updateAdministration);
    });
  });

  describe("filing and processing", () => {
    it("files all or none, lets the firm process and return, and notifies the client", async () => {
      const [a, b] = unwrap(
        await uploadFiles([
          [await pdfBytes(1, "A"), "a.pdf"],
          [await pdfBytes(1, "B"), "b.pdf"],
        ]),
      ).documents;
      const filed = unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [a!.id], tray: TrayKind.Purchase } })).fileDocuments);
      expect(filed.documents[0]).to.include({ status: DocumentStatus.Submitted, tray: TrayKind.Purchase, location: "TRAY" });

      // b is on the desk, a is not: nothing is filed.
      const mixed = await client.request(FileDocumentsDocument, { input: { documentIds: [a!.id, b!.id], tray: TrayKind.Sales } });
      expect(mixed.fileDocuments.userErrors).to.have.length(1);
      expect(mixed.fileDocuments.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
      const { node: stillOnDesk } = await client.request(DocumentDocument, { id: b!.id });
      expect((stillOnDesk as { status: string }).status).to.equal(DocumentStatus.OnDesk);

      // Client withdraws a, files again; the firm returns it with a reason.
      unwrap((await client.request(ReturnDocumentsToDeskDocument, { input: { documentIds: [a!.id] } })).returnDocumentsToDesk);
      unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [a!.id, b!.id], tray: TrayKind.Purchase } })).fileDocuments);
      expect(await client.request(ReturnDocumentDocument, { input: { documentId: a!.id, reason: "nope" } }).catch((e: unknown) => e)).to.be.instanceOf(ForbiddenError);
      const returned = unwrap((await accountant.request(ReturnDocumentDocument, { input: { documentId: a!.id, reason: "Dit is niet uw factuur" } })).returnDocument);
      expect(returned.document).to.include({ status: DocumentStatus.Returned, location: "DESK", returnReason: "Dit is niet uw factuur" });
      const { rows } = await env.sql<{ title: string; body: string }>("SELECT title, body FROM notifications WHERE recipient_user_id = $1 AND kind = 'DOCUMENT_RETURNED'", [
        world.clients[0]!.id,
      ]);
      expect(rows).to.deep.equal([{ title: '"a.pdf" is teruggezet op uw bureau', body: "Dit is niet uw factuur" }]); // in the client's language (NL)

      // The firm processes b: it is immutable now, for everyone.
      unwrap((await accountant.request(MarkDocumentsProcessedDocument, { input: { documentIds: [b!.id] } })).markDocumentsProcessed);
      const rename = await client.request(RenameDocumentDocument, { input: { documentId: b!.id, filename: "x.pdf" } });
      expect(rename.renameDocument.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
      const remove = await accountant.request(RemoveDocumentDocument, { input: { documentId: b!.id } });
      expect(remove.removeDocument.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
      const withdraw = await client.request(ReturnDocumentsToDeskDocument, { input: { documentIds: [b!.id] } });
      expect(withdraw.returnDocumentsToDesk.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
      const again = await accountant.request(MarkDocumentsProcessedDocument, { input: { documentIds: [b!.id] } });
      expect(again.markDocumentsProcessed.userErrors[0]?.message).to.match(/processed already/);

      const { node } = await accountant.request(SubjectEventsDocument, { id: b!.id, first: 100 });
      expect((node as { events: { nodes: Array<{ action: string }> } }).events.nodes.map((h) => h.action)).to.deep.equal([
        "document.uploaded",
        "document.filed",
        "document.processed",
      ]);
    });

    it("lets exactly one of two concurrent filings win, and audits only that one", async () => {
      const [doc] = unwrap(await uploadFiles([[await pdfBytes(1, "Race"), "race.pdf"]])).documents;
      const other = await env.signIn(world.clients[0]!.email);
      const [one, two] = await Promise.all([
        client.request(FileDocumentsDocument, { input: { documentIds: [doc!.id], tray: TrayKind.Purchase } }),
        other.request(FileDocumentsDocument, { input: { documentIds: [doc!.id], tray: TrayKind.Receipts } }),
      ]);
      const outcomes = [one.fileDocuments, two.fileDocuments];
      expect(outcomes.filter((o) => o.userErrors.length === 0)).to.have.length(1);
      const loser = outcomes.find((o) => o.userErrors.length > 0)!;
      expect(loser.userErrors[0]).to.deep.include({ code: UserErrorCode.WrongState, message: '"race.pdf" is not on the desk (it was filed already)' });
      const { rows } = await env.sql<{ action: string }>("SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq", [
        doc!.id.length > 36 ? Buffer.from(doc!.id, "base64url").toString().split(":")[1] : doc!.id,
      ]);
      expect(rows.map((r) => r.action)).to.deep.equal(["document.uploaded", "document.filed"]);
    });

    it("renames and removes documents until processed", async () => {
      const [doc] = unwrap(await uploadFiles([[await pdfBytes(1, "Rename"), "old name.pdf"]])).documents;
      const renamed = unwrap((await client.request(RenameDocumentDocument, { input: { documentId: doc!.id, filename: "Nieuwe naam.pdf" } })).renameDocument);
      expect(renamed.document?.filename).to.equal("Nieuwe naam.pdf");
      const bad = await client.request(RenameDocumentDocument, { input: { documentId: doc!.id, filename: "a/b.pdf" } });
      expect(bad.renameDocument.userErrors[0]?.field).to.deep.equal(["input", "filename"]);
      unwrap((await client.request(RemoveDocumentDocument, { input: { documentId: doc!.id } })).removeDocument);
      expect((await client.request(DocumentDocument, { id: doc!.id })).node).to.equal(null);
    });
  });

  describe("access", () => {
    it("hides documents from other administrations' clients and other firms (NOT_FOUND)", async () => {
      const [doc] = unwrap(await uploadFiles([[await pdfBytes(1, "Private"), "private.pdf"]])).documents;
      const otherClient = await env.signIn(world.clients[1]!.email);
      expect((await otherClient.request(DocumentDocument, { id: doc!.id })).node).to.equal(null);
      expect(await otherClient.request(DeskDocument, { administrationId }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
      const renamed = await otherClient.request(RenameDocumentDocument, { input: { documentId: doc!.id, filename: "hacked.pdf" } }).catch((e: unknown) => e);
      expect(renamed).to.be.instanceOf(NotFoundError);
      const filed = await otherClient.request(FileDocumentsDocument, { input: { documentIds: [doc!.id], tray: TrayKind.Purchase } }).catch((e: unknown) => e);
      expect(filed).to.be.instanceOf(NotFoundError);
      const upload2 = await otherClient
        .request(UploadDocumentsDocument, { input: { administrationId, files: [upload(await pdfBytes(1), { filename: "x.pdf" })] } })
        .catch((e: unknown) => e);
      expect(upload2).to.be.instanceOf(NotFoundError);

      const foreign = await env.createWorld();
      const foreignAccountant = await env.signIn(foreign.accountant.email);
      expect((await foreignAccountant.request(DocumentDocument, { id: doc!.id })).node).to.equal(null);
      expect(await foreignAccountant.request(MarkDocumentsProcessedDocument, { input: { documentIds: [doc!.id] } }).catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    });
  });

  describe("live events", () => {
    it("tells subscribers of the administration what happens to its documents, and nobody else", async () => {
      const events = accountant.subscribe(AdministrationEventsDocument, { administrationId });
      const otherAdministration = gid("Administration", world.administrations[1]!.id);
      const otherClient = await env.signIn(world.clients[1]!.email);
      const otherEvents = otherClient.subscribe(AdministrationEventsDocument, { administrationId: otherAdministration });
      const refused = await nextWithin(otherClient.subscribe(AdministrationEventsDocument, { administrationId })).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(NotFoundError);
      await settle();

      // Thumbnails, text and data of earlier uploads announce themselves as UPDATED, TEXT_READ and DATA_READ: follow this document's main changes.
      const BACKGROUND_CHANGES = new Set<DocumentChange>([DocumentChange.Updated, DocumentChange.TextRead, DocumentChange.DataRead]);
      const next = async () => {
        while (true) {
          const event = await nextWithin(events);
          if (!BACKGROUND_CHANGES.has(event.administrationEvents.change)) return event;
        }
      };
      const [doc] = unwrap(await uploadFiles([[await pdfBytes(1, "Live"), "live.pdf"]])).documents;
      const added = await next();
      expect(added.administrationEvents).to.deep.include({ change: DocumentChange.Added, documentId: doc!.id });
      expect(added.administrationEvents.document?.filename).to.equal("live.pdf");
      unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [doc!.id], tray: TrayKind.Receipts } })).fileDocuments);
      const filed = await next();
      expect(filed.administrationEvents.change).to.equal(DocumentChange.Filed);
      expect(filed.administrationEvents.document?.tray).to.equal(TrayKind.Receipts);
      unwrap((await client.request(ReturnDocumentsToDeskDocument, { input: { documentIds: [doc!.id] } })).returnDocumentsToDesk);
      expect((await next()).administrationEvents.change).to.equal(DocumentChange.Withdrawn);
      unwrap((await client.request(RemoveDocumentDocument, { input: { documentId: doc!.id } })).removeDocument);
      const removed = await next();
      expect(removed.administrationEvents).to.deep.include({ change: DocumentChange.Removed, documentId: doc!.id, document: null });
      expect(await staysQuiet(otherEvents)).to.equal(true);

      await events.return!();
      await otherEvents.return!();
    });
  });

  describe("lists", () => {
    it("lists a tray of 50 documents with their uploaders in a fixed number of statements", async () => {
      const fresh = await env.createWorld({ administrations: 1 });
      const freshClient = await env.signIn(fresh.clients[0]!.email);
      const freshAdministration = gid("Administration", fresh.administrations[0]!.id);
      const files = await Promise.all(Array.from({ length: 50 }, (_, i) => pdfBytes(1, `Doc ${i}`)));
      for (let i = 0; i < 50; i += 5) {
        unwrap(
          (
            await freshClient.request(UploadDocumentsDocument, {
              input: { administrationId: freshAdministration, tray: TrayKind.Purchase, files: files.slice(i, i + 5).map((f, j) => upload(f, { filename: `doc-${i + j}.pdf` })) },
            })
          ).uploadDocuments,
        );
      }
      const freshAccountant = await env.signIn(fresh.accountant.email);
      const counts: number[] = [];
      for (const first of [5, 50]) {
        const page = await freshAccountant.request(TrayDocumentsDocument, { administrationId: freshAdministration, first, filter: { tray: TrayKind.Purchase } });
        expect(page.administration.documents.nodes).to.have.length(first);
        expect(page.administration.documents.nodes.every((d) => d.uploadedBy?.email === fresh.clients[0]!.email)).to.equal(true);
        counts.push(freshAccountant.lastExtensions?.sqlStatements as number);
      }
      expect(counts[0]).to.equal(counts[1]);
      expect(counts[0]).to.be.at.most(6);

      const trays = await freshAccountant.request(TraysDocument, { administrationId: freshAdministration });
      expect(trays.administration.trays.map((t) => [t.kind, t.documentCount, t.submitted])).to.deep.equal([
        [TrayKind.Purchase, 50, 50],
        [TrayKind.Sales, 0, 0],
        [TrayKind.Receipts, 0, 0],
        [TrayKind.BankStatements, 0, 0],
        [TrayKind.Archive, 0, 0],
      ]);
      const byName = await freshAccountant.request(TrayDocumentsDocument, {
        administrationId: freshAdministration,
        first: 3,
        filter: { search: "doc-4" },
        orderBy: "FILENAME_ASC" as never,
      });
      expect(byName.administration.documents.nodes.map((d) => d.filename)).to.deep.equal(["doc-4.pdf", "doc-40.pdf", "doc-41.pdf"]);
      expect(byName.administration.documents.totalCount).to.equal(11);
    });
  });
});
