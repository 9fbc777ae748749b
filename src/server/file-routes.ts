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
import type { Localized } from "../core/language.js";
import type { Services } from "../services.js";
import { refuseFile } from "./refusal.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const NOT_FOUND: Localized = { en: "Not found: the file was removed, or the link names nothing", nl: "Niet gevonden: het bestand is verwijderd, of de link wijst nergens naar" };

export function fileRoutes(services: Services): Router {
  const router = express.Router();
  router.get("/:kind/:id/:name", async (req, res) => {
    const wait = await services.requestLimits.takeFile(req.ip ?? req.socket.remoteAddress ?? "unknown");
    if (wait) {
      res.setHeader("Retry-After", String(wait));
      return refuseFile(req, res, 429, {
        en: `Too many downloads from this address: try again in ${wait} s`,
        nl: `Te veel downloads vanaf dit adres: probeer het over ${wait} s opnieuw`,
      });
    }
    const { kind, id } = req.params;
    if (!UUID.test(id)) return refuseFile(req, res, 404, NOT_FOUND);
    const verdict = services.links.verify(kind, id, req.query as Record<string, unknown>);
    if ("refused" in verdict) {
      const why = verdict.refused;
      return refuseFile(req, res, 403, {
        en: `This download link does not work: ${why.en}. Open the file again in the portal for a new link.`,
        nl: `Deze downloadlink werkt niet: ${why.nl}. Open het bestand opnieuw in het portaal voor een nieuwe link.`,
      });
    }
    const { claims } = verdict;
    const served = await linkResolvers.get(claims.kind)!(services, claims);
    if (!served) return refuseFile(req, res, 404, NOT_FOUND);
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
        return refuseFile(req, res, 416, { en: "Range not satisfiable", nl: "Dat deel van het bestand bestaat niet" });
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
      if (error instanceof BlobNotFoundError && !res.headersSent) return refuseFile(req, res, 404, NOT_FOUND);
      // A page that cannot be drawn (too many pixels, a broken file) is the file's problem, said plainly.
      if (error instanceof PdfToolError && !res.headersSent) {
        return refuseFile(req, res, 422, {
          en: `This page cannot be shown as an image: ${error.text.en}`,
          nl: `Deze pagina kan niet als afbeelding worden getoond: ${error.text.nl}`,
        });
      }
      if (!res.headersSent) {
        req.log?.error({ err: error }, "download failed");
        return refuseFile(req, res, 500, { en: "The download failed; try again", nl: "Het downloaden is mislukt; probeer het opnieuw" });
      }
      res.destroy(error as Error);
    }
  });
  return router;
}
