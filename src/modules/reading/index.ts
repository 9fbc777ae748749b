// The reading module: reads new documents in the background — the words on their pages (text layer
// or OCR) and their data (bank statements, e-invoices, invoice fields from the words).
import type { PortalDeskModule } from "../module.js";
import { DocumentPage } from "./document-page.entity.js";
import { DocumentSuggestionResolver } from "./reading.resolver.js";

export const readingModule: PortalDeskModule = {
  name: "reading",
  entities: [DocumentPage],
  resolvers: [DocumentSuggestionResolver],
  queues: [
    // One file at a time per process: reading a large XML file takes some twenty times its size in memory.
    { name: "document.read_data", batchSize: 1 },
    // One document at a time per process, its pages OCR_CONCURRENCY wide.
    { name: "document.read_pages", batchSize: 1 },
  ],
  async jobs({ jobs, reader, pageReading }) {
    await jobs.work<{ documentId: string }>("document.read_data", (data) => reader.read(data.documentId));
    await jobs.work<{ documentId: string }>("document.read_pages", (data) => pageReading.read(data.documentId));
    await pageReading.queueUnread(1000);
    await reader.queueUnread(1000);
  },
};
