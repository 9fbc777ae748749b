// Node-only helpers (kept out of the main entry so browser bundles never see `node:fs`).
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { type FileUpload, upload } from "./upload.js";

const TYPES: Record<string, string> = {
  ".pdf": "application/pdf",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".heic": "image/heic",
  ".xml": "application/xml",
};

/**
 * An upload of the file at `filePath`, streamed from disk (never read into memory).
 * The server decides the real type from the content; the type sent here is only a hint.
 * @example await client.request(UploadDocumentsDocument, { input: { administrationId, files: [await uploadFromPath("scan.pdf")] } })
 */
export async function uploadFromPath(filePath: string, options: { filename?: string; contentType?: string } = {}): Promise<FileUpload> {
  const info = await stat(filePath);
  if (!info.isFile()) throw new Error(`${filePath} is not a file`);
  return upload(createReadStream(filePath), {
    filename: options.filename ?? path.basename(filePath),
    contentType: options.contentType ?? TYPES[path.extname(filePath).toLowerCase()] ?? "application/octet-stream",
  });
}
