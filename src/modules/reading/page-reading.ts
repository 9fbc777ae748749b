// The background reading of a document's pages: each page's text layer where it has one, else OCR
// (Tesseract in a child process), stored page by page with its word boxes. A run works for at most
// RUN_SECONDS and then queues its own continuation, so no scan is bound by a job's time limit, a
// restart loses at most the pages in flight, and a 300-page scan takes turns with the photo
// uploaded after it. When the last page is stored, the pages' text becomes the document's
// searchable text and the reading of its data (invoice fields) is queued.
import fs from "node:fs/promises";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import { storableText } from "../../core/text.js";
import { Document, PagesState } from "../documents/document.entity.js";
import { DocumentFormat, FORMATS } from "../files/file-format.js";
import { imageWords, pageText, pdfPageWords, type PageWords } from "../files/page-words.js";
import { pdfPageCount, PdfToolError } from "../files/pdf-tools.js";
import { copyBlobToFile, withWorkDir } from "../files/work-files.js";
import { type PageSummary, type SplitSuggestion, suggestSplits } from "./split-suggestions.js";

/** A run stops taking new pages after this long and queues its continuation (jobs expire after 300 s). */
const RUN_SECONDS = 120;
/** Progress is announced at most this often while pages are read. */
const PROGRESS_EVERY_MS = 2000;
/** The searchable text kept of a document (its first pages, when it is longer). */
const MAX_TEXT_CHARS = 1_000_000;
/** Between pages in the searchable text. */
const PAGE_BREAK = "\n\f\n";

/** Scans longer than this are not examined for cuts (their pages' text is read on every look). */
const MAX_SPLIT_PAGES = 2000;

/** A page as read; `problem` when it could not be drawn (kept as blank). */
type PageRead = PageWords & { problem?: string };

export interface PageReadingOptions {
  /** Pages read side by side (one Tesseract each). */
  concurrency: number;
  languages: string;
  tempDir: string;
  maxImagePixels: number;
}

export class PageReading {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly jobs: JobQueue,
    private readonly bus: EventBus,
    private readonly options: PageReadingOptions,
  ) {}

  /** Queues page reading for documents never read (from before this version, or a lost job), at most `limit`. */
  async queueUnread(limit: number): Promise<number> {
    const formats = Object.values(DocumentFormat).filter((f) => FORMATS[f].text === "pages");
    const rows = (await this.dataSource.query(
      "SELECT id FROM documents WHERE pages_state IS DISTINCT FROM 'DONE' AND pages_state IS DISTINCT FROM 'FAILED' AND removed_at IS NULL AND format = ANY($1) ORDER BY uploaded_at LIMIT $2",
      [formats, limit],
    )) as Array<{ id: string }>;
    for (const { id } of rows) await this.jobs.send(null, "document.read_pages", { documentId: id }, { singletonKey: id });
    return rows.length;
  }

  /** Where to cut a scan holding several documents, from its pages' text; none until they are read. */
  async splitSuggestions(document: Document): Promise<SplitSuggestion[]> {
    if (document.pagesState !== PagesState.DONE || (document.pagesTotal ?? 0) < 2 || document.pagesTotal! > MAX_SPLIT_PAGES) return [];
    const pages = (await this.dataSource.query("SELECT page_number, source, text, barcodes FROM document_pages WHERE document_id = $1 ORDER BY page_number", [
      document.id,
    ])) as Array<{
      page_number: number;
      source: PageSummary["source"];
      text: string;
      barcodes: string[];
    }>;
    return suggestSplits(pages.map((p) => ({ pageNumber: p.page_number, source: p.source, text: p.text, barcodes: p.barcodes })));
  }

  /** Reads the document's pages not read yet, for up to RUN_SECONDS; idempotent (a page read is never read again). */
  async read(documentId: string): Promise<void> {
    const document = await this.dataSource.getRepository(Document).findOneBy({ id: documentId });
    if (!document || document.removedAt || document.pagesState === PagesState.DONE || document.pagesState === PagesState.FAILED) return;
    if (FORMATS[document.format].text !== "pages") return;
    // Its own prefix: the page editor's "pages-" folders say an edit is being built (a test watches them).
    await withWorkDir(this.options.tempDir, "read-", async (dir) => {
      const source = path.join(dir, "source");
      await copyBlobToFile(this.storage, document.sha256, source);
      let total: number;
      try {
        total = document.format === DocumentFormat.PDF ? await pdfPageCount(source) : 1;
      } catch (error) {
        if (error instanceof PdfToolError && !/not installed/.test(error.message)) return this.fail(document, `The file cannot be opened as pages: ${error.message}`);
        throw error;
      }
      await this.dataSource.query("UPDATE documents SET pages_state = 'RUNNING', pages_total = $2 WHERE id = $1", [documentId, total]);
      const done = new Set(
        ((await this.dataSource.query("SELECT page_number FROM document_pages WHERE document_id = $1", [documentId])) as Array<{ page_number: number }>).map((r) => r.page_number),
      );
      const todo = Array.from({ length: total }, (_, i) => i + 1).filter((page) => !done.has(page));
      const finished = await this.readPages(document, source, dir, todo);
      if (finished) await this.finish(document);
      else await this.jobs.send(null, "document.read_pages", { documentId });
    });
  }

  /** Reads `pages` side by side until all are stored (true) or the run's time is up (false). */
  private async readPages(document: Document, source: string, dir: string, pages: number[]): Promise<boolean> {
    const deadline = Date.now() + RUN_SECONDS * 1000;
    let next = 0;
    let announced = Date.now();
    const worker = async () => {
      while (next < pages.length && Date.now() < deadline) {
        const page = pages[next++]!;
        const words = await this.readPage(document, source, dir, page);
        await this.storePage(document.id, page, words);
        if (Date.now() - announced > PROGRESS_EVERY_MS) {
          announced = Date.now();
          await this.announce(document, "UPDATED");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
    return next >= pages.length;
  }

  private async readPage(document: Document, source: string, dir: string, page: number): Promise<PageRead> {
    const pageDir = path.join(dir, `p${page}`);
    await fs.mkdir(pageDir);
    try {
      if (document.format === DocumentFormat.PDF) return await pdfPageWords(source, page, pageDir, this.options.languages);
      return await imageWords(source, pageDir, this.options.languages, this.options.maxImagePixels);
    } catch (error) {
      // A page that cannot be drawn (damaged, or too large) is kept as blank; a missing tool is retried.
      if (error instanceof PdfToolError && !/not installed/.test(error.message)) return { source: "BLANK", rotation: 0, words: [], barcodes: [], problem: error.message };
      throw error;
    } finally {
      await fs.rm(pageDir, { recursive: true, force: true });
    }
  }

  private async storePage(documentId: string, page: number, read: PageRead): Promise<void> {
    const confidence = read.words.length ? read.words.reduce((sum, w) => sum + w.confidence, 0) / read.words.length : null;
    await this.dataSource.query(
      `WITH stored AS (
         INSERT INTO document_pages (document_id, page_number, source, rotation, text, words, confidence, barcodes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $9) ON CONFLICT DO NOTHING RETURNING 1)
       UPDATE documents SET pages_done = pages_done + (SELECT count(*) FROM stored)::int,
         pages_problem = CASE WHEN $8::text IS NULL THEN pages_problem ELSE concat_ws('; ', pages_problem, $8::text) END
       WHERE id = $1`,
      [
        documentId,
        page,
        read.source,
        read.rotation,
        storableText(pageText(read.words)),
        JSON.stringify(read.words),
        confidence,
        read.problem ? `page ${page}: ${read.problem}` : null,
        read.barcodes.map(storableText),
      ],
    );
  }

  /** All pages stored: their text becomes searchable, and the document's data is read from their words. */
  private async finish(document: Document): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const [, updated] = (await manager.query(
        `UPDATE documents SET pages_state = 'DONE', text_extracted_at = now(),
           body_text = nullif(left((SELECT string_agg(text, $2 ORDER BY page_number) FROM document_pages WHERE document_id = $1), $3), ''),
           -- a document read before its pages were (from before this version) is read again from them
           data_read_at = CASE WHEN data_kind IS NULL THEN NULL ELSE data_read_at END
         WHERE id = $1 AND pages_state IS DISTINCT FROM 'DONE'`,
        [document.id, PAGE_BREAK, MAX_TEXT_CHARS],
      )) as [unknown, number];
      if (!updated) return;
      await this.jobs.send(manager, "document.read_data", { documentId: document.id }, { singletonKey: document.id });
      await this.announce(document, "TEXT_READ", manager);
    });
  }

  private async fail(document: Document, problem: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await manager.query("UPDATE documents SET pages_state = 'FAILED', pages_problem = $2, text_extracted_at = now() WHERE id = $1", [document.id, problem]);
      await this.jobs.send(manager, "document.read_data", { documentId: document.id }, { singletonKey: document.id });
      await this.announce(document, "UPDATED", manager);
    });
  }

  private announce(document: Document, change: "UPDATED" | "TEXT_READ", manager?: EntityManager): Promise<void> {
    const event = { topic: "document.changed", administrationId: document.administrationId, documentId: document.id, change } as const;
    return manager ? this.bus.publish(manager, event) : inTransaction(this.dataSource, (m) => this.bus.publish(m, event));
  }
}
