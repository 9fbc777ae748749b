// The default storage: files under DATA_DIR/blobs/ab/cd/<sha256>, written atomically.
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertKey, BlobNotFoundError, type BlobStorage, type ByteRange } from "./blob-storage.js";

export class LocalDiskStorage implements BlobStorage {
  readonly kind = "local";

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  private async adoptExisting(target: string): Promise<boolean> {
    try {
      const now = new Date();
      await fs.utimes(target, now, now); // young again: a sweep will not take it while it is being referenced
      return true;
    } catch {
      return false;
    }
  }

  async putFile(key: string, source: string): Promise<{ created: boolean }> {
    const target = this.pathOf(key);
    if (await this.adoptExisting(target)) {
      await fs.rm(source, { force: true });
      return { created: false };
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.rename(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      await this.put(key, createReadStream(source));
      await fs.rm(source, { force: true });
    }
    return { created: true };
  }

  async put(key: string, stream: Readable): Promise<{ created: boolean }> {
    const target = this.pathOf(key);
    if (await this.adoptExisting(target)) {
      stream.destroy();
      return { created: false };
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.part`;
    try {
      await pipeline(stream, createWriteStream(temp, { flags: "wx" }));
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return { created: true };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    const handle = await fs.open(file, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new BlobNotFoundError(key);
      throw error;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async exists(key: string): Promise<boolean> {
    return fs.stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathOf(key), { force: true });
  }

  async *sweepCandidates(before: Date): AsyncIterable<string> {
    const level = async (dir: string) => (await fs.readdir(dir).catch(() => [] as string[])).sort();
    for (const a of await level(this.root)) {
      for (const b of await level(path.join(this.root, a))) {
        for (const name of await level(path.join(this.root, a, b))) {
          const file = path.join(this.root, a, b, name);
          const stat = await fs.stat(file).catch(() => null);
          if (!stat) continue;
          // A `.part` file older than the cut-off is a write that died half way.
          if (name.endsWith(".part")) {
            if (stat.mtime < before) await fs.rm(file, { force: true });
            continue;
          }
          if (stat.mtime < before) yield name;
        }
      }
    }
  }
}
