import type { Config } from "../config/config.js";
import type { BlobStorage } from "./blob-storage.js";
import { LocalDiskStorage } from "./local-disk-storage.js";
import { S3Storage } from "./s3-storage.js";

/** The storage the configuration chooses: local disk (default) or S3-compatible. */
export function createStorage(config: Config["storage"]): BlobStorage {
  return config.kind === "s3" ? new S3Storage(config) : new LocalDiskStorage(config.root);
}
