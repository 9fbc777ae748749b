// GET /files/<kind>/<id>/<name>?h=&d=&e=&s= — streams a document, its thumbnail or a report's file
// from storage for a valid, unexpired signed link, with Range support. A link is signed only after
// the policy allowed the viewer to see it; what it points to is checked again here, so a removed
// document's or a withdrawn report's links stop working at once.
import { create as contentDisposition } from "content-disposition";
import express, { type Router } from "express";
import rangeParser from "range-parser";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { RENDERABLE_FORMATS } from "../modules/documents/file-sniffer.js";
import { PdfToolError, thumbnailPng } from "../modules/documents/pdf-tools.js";
import { copyBlobToFile, withWorkDir } from "../modules/documents/work-files.js";
import { BlobNotFoundError } from "../storage/blob-storage.js";
import { Document } from "../modules/documents/document.entity.js";
import type { LinkClaims, LinkKind } from "../modules/documents/download-links.js";
import { Report, ReportVersion } from "../modules/reports/report.entity.js";
import { isPublished } from "../modules/reports/report.policy.js";
import type { Services } from "../services.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a link serves, when it is still there. */
interface Served {
  key: string;
  /** null: not known up front (thumbnails), no ranges. */
  size: number | null;
  type: string;
  filename: string;
  /** Made on request instead of read from storage (page images). */
  render?: () => Promise<Buffer>;
}

type Resolve = (services: Services, claims: LinkClaims) => Promise<Served | null>;

async function reportFile(services: Services, claims: LinkClaims, forClient: boolean): Promise<Served | null> {
  const report = await services.dataSource.getRepository(Report).findOneBy({ id: claims.subjectId });
  if (!report || (forClient && !isPublished(report))) return null;
  const version = await services.dataSource
    .getRepository(ReportVersion)
    .findOneBy({ reportId: report.id, ...(forClient ? { version: report.version } : {}), sha256: claims.sha256 });
  return version ? { key: version.sha256, size: version.byteSize, type: "application/pdf", filename: version.filename } : null;
}

const RESOLVERS: Record<LinkKind, Resolve> = {
  d: async (services, claims) => {
    const document = await services.dataSource.getRepository(Document).findOneBy({ id: claims.subjectId });
    if (!document || document.removedAt || document.sha256 !== claims.sha256) return null;
    return { key: document.sha256, size: document.byteSize, type: document.contentType, filename: document.filename };
  },
  t: async (services, claims) => {
    const document = await services.dataSource.getRepository(Document).findOneBy({ id: claims.subjectId });
    if (!document || document.removedAt || !document.thumbnailSha256 || document.thumbnailSha256 !== claims.sha256) return null;
    return { key: document.thumbnailSha256, size: null, type: "image/png", filename: `${document.filename}.png` };
  },
  p: async (services, claims) => {
    const document = await services.dataSource.getRepository(Document).findOneBy({ id: claims.subjectId });
    const page = claims.page ?? 0;
    if (!document || document.removedAt || document.sha256 !== claims.sha256 || !document.pageCount || page < 1 || page > document.pageCount) return null;
    if (!RENDERABLE_FORMATS.has(document.format)) return null;
    return {
      key: `${document.sha256}-p${page}`,
      size: null,
      type: "image/png",
      filename: `${document.filename}-${page}.png`,
      // Rendered for the page editor when asked; the browser caches it (the link names the content).
      render: () =>
        withWorkDir(services.tempDir, "page", async (dir) => {
          const source = path.join(dir, "source");
          await copyBlobToFile(services.storage, document.sha256, source);
          await thumbnailPng(source, document.format, path.join(dir, "page.png"), { size: 900, page, maxPixels: services.config.imageMaxPixels });
          return fs.readFile(path.join(dir, "page.png"));
        }),
    };
  },
  r: (services, claims) => reportFile(services, claims, true),
  R: (services, claims) => reportFile(services, claims, false),
};

function refuse(res: express.Response, status: number, message: string): void {
  res.status(status).type("text/plain").send(`${message}\n`);
}

export function fileRoutes(services: Services): Router {
  const router = express.Router();
  router.get("/:kind/:id/:name", async (req, res) => {
    const { kind, id } = req.params;
    if (!UUID.test(id)) return refuse(res, 404, "Not found");
    const verdict = services.links.verify(kind, id, req.query as Record<string, unknown>);
    if ("refused" in verdict) return refuse(res, 403, `This download link is not valid: ${verdict.refused}. Ask for a new one.`);
    const { claims } = verdict;
    const served = await RESOLVERS[claims.kind](services, claims);
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
