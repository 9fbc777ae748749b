// The background step that reads a new document's data (bank statements now; e-invoices next) and
// stores it in the same transaction that marks the document read, audited as the system's act and
// announced to subscribers.
import type { DataSource } from "typeorm";
import { SYSTEM } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import type { AuditService } from "../audit/audit.service.js";
import type { BankStatementService } from "../bank-statements/bank-statement.service.js";
import { DataKind, Document } from "../documents/document.entity.js";
import { isReadable, type ReadOutcome, readContent } from "./read-content.js";

async function bytesOf(storage: BlobStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class DocumentReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly bankStatements: BankStatementService,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
    private readonly maxBytes: number,
  ) {}

  /** Reads the document's data once; idempotent (a retried job, or a second worker, finds it done). */
  async read(documentId: string): Promise<void> {
    const found = await this.dataSource.getRepository(Document).findOneBy({ id: documentId });
    if (!found || found.dataReadAt || found.removedAt) return;
    const outcome = await this.outcome(found);
    await inTransaction(this.dataSource, async (manager) => {
      const document = await manager.getRepository(Document).createQueryBuilder("d").setLock("pessimistic_write").where("d.id = :id", { id: documentId }).getOne();
      if (!document || document.dataReadAt || document.removedAt) return;
      if (outcome.kind === "BANK_STATEMENT") await this.bankStatements.record(manager, document, outcome.statements);
      const dataKind = outcome.kind === "BANK_STATEMENT" ? DataKind.BANK_STATEMENT : null;
      const dataProblem = outcome.kind === "FAILED" ? outcome.problem : null;
      await manager.query("UPDATE documents SET data_read_at = now(), data_kind = $2, data_problem = $3 WHERE id = $1", [documentId, dataKind, dataProblem]);
      if (outcome.kind !== null) {
        await this.audit.record(manager, SYSTEM, {
          firmId: document.firmId,
          administrationId: document.administrationId,
          action: outcome.kind === "FAILED" ? "document.data_unreadable" : "document.data_read",
          subjectType: "Document",
          subjectId: document.id,
          note: dataProblem,
          details: { filename: document.filename, ...(outcome.kind === "BANK_STATEMENT" ? this.statementDetails(outcome) : {}) },
        });
      }
      await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId, change: "DATA_READ" });
    });
  }

  private async outcome(document: Document): Promise<ReadOutcome> {
    if (!isReadable(document.format)) return { kind: null };
    if (document.byteSize > this.maxBytes) {
      return { kind: "FAILED", problem: `The file is larger than the ${Math.floor(this.maxBytes / 1024 ** 2)} MB whose data is read; it is kept as a plain document` };
    }
    return readContent(document.format, await bytesOf(this.storage, document.sha256));
  }

  private statementDetails(outcome: Extract<ReadOutcome, { kind: "BANK_STATEMENT" }>) {
    return {
      statements: outcome.statements.map((s) => ({ account: s.account, number: s.number, sequence: s.sequence, entries: s.entries.length, closing: String(s.closing.cents) })),
    };
  }
}
