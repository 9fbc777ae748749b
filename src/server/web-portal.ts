// The web portal's files (web/dist, built by `npm run build:web`). Assets carry a hash of their
// content in their name, so they are cached for a year without asking again; index.html, which names
// them, is revalidated on every load, so a new release is picked up at the next visit. Source maps
// are never served in production; elsewhere a script names its map in a SourceMap header.
import express, { type RequestHandler, type Router } from "express";
import { existsSync } from "node:fs";
import path from "node:path";

const YEAR_SECONDS = 365 * 24 * 3600;

const notFound: RequestHandler = (_req, res) => void res.status(404).type("text/plain").send("Not found\n");

export function webPortalRoutes(dist: string, options: { production: boolean }): Router {
  const router = express.Router();
  if (!existsSync(dist)) {
    router.get("/", (_req, res) => {
      res.type("text/plain").send("PortalDesk API: POST GraphQL to /graphql (WebSocket subscriptions on the same path).\nThe web portal is not built: run `npm run build:web`.\n");
    });
    return router;
  }
  if (options.production) {
    router.use("/assets", (req, res, next) => (req.path.endsWith(".map") ? notFound(req, res, next) : next()));
  }
  router.use(
    "/assets",
    express.static(path.join(dist, "assets"), {
      immutable: true,
      maxAge: YEAR_SECONDS * 1000,
      index: false,
      setHeaders(res, file) {
        if (!options.production && file.endsWith(".js")) res.setHeader("SourceMap", `/assets/${path.basename(file)}.map`);
      },
    }),
  );
  // A missing asset (a page of an older release asking for its script) is a plain 404, not the portal.
  router.use("/assets", notFound);
  router.use(
    express.static(dist, {
      index: "index.html",
      setHeaders(res) {
        res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );
  return router;
}
