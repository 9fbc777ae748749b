// GET /branding/<sha256>.png — a firm's logo, public (its sign-in page shows it before anyone signs
// in, mails link to it). Only a blob some firm has as its logo is served: a document's hash here is
// a 404. Content-addressed, so cached for good.
import express, { type Router } from "express";
import { pipeline } from "node:stream/promises";
import { BlobNotFoundError } from "../storage/blob-storage.js";
import type { Services } from "../services.js";

export function brandingRoutes(services: Services): Router {
  const router = express.Router();
  router.get("/:file", async (req, res) => {
    const sha256 = /^([0-9a-f]{64})\.png$/.exec(req.params.file)?.[1];
    const known = sha256 && (await services.dataSource.query("SELECT 1 FROM firms WHERE logo_sha256 = $1 LIMIT 1", [sha256])).length > 0;
    if (!known) return void res.status(404).type("text/plain").send("Not found\n");
    try {
      const stream = await services.storage.get(sha256);
      res.setHeader("Content-Type", "image/png");
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
      await pipeline(stream, res);
    } catch (error) {
      if (error instanceof BlobNotFoundError && !res.headersSent) return void res.status(404).type("text/plain").send("Not found\n");
      throw error;
    }
  });
  return router;
}
