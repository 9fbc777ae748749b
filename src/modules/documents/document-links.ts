// What document links serve: the file ("d"), its thumbnail ("t"), a page drawn as a PNG ("p") and
// the preview PDF of a file without pages of its own ("v").
import fs from "node:fs/promises";
import path from "node:path";
import { DocumentFormat, FORMATS } from "../files/file-format.js";
import type { LinkKind, LinkResolver } from "../files/download-links.js";
import { thumbnailPng } from "../files/pdf-tools.js";
import { copyBlobToFile, withWorkDir } from "../files/work-files.js";
import { Document } from "./document.entity.js";

/** The live document a link names, or null when it is gone. */
async function liveDocument(services: Parameters<LinkResolver>[0], id: string): Promise<Document | null> {
  const document = await services.dataSource.getRepository(Document).findOneBy({ id });
  return document && !document.removedAt ? document : null;
}

/** The pages a document's page images are drawn from: its own (PDF, images) or its preview PDF's; null when it has none. */
export function pagesOf(document: Document): { key: string; format: DocumentFormat; count: number } | null {
  if (document.previewSha256 && document.previewPageCount) return { key: document.previewSha256, format: DocumentFormat.PDF, count: document.previewPageCount };
  if (!document.pageCount || !FORMATS[document.format].pageImages) return null;
  return { key: document.sha256, format: document.format, count: document.pageCount };
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
  v: async (services, claims) => {
    const document = await liveDocument(services, claims.subjectId);
    if (!document?.previewSha256 || document.previewSha256 !== claims.sha256) return null;
    return { key: document.previewSha256, size: null, type: "application/pdf", filename: `${document.filename}.pdf` };
  },
  p: async (services, claims) => {
    const document = await liveDocument(services, claims.subjectId);
    const page = claims.page ?? 0;
    const pages = document ? pagesOf(document) : null;
    if (!document || !pages || pages.key !== claims.sha256 || page < 1 || page > pages.count) return null;
    return {
      key: `${pages.key}-p${page}`,
      size: null,
      type: "image/png",
      filename: `${document.filename}-${page}.png`,
      // Rendered for the page editor when asked; the browser caches it (the link names the content).
      render: () =>
        withWorkDir(services.tempDir, "page", async (dir) => {
          const source = path.join(dir, "source");
          await copyBlobToFile(services.storage, pages.key, source);
          await thumbnailPng(source, pages.format, path.join(dir, "page.png"), { size: 900, page, maxPixels: services.config.imageMaxPixels });
          return fs.readFile(path.join(dir, "page.png"));
        }),
    };
  },
};
