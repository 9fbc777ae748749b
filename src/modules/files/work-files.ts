// Temporary files for work on document contents (page editing, thumbnails, text): a private folder
// per operation, always removed, and blobs copied into it as files for the command-line tools.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { BlobStorage } from "../../storage/blob-storage.js";

/** Runs `fn` with a fresh folder under `tempDir`, removed afterwards whatever happens. */
export async function withWorkDir<T>(tempDir: string, prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  await fs.mkdir(tempDir, { recursive: true });
  const dir = await fs.mkdtemp(path.join(tempDir, prefix));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Writes the blob `key` to `file`. */
export async function copyBlobToFile(storage: BlobStorage, key: string, file: string): Promise<void> {
  await pipeline(await storage.get(key), createWriteStream(file));
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
