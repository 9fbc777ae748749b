// Reports: PDF files the firm publishes for an administration's clients, at once or at a moment
// (a job at that moment tells the clients, once, however many instances run). Withdrawn reports
// stay for the firm; a replacement is the next version of the same report. Clients' first opening
// of each version is their read receipt.
import type { EventBus, ReportChange } from "../../events/bus.js";
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, assertFirmWork, requireActor, type Viewer } from "../../core/actor.js";
import { leavesReadReceipt, scopeVisibleReports } from "./report.policy.js";
import { NotFoundError, UserError, UserErrorCode } from "../../core/errors.js";
import { isCalendarDate, requiredText } from "../../core/validation.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import { Administration } from "../administrations/administration.entity.js";
import { findVisibleAdministration, portalClientIds } from "../administrations/administration.policy.js";
import type { AuditService } from "../audit/audit.service.js";
import { DocumentFormat } from "../files/file-format.js";
import { type IncomingFile, receiveFile } from "../files/receive-file.js";
import { NotificationKind } from "../notifications/notification-kinds.js";
import type { NotificationService } from "../notifications/notification.service.js";
import { Report, type ReportKind, ReportVersion } from "./report.entity.js";

const PDF_ONLY: ReadonlySet<DocumentFormat> = new Set([DocumentFormat.PDF]);

export interface PublishInput {
  administrationId: string;
  file: Promise<IncomingFile>;
  title: string;
  kind: ReportKind;
  periodStart: string;
  periodEnd: string;
  /** Omitted: visible at once. */
  publishAt?: Date | null;
}

export interface ReportSettings {
  tempDir: string;
  maxFileSize: number;
}

export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly bus: EventBus,
    private readonly jobs: JobQueue,
    private readonly maxPageSize: number,
    private readonly settings: ReportSettings,
  ) {}

  async get(viewer: Viewer, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Report> {
    const qb = manager.getRepository(Report).createQueryBuilder("r").where("r.id = :id", { id });
    scopeVisibleReports(qb, "r", requireActor(viewer));
    if (lock) qb.setLock("pessimistic_write", undefined, ["r"]);
    const found = await qb.getOne();
    if (!found) throw new NotFoundError("Report");
    return found;
  }

  list(viewer: Viewer, administrationId: string, kind: ReportKind | null, page: PageArgs) {
    const qb = this.dataSource.getRepository(Report).createQueryBuilder("r").where("r.administration_id = :administrationId", { administrationId });
    scopeVisibleReports(qb, "r", requireActor(viewer));
    if (kind) qb.andWhere("r.kind = :kind", { kind });
    return paginate(qb, page, { expr: "r.publish_at", type: "timestamptz", direction: "DESC", idExpr: "r.id" }, this.maxPageSize);
  }

  async publish(viewer: Viewer, input: PublishInput): Promise<Report> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    const title = input.title.trim();
    const problem = requiredText(input.title, ["title"], { en: "Title", nl: "De titel" }, 200);
    if (problem) throw problem;
    for (const [field, value] of [
      ["periodStart", input.periodStart],
      ["periodEnd", input.periodEnd],
    ] as const) {
      if (!isCalendarDate(value)) throw new UserError(UserErrorCode.INVALID, { en: `"${value}" is not a date (YYYY-MM-DD)`, nl: `"${value}" is geen datum (JJJJ-MM-DD)` }, [field]);
    }
    if (input.periodEnd < input.periodStart)
      throw new UserError(UserErrorCode.INVALID, { en: "The period ends before it starts", nl: "De periode eindigt voordat hij begint" }, ["periodEnd"]);
    const administration = await findVisibleAdministration(this.dataSource.manager, actor, input.administrationId);
    const publishAt = input.publishAt && input.publishAt.getTime() > Date.now() ? input.publishAt : new Date();
    return this.withFile(input.file, async (file) =>
      inTransaction(this.dataSource, async (manager) => {
        const report = manager.getRepository(Report).create({
          id: randomUUID(),
          firmId: administration.firmId,
          administrationId: administration.id,
          kind: input.kind,
          title,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          publishAt,
          announcedAt: null,
          withdrawnAt: null,
          withdrawnByLabel: null,
          version: 1,
          createdByLabel: actor.label,
        });
        await manager.getRepository(Report).insert(report);
        await this.addVersion(manager, report, file, actor);
        await this.record(manager, actor, report, "report.created", { title, kind: input.kind, publishAt: publishAt.toISOString(), filename: file.filename, sha256: file.sha256 });
        // Told at its moment by the job (at once when not scheduled), in a transaction of its own.
        await this.jobs.send(manager, "report.announce", { reportId: report.id }, { startAfter: publishAt });
        return manager.getRepository(Report).findOneByOrFail({ id: report.id });
      }),
    );
  }

  /** A corrected file as the next version; clients who could see it are told. */
  async replace(viewer: Viewer, input: { reportId: string; file: Promise<IncomingFile> }): Promise<Report> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    return this.withFile(input.file, async (file) =>
      inTransaction(this.dataSource, async (manager) => {
        const report = await this.get(actor, input.reportId, manager, true);
        if (report.withdrawnAt)
          throw new UserError(
            UserErrorCode.WRONG_STATE,
            { en: `"${report.title}" was withdrawn; publish a new report instead`, nl: `"${report.title}" is ingetrokken; publiceer in plaats daarvan een nieuw rapport` },
            ["reportId"],
          );
        report.version += 1;
        await manager.getRepository(Report).update({ id: report.id }, { version: report.version });
        await this.addVersion(manager, report, file, actor);
        await this.record(manager, actor, report, "report.replaced", { version: report.version, filename: file.filename, sha256: file.sha256 });
        if (report.announcedAt) {
          await this.tellClients(manager, report, NotificationKind.REPORT_REPLACED);
          await this.changed(manager, report, "REPLACED");
        }
        return manager.getRepository(Report).findOneByOrFail({ id: report.id });
      }),
    );
  }

  /** Hidden from clients again (their download links stop working); kept for the firm. */
  async withdraw(viewer: Viewer, input: { reportId: string; reason?: string | null }): Promise<Report> {
    const actor = requireActor(viewer);
    assertFirmWork(actor);
    return inTransaction(this.dataSource, async (manager) => {
      const report = await this.get(actor, input.reportId, manager, true);
      if (report.withdrawnAt)
        throw new UserError(UserErrorCode.WRONG_STATE, { en: `"${report.title}" was already withdrawn`, nl: `"${report.title}" is al ingetrokken` }, ["reportId"]);
      await manager.getRepository(Report).update({ id: report.id }, { withdrawnAt: new Date(), withdrawnByLabel: actor.label });
      await this.audit.record(manager, actor, {
        firmId: report.firmId,
        administrationId: report.administrationId,
        action: "report.withdrawn",
        subjectType: "Report",
        subjectId: report.id,
        note: input.reason?.trim() || null,
        details: { title: report.title, version: report.version },
      });
      if (report.announcedAt) await this.changed(manager, report, "WITHDRAWN");
      return manager.getRepository(Report).findOneByOrFail({ id: report.id });
    });
  }

  /** The viewer opened it: a client's first opening of this version is recorded (staff readings are not receipts). */
  async markRead(viewer: Viewer, reportId: string): Promise<Report> {
    const actor = requireActor(viewer);
    const report = await this.get(actor, reportId);
    if (leavesReadReceipt(actor)) {
      await this.dataSource.query("INSERT INTO report_reads (report_id, user_id, version) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [report.id, actor.userId, report.version]);
    }
    return report;
  }

  /**
   * The `report.announce` job: tells the clients once the moment has come. The row lock and
   * `announced_at` make a second run (another instance, a retry, the safety net) a no-op.
   */
  async announce(reportId: string): Promise<void> {
    const early = await inTransaction(this.dataSource, async (manager) => {
      const report = await manager.getRepository(Report).createQueryBuilder("r").where("r.id = :reportId", { reportId }).setLock("pessimistic_write").getOne();
      if (!report || report.announcedAt || report.withdrawnAt) return null;
      if (report.publishAt.getTime() > Date.now()) return report.publishAt; // moved later, or the job ran early
      await manager.getRepository(Report).update({ id: report.id }, { announcedAt: new Date() });
      await this.audit.record(
        manager,
        { type: "SYSTEM", label: "publisher" },
        {
          firmId: report.firmId,
          administrationId: report.administrationId,
          action: "report.published",
          subjectType: "Report",
          subjectId: report.id,
          details: { title: report.title, version: report.version },
        },
      );
      await this.tellClients(manager, report, NotificationKind.REPORT_PUBLISHED);
      await this.changed(manager, report, "PUBLISHED");
      return null;
    });
    if (early) await this.jobs.send(null, "report.announce", { reportId }, { startAfter: early });
  }

  /** Safety net (scheduled): announces every report whose moment has passed without its job having run. */
  async announceDue(): Promise<number> {
    const due = (await this.dataSource.query("SELECT id FROM reports WHERE announced_at IS NULL AND withdrawn_at IS NULL AND publish_at <= now()")) as Array<{ id: string }>;
    for (const { id } of due) await this.announce(id);
    return due.length;
  }

  private async tellClients(manager: EntityManager, report: Report, kind: NotificationKind.REPORT_PUBLISHED | NotificationKind.REPORT_REPLACED): Promise<void> {
    const administration = await manager.getRepository(Administration).findOneByOrFail({ id: report.administrationId });
    await this.notifications.notify(manager, {
      recipientUserIds: await portalClientIds(manager, report.administrationId),
      firmId: report.firmId,
      administrationId: report.administrationId,
      kind,
      params: { administration: administration.name, title: report.title },
      subject: { type: "Report", id: report.id },
    });
  }

  /** Heard by webhooks: what clients see of a report changed. */
  private changed(manager: EntityManager, report: Report, change: ReportChange): Promise<void> {
    return this.bus.publish(manager, { topic: "report.changed", administrationId: report.administrationId, reportId: report.id, change });
  }

  private async record(manager: EntityManager, actor: Actor, report: Report, action: string, details: Record<string, unknown>): Promise<void> {
    await this.audit.record(manager, actor, { firmId: report.firmId, administrationId: report.administrationId, action, subjectType: "Report", subjectId: report.id, details });
  }

  private async addVersion(manager: EntityManager, report: Report, file: Awaited<ReturnType<typeof receiveFile>>, actor: Actor): Promise<void> {
    await manager.getRepository(ReportVersion).insert({
      reportId: report.id,
      version: report.version,
      sha256: file.sha256,
      filename: file.filename,
      byteSize: file.byteSize,
      pageCount: file.pageCount,
      uploadedByLabel: actor.label,
    });
  }

  /** Receives the PDF, stores its blob, runs `fn`; a blob this call created is removed again if `fn` fails. */
  private async withFile<T>(pending: Promise<IncomingFile>, fn: (file: Awaited<ReturnType<typeof receiveFile>>) => Promise<T>): Promise<T> {
    let incoming: IncomingFile;
    try {
      incoming = await pending;
    } catch (error) {
      throw new UserError(
        UserErrorCode.INVALID,
        { en: `The file did not arrive: ${(error as Error).message}`, nl: `Het bestand is niet aangekomen: ${(error as Error).message}` },
        ["file"],
      );
    }
    const file = await receiveFile(incoming, {
      tempDir: this.settings.tempDir,
      maxBytes: this.settings.maxFileSize,
      field: ["file"],
      tooLarge: { en: `the limit of ${this.settings.maxFileSize} bytes per file`, nl: `de limiet van ${this.settings.maxFileSize} bytes per bestand` },
      accept: PDF_ONLY,
      maxImagePixels: 0, // PDFs only
      refusedFormat: { en: "is not a PDF: reports are published as PDF", nl: "is geen PDF: rapporten worden als PDF gepubliceerd" },
    });
    let created = false;
    try {
      created = (await this.storage.putFile(file.sha256, file.tempPath)).created;
      return await fn(file);
    } catch (error) {
      if (created) await this.storage.delete(file.sha256).catch(() => undefined);
      throw error;
    } finally {
      await fs.rm(file.tempPath, { force: true });
    }
  }
}
