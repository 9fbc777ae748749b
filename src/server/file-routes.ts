// GET /files/<kind>/<id>/<name>?h=&d=&e=&s= — streams what a valid, unexpired signed link points to
// (a document, its thumbnail or a page, a report's file), with Range support. A link is signed only
// after the policy allowed the viewer to see it; the module that signs a kind resolves it again here
// (src/modules/*/…-links.ts), so a removed document's or a withdrawn report's links stop working at once.
import { create as contentDisposition } from "content-disposition";
import express, { type Router } from "express";
import rangeParser from "range-parser";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BlobNotFoundError } from "../storage/blob-storage.js";
import { PdfToolError } from "../modules/files/pdf-tools.js";
import { linkResolvers } from "../modules/index.js";
import type { Services } from "../services.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function refuse(res: express.Response, status: number, message: string): void {
  res.status(status).type("text/plain").send(`${message}\n`);
}

export function fileRoutes(services: Services): Router {
  const router = express.Router();
  router.get("/:kind/:id/:name", async (req, res) => {
    const wait = await services.requestLimits.takeFile(req.ip ?? req.socket.remoteAddress ?? "unknown");
    if (wait) {
      res.setHeader("Retry-After", String(wait));
      return refuse(res, 429, `Too many downloads from this address: try again in ${wait} s`);
    }
    const { kind, id } = req.params;
    if (!UUID.test(id)) return refuse(res, 404, "Not found");
    const verdict = services.links.verify(kind, id, req.query as Record<string, unknown>);
    if ("refused" in verdict) return refuse(res, 403, `This download link is not valid: ${verdict.refused}. Ask for a new one.`);
    const { claims } = verdict;
    const served = await linkResolvers.get(claims.kind)!(services, claims);
    if (!served) return refuse(res, 404, "Not found");
    const { key, size, type } = served;

    res.setHeader("Content-Type", type);
    res.setHeader("Accept-Ranges", size === null ? "none" : "bytes");
    res.setHeader("ETag", `"${key}"`);
    res.setHeader("Cache-Control", "private, max-age=300");
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (!type.startsWith("image/") && type !== "application/pdf") res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    res.setHeader("Content-Disposition", contentDisposition(served.filename, { type: claims.disposition }));

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
      const stream = served.render ? Readable.from([await served.render()]) : await services.storage.get(key, range);
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
      // A page that cannot be drawn (too many pixels, a broken file) is the file's problem, said plainly.
      if (error instanceof PdfToolError && !res.headersSent) return refuse(res, 422, `This page cannot be shown as an image: ${error.message}`);
      if (!res.headersSent) {
        req.log?.error({ err: error }, "download failed");
        return refuse(res, 500, "Download failed");
      }
      res.destroy(error as Error);
    }
  });
  return router;
}
