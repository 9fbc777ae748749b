// Blob storage behind one interface. Keys are content hashes (SHA-256 hex), so a blob shared by
// several documents is stored once and a key always names the same bytes.
import type { Readable } from "node:stream";

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface BlobStorage {
  /** "local" or "s3", for logs. */
  readonly kind: string;
  /** Stores the bytes of `stream` under `key`. Writing an existing key refreshes its age (see `sweepCandidates`). */
  put(key: string, stream: Readable): Promise<{ created: boolean }>;
  /** Stores the file at `path` under `key`; the file may be moved away (it is a temp file). */
  putFile(key: string, path: string): Promise<{ created: boolean }>;
  /** The bytes of `key` (or a range of them); rejects with BlobNotFoundError when missing. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys last written before `before`: the candidates a sweep checks against the database. */
  sweepCandidates(before: Date): AsyncIterable<string>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob ${key} not found`);
  }
}

export const BLOB_KEY = /^[0-9a-f]{64}$/;

export function assertKey(key: string): void {
  if (!BLOB_KEY.test(key)) throw new Error(`invalid blob key "${key}"`);
}

/** The whole blob in memory: only for blobs known to be small (a mail under MAIL_IN_MAX_SIZE, a file under READ_MAX_SIZE). */
export async function readBlob(storage: BlobStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
