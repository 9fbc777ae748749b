// GET /files/<kind>/<documentId>/<name>?h=&d=&e=&s= — streams a document (or its thumbnail) from
// storage for a valid, unexpired signed link, with Range support. The link was signed only after
// the policy allowed the viewer to see the document; a removed document's links stop working.
import { create as contentDisposition } from "content-disposition";
import express, { type Router } from "express";
import rangeParser from "range-parser";
import { pipeline } from "node:stream/promises";
import { BlobNotFoundError } from "../storage/blob-storage.js";
import { Document } from "../modules/documents/document.entity.js";
import type { Services } from "../services.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function refuse(res: express.Response, status: number, message: string): void {
  res.status(status).type("text/plain").send(`${message}\n`);
}

export function fileRoutes(services: Services): Router {
  const router = express.Router();
  router.get("/:kind/:documentId/:name", async (req, res) => {
    const { kind, documentId } = req.params;
    if (!UUID.test(documentId)) return refuse(res, 404, "Not found");
    const verdict = services.links.verify(kind, documentId, req.query as Record<string, unknown>);
    if ("refused" in verdict) return refuse(res, 403, `This download link is not valid: ${verdict.refused}. Ask for a new one.`);
    const { claims } = verdict;
    const document = await services.dataSource.getRepository(Document).findOneBy({ id: documentId });
    const key = claims.kind === "t" ? document?.thumbnailSha256 : document?.sha256;
    if (!document || document.removedAt || key !== claims.sha256) return refuse(res, 404, "Not found");

    const size = claims.kind === "t" ? null : document.byteSize;
    const type = claims.kind === "t" ? "image/png" : document.contentType;
    res.setHeader("Content-Type", type);
    res.setHeader("Accept-Ranges", size === null ? "none" : "bytes");
    res.setHeader("ETag", `"${key}"`);
    res.setHeader("Cache-Control", "private, max-age=300");
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (!type.startsWith("image/") && type !== "application/pdf") res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    const filename = claims.kind === "t" ? `${document.filename}.png` : document.filename;
    res.setHeader("Content-Disposition", contentDisposition(filename, { type: claims.disposition }));

    let range: { start: number; end: number } | undefined;
    if (size !== null && req.headers.range) {
      const parsed = rangeParser(size, req.headers.range, { combine: true });
      if (parsed === -1) {
        res.setHeader("Content-Range", `bytes */${size}`);
        return refuse(res, 416, "Range not satisfiable");
      }
      // A malformed header (-2) or several ranges: send the whole file, as HTTP allows.
      if (Array.isArray(parsed) && parsed.type === "bytes" && parsed.length === 1) range = parsed[0];
    }
    try {
      const stream = await services.storage.get(key, range);
      if (range) {
        res.status(206);
        res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
        res.setHeader("Content-Length", String(range.end - range.start + 1));
      } else if (size !== null) {
        res.setHeader("Content-Length", String(size));
      }
      await pipeline(stream, res);
    } catch (error) {
      if (error instanceof BlobNotFoundError && !res.headersSent) return refuse(res, 404, "Not found");
      if (!res.headersSent) {
        req.log?.error({ err: error }, "download failed");
        return refuse(res, 500, "Download failed");
      }
      res.destroy(error as Error);
    }
  });
  return router;
}
