// One contract, two implementations: local disk and S3 (against a local S3-compatible server).
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import S3rver from "s3rver";
import { BlobNotFoundError, type BlobStorage } from "../src/storage/blob-storage.js";
import { LocalDiskStorage } from "../src/storage/local-disk-storage.js";
import { S3Storage } from "../src/storage/s3-storage.js";

const keyOf = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of iterable) all.push(key);
  return all;
}

function storageContract(name: string, open: () => Promise<{ storage: BlobStorage; close: () => Promise<void> }>) {
  describe(`blob storage: ${name}`, () => {
    let storage: BlobStorage;
    let close: () => Promise<void>;
    let dir: string;
    before(async () => {
      ({ storage, close } = await open());
      dir = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-storage-"));
    });
    after(async () => {
      await close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it("stores a stream and gives the same bytes back, whole and by range", async () => {
      const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
      const key = keyOf(bytes);
      expect(await storage.exists(key)).to.equal(false);
      expect(await storage.put(key, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]))).to.deep.equal({ created: true });
      expect(await storage.exists(key)).to.equal(true);
      expect((await read(await storage.get(key))).equals(bytes)).to.equal(true);
      expect((await read(await storage.get(key, { start: 100, end: 199 }))).equals(bytes.subarray(100, 200))).to.equal(true);
    });

    it("stores a file once per content; a second put reports it existed", async () => {
      const bytes = Buffer.from("same content twice");
      const key = keyOf(bytes);
      const first = path.join(dir, "a");
      const second = path.join(dir, "b");
      await fs.writeFile(first, bytes);
      await fs.writeFile(second, bytes);
      expect(await storage.putFile(key, first)).to.deep.equal({ created: true });
      expect(await storage.putFile(key, second)).to.deep.equal({ created: false });
      expect((await read(await storage.get(key))).toString()).to.equal("same content twice");
      // temp files are taken away
      expect(await fs.readdir(dir)).to.deep.equal([]);
    });

    it("deletes, reports missing blobs, and refuses keys that are not hashes", async () => {
      const bytes = Buffer.from("to be deleted");
      const key = keyOf(bytes);
      await storage.put(key, Readable.from([bytes]));
      await storage.delete(key);
      expect(await storage.exists(key)).to.equal(false);
      const missing = await storage.get(key).catch((e: unknown) => e);
      expect(missing).to.be.instanceOf(BlobNotFoundError);
      await storage.delete(key); // deleting twice is fine
      expect(await storage.exists("../../etc/passwd").catch((e: unknown) => e)).to.be.instanceOf(Error);
    });

    it("lists blobs older than a moment as sweep candidates", async () => {
      const bytes = Buffer.from("sweep me");
      const key = keyOf(bytes);
      await storage.put(key, Readable.from([bytes]));
      expect(await collect(storage.sweepCandidates(new Date(Date.now() - 60_000)))).not.to.include(key);
      expect(await collect(storage.sweepCandidates(new Date(Date.now() + 60_000)))).to.include(key);
    });
  });
}

storageContract("local disk", async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-blobs-"));
  return { storage: new LocalDiskStorage(root), close: () => fs.rm(root, { recursive: true, force: true }) };
});

storageContract("S3 (s3rver)", async () => {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "portaldesk-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const settings = { endpoint, region: "us-east-1", bucket: "portaldesk-test", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true };
  const admin = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  await admin.send(new CreateBucketCommand({ Bucket: settings.bucket }));
  admin.destroy();
  const storage = new S3Storage(settings);
  return {
    storage,
    close: async () => {
      storage.destroy();
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
});
