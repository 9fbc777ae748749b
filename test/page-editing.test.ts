import {
  DeskDocument,
  DocumentDocument,
  DocumentStatus,
  EditDocumentPagesDocument,
  FileDocumentsDocument,
  MarkDocumentsProcessedDocument,
  MergeDocumentsDocument,
  RenameDocumentDocument,
  TrayKind,
  UploadDocumentsDocument,
  UserErrorCode,
  upload,
  unwrap,
  type PortalDeskClient,
  SubjectEventsDocument,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { jpegBytes, pdfBytes, pdfPageSizes, pngBytes, ublInvoice } from "./support/files.js";
import fs from "node:fs/promises";
import path from "node:path";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).to.equal(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("sorting scans (page editing)", () => {
  let env: TestEnv;
  let world: World;
  let client: PortalDeskClient;
  let administrationId: string;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    client = await env.signIn(world.clients[0]!.email);
    administrationId = gid("Administration", world.administrations[0]!.id);
  });
  after(() => env.close());

  const put = async (files: Array<[Buffer, string]>) =>
    unwrap((await client.request(UploadDocumentsDocument, { input: { administrationId, files: files.map(([b, n]) => upload(b, { filename: n })) } })).uploadDocuments).documents;

  it("splits a 10-page scan into 3 documents, dropping and rotating pages, keeping the original in the history", async () => {
    const [scan] = await put([[await pdfBytes(10, "Scan"), "scan.pdf"]]);
    const result = unwrap(
      (
        await client.request(EditDocumentPagesDocument, {
          input: { documentId: scan!.id, outputs: [{ pages: [1, 2, 3] }, { pages: [5, 4], rotate: 90 }, { pages: [8, 9, 10], rotate: -90 }] },
        })
      ).editDocumentPages,
    );
    expect(result.documents.map((d) => [d.filename, d.pageCount, d.status])).to.deep.equal([
      ["scan (1 of 3).pdf", 3, DocumentStatus.OnDesk],
      ["scan (2 of 3).pdf", 2, DocumentStatus.OnDesk],
      ["scan (3 of 3).pdf", 3, DocumentStatus.OnDesk],
    ]);
    const pages = await Promise.all(result.documents.map(async (d) => pdfPageSizes(await download(d.downloadUrl))));
    expect(pages.map((p) => p.length)).to.deep.equal([3, 2, 3]);
    expect(pages.map((p) => p.map((x) => x.rotation))).to.deep.equal([
      [0, 0, 0],
      [90, 90],
      [270, 270, 270],
    ]);
    expect(result.documents.every((d) => d.derivedFrom.map((s) => s.id).join() === scan!.id)).to.equal(true);

    const desk = await client.request(DeskDocument, { administrationId });
    const names = desk.administration.desk.documents.nodes.map((d) => d.filename);
    expect(names).to.include.members(["scan (1 of 3).pdf", "scan (2 of 3).pdf", "scan (3 of 3).pdf"]);
    expect(names).not.to.include("scan.pdf");
    const accountant = await env.signIn(world.accountant.email);
    const { node } = await accountant.request(DocumentDocument, { id: scan!.id });
    const events = (await accountant.request(SubjectEventsDocument, { id: scan!.id, first: 100 })).node as { events: { nodes: Array<{ action: string }> } };
    const original = { ...(node as { replacedAt: string | null }), events: events.events };
    expect(original.replacedAt).to.be.a("string");
    expect(original.events.nodes.map((h) => h.action)).to.deep.equal(["document.uploaded", "document.pages_edited"]);
  });

  it("merges two images into one PDF in the first one's place", async () => {
    const [front, back] = await put([
      [await jpegBytes(600, 800), "bon voorkant.jpg"],
      [await pngBytes(600, 400), "bon achterkant.png"],
    ]);
    unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [front!.id, back!.id], tray: TrayKind.Receipts } })).fileDocuments);
    const merged = unwrap((await client.request(MergeDocumentsDocument, { input: { documentIds: [front!.id, back!.id], filename: "bon.pdf" } })).mergeDocuments).document!;
    expect(merged).to.include({ filename: "bon.pdf", pageCount: 2, format: "PDF", tray: TrayKind.Receipts, status: DocumentStatus.Submitted });
    const pages = await pdfPageSizes(await download(merged.downloadUrl));
    expect(pages).to.have.length(2);
    expect(pages[0]!.height).to.be.greaterThan(pages[0]!.width); // portrait photo first
    expect(merged.derivedFrom.map((d) => d.id)).to.deep.equal([front!.id, back!.id]);
  });

  it("rotates a single page and refuses impossible edits", async () => {
    const [doc] = await put([[await pdfBytes(2, "Rotate"), "rotate.pdf"]]);
    const rotated = unwrap((await client.request(EditDocumentPagesDocument, { input: { documentId: doc!.id, outputs: [{ pages: [1, 2], rotate: 180 }] } })).editDocumentPages);
    expect((await pdfPageSizes(await download(rotated.documents[0]!.downloadUrl))).map((p) => p.rotation)).to.deep.equal([180, 180]);

    const next = rotated.documents[0]!;
    const noPage = await client.request(EditDocumentPagesDocument, { input: { documentId: next.id, outputs: [{ pages: [3] }] } });
    expect(noPage.editDocumentPages.userErrors[0]).to.deep.include({ code: UserErrorCode.Invalid, message: "Page 3 does not exist (the document has 2)" });
    const badAngle = await client.request(EditDocumentPagesDocument, { input: { documentId: next.id, outputs: [{ pages: [1], rotate: 45 }] } });
    expect(badAngle.editDocumentPages.userErrors[0]?.field).to.deep.equal(["input", "outputs", "0", "rotate"]);
    const [xml] = await put([[ublInvoice("X-1"), "invoice.xml"]]);
    const noPages = await client.request(EditDocumentPagesDocument, { input: { documentId: xml!.id, outputs: [{ pages: [1] }] } });
    expect(noPages.editDocumentPages.userErrors[0]?.message).to.match(/has no pages to edit/);
    // The replaced original cannot be edited again.
    const again = await client.request(EditDocumentPagesDocument, { input: { documentId: doc!.id, outputs: [{ pages: [1] }] } });
    expect(again.editDocumentPages.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
  });

  it("refuses to edit a processed document", async () => {
    const [doc] = await put([[await pdfBytes(2, "Booked"), "booked.pdf"]]);
    unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: [doc!.id], tray: TrayKind.Purchase } })).fileDocuments);
    const accountant = await env.signIn(world.accountant.email);
    unwrap((await accountant.request(MarkDocumentsProcessedDocument, { input: { documentIds: [doc!.id] } })).markDocumentsProcessed);
    const result = await accountant.request(EditDocumentPagesDocument, { input: { documentId: doc!.id, outputs: [{ pages: [1] }] } });
    expect(result.editDocumentPages.userErrors[0]?.code).to.equal(UserErrorCode.WrongState);
  });

  it("holds no lock while it makes the pages: a rename meanwhile goes through, and the edit is refused as STALE, losing nothing", async () => {
    const [big] = await put([[await pdfBytes(1500, "Big"), "big.pdf"]]);
    const all = Array.from({ length: 1500 }, (_, i) => i + 1);
    const editing = client.request(EditDocumentPagesDocument, {
      input: { documentId: big!.id, outputs: [{ pages: all }, { pages: [...all].reverse() }, { pages: all, rotate: 90 }] },
    });
    // The build has begun once its work folder exists (the check's transaction is over by then).
    const tmp = path.join(env.dataDir, "tmp");
    const building = async () => {
      for (const processDir of await fs.readdir(tmp).catch(() => [])) {
        if ((await fs.readdir(path.join(tmp, processDir)).catch(() => [])).some((name) => name.startsWith("pages-"))) return true;
      }
      return false;
    };
    await eventually(building, 20_000);
    const renamed = unwrap((await client.request(RenameDocumentDocument, { input: { documentId: big!.id, filename: "groot.pdf" } })).renameDocument).document!;
    expect(renamed.filename).to.equal("groot.pdf");
    const edited = (await editing).editDocumentPages;
    expect(edited.documents).to.deep.equal([]);
    expect(edited.userErrors[0]).to.deep.include({ code: UserErrorCode.Stale });
    expect(edited.userErrors[0]!.field).to.deep.equal(["input", "documentId"]);
    expect(edited.userErrors[0]!.message).to.match(/changed while its pages were being made/);
    // The renamed original is still on the desk, whole, and no half-made document appeared.
    const desk = await client.request(DeskDocument, { administrationId });
    const names = desk.administration.desk.documents.nodes.map((d) => d.filename);
    expect(names).to.include("groot.pdf");
    expect(names.some((n) => n.startsWith("big"))).to.equal(false);
    const { node } = await client.request(DocumentDocument, { id: big!.id });
    expect(node).to.include({ filename: "groot.pdf", pageCount: 1500, replacedAt: null });
  });
});
