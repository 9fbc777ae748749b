// The background step that reads a new document's data (bank statements, e-invoices) and stores it
// in the same transaction that marks the document read, audited as the system's act and announced
// to subscribers. The same invoice found again (in another format, or as an e-invoice's own PDF)
// is reported as a duplicate under the administration's policy.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { PDFDocument } from "pdf-lib";
import type { DataSource, EntityManager } from "typeorm";
import type { JobQueue } from "../../jobs/job-queue.js";
import { SYSTEM } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import { type BlobStorage, readBlob } from "../../storage/blob-storage.js";
import type { AuditService } from "../audit/audit.service.js";
import type { BankStatementService } from "../bank-statements/bank-statement.service.js";
import { DataKind, Document, PagesState } from "../documents/document.entity.js";
import { DocumentFormat, FORMATS } from "../files/file-format.js";
import type { InvoiceService } from "../invoices/invoice.service.js";
import { Administration, DataFiling, DuplicatePolicy } from "../administrations/administration.entity.js";
import type { DocumentService } from "../documents/document.service.js";
import { attachPreview } from "../documents/document-maintenance.js";
import { renderInvoicePdf } from "../invoices/invoice-pdf.js";
import { checkReadArithmetic } from "../invoices/invoice-checks.js";
import { InvoiceSource } from "../invoices/invoice-model.js";
import { invoiceFromText } from "../invoices/text-invoice.js";
import { DocumentPage } from "./document-page.entity.js";
import { suggestedTray } from "./filing-suggestion.js";
import { usualTray } from "./usual-tray.js";
import { isReadable, type ReadOutcome, readContent } from "./read-content.js";

/** The pages an invoice's fields are read from (an invoice runs to a few; a longer scan is a batch to split). */
const TEXT_INVOICE_PAGES = 5;

async function pageCountOf(pdf: Buffer): Promise<number | null> {
  try {
    return (await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false })).getPageCount() || null;
  } catch {
    return null;
  }
}

export class DocumentReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly bankStatements: BankStatementService,
    private readonly invoices: InvoiceService,
    private readonly documents: DocumentService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
    private readonly maxBytes: number,
  ) {}

  /**
   * Queues the reading of live documents never read (those uploaded before this version, or whose
   * job was lost), at most `limit` per start; a document already queued is not queued twice.
   */
  async queueUnread(limit: number): Promise<number> {
    const rows = (await this.dataSource.query("SELECT id FROM documents WHERE data_read_at IS NULL AND removed_at IS NULL ORDER BY uploaded_at LIMIT $1", [limit])) as Array<{
      id: string;
    }>;
    for (const { id } of rows) await this.jobs.send(null, "document.read_data", { documentId: id }, { singletonKey: id });
    return rows.length;
  }

  /** Reads the document's data once; idempotent (a retried job, or a second worker, finds it done). */
  async read(documentId: string): Promise<void> {
    const found = await this.dataSource.getRepository(Document).findOneBy({ id: documentId });
    if (!found || found.dataReadAt || found.removedAt) return;
    // Data on pages is read from their words: a document whose pages are not read yet waits for them (they queue this again).
    if (FORMATS[found.format].text === "pages" && found.pagesState !== PagesState.DONE && found.pagesState !== PagesState.FAILED) {
      await this.jobs.send(null, "document.read_pages", { documentId }, { singletonKey: documentId });
      return;
    }
    const outcome = await this.outcome(found);
    // Blobs are stored first; if the transaction does not commit, the sweep removes them.
    const renditionSha256 = outcome.kind === "INVOICE" && outcome.rendition ? await this.storeBlob(found, outcome.rendition) : null;
    const preview = outcome.kind === "INVOICE" && FORMATS[found.format].structured ? await this.storePreview(found, outcome) : null;
    await inTransaction(this.dataSource, async (manager) => {
      const document = await manager.getRepository(Document).createQueryBuilder("d").setLock("pessimistic_write").where("d.id = :id", { id: documentId }).getOne();
      if (!document || document.dataReadAt || document.removedAt) return;
      const stored = await this.store(manager, document, outcome, renditionSha256);
      if (preview) await attachPreview(this.jobs, manager, document.id, preview);
      const dataProblem = outcome.kind === "FAILED" ? outcome.problem : null;
      await manager.query("UPDATE documents SET data_read_at = now(), data_kind = $2, data_problem = $3 WHERE id = $1", [documentId, stored.dataKind, dataProblem]);
      if (outcome.kind !== null)
        await this.recordAct(manager, document, outcome.kind === "FAILED" ? "document.data_unreadable" : "document.data_read", dataProblem, stored.details);
      const administration = await manager.getRepository(Administration).findOneByOrFail({ id: document.administrationId });
      const isCopy = stored.sameAs ? await this.reportCopy(manager, administration, document, stored.sameAs) : false;
      // A copy is never filed by itself: booking it would book the invoice twice.
      const tray = suggestedTray(stored.dataKind, stored.invoice, await usualTray(manager, document.administrationId, stored.invoice?.supplierKey ?? null));
      if (!isCopy && tray && !document.duplicateOfId && administration.dataFiling === DataFiling.AUTO_FILE) await this.documents.fileBySystem(manager, document, tray);
      // DATA_READ when something was read (or found unreadable); a plain scan only changed its status.
      const change = outcome.kind === null ? "UPDATED" : "DATA_READ";
      await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId, change });
    });
  }

  /** Stores what was read; `sameAs` is another document holding the same invoice. */
  private async store(manager: EntityManager, document: Document, outcome: ReadOutcome, renditionSha256: string | null) {
    if (outcome.kind === "BANK_STATEMENT") {
      await this.bankStatements.record(manager, document, outcome.statements);
      return { dataKind: DataKind.BANK_STATEMENT, invoice: null, sameAs: null, details: this.statementDetails(outcome) };
    }
    // A PDF that is an e-invoice's own rendition is that invoice again: its words are not read as another.
    const fromWords = outcome.kind === null || (outcome.kind === "INVOICE" && outcome.source !== undefined);
    const rendition = fromWords && document.format === DocumentFormat.PDF ? await this.invoices.renditionOf(manager, document) : null;
    if (rendition) return { dataKind: null, invoice: null, sameAs: rendition, details: {} };
    if (outcome.kind === "INVOICE") {
      const { invoice, sameAs } = await this.invoices.record(manager, document, {
        invoice: outcome.invoice,
        warnings: outcome.warnings,
        renditionSha256,
        source: outcome.source,
        fields: outcome.fields,
      });
      return {
        dataKind: DataKind.INVOICE,
        invoice,
        sameAs,
        details: { number: invoice.number, kind: invoice.kind, direction: invoice.direction, warnings: invoice.warnings.map((w) => w.rule) },
      };
    }
    return { dataKind: null, invoice: null, sameAs: null, details: {} };
  }

  private recordAct(manager: EntityManager, document: Document, action: string, note: string | null, details: Record<string, unknown>) {
    return this.audit.record(manager, SYSTEM, {
      firmId: document.firmId,
      administrationId: document.administrationId,
      action,
      subjectType: "Document",
      subjectId: document.id,
      note,
      details: { filename: document.filename, ...details },
    });
  }

  /**
   * Of two documents holding the same invoice, the one uploaded later is the copy: flagged with
   * `duplicateOf` where the administration's policy reports duplicates (reading order does not
   * matter). Returns whether `document` is the copy.
   */
  private async reportCopy(manager: EntityManager, administration: Administration, document: Document, other: Document): Promise<boolean> {
    const documentFirst = document.uploadedAt.getTime() - other.uploadedAt.getTime() || document.id.localeCompare(other.id);
    const [earlier, later] = documentFirst < 0 ? [document, other] : [other, document];
    if (administration.duplicatePolicy === DuplicatePolicy.ALLOW) return later === document;
    const [, flagged] = (await manager.query("UPDATE documents SET duplicate_of_id = $2 WHERE id = $1 AND duplicate_of_id IS NULL", [later.id, earlier.id])) as [unknown, number];
    if (flagged) {
      await this.recordAct(manager, later, "document.duplicate_found", null, { duplicateOf: earlier.id, duplicateOfFilename: earlier.filename });
      if (later !== document) await this.bus.publish(manager, { topic: "document.changed", administrationId: later.administrationId, documentId: later.id, change: "UPDATED" });
    }
    return later === document;
  }

  private async outcome(document: Document): Promise<ReadOutcome> {
    const content = await this.contentOutcome(document);
    // A scan, photo or PDF without an e-invoice in it: the fields its words show.
    return content.kind === null && FORMATS[document.format].text === "pages" ? this.textOutcome(document) : content;
  }

  private async contentOutcome(document: Document): Promise<ReadOutcome> {
    if (!isReadable(document.format)) return { kind: null };
    if (document.byteSize > this.maxBytes) {
      // A large PDF is an ordinary scan as far as reading goes; a large statement or XML invoice is not read.
      if (document.format === DocumentFormat.PDF) return { kind: null };
      return { kind: "FAILED", problem: `The file is larger than the ${Math.floor(this.maxBytes / 1024 ** 2)} MB whose data is read; it is kept as a plain document` };
    }
    return readContent(document.format, await readBlob(this.storage, document.sha256), this.maxBytes);
  }

  /**
   * The invoice or receipt its first pages' words show, read again with what corrections taught
   * about its supplier once the supplier is recognised (by btw-id, KvK or IBAN).
   */
  private async textOutcome(document: Document): Promise<ReadOutcome> {
    const pages = await this.dataSource.getRepository(DocumentPage).find({ where: { documentId: document.id }, order: { pageNumber: "ASC" }, take: TEXT_INVOICE_PAGES });
    if (!pages.length) return { kind: null };
    const administration = await this.dataSource.getRepository(Administration).findOneByOrFail({ id: document.administrationId });
    const ibans = ((await this.dataSource.query("SELECT account FROM bank_accounts WHERE administration_id = $1", [administration.id])) as Array<{ account: string }>).map(
      (r) => r.account,
    );
    const own = { name: administration.name, vatNumber: administration.vatNumber, kvkNumber: administration.chamberOfCommerceNumber, ibans };
    const first = invoiceFromText(pages, own);
    if (!first) return { kind: null };
    const profile = await this.invoices.profile(this.dataSource.manager, administration.id, first.supplierKeys);
    const read = profile ? (invoiceFromText(pages, own, profile) ?? first) : first;
    const source = pages.some((p) => p.source === "OCR") ? InvoiceSource.OCR : InvoiceSource.TEXT;
    return { kind: "INVOICE", invoice: read.invoice, warnings: checkReadArithmetic(read.invoice), rendition: null, source, fields: read.fields };
  }

  private async storeBlob(document: Document, bytes: Buffer): Promise<string> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (sha256 !== document.sha256) await this.storage.put(sha256, Readable.from([bytes]));
    return sha256;
  }

  /** The PDF an e-invoice is shown by: the one it carries, or one drawn from its data (also where the carried one cannot be opened). */
  private async storePreview(document: Document, outcome: Extract<ReadOutcome, { kind: "INVOICE" }>): Promise<{ sha256: string; pageCount: number }> {
    const carried = outcome.rendition ? await pageCountOf(outcome.rendition) : null;
    const pdf = carried ? outcome.rendition! : await renderInvoicePdf(outcome.invoice);
    return { sha256: await this.storeBlob(document, pdf), pageCount: carried ?? (await pageCountOf(pdf))! };
  }

  private statementDetails(outcome: Extract<ReadOutcome, { kind: "BANK_STATEMENT" }>) {
    return {
      statements: outcome.statements.map((s) => ({ account: s.account, number: s.number, sequence: s.sequence, entries: s.entries.length, closing: String(s.closing.cents) })),
    };
  }
}
