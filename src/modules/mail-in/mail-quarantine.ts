// Mail that reached an administration's address from someone who may not hand in documents there
// (or whose sending could not be confirmed) waits here, kept whole as a blob, until the firm's staff
// put its files on the desk (as uploaded by the one who releases it) or discard it. Staff see
// sender, subject and the attachments' names and sizes before they decide; the release reads the
// mail again through the same rules as the intake (mail-files.ts), so nothing is judged twice differently.
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ParsedMail } from "mailparser";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireActor, SYSTEM, type Viewer } from "../../core/actor.js";
import { NotFoundError, UserError, UserErrorCode } from "../../core/errors.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction } from "../../db/transaction.js";
import { type BlobStorage, readBlob } from "../../storage/blob-storage.js";
import { assertStaffOf, findVisibleAdministration } from "../administrations/administration.policy.js";
import type { AuditService } from "../audit/audit.service.js";
import type { DocumentService, UploadResult } from "../documents/document.service.js";
import { filesOfMail, fromHeaderOf, MailProblem, parseMail, subjectOf, type MailFile } from "./mail-files.js";
import { trayOfSubject } from "./mail-tags.js";
import { QuarantinedMail, type QuarantineReason } from "./quarantined-mail.entity.js";

/** Mail waiting per administration at most: beyond it more is deferred (4xx) until staff clear the list. */
export const QUARANTINE_MAX_PENDING = 200;

export interface QuarantineEntry {
  administrationId: string;
  firmId: string;
  reason: QuarantineReason;
  sender: string;
  raw: Buffer;
  mail: ParsedMail;
  files: MailFile[];
  bodyAsPdf: boolean;
}

export class MailQuarantine {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly audit: AuditService,
    private readonly documents: DocumentService,
    private readonly maxAttachments: number,
    private readonly maxPageSize: number,
  ) {}

  /** Whether the administration's list has room for one more. */
  async hasRoom(administrationId: string): Promise<boolean> {
    const [row] = (await this.dataSource.query("SELECT count(*)::int AS n FROM (SELECT 1 FROM quarantined_mails WHERE administration_id = $1 LIMIT $2) q", [
      administrationId,
      QUARANTINE_MAX_PENDING,
    ])) as Array<{ n: number }>;
    return row!.n < QUARANTINE_MAX_PENDING;
  }

  /** Keeps a mail for staff; the blob first, so a row never names bytes that are not there (a blob without a row is swept). */
  async keep(entry: QuarantineEntry): Promise<QuarantinedMail> {
    const sha256 = createHash("sha256").update(entry.raw).digest("hex");
    await this.storage.put(sha256, Readable.from(entry.raw));
    const row = Object.assign(new QuarantinedMail(), {
      id: randomUUID(),
      firmId: entry.firmId,
      administrationId: entry.administrationId,
      reason: entry.reason,
      sender: entry.sender.slice(0, 320),
      fromHeader: fromHeaderOf(entry.mail),
      subject: subjectOf(entry.mail),
      messageId: entry.mail.messageId?.slice(0, 500) ?? null,
      attachments: entry.files.map((f) => ({ filename: f.filename.slice(0, 255), contentType: f.contentType.slice(0, 100), size: f.content.length })),
      bodyAsPdf: entry.bodyAsPdf,
      blobSha256: sha256,
      size: entry.raw.length,
      receivedAt: new Date(),
    });
    await inTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(QuarantinedMail).insert(row);
      await this.audit.record(manager, SYSTEM, {
        firmId: entry.firmId,
        administrationId: entry.administrationId,
        action: "mail.quarantined",
        subjectType: "Administration",
        subjectId: entry.administrationId,
        details: { from: row.sender, subject: row.subject, reason: row.reason, messageId: row.messageId, attachments: row.attachments.length },
      });
    });
    return row;
  }

  /** The administration's waiting mail, newest first (staff only). */
  async list(viewer: Viewer, administrationId: string, page: PageArgs) {
    const actor = requireActor(viewer);
    assertStaffOf(actor, await findVisibleAdministration(this.dataSource.manager, actor, administrationId));
    const qb = this.dataSource.getRepository(QuarantinedMail).createQueryBuilder("q").where("q.administration_id = :administrationId", { administrationId });
    return paginate(qb, page, { expr: "q.received_at", type: "timestamptz", direction: "DESC", idExpr: "q.id" }, this.maxPageSize);
  }

  /** One waiting mail, for node(id); NotFoundError when it is gone or not the viewer's to see. */
  async find(actor: Actor, id: string): Promise<QuarantinedMail> {
    const row = await this.dataSource.getRepository(QuarantinedMail).findOneBy({ id });
    if (!row) throw new NotFoundError("QuarantinedMail");
    assertStaffOf(actor, await findVisibleAdministration(this.dataSource.manager, actor, row.administrationId));
    return row;
  }

  /**
   * Puts the mail's files on the desk (or in the tray its subject names) as uploaded by `viewer`,
   * all or nothing. The row stays locked until the upload is done: a second release at the same
   * time waits, then finds it gone.
   */
  async release(viewer: Viewer, id: string): Promise<UploadResult> {
    const actor = requireActor(viewer);
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.lockWaiting(manager, actor, id);
      const mail = await parseMail(await readBlob(this.storage, row.blobSha256));
      let files: MailFile[];
      try {
        files = await filesOfMail(mail, { bodyAsPdf: row.bodyAsPdf, maxAttachments: this.maxAttachments });
      } catch (error) {
        if (error instanceof MailProblem) throw new UserError(UserErrorCode.INVALID, error.text, ["id"]);
        throw error;
      }
      const result = await this.documents.upload(actor, {
        administrationId: row.administrationId,
        tray: trayOfSubject(row.subject),
        allOrNothing: true,
        files: files.map((f) => Promise.resolve({ filename: f.filename, createReadStream: () => Readable.from(f.content) })),
      });
      await manager.delete(QuarantinedMail, { id: row.id });
      await this.audit.record(manager, actor, {
        firmId: row.firmId,
        administrationId: row.administrationId,
        action: "mail.released",
        subjectType: "Administration",
        subjectId: row.administrationId,
        details: { from: row.sender, subject: row.subject, reason: row.reason, documents: result.documents.map((d) => ({ id: d.id, filename: d.filename })) },
      });
      return result;
    });
  }

  /** Drops a waiting mail (its blob goes with the next sweep). */
  async discard(viewer: Viewer, id: string): Promise<void> {
    const actor = requireActor(viewer);
    await inTransaction(this.dataSource, async (manager) => {
      const row = await this.lockWaiting(manager, actor, id);
      await manager.delete(QuarantinedMail, { id: row.id });
      await this.audit.record(manager, actor, {
        firmId: row.firmId,
        administrationId: row.administrationId,
        action: "mail.discarded",
        subjectType: "Administration",
        subjectId: row.administrationId,
        details: { from: row.sender, subject: row.subject, reason: row.reason },
      });
    });
  }

  /** Forgets mail that waited longer than the retention (daily job); returns how many. */
  async prune(before: Date): Promise<number> {
    const [, count] = (await this.dataSource.query("DELETE FROM quarantined_mails WHERE received_at < $1", [before])) as [unknown, number];
    return count;
  }

  /** The waiting mail, locked until the transaction ends (a second decision waits, then finds it gone). */
  private async lockWaiting(manager: EntityManager, actor: Actor, id: string): Promise<QuarantinedMail> {
    const row = await manager.getRepository(QuarantinedMail).createQueryBuilder("q").setLock("pessimistic_write").where("q.id = :id", { id }).getOne();
    if (!row)
      throw new UserError(
        UserErrorCode.NOT_FOUND,
        {
          en: "This mail is no longer waiting: someone put it on the desk or discarded it",
          nl: "Deze mail wacht niet meer: iemand heeft hem op het bureau gezet of verwijderd",
        },
        ["id"],
      );
    assertStaffOf(actor, await findVisibleAdministration(manager, actor, row.administrationId));
    return row;
  }
}
