// The documents module: what it contributes (src/modules/module.ts).
import { fetchThrough, type PortalDeskModule } from "../module.js";
import { visibleDocumentById } from "./document.loaders.js";
import { AdministrationEventsResolver } from "./administration-events.js";
import { Document } from "./document.entity.js";
import { AdministrationDocumentsResolver, DeskResolver, DocumentResolver, TrayResolver } from "./document.resolver.js";
import { documentLinks } from "./document-links.js";
import { DocumentType } from "./document.types.js";
import { SearchResolver } from "./search.resolver.js";
import { DOCUMENT_SCOPES } from "./document.policy.js";

export const documentsModule: PortalDeskModule = {
  name: "documents",
  scopes: DOCUMENT_SCOPES,
  blobColumns: ["documents.sha256", "documents.thumbnail_sha256", "documents.preview_sha256"],
  entities: [Document],
  resolvers: [DocumentResolver, AdministrationDocumentsResolver, DeskResolver, TrayResolver, AdministrationEventsResolver, SearchResolver],
  nodes: { Document: fetchThrough(visibleDocumentById, (d) => DocumentType.from(d)) },
  links: documentLinks,
  queues: [{ name: "document.thumbnail" }, { name: "document.extract_text" }, { name: "blobs.sweep" }],
  async jobs({ jobs, maintenance, config }) {
    await jobs.work<{ documentId: string }>("document.thumbnail", (data) => maintenance.makeThumbnail(data.documentId));
    await jobs.work<{ documentId: string }>("document.extract_text", (data) => maintenance.extractText(data.documentId));
    await jobs.work<object>("blobs.sweep", async () => {
      await maintenance.sweepBlobs(new Date(Date.now() - config.blobSweepGraceSeconds * 1000));
    });
    await jobs.schedule("blobs.sweep", "17 * * * *");
  },
};
