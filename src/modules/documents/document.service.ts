// The desk and the trays: uploading, listing, filing, returning and processing documents.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireActor, SYSTEM, type Viewer } from "../../core/actor.js";
import { ForbiddenError, throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import { isCalendarDate } from "../../core/validation.js";
import { type PageArgs, paginate, type SortSpec } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import { Administration, DuplicatePolicy } from "../administrations/administration.entity.js";
import { findVisibleAdministration } from "../administrations/administration.policy.js";
import { Membership } from "../administrations/membership.entity.js";
import { ArchiveFolder } from "../archive/archive-folder.entity.js";
import type { AuditService } from "../audit/audit.service.js";
import { NotificationKind, type NotificationService } from "../notifications/notification.service.js";
import { Document, DocumentLocation, DocumentStatus, TrayKind, uploadedBy } from "./document.entity.js";
import type { DocumentJournal } from "./document-journal.js";
import { queueNewDocumentWork } from "./document-maintenance.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import { assertChangeable, canProcess, findVisibleDocument, scopeVisibleDocuments } from "./document.policy.js";
import { findFolderWithAccess } from "../archive/archive.policy.js";
import { FolderAccess } from "../archive/archive-grant.entity.js";
import { isRetained, retainUntil } from "../archive/retention.js";
import { DocumentFormat, FORMATS } from "../files/file-format.js";
import { filenameProblem, normaliseFilename } from "../files/filename.js";
import { type IncomingFile, type ReceivedFile, receiveFile } from "../files/receive-file.js";

export type { IncomingFile } from "../files/receive-file.js";

const ALL_FORMATS: ReadonlySet<DocumentFormat> = new Set(Object.values(DocumentFormat));

export interface UploadInput {
  administrationId: string;
  files: Array<Promise<IncomingFile>>;
  tray?: TrayKind | null;
  folderId?: string | null;
  /** Keep nothing if any file is refused (a mail is taken or refused as a whole). */
  allOrNothing?: boolean;
}

export interface RejectedDuplicate {
  index: number;
  filename: string;
  /** Null when the earlier document is not visible to the uploader (an archive folder closed to them). */
  duplicateOf: Document | null;
}

export interface UploadResult {
  documents: Document[];
  duplicates: RejectedDuplicate[];
  errors: UserError[];
}

export interface DocumentFilter {
  location?: DocumentLocation | null;
  tray?: TrayKind | null;
  status?: DocumentStatus | null;
  uploadedByUserId?: string | null;
  uploadedAfter?: Date | null;
  uploadedBefore?: Date | null;
  search?: string | null;
  folderId?: string | null;
}

export enum DocumentOrder {
  UPLOADED_AT_DESC = "UPLOADED_AT_DESC",
  UPLOADED_AT_ASC = "UPLOADED_AT_ASC",
  FILENAME_ASC = "FILENAME_ASC",
  FILENAME_DESC = "FILENAME_DESC",
}

const ORDER_SPECS: Record<DocumentOrder, SortSpec> = {
  UPLOADED_AT_DESC: { expr: "d.uploaded_at", type: "timestamptz", direction: "DESC", idExpr: "d.id" },
  UPLOADED_AT_ASC: { expr: "d.uploaded_at", type: "timestamptz", direction: "ASC", idExpr: "d.id" },
  FILENAME_ASC: { expr: "lower(d.filename)", type: "text", direction: "ASC", idExpr: "d.id" },
  FILENAME_DESC: { expr: "lower(d.filename)", type: "text", direction: "DESC", idExpr: "d.id" },
};

interface Prepared extends ReceivedFile {
  index: number;
}

export interface DocumentSettings {
  maxFileSize: number;
  maxTotalSize: number;
  tempDir: string;
  maxPageSize: number;
  /** Largest image (width × height) accepted. */
  maxImagePixels: number;
}

const DESK_STATUSES = [DocumentStatus.ON_DESK, DocumentStatus.RETURNED];

const fileField = (index: number) => ["files", String(index)];
/** The file a refusal is about (its field is fileField(index)), for answering in file order. */
const fileIndexOf = (error: UserError) => Number(error.field?.[1] ?? 0);

/** Refuses work on a document that page editing replaced by new ones. */
function replacedProblem(document: Document, field: string[]): UserError {
  return new UserError(
    UserErrorCode.WRONG_STATE,
    { en: `"${document.filename}" was replaced by page editing`, nl: `"${document.filename}" is vervangen door het bewerken van de pagina's` },
    field,
  );
}

export class DocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly journal: DocumentJournal,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly settings: DocumentSettings,
  ) {}

  /** The date until which `document` must be kept once it is part of the books (in `folderId`, if archived). */
  private async retention(manager: EntityManager, document: Pick<Document, "administrationId" | "documentDate" | "uploadedAt" | "retainUntil">, folderId: string | null) {
    const administration = await manager.getRepository(Administration).findOneByOrFail({ id: document.administrationId });
    const folder = folderId ? await manager.getRepository(ArchiveFolder).findOneBy({ id: folderId }) : null;
    const date = document.documentDate ?? document.uploadedAt.toISOString().slice(0, 10);
    const computed = retainUntil(date, { month: administration.financialYearEndMonth, day: administration.financialYearEndDay }, folder?.realEstate ?? false);
    // Retention only ever grows: moving out of a real-estate folder does not shorten it.
    return document.retainUntil && document.retainUntil > computed ? document.retainUntil : computed;
  }

  /** A client needs MANAGE on an archive document's folder to change or move it; staff may always. */
  private async assertMayManage(manager: EntityManager, actor: Actor, document: Document, field: string[]): Promise<void> {
    assertChangeable(document, field);
    if (document.folderId) await findFolderWithAccess(manager, actor, document.folderId, FolderAccess.MANAGE);
  }

  /** Checks a filing destination: a tray, and for ARCHIVE a folder of the same administration the actor may add to. */
  private async destination(manager: EntityManager, actor: Actor, administration: Administration, tray: TrayKind | null | undefined, folderId: string | null | undefined) {
    if (!tray) {
      if (folderId)
        throw new UserError(UserErrorCode.INVALID, { en: "A folder is only for the ARCHIVE tray", nl: "Alleen in het bakje Archief kunt u een map kiezen" }, ["folderId"]);
      return { tray: null, folderId: null };
    }
    if (tray !== TrayKind.ARCHIVE) {
      if (folderId)
        throw new UserError(UserErrorCode.INVALID, { en: "A folder is only for the ARCHIVE tray", nl: "Alleen in het bakje Archief kunt u een map kiezen" }, ["folderId"]);
      return { tray, folderId: null };
    }
    if (!folderId) throw new UserError(UserErrorCode.INVALID, { en: "Choose an archive folder to file into", nl: "Kies een map in het archief om in op te bergen" }, ["folderId"]);
    const { folder } = await findFolderWithAccess(manager, actor, folderId, FolderAccess.CONTRIBUTE);
    if (folder.administrationId !== administration.id) {
      throw new UserError(UserErrorCode.INVALID, { en: "That folder belongs to another administration", nl: "Die map hoort bij een andere administratie" }, ["folderId"]);
    }
    return { tray, folderId: folder.id };
  }

  /** Streams one file to a temp file and checks it; a UserError names the file when it is refused. */
  private async prepare(file: IncomingFile, index: number, tray: TrayKind | null, budget: number): Promise<Prepared> {
    const limit = Math.min(this.settings.maxFileSize, budget);
    const received = await receiveFile(file, {
      tempDir: this.settings.tempDir,
      maxBytes: limit,
      field: fileField(index),
      tooLarge:
        limit < this.settings.maxFileSize
          ? { en: `the upload's total limit of ${this.settings.maxTotalSize} bytes`, nl: `de totale limiet van ${this.settings.maxTotalSize} bytes per upload` }
          : { en: `the limit of ${this.settings.maxFileSize} bytes per file`, nl: `de limiet van ${this.settings.maxFileSize} bytes per bestand` },
      accept: ALL_FORMATS,
      maxImagePixels: this.settings.maxImagePixels,
      refusedFormat: {
        en: "is not a PDF, JPEG, PNG, TIFF or HEIC file, a UBL e-invoice or a bank statement (MT940, CAMT.053)",
        nl: "is geen PDF-, JPEG-, PNG-, TIFF- of HEIC-bestand, geen UBL-e-factuur en geen bankafschrift (MT940, CAMT.053)",
      },
    });
    if (FORMATS[received.format].bankStatement && tray && tray !== TrayKind.BANK_STATEMENTS) {
      await fs.rm(received.tempPath, { force: true });
      throw new UserError(
        UserErrorCode.INVALID,
        {
          en: `${JSON.stringify(received.filename)} is a bank statement (${received.format}); upload it to the desk or the BANK_STATEMENTS tray`,
          nl: `${JSON.stringify(received.filename)} is een bankafschrift (${received.format}); upload het op het bureau of in het bakje Bankafschriften`,
        },
        fileField(index),
      );
    }
    return { index, ...received };
  }

  /**
   * Uploads files onto the desk (or straight into a tray). Each file is checked on its own: good
   * files are kept, refused ones come back as errors naming the file. Blobs are stored before the
   * rows commit; blobs this upload created but did not keep are removed again.
   */
  async upload(viewer: Viewer, input: UploadInput): Promise<UploadResult> {
    const actor = requireActor(viewer);
    if (actor.type === "SYSTEM") throw new ForbiddenError("the system does not upload");
    const administration = await findVisibleAdministration(this.dataSource.manager, actor, input.administrationId);
    const place = await this.destination(this.dataSource.manager, actor, administration, input.tray, input.folderId);
    if (input.files.length === 0) throw new UserError(UserErrorCode.INVALID, { en: "Choose at least one file", nl: "Kies ten minste één bestand" }, ["files"]);

    const prepared: Prepared[] = [];
    const errors: UserError[] = [];
    const createdBlobs: string[] = [];
    let kept = false;
    let budget = this.settings.maxTotalSize;
    try {
      for (const [index, pending] of input.files.entries()) {
        let file: IncomingFile;
        try {
          file = await pending;
        } catch (error) {
          errors.push(
            new UserError(
              UserErrorCode.INVALID,
              { en: `File ${index + 1} did not arrive: ${(error as Error).message}`, nl: `Bestand ${index + 1} is niet aangekomen: ${(error as Error).message}` },
              fileField(index),
            ),
          );
          continue;
        }
        try {
          const item = await this.prepare(file, index, place.tray, budget);
          budget -= item.byteSize;
          prepared.push(item);
        } catch (error) {
          if (error instanceof UserError) errors.push(error);
          else throw error;
        }
      }
      if (input.allOrNothing) throwIfAny(errors);
      for (const item of prepared) {
        const { created } = await this.storage.putFile(item.sha256, item.tempPath);
        if (created) createdBlobs.push(item.sha256);
      }
      const result = await inTransaction(this.dataSource, async (manager) => {
        const documents: Document[] = [];
        const duplicates: RejectedDuplicate[] = [];
        for (const item of prepared) {
          // One upload of given content per administration at a time decides what is a duplicate.
          await manager.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", [`${administration.id}:${item.sha256}`]);
          const earlier = await manager
            .getRepository(Document)
            .createQueryBuilder("d")
            .where("d.administration_id = :administrationId AND d.sha256 = :sha AND d.removed_at IS NULL", { administrationId: administration.id, sha: item.sha256 })
            .orderBy("d.uploaded_at", "ASC")
            .getOne();
          // A duplicate the uploader may not see (in a closed archive folder) is not revealed: kept silently.
          const shown = earlier ? await findVisibleDocument(manager, actor, earlier.id).catch(() => null) : null;
          if (shown && administration.duplicatePolicy === DuplicatePolicy.REJECT) {
            duplicates.push({ index: item.index, filename: item.filename, duplicateOf: shown });
            errors.push(
              new UserError(
                UserErrorCode.ALREADY_EXISTS,
                {
                  en: `${JSON.stringify(item.filename)} was uploaded before as ${JSON.stringify(shown.filename)}`,
                  nl: `${JSON.stringify(item.filename)} is eerder aangeleverd als ${JSON.stringify(shown.filename)}`,
                },
                fileField(item.index),
              ),
            );
            continue;
          }
          const document = manager.getRepository(Document).create({
            id: randomUUID(),
            firmId: administration.firmId,
            administrationId: administration.id,
            filename: item.filename,
            contentType: item.contentType,
            format: item.format,
            byteSize: item.byteSize,
            sha256: item.sha256,
            pageCount: item.pageCount,
            location: place.tray ? DocumentLocation.TRAY : DocumentLocation.DESK,
            tray: place.tray,
            folderId: place.folderId,
            status: place.tray ? DocumentStatus.SUBMITTED : DocumentStatus.ON_DESK,
            ...uploadedBy(actor),
            uploadedAt: new Date(),
            documentDate: new Date().toISOString().slice(0, 10),
            submittedAt: place.tray ? new Date() : null,
            duplicateOfId: shown && administration.duplicatePolicy === DuplicatePolicy.WARN ? shown.id : null,
            derivedFromIds: [],
          });
          if (place.tray === TrayKind.ARCHIVE) document.retainUntil = await this.retention(manager, document, place.folderId);
          await manager.getRepository(Document).insert(document);
          await this.journal.record(manager, actor, document, {
            action: "document.uploaded",
            change: "ADDED",
            details: { sha256: item.sha256, byteSize: item.byteSize, contentType: item.contentType, tray: place.tray, duplicateOf: document.duplicateOfId },
          });
          await queueNewDocumentWork(this.jobs, manager, document);
          documents.push(document);
        }
        return { documents, duplicates };
      });
      kept = true;
      return { ...result, errors: errors.sort((a, b) => fileIndexOf(a) - fileIndexOf(b)) };
    } finally {
      await Promise.all(prepared.map((item) => fs.rm(item.tempPath, { force: true })));
      if (!kept) await this.removeUnreferencedBlobs(createdBlobs);
    }
  }

  /** Deletes blobs no document refers to (after an upload failed); the sweep catches any left over. */
  private async removeUnreferencedBlobs(keys: string[]): Promise<void> {
    for (const key of keys) {
      const [{ used }] = (await this.dataSource.query("SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = $1 OR thumbnail_sha256 = $1) AS used", [key])) as [{ used: boolean }];
      if (!used) await this.storage.delete(key).catch(() => undefined);
    }
  }

  /** Live documents of an administration the viewer may see, filtered and ordered. */
  async list(viewer: Viewer, administrationId: string, filter: DocumentFilter, page: PageArgs, order: DocumentOrder = DocumentOrder.UPLOADED_AT_DESC) {
    const actor = requireActor(viewer);
    // No second look at the administration: callers reach it through a visible parent (the
    // administration, its desk, tray or folder), and the scope below limits the rows to what the
    // actor may see anyway (bench/tray-listing.bench.ts: one statement less per page).
    const qb = this.dataSource.getRepository(Document).createQueryBuilder("d").where("d.administration_id = :administrationId AND d.replaced_at IS NULL", { administrationId });
    scopeVisibleDocuments(qb, "d", actor);
    if (filter.location) qb.andWhere("d.location = :location", { location: filter.location });
    if (filter.tray) qb.andWhere("d.tray = :tray", { tray: filter.tray });
    if (filter.folderId) qb.andWhere("d.folder_id = :folderId", { folderId: filter.folderId });
    if (filter.status) qb.andWhere("d.status = :status", { status: filter.status });
    if (filter.uploadedByUserId) qb.andWhere("d.uploaded_by_user_id = :uploader", { uploader: filter.uploadedByUserId });
    if (filter.uploadedAfter) qb.andWhere("d.uploaded_at >= :after", { after: filter.uploadedAfter });
    if (filter.uploadedBefore) qb.andWhere("d.uploaded_at < :before", { before: filter.uploadedBefore });
    const search = filter.search?.trim();
    if (search) qb.andWhere("lower(d.filename) LIKE :search", { search: `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    return paginate(qb, page, ORDER_SPECS[order], this.settings.maxPageSize);
  }

  get(viewer: Viewer, id: string): Promise<Document> {
    return findVisibleDocument(this.dataSource.manager, requireActor(viewer), id);
  }

  /** Locks the visible documents (in id order, so concurrent callers never deadlock). */
  private async lockAll(manager: EntityManager, actor: Actor, ids: string[]): Promise<Document[]> {
    const unique = [...new Set(ids)].sort();
    if (unique.length === 0) throw new UserError(UserErrorCode.INVALID, { en: "Choose at least one document", nl: "Kies ten minste één document" }, ["documentIds"]);
    const documents: Document[] = [];
    for (const id of unique) documents.push(await findVisibleDocument(manager, actor, id, true));
    const administrations = new Set(documents.map((d) => d.administrationId));
    if (administrations.size > 1)
      throw new UserError(UserErrorCode.INVALID, { en: "The documents belong to different administrations", nl: "De documenten horen bij verschillende administraties" }, [
        "documentIds",
      ]);
    return documents;
  }

  /** Files documents from the desk into a tray: all of them, or none. */
  async file(viewer: Viewer, input: { documentIds: string[]; tray: TrayKind; folderId?: string | null }): Promise<Document[]> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const documents = await this.lockAll(manager, actor, input.documentIds);
      const administration = await findVisibleAdministration(manager, actor, documents[0]!.administrationId);
      const place = await this.destination(manager, actor, administration, input.tray, input.folderId);
      const problems = documents.flatMap((d, i) => {
        const field = ["documentIds", String(i)];
        if (d.replacedAt) return [replacedProblem(d, field)];
        if (!DESK_STATUSES.includes(d.status)) {
          return [
            new UserError(
              UserErrorCode.WRONG_STATE,
              { en: `"${d.filename}" is not on the desk (it was filed already)`, nl: `"${d.filename}" ligt niet op het bureau (het is al opgeborgen)` },
              field,
            ),
          ];
        }
        if (FORMATS[d.format].bankStatement && place.tray !== TrayKind.BANK_STATEMENTS) {
          return [
            new UserError(
              UserErrorCode.INVALID,
              { en: `"${d.filename}" is a bank statement; file it into BANK_STATEMENTS`, nl: `"${d.filename}" is een bankafschrift; berg het op in het bakje Bankafschriften` },
              field,
            ),
          ];
        }
        return [];
      });
      throwIfAny(problems);
      for (const document of documents) await this.putInTray(manager, actor, document, place);
      return manager.getRepository(Document).findBy(documents.map((d) => ({ id: d.id })));
    });
  }

  /** Moves one locked desk document into its tray, audited and announced as `actor`'s act. */
  private async putInTray(
    manager: EntityManager,
    actor: Actor,
    document: Document,
    place: { tray: TrayKind | null; folderId: string | null },
    details: Record<string, unknown> = {},
  ) {
    const retain = place.tray === TrayKind.ARCHIVE ? await this.retention(manager, document, place.folderId) : document.retainUntil;
    await manager
      .getRepository(Document)
      .update(
        { id: document.id },
        { location: DocumentLocation.TRAY, tray: place.tray, folderId: place.folderId, status: DocumentStatus.SUBMITTED, submittedAt: new Date(), retainUntil: retain },
      );
    await this.journal.record(manager, actor, document, {
      action: "document.filed",
      change: "FILED",
      details: { tray: place.tray, folderId: place.folderId, from: document.status, ...details },
    });
  }

  /**
   * Files a document the system has read into its tray (an administration that files by itself), in
   * the caller's transaction with the document locked. Only from the desk, never into the archive;
   * false when it is no longer on the desk.
   */
  async fileBySystem(manager: EntityManager, document: Document, tray: Exclude<TrayKind, TrayKind.ARCHIVE>): Promise<boolean> {
    if (!DESK_STATUSES.includes(document.status) || document.replacedAt || document.removedAt) return false;
    await this.putInTray(manager, SYSTEM, document, { tray, folderId: null }, { automatic: true });
    return true;
  }

  /** The client takes documents back to the desk while the firm has not processed them. */
  async withdraw(viewer: Viewer, documentIds: string[]): Promise<Document[]> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const documents = await this.lockAll(manager, actor, documentIds);
      for (const document of documents) if (document.folderId) await findFolderWithAccess(manager, actor, document.folderId, FolderAccess.MANAGE);
      throwIfAny(
        documents.flatMap((d, i) => {
          const field = ["documentIds", String(i)];
          if (d.replacedAt) return [replacedProblem(d, field)];
          if (d.tray === TrayKind.ARCHIVE)
            return [
              new UserError(
                UserErrorCode.WRONG_STATE,
                { en: `"${d.filename}" is in the archive; move it between folders instead`, nl: `"${d.filename}" staat in het archief; verplaats het daar naar een andere map` },
                field,
              ),
            ];
          if (d.status === DocumentStatus.PROCESSED)
            return [new UserError(UserErrorCode.WRONG_STATE, { en: `"${d.filename}" has been processed by the firm`, nl: `"${d.filename}" is door het kantoor verwerkt` }, field)];
          if (d.status !== DocumentStatus.SUBMITTED)
            return [new UserError(UserErrorCode.WRONG_STATE, { en: `"${d.filename}" is on the desk already`, nl: `"${d.filename}" ligt al op het bureau` }, field)];
          return [];
        }),
      );
      for (const document of documents) {
        await manager
          .getRepository(Document)
          .update({ id: document.id }, { location: DocumentLocation.DESK, tray: null, folderId: null, status: DocumentStatus.ON_DESK, submittedAt: null });
        await this.journal.record(manager, actor, document, { action: "document.withdrawn", change: "WITHDRAWN", details: { tray: document.tray } });
      }
      return manager.getRepository(Document).findBy(documents.map((d) => ({ id: d.id })));
    });
  }

  /** The firm booked these documents: they become immutable. */
  async markProcessed(viewer: Viewer, documentIds: string[]): Promise<Document[]> {
    const actor = requireActor(viewer);
    if (!canProcess(actor)) throw new ForbiddenError("Only the firm processes documents");
    return inTransaction(this.dataSource, async (manager) => {
      const documents = await this.lockAll(manager, actor, documentIds);
      throwIfAny(
        documents.flatMap((d, i) =>
          d.status === DocumentStatus.SUBMITTED && !d.replacedAt
            ? []
            : [
                new UserError(
                  UserErrorCode.WRONG_STATE,
                  {
                    en: `"${d.filename}" is ${d.status === DocumentStatus.PROCESSED ? "processed already" : "not in a tray"}`,
                    nl: `"${d.filename}" ${d.status === DocumentStatus.PROCESSED ? "is al verwerkt" : "ligt niet in een bakje"}`,
                  },
                  ["documentIds", String(i)],
                ),
              ],
        ),
      );
      for (const document of documents) {
        // Booked: now part of the books, kept for the legal period.
        const retain = await this.retention(manager, document, document.folderId);
        await manager.getRepository(Document).update({ id: document.id }, { status: DocumentStatus.PROCESSED, processedAt: new Date(), retainUntil: retain });
        await this.journal.record(manager, actor, document, { action: "document.processed", change: "PROCESSED", details: { tray: document.tray } });
      }
      return manager.getRepository(Document).findBy(documents.map((d) => ({ id: d.id })));
    });
  }

  /** The firm sends a document back to the client's desk with a reason; the client users hear of it. */
  async returnToClient(viewer: Viewer, input: { documentId: string; reason: string }): Promise<Document> {
    const actor = requireActor(viewer);
    if (!canProcess(actor)) throw new ForbiddenError("Only the firm returns documents");
    const reason = input.reason?.trim() ?? "";
    if (!reason) throw new UserError(UserErrorCode.INVALID, { en: "Give the client a reason", nl: "Geef een reden voor de klant op" }, ["reason"]);
    if (reason.length > 2000) throw new UserError(UserErrorCode.INVALID, { en: "The reason is longer than 2000 characters", nl: "De reden is langer dan 2000 tekens" }, ["reason"]);
    return inTransaction(this.dataSource, async (manager) => {
      const document = await findVisibleDocument(manager, actor, input.documentId, true);
      if (document.tray === TrayKind.ARCHIVE || document.replacedAt) {
        // An archived document would land on the shared desk, seen by users its folder is closed to.
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: `"${document.filename}" is ${document.replacedAt ? "replaced by page editing" : "in the archive"} and cannot be returned`,
            nl: `"${document.filename}" ${document.replacedAt ? "is vervangen door het bewerken van de pagina's" : "staat in het archief"} en kan niet worden teruggezet`,
          },
          ["documentId"],
        );
      }
      if (document.status !== DocumentStatus.SUBMITTED) {
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: `"${document.filename}" ${document.status === DocumentStatus.PROCESSED ? "has been processed" : "is not in a tray"}; only submitted documents can be returned`,
            nl: `"${document.filename}" ${document.status === DocumentStatus.PROCESSED ? "is verwerkt" : "ligt niet in een bakje"}; alleen ingediende documenten kunnen worden teruggezet`,
          },
          ["documentId"],
        );
      }
      await manager
        .getRepository(Document)
        .update(
          { id: document.id },
          { location: DocumentLocation.DESK, tray: null, folderId: null, status: DocumentStatus.RETURNED, returnReason: reason, returnedAt: new Date(), submittedAt: null },
        );
      await this.journal.record(manager, actor, document, { action: "document.returned", change: "RETURNED", details: { tray: document.tray }, note: reason });
      const members = await manager.getRepository(Membership).findBy({ administrationId: document.administrationId });
      await this.notifications.notify(manager, {
        recipientUserIds: members.map((m) => m.userId),
        firmId: document.firmId,
        administrationId: document.administrationId,
        kind: NotificationKind.DOCUMENT_RETURNED,
        params: { filename: document.filename, reason },
        subject: { type: "Document", id: document.id },
      });
      return manager.getRepository(Document).findOneByOrFail({ id: document.id });
    });
  }

  async rename(viewer: Viewer, input: { documentId: string; filename: string }): Promise<Document> {
    const actor = requireActor(viewer);
    const problem = filenameProblem(input.filename, ["filename"]);
    if (problem) throw problem;
    const filename = normaliseFilename(input.filename);
    return inTransaction(this.dataSource, async (manager) => {
      const document = await findVisibleDocument(manager, actor, input.documentId, true);
      await this.assertMayManage(manager, actor, document, ["documentId"]);
      if (document.filename !== filename) {
        await manager.getRepository(Document).update({ id: document.id }, { filename });
        await this.journal.record(manager, actor, document, { action: "document.renamed", change: "UPDATED", details: { to: filename } });
      }
      return manager.getRepository(Document).findOneByOrFail({ id: document.id });
    });
  }

  /** Sets a document's notes (searchable) and its own date (which drives retention). */
  async updateDetails(viewer: Viewer, input: { documentId: string; notes?: string | null; documentDate?: string | null }): Promise<Document> {
    const actor = requireActor(viewer);
    if (input.notes != null && input.notes.length > 10_000)
      throw new UserError(UserErrorCode.INVALID, { en: "The notes are longer than 10,000 characters", nl: "De notities zijn langer dan 10.000 tekens" }, ["notes"]);
    if (input.documentDate != null && !isCalendarDate(input.documentDate)) {
      throw new UserError(UserErrorCode.INVALID, { en: `"${input.documentDate}" is not a date (YYYY-MM-DD)`, nl: `"${input.documentDate}" is geen datum (JJJJ-MM-DD)` }, [
        "documentDate",
      ]);
    }
    return inTransaction(this.dataSource, async (manager) => {
      const document = await findVisibleDocument(manager, actor, input.documentId, true);
      await this.assertMayManage(manager, actor, document, ["documentId"]);
      const changes: Partial<Document> = {};
      if (input.notes !== undefined) changes.notes = input.notes?.trim() || null;
      if (input.documentDate) changes.documentDate = input.documentDate;
      if (changes.documentDate && document.retainUntil) {
        changes.retainUntil = await this.retention(manager, { ...document, documentDate: changes.documentDate }, document.folderId);
      }
      if (Object.keys(changes).length > 0) {
        await manager.getRepository(Document).update({ id: document.id }, changes);
        await this.journal.record(manager, actor, document, { action: "document.details_updated", change: "UPDATED", details: changes });
      }
      return manager.getRepository(Document).findOneByOrFail({ id: document.id });
    });
  }

  /** Removes a document that has not been processed (kept in the history; the blob is swept when unused). */
  async remove(viewer: Viewer, documentId: string): Promise<Document> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const document = await findVisibleDocument(manager, actor, documentId, true);
      if (isRetained(document.retainUntil)) {
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: `"${document.filename}" must be kept until ${document.retainUntil} (legal retention) and cannot be removed before then`,
            nl: `"${document.filename}" moet tot ${document.retainUntil} worden bewaard (wettelijke bewaarplicht) en kan niet eerder worden verwijderd`,
          },
          ["documentId"],
        );
      }
      if (document.status === DocumentStatus.PROCESSED) {
        // Past its retention, a booked document may go, by the firm only.
        if (!canProcess(actor))
          throw new UserError(
            UserErrorCode.WRONG_STATE,
            { en: `"${document.filename}" has been processed; only the firm can remove it`, nl: `"${document.filename}" is verwerkt; alleen het kantoor kan het verwijderen` },
            ["documentId"],
          );
        if (document.folderId) await findFolderWithAccess(manager, actor, document.folderId, FolderAccess.MANAGE);
      } else {
        await this.assertMayManage(manager, actor, document, ["documentId"]);
      }
      await manager.getRepository(Document).update({ id: document.id }, { removedAt: new Date() });
      await this.journal.record(manager, actor, document, { action: "document.removed", change: "REMOVED", details: { status: document.status, tray: document.tray } });
      return document;
    });
  }

  /** Moves archive documents to another folder: MANAGE where they are (clients), CONTRIBUTE where they go. */
  async moveToFolder(viewer: Viewer, input: { documentIds: string[]; folderId: string }): Promise<Document[]> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const documents = await this.lockAll(manager, actor, input.documentIds);
      const { folder } = await findFolderWithAccess(manager, actor, input.folderId, FolderAccess.CONTRIBUTE);
      for (const [i, document] of documents.entries()) {
        const field = ["documentIds", String(i)];
        if (!document.folderId)
          throw new UserError(
            UserErrorCode.WRONG_STATE,
            { en: `"${document.filename}" is not in the archive; file it there first`, nl: `"${document.filename}" staat niet in het archief; berg het daar eerst op` },
            field,
          );
        assertChangeable(document, field);
        if (document.administrationId !== folder.administrationId)
          throw new UserError(UserErrorCode.INVALID, { en: "That folder belongs to another administration", nl: "Die map hoort bij een andere administratie" }, ["folderId"]);
        await findFolderWithAccess(manager, actor, document.folderId, FolderAccess.MANAGE);
        if (document.folderId === folder.id) continue;
        await manager.getRepository(Document).update({ id: document.id }, { folderId: folder.id, retainUntil: await this.retention(manager, document, folder.id) });
        await this.journal.record(manager, actor, document, { action: "document.moved", change: "UPDATED", details: { from: document.folderId, to: folder.id } });
      }
      return manager.getRepository(Document).findBy(documents.map((d) => ({ id: d.id })));
    });
  }
}
