// The reading module: reads the data of new documents (bank statements, e-invoices) in the background.
import type { PortalDeskModule } from "../module.js";
import { DocumentSuggestionResolver } from "./reading.resolver.js";

export const readingModule: PortalDeskModule = {
  name: "reading",
  resolvers: [DocumentSuggestionResolver],
  // One file at a time per process: reading a large XML file takes some twenty times its size in memory.
  queues: [{ name: "document.read_data", batchSize: 1 }],
  async jobs({ jobs, reader }) {
    await jobs.work<{ documentId: string }>("document.read_data", (data) => reader.read(data.documentId));
    await reader.queueUnread(1000);
  },
};
