import { DocumentDocument, UploadDocumentsDocument, upload, unwrap } from "@portaldesk/sdk";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { pdfBytes, pngBytes } from "./support/files.js";
import { eventually, gid, TestEnv, type World } from "./support/harness.js";
import { exited } from "./support/server-process.js";

describe("document maintenance (background jobs)", function () {
  this.timeout(60_000);
  let env: TestEnv;
  let world: World;

  before(async () => {
    env = await TestEnv.create();
    world = await env.createWorld({ administrations: 1 });
  });
  after(() => env.close());

  it("makes a first-page thumbnail in the background, null until ready", async () => {
    const client = await env.signIn(world.clients[0]!.email);
    const { documents } = unwrap(
      (
        await client.request(UploadDocumentsDocument, {
          input: {
            administrationId: gid("Administration", world.administrations[0]!.id),
            files: [upload(await pdfBytes(2, "Thumb"), { filename: "thumb.pdf" }), upload(await pngBytes(1200, 600), { filename: "wide.png" })],
          },
        })
      ).uploadDocuments,
    );
    for (const document of documents) {
      const url = await eventually(async () => {
        const { node } = await client.request(DocumentDocument, { id: document.id });
        return (node as { thumbnailUrl: string | null }).thumbnailUrl;
      }, 30_000);
      const response = await fetch(url);
      expect(response.headers.get("content-type")).to.equal("image/png");
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect(meta.format).to.equal("png");
      expect(Math.max(meta.width!, meta.height!)).to.be.at.most(320);
    }
  });

  it("sweeps blobs no document refers to, and never one that is referenced", async () => {
    const { storage, maintenance } = env.server.services;
    const orphan = Buffer.from("an upload whose transaction never committed");
    const orphanKey = createHash("sha256").update(orphan).digest("hex");
    await storage.put(orphanKey, Readable.from([orphan]));
    const { rows } = await env.sql<{ sha256: string }>("SELECT sha256 FROM documents LIMIT 1");
    const referencedKey = rows[0]!.sha256;
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    for (const key of [orphanKey, referencedKey]) await fs.utimes(path.join(env.dataDir, "blobs", key.slice(0, 2), key.slice(2, 4), key), old, old);

    // Young blobs are left alone whatever they are.
    expect(await maintenance.sweepBlobs(new Date(Date.now() - 3 * 3600 * 1000))).to.equal(0);
    expect(await maintenance.sweepBlobs(new Date(Date.now() - 3600 * 1000))).to.equal(1);
    expect(await storage.exists(orphanKey)).to.equal(false);
    expect(await storage.exists(referencedKey)).to.equal(true);
  });
});

describe("npm run worker", function () {
  this.timeout(60_000);

  it("works jobs queued by a server that does not run them", async () => {
    const env = await TestEnv.create({ RUN_JOBS: "false" });
    try {
      const world = await env.createWorld({ administrations: 1 });
      const client = await env.signIn(world.clients[0]!.email);
      const { documents } = unwrap(
        (
          await client.request(UploadDocumentsDocument, {
            input: { administrationId: gid("Administration", world.administrations[0]!.id), files: [upload(await pdfBytes(1, "Worker"), { filename: "w.pdf" })] },
          })
        ).uploadDocuments,
      );
      const thumbnail = async () => {
        const { node } = await client.request(DocumentDocument, { id: documents[0]!.id });
        return (node as { thumbnailUrl: string | null }).thumbnailUrl;
      };
      await new Promise((r) => setTimeout(r, 1500));
      expect(await thumbnail()).to.equal(null); // nobody works the queue yet
      const worker = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
        cwd: path.resolve(import.meta.dirname, ".."),
        env: { ...process.env, DATABASE_URL: env.dbUrl, DATA_DIR: env.dataDir, LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        expect(await eventually(thumbnail, 30_000)).to.be.a("string");
      } finally {
        worker.kill("SIGTERM");
        expect(await exited(worker)).to.equal(0);
      }
    } finally {
      await env.close();
    }
  });
});
