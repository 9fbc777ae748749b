// What this process works on: every job of the queue, and the schedules.
import type { Services } from "../services.js";

export async function registerJobs(services: Services): Promise<void> {
  const { jobs, maintenance, config, outbox, submissions, reports, reminders } = services;
  await jobs.work<{ documentId: string }>("document.thumbnail", (data) => maintenance.makeThumbnail(data.documentId));
  await jobs.work<{ documentId: string }>("document.extract_text", (data) => maintenance.extractText(data.documentId));
  await jobs.work<object>("blobs.sweep", async () => {
    await maintenance.sweepBlobs(new Date(Date.now() - config.blobSweepGraceSeconds * 1000));
  });
  await jobs.schedule("blobs.sweep", "17 * * * *");
  await jobs.work<{ mailId: string }>("mail.send", (data) => outbox.deliver(data.mailId));
  await jobs.work<object>("mail.digest", async () => {
    await outbox.sendDigests();
  });
  await jobs.schedule("mail.digest", config.mail.digestCron, config.timeZone);
  await jobs.work<{ filingId: string }>("filing.submit", (data) => submissions.send(data.filingId));
  await jobs.work<{ filingId?: string }>("filing.poll", async (data) => {
    // The scheduled run (no filing) re-polls every pending submission: a safety net for broken chains.
    if (data.filingId) await submissions.poll(data.filingId);
    else await submissions.pollPending();
  });
  await jobs.schedule("filing.poll", "*/10 * * * *");
  await jobs.work<{ reportId?: string }>("report.announce", async (data) => {
    // The scheduled run (no report) announces any report whose moment passed without its job.
    if (data.reportId) await reports.announce(data.reportId);
    else await reports.announceDue();
  });
  await jobs.schedule("report.announce", "* * * * *");
  await jobs.work<object>("desk.remind", async () => {
    await reminders.remindAll();
  });
  await jobs.schedule("desk.remind", config.reminders.cron, config.timeZone);
}
