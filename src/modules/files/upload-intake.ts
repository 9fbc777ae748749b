// Takes one uploaded stream to a temp file while computing its SHA-256, counting its bytes and
// keeping its first bytes for type sniffing: memory stays bounded whatever the file's size.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { SNIFF_BYTES } from "./file-format.js";

export interface IntakeResult {
  tempPath: string;
  sha256: string;
  byteSize: number;
  head: Buffer;
}

export class IntakeTooLargeError extends Error {}

/** Hashes, counts and keeps the head of what passes through; fails past `maxBytes`. */
class Inspector extends Transform {
  readonly hash = createHash("sha256");
  bytes = 0;
  private readonly headChunks: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new IntakeTooLargeError(`larger than ${this.maxBytes} bytes`));
      return;
    }
    this.hash.update(chunk);
    if (this.headBytes < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - this.headBytes);
      this.headChunks.push(Buffer.from(part));
      this.headBytes += part.length;
    }
    callback(null, chunk);
  }

  head(): Buffer {
    return Buffer.concat(this.headChunks);
  }
}

/**
 * Streams `source` into a new file under `tempDir`. On any failure the partial file is removed and
 * the error rethrown. `maxBytes` bounds this file (e.g. what is left of the request's total).
 */
export async function intake(source: Readable, tempDir: string, maxBytes: number): Promise<IntakeResult> {
  await fs.mkdir(tempDir, { recursive: true });
  const tempPath = path.join(tempDir, `upload-${randomUUID()}`);
  const inspector = new Inspector(maxBytes);
  try {
    await pipeline(source, inspector, createWriteStream(tempPath, { flags: "wx" }));
  } catch (error) {
    source.destroy();
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  return { tempPath, sha256: inspector.hash.digest("hex"), byteSize: inspector.bytes, head: inspector.head() };
}
