import type { Config } from "../config/config.js";
import type { BlobStorage } from "./blob-storage.js";
import { LocalDiskStorage } from "./local-disk-storage.js";

/** The storage the configuration chooses: local disk (default) or S3-compatible (its client loaded only then). */
export async function createStorage(config: Config["storage"]): Promise<BlobStorage> {
  if (config.kind !== "s3") return new LocalDiskStorage(config.root);
  const { S3Storage } = await import("./s3-storage.js");
  return new S3Storage(config);
}
