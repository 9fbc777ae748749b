// Decompression bombs: a PNG of 30000 × 30000 pixels is about 110 kB on disk and gigabytes once
// decoded. Every image decode has a pixel limit read from the header first: the bomb is refused at
// upload, and one that is already stored (accepted under a higher limit) cannot be merged,
// thumbnailed or drawn as a page image.
import {
  DocumentPagesDocument,
  DocumentStatus,
  FileDocumentsDocument,
  MergeDocumentsDocument,
  TrayKind,
  UploadDocumentsDocument,
  unwrap,
  upload,
  type PortalDeskClient,
} from "@portaldesk/sdk";
import { expect } from "chai";
import { bombPng, jpegBytes } from "./support/files.js";
import { gid, TestEnv, type World } from "./support/harness.js";

describe("hardening: decompression-bomb images", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;
  let administrationId: string;
  let client: PortalDeskClient;
  const bomb = bombPng(30000, 30000);

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
    administrationId = gid("Administration", world.administrations[0]!.id);
    client = await env.signIn(world.clients[0]!.email);
  });
  after(() => env.close());

  it("is a small file that announces 900 megapixels", () => {
    expect(bomb.length).to.be.below(200_000);
    expect(bomb.readUInt32BE(16)).to.equal(30000);
  });

  it("refuses the bomb at upload with a userError naming its size, and keeps the good file beside it", async () => {
    const result = await client.request(UploadDocumentsDocument, {
      input: { administrationId, files: [upload(bomb, { filename: "scan.png" }), upload(await jpegBytes(), { filename: "bon.jpg" })] },
    });
    expect(result.uploadDocuments.documents.map((d) => d.filename)).to.deep.equal(["bon.jpg"]);
    expect(result.uploadDocuments.userErrors).to.have.length(1);
    expect(result.uploadDocuments.userErrors[0]).to.deep.include({ field: ["input", "files", "0"] });
    expect(result.uploadDocuments.userErrors[0]!.message).to.match(/30000 × 30000 pixels/);
  });

  it("refuses to merge, thumbnail or draw a bomb stored under a higher limit", async () => {
    // An instance with a far higher limit accepts it (as a server before this check did).
    const lenient = await env.startServer({ IMAGE_MAX_PIXELS: "2000000000", RUN_JOBS: "false" });
    const lenientClient = await env.signIn(world.clients[0]!.email, undefined, lenient);
    const stored = unwrap(
      (
        await lenientClient.request(UploadDocumentsDocument, {
          input: { administrationId, files: [upload(bomb, { filename: "bomb.png" }), upload(await jpegBytes(80, 60), { filename: "other.jpg" })] },
        })
      ).uploadDocuments,
    ).documents;
    expect(stored.map((d) => d.filename)).to.deep.equal(["bomb.png", "other.jpg"]);
    unwrap((await client.request(FileDocumentsDocument, { input: { documentIds: stored.map((d) => d.id), tray: TrayKind.Receipts } })).fileDocuments);

    // The default instance refuses to merge it: a clear userError, the documents unchanged.
    const merge = await client.request(MergeDocumentsDocument, { input: { documentIds: stored.map((d) => d.id), filename: "samen.pdf" } });
    expect(merge.mergeDocuments.document).to.equal(null);
    expect(merge.mergeDocuments.userErrors[0]!.message).to.match(/"bomb\.png": it is an image of 30000 × 30000 pixels/);

    // Its page image link answers with a clear 422, not a 500.
    const pages = await client.request(DocumentPagesDocument, { id: stored[0]!.id });
    const pageUrl = (pages.node as { pageImageUrls: string[] }).pageImageUrls[0]!;
    const response = await fetch(pageUrl);
    expect(response.status).to.equal(422);
    expect(await response.text()).to.match(/30000 × 30000 pixels/);

    // The thumbnail job (run by the default instance) gives up on it, and makes the other one.
    const thumbnails = async () =>
      (await env.sql<{ filename: string; thumbnail_sha256: string | null }>("SELECT filename, thumbnail_sha256 FROM documents ORDER BY filename")).rows;
    const deadline = Date.now() + 20_000;
    while (!(await thumbnails()).find((d) => d.filename === "other.jpg")?.thumbnail_sha256 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const rows = await thumbnails();
    expect(rows.find((d) => d.filename === "other.jpg")?.thumbnail_sha256).to.be.a("string");
    expect(rows.find((d) => d.filename === "bomb.png")?.thumbnail_sha256).to.equal(null);
    const statuses = await env.sql<{ status: string }>("SELECT status FROM documents WHERE filename = 'bomb.png'");
    expect(statuses.rows[0]!.status).to.equal(DocumentStatus.Submitted);
  });
});
