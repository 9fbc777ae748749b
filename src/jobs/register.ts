// What this process works on: every job of the queue, and the schedules.
import type { Services } from "../services.js";

export async function registerJobs(services: Services): Promise<void> {
  const { jobs, maintenance, config } = services;
  await jobs.work<{ documentId: string }>("document.thumbnail", (data) => maintenance.makeThumbnail(data.documentId));
  await jobs.work<{ documentId: string }>("document.extract_text", (data) => maintenance.extractText(data.documentId));
  await jobs.work<object>("blobs.sweep", async () => {
    await maintenance.sweepBlobs(new Date(Date.now() - config.blobSweepGraceSeconds * 1000));
  });
  await jobs.schedule("blobs.sweep", "17 * * * *");
}
