// Background work on documents: first-page thumbnails, text for search, and the sweep that removes
// blobs no row refers to (an upload whose transaction never committed, a document removed long ago).
import fs from "node:fs/promises";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import type { JobQueue } from "../../jobs/job-queue.js";
import { SYSTEM } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import { Document } from "./document.entity.js";
import { storableText } from "../../core/text.js";
import { DocumentFormat, FORMATS } from "../files/file-format.js";
import { PdfToolError, thumbnailPng } from "../files/pdf-tools.js";
import { copyBlobToFile, sha256OfFile, withWorkDir } from "../files/work-files.js";

const SWEEP_BATCH = 500;
const MAX_TEXT_CHARS = 1_000_000;

/** The words of an XML document (tags dropped), or plain text as it is. */
function textOfMarkup(content: string): string {
  return content
    .replace(/<[^>]*>/g, " ")
    .replace(/&(lt|gt|amp|quot|apos);/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** What a document's pages are drawn from: its own file where it has pages, else its preview PDF; null when neither. */
export function previewSource(document: Pick<Document, "format" | "sha256" | "previewSha256">): { key: string; format: DocumentFormat } | null {
  if (document.previewSha256) return { key: document.previewSha256, format: DocumentFormat.PDF };
  return FORMATS[document.format].thumbnail ? { key: document.sha256, format: document.format } : null;
}

/**
 * A new document's thumbnail, searchable text and data, queued in `manager`'s transaction: made only
 * if it commits. A document with pages has them read first (the reading module's page queue), which
 * then queues the reading of its data from their words; any other has its text and data read at once.
 */
export async function queueNewDocumentWork(jobs: JobQueue, manager: EntityManager, document: Pick<Document, "id" | "format">): Promise<void> {
  const documentId = document.id;
  await jobs.send(manager, "document.thumbnail", { documentId });
  if (FORMATS[document.format].text === "pages") {
    await jobs.send(manager, "document.read_pages", { documentId }, { singletonKey: documentId });
    return;
  }
  await jobs.send(manager, "document.extract_text", { documentId });
  await jobs.send(manager, "document.read_data", { documentId });
}

/**
 * Gives a document without pages of its own a PDF that shows it (its blob stored by the caller), in
 * the caller's transaction, and queues its thumbnail from that PDF.
 */
export async function attachPreview(jobs: JobQueue, manager: EntityManager, documentId: string, preview: { sha256: string; pageCount: number }): Promise<void> {
  await manager.query("UPDATE documents SET preview_sha256 = $2, preview_page_count = $3, thumbnail_sha256 = NULL WHERE id = $1", [documentId, preview.sha256, preview.pageCount]);
  await jobs.send(manager, "document.thumbnail", { documentId });
}

export class DocumentMaintenance {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly bus: EventBus,
    private readonly tempDir: string,
    private readonly maxImagePixels: number,
    private readonly log: (level: "info" | "warn", message: string, extra?: object) => void,
    /** "table.column" of every column holding blob keys (the modules declare them). */
    private readonly blobColumns: readonly string[],
  ) {
    if (blobColumns.length === 0 || blobColumns.some((c) => !/^[a-z_]+\.[a-z_0-9]+$/.test(c))) throw new Error(`blob columns must be table.column: ${blobColumns.join(", ")}`);
  }

  /** Makes the document's thumbnail once; idempotent (a retried job finds it done). */
  async makeThumbnail(documentId: string): Promise<void> {
    const document = await this.dataSource.getRepository(Document).findOneBy({ id: documentId });
    if (!document || document.thumbnailSha256 || document.removedAt) return;
    const shown = previewSource(document);
    if (!shown) return;
    await withWorkDir(this.tempDir, "thumb-", async (dir) => {
      const source = path.join(dir, "source");
      const out = path.join(dir, "thumbnail.png");
      await copyBlobToFile(this.storage, shown.key, source);
      try {
        await thumbnailPng(source, shown.format, out, { maxPixels: this.maxImagePixels });
      } catch (error) {
        // Some files cannot be rendered here (e.g. HEIC without a decoder): no thumbnail, no retry.
        if (error instanceof PdfToolError && !/not installed/.test(error.message)) return;
        if (!(error instanceof PdfToolError) && !FORMATS[shown.format].pageImages) return;
        throw error;
      }
      const sha256 = await sha256OfFile(out);
      await this.storage.putFile(sha256, out);
      await inTransaction(this.dataSource, async (manager) => {
        const result = await manager
          .createQueryBuilder()
          .update(Document)
          .set({ thumbnailSha256: sha256 })
          .where("id = :id AND thumbnail_sha256 IS NULL", { id: documentId })
          .execute();
        if (result.affected) {
          await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId, change: "UPDATED" });
        }
      });
    });
  }

  /** Extracts the text for search of a document without pages (XML text, MT940 as is); idempotent. Pages are read by the reading module. */
  async extractText(documentId: string): Promise<void> {
    const document = await this.dataSource.getRepository(Document).findOneBy({ id: documentId });
    if (!document || document.textExtractedAt || document.removedAt) return;
    const text = await withWorkDir(this.tempDir, "text-", async (dir) => {
      const source = path.join(dir, "source");
      await copyBlobToFile(this.storage, document.sha256, source);
      // PostgreSQL stores no NUL, and no control character helps a search: both are dropped.
      if (FORMATS[document.format].text === "markup") return storableText(textOfMarkup((await fs.readFile(source)).toString("utf8", 0, MAX_TEXT_CHARS * 2)));
      return "";
    });
    await inTransaction(this.dataSource, async (manager) => {
      const [, updated] = (await manager.query("UPDATE documents SET body_text = $2, text_extracted_at = now() WHERE id = $1 AND text_extracted_at IS NULL", [
        documentId,
        text.slice(0, MAX_TEXT_CHARS) || null,
      ])) as [unknown, number];
      if (updated) {
        await this.bus.publish(manager, { topic: "document.changed", administrationId: document.administrationId, documentId, change: "UPDATED" });
      }
    });
  }

  /** Removes blobs last written before `before` that no blob column of any module names. Returns how many. */
  async sweepBlobs(before: Date): Promise<number> {
    let removed = 0;
    let batch: string[] = [];
    const unreferenced = this.blobColumns
      .map((column) => {
        const [table, name] = column.split(".");
        return `NOT EXISTS (SELECT 1 FROM ${table} WHERE ${name} = key)`;
      })
      .join(" AND ");
    const flush = async () => {
      const rows = (await this.dataSource.query(`SELECT key FROM unnest($1::text[]) AS key WHERE ${unreferenced}`, [batch])) as Array<{ key: string }>;
      for (const { key } of rows) {
        await this.storage.delete(key);
        removed += 1;
      }
      batch = [];
    };
    for await (const key of this.storage.sweepCandidates(before)) {
      batch.push(key);
      if (batch.length >= SWEEP_BATCH) await flush();
    }
    if (batch.length) await flush();
    if (removed) this.log("info", "swept unreferenced blobs", { removed, actor: SYSTEM.label });
    return removed;
  }
}
