// The background step that reads a new document's data (bank statements, e-invoices) and stores it
// in the same transaction that marks the document read, audited as the system's act and announced
// to subscribers. The same invoice found again (in another format, or as an e-invoice's own PDF)
// is reported as a duplicate under the administration's policy.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { DataSource } from "typeorm";
import { SYSTEM } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import type { AuditService } from "../audit/audit.service.js";
import type { BankStatementService } from "../bank-statements/bank-statement.service.js";
import { DataKind, Document } from "../documents/document.entity.js";
import { DocumentFormat } from "../files/file-format.js";
import type { InvoiceService } from "../invoices/invoice.service.js";
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
    private readonly invoices: InvoiceService,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
    private readonly maxBytes: number,
  ) {}

  /** Reads the document's data once; idempotent (a retried job, or a second worker, finds it done). */
  async read(documentId: string): Promise<void> {
    const found = await this.dataSource.getRepository(Document).findOneBy({ id: documentId });
    if (!found || found.dataReadAt || found.removedAt) return;
    const outcome = await this.outcome(found);
    // The rendition's blob is stored first; if the transaction does not commit, the sweep removes it.
    const renditionSha256 = outcome.kind === "INVOICE" && outcome.rendition ? await this.storeRendition(found, outcome.rendition) : null;
    await inTransaction(this.dataSource, async (manager) => {
      const document = await manager.getRepository(Document).createQueryBuilder("d").setLock("pessimistic_write").where("d.id = :id", { id: documentId }).getOne();
      if (!document || document.dataReadAt || document.removedAt) return;
      let duplicateOf: Document | null = null;
      let details: Record<string, unknown> = {};
      if (outcome.kind === "BANK_STATEMENT") {
        await this.bankStatements.record(manager, document, outcome.statements);
        details = this.statementDetails(outcome);
      } else if (outcome.kind === "INVOICE") {
        const recorded = await this.invoices.record(manager, document, { invoice: outcome.invoice, warnings: outcome.warnings, renditionSha256 });
        duplicateOf = recorded.duplicateOf;
        details = { number: recorded.invoice.number, kind: recorded.invoice.kind, direction: recorded.invoice.direction, warnings: recorded.invoice.warnings.map((w) => w.rule) };
      } else if (outcome.kind === null && document.format === DocumentFormat.PDF) {
        // A PDF that is an e-invoice's own rendition is that invoice again.
        duplicateOf = await this.invoices.renditionOf(manager, document);
      }
      const dataKind = outcome.kind === "BANK_STATEMENT" ? DataKind.BANK_STATEMENT : outcome.kind === "INVOICE" ? DataKind.INVOICE : null;
      const dataProblem = outcome.kind === "FAILED" ? outcome.problem : null;
      await manager.query("UPDATE documents SET data_read_at = now(), data_kind = $2, data_problem = $3 WHERE id = $1", [documentId, dataKind, dataProblem]);
      const record = (action: string, note: string | null, extra: Record<string, unknown>) =>
        this.audit.record(manager, SYSTEM, {
          firmId: document.firmId,
          administrationId: document.administrationId,
          action,
          subjectType: "Document",
          subjectId: document.id,
          note,
          details: { filename: document.filename, ...extra },
        });
      if (outcome.kind !== null) await record(outcome.kind === "FAILED" ? "document.data_unreadable" : "document.data_read", dataProblem, details);
      if (duplicateOf && !document.duplicateOfId && (await this.invoices.reportsDuplicates(manager, document.administrationId))) {
        await manager.query("UPDATE documents SET duplicate_of_id = $2 WHERE id = $1", [document.id, duplicateOf.id]);
        await record("document.duplicate_found", null, { duplicateOf: duplicateOf.id, duplicateOfFilename: duplicateOf.filename });
      }
      // DATA_READ when something was read (or found unreadable); a plain scan only changed its status.
      const change = outcome.kind === null ? "UPDATED" : "DATA_READ";
      await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId, change });
    });
  }

  private async outcome(document: Document): Promise<ReadOutcome> {
    if (!isReadable(document.format)) return { kind: null };
    if (document.byteSize > this.maxBytes) {
      // A large PDF is an ordinary scan as far as reading goes; a large statement or XML invoice is not read.
      if (document.format === DocumentFormat.PDF) return { kind: null };
      return { kind: "FAILED", problem: `The file is larger than the ${Math.floor(this.maxBytes / 1024 ** 2)} MB whose data is read; it is kept as a plain document` };
    }
    return readContent(document.format, await bytesOf(this.storage, document.sha256), this.maxBytes);
  }

  private async storeRendition(document: Document, pdf: Buffer): Promise<string> {
    const sha256 = createHash("sha256").update(pdf).digest("hex");
    if (sha256 !== document.sha256) await this.storage.put(sha256, Readable.from([pdf]));
    return sha256;
  }

  private statementDetails(outcome: Extract<ReadOutcome, { kind: "BANK_STATEMENT" }>) {
    return {
      statements: outcome.statements.map((s) => ({ account: s.account, number: s.number, sequence: s.sequence, entries: s.entries.length, closing: String(s.closing.cents) })),
    };
  }
}
