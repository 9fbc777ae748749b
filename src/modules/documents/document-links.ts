// What document links serve: the file ("d"), its thumbnail ("t") and a page drawn as a PNG ("p").
import fs from "node:fs/promises";
import path from "node:path";
import { FORMATS } from "../files/file-format.js";
import type { LinkKind, LinkResolver } from "../files/download-links.js";
import { thumbnailPng } from "../files/pdf-tools.js";
import { copyBlobToFile, withWorkDir } from "../files/work-files.js";
import { Document } from "./document.entity.js";

/** The live document a link names, or null when it is gone. */
async function liveDocument(services: Parameters<LinkResolver>[0], id: string): Promise<Document | null> {
  const document = await services.dataSource.getRepository(Document).findOneBy({ id });
  return document && !document.removedAt ? document : null;
}

export const documentLinks: Partial<Record<LinkKind, LinkResolver>> = {
  d: async (services, claims) => {
    const document = await liveDocument(services, claims.subjectId);
    if (!document || document.sha256 !== claims.sha256) return null;
    return { key: document.sha256, size: document.byteSize, type: document.contentType, filename: document.filename };
  },
  t: async (services, claims) => {
    const document = await liveDocument(services, claims.subjectId);
    if (!document?.thumbnailSha256 || document.thumbnailSha256 !== claims.sha256) return null;
    return { key: document.thumbnailSha256, size: null, type: "image/png", filename: `${document.filename}.png` };
  },
  p: async (services, claims) => {
    const document = await liveDocument(services, claims.subjectId);
    const page = claims.page ?? 0;
    if (!document || document.sha256 !== claims.sha256 || !document.pageCount || page < 1 || page > document.pageCount) return null;
    if (!FORMATS[document.format].pageImages) return null;
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
};
