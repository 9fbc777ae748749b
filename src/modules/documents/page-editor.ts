// Sorting scans: split, remove, reorder and rotate pages in one operation, or merge documents
// (images become PDF pages). The originals are kept for history (replacedAt); the new documents
// take their place on the desk or in the tray.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireActor, type Viewer } from "../../core/actor.js";
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import type { BlobStorage } from "../../storage/blob-storage.js";
import { Document, uploadedBy } from "./document.entity.js";
import type { DocumentJournal } from "./document-journal.js";
import { queueNewDocumentWork } from "./document-maintenance.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import { assertChangeable, findVisibleDocument } from "./document.policy.js";
import { findFolderWithAccess } from "../archive/archive.policy.js";
import { FolderAccess } from "../archive/archive-grant.entity.js";
import { DocumentFormat, FORMATS } from "../files/file-format.js";
import { filenameProblem, normaliseFilename } from "../files/filename.js";
import { concatenatePdfs, imageToPdf, pdfPageCount, PdfToolError, selectPages } from "../files/pdf-tools.js";
import { copyBlobToFile, sha256OfFile, withWorkDir } from "../files/work-files.js";

export interface PageOutput {
  /** 1-based pages of the source, in the wanted order. */
  pages: number[];
  /** Clockwise degrees for every page of this output: 0, 90, 180 or 270 (or -90 …). */
  rotate?: number | null;
}

const MAX_OUTPUTS = 100;
const MAX_PAGES = 5000;
const MAX_MERGE = 100;

const stem = (filename: string) => filename.replace(/\.[A-Za-z0-9]{1,5}$/, "");

/** A PDF made from sources and stored, not yet a document. */
interface MadeFile {
  sha256: string;
  byteSize: number;
  pageCount: number;
  filename: string;
}

/** What a page operation's result depends on: a source that differs after the build is refused (STALE). */
const snapshot = (d: Document) => [d.sha256, d.filename, d.location, d.tray, d.folderId, d.status, d.pageCount].join("|");

export class PageEditor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: BlobStorage,
    private readonly journal: DocumentJournal,
    private readonly jobs: JobQueue,
    private readonly tempDir: string,
    private readonly maxImagePixels: number,
  ) {}

  /** The document's content as a PDF file in `dir` (images are converted). */
  private async asPdf(document: Document, dir: string): Promise<string> {
    const source = path.join(dir, `${document.id}.src`);
    await copyBlobToFile(this.storage, document.sha256, source);
    if (document.format === DocumentFormat.PDF) return source;
    const pdf = path.join(dir, `${document.id}.pdf`);
    try {
      await imageToPdf(source, document.format, pdf, this.maxImagePixels);
    } catch (error) {
      if (error instanceof PdfToolError)
        throw new UserError(UserErrorCode.INVALID, { en: `"${document.filename}": ${error.message}`, nl: `"${document.filename}": ${error.text.nl}` }, []);
      throw error;
    }
    return pdf;
  }

  /** Stores a made PDF as a blob (no row refers to it until the insert commits; the sweep removes it otherwise). */
  private async store(file: string, filename: string): Promise<MadeFile> {
    const sha256 = await sha256OfFile(file);
    const byteSize = (await fs.stat(file)).size;
    const pageCount = await pdfPageCount(file);
    await this.storage.putFile(sha256, file);
    return { sha256, byteSize, pageCount, filename };
  }

  /** Inserts the document of a made file in the place of `model`. */
  private async insertDerived(manager: EntityManager, actor: Actor, made: MadeFile, model: Document, sources: Document[]): Promise<Document> {
    const { sha256, byteSize, pageCount, filename } = made;
    const document = manager.getRepository(Document).create({
      id: randomUUID(),
      firmId: model.firmId,
      administrationId: model.administrationId,
      filename,
      contentType: FORMATS.PDF.contentType,
      format: DocumentFormat.PDF,
      byteSize,
      sha256,
      pageCount,
      location: model.location,
      tray: model.tray,
      folderId: model.folderId,
      status: model.status,
      ...uploadedBy(actor),
      uploadedAt: new Date(),
      submittedAt: model.submittedAt,
      returnReason: model.returnReason,
      returnedAt: model.returnedAt,
      duplicateOfId: null,
      derivedFromIds: sources.map((s) => s.id),
      // What the law keeps, the copy keeps: the longest retention of its sources.
      retainUntil: sources.reduce<string | null>((max, s) => (s.retainUntil && (!max || s.retainUntil > max) ? s.retainUntil : max), null),
      documentDate: model.documentDate,
      notes: model.notes,
    });
    await manager.getRepository(Document).insert(document);
    await this.journal.record(manager, actor, document, {
      action: "document.derived",
      change: "ADDED",
      details: { from: sources.map((s) => ({ id: s.id, filename: s.filename })), pageCount, sha256 },
    });
    await queueNewDocumentWork(this.jobs, manager, document);
    return document;
  }

  private async replace(manager: EntityManager, actor: Actor, originals: Document[], made: Document[], action: string) {
    for (const original of originals) {
      await manager.getRepository(Document).update({ id: original.id }, { replacedAt: new Date() });
      await this.journal.record(manager, actor, original, {
        action,
        change: "REPLACED",
        details: { into: made.map((d) => ({ id: d.id, filename: d.filename, pageCount: d.pageCount })) },
      });
    }
  }

  /**
   * Runs a page operation in three steps, so no row lock is held while PDFs are made: lock and check
   * the sources (`check`, in a transaction), make the files outside any transaction (`build`), then
   * lock and check again, refuse if a source changed meanwhile, and insert the results (`commit`).
   */
  private async inSteps<T>(
    /** The input field naming the source at `index` (for a STALE refusal). */
    sourceField: (index: number) => string[],
    check: (manager: EntityManager) => Promise<Document[]>,
    build: (sources: Document[], dir: string) => Promise<MadeFile[]>,
    commit: (manager: EntityManager, sources: Document[], made: MadeFile[]) => Promise<T>,
  ): Promise<T> {
    const sources = await inTransaction(this.dataSource, check);
    return withWorkDir(this.tempDir, "pages-", async (dir) => {
      const made = await build(sources, dir);
      return inTransaction(this.dataSource, async (manager) => {
        const again = await check(manager);
        const changed = again.findIndex((d, i) => snapshot(d) !== snapshot(sources[i]!));
        if (changed >= 0) {
          throw new UserError(
            UserErrorCode.STALE,
            {
              en: `"${again[changed]!.filename}" changed while its pages were being made; look again and retry`,
              nl: `"${again[changed]!.filename}" is gewijzigd terwijl de pagina's werden gemaakt; bekijk het opnieuw en probeer het nog eens`,
            },
            sourceField(changed),
          );
        }
        return commit(manager, again, made);
      });
    });
  }

  /**
   * One page-editing operation on a document: each output becomes a new document with the given
   * pages in the given order, rotated; pages in no output are dropped.
   */
  async editPages(viewer: Viewer, input: { documentId: string; outputs: PageOutput[] }): Promise<Document[]> {
    const actor = requireActor(viewer);
    return this.inSteps(
      () => ["documentId"],
      async (manager) => {
        const source = await findVisibleDocument(manager, actor, input.documentId, true);
        assertChangeable(source, ["documentId"]);
        if (source.folderId) await findFolderWithAccess(manager, actor, source.folderId, FolderAccess.MANAGE);
        if (!FORMATS[source.format].pdfPages) {
          throw new UserError(
            UserErrorCode.INVALID,
            { en: `"${source.filename}" has no pages to edit (${source.format})`, nl: `"${source.filename}" heeft geen pagina's om te bewerken (${source.format})` },
            ["documentId"],
          );
        }
        const pageCount = source.pageCount ?? 1;
        if (input.outputs.length === 0) throw new UserError(UserErrorCode.INVALID, { en: "Give at least one output", nl: "Geef ten minste één nieuw document op" }, ["outputs"]);
        if (input.outputs.length > MAX_OUTPUTS)
          throw new UserError(UserErrorCode.INVALID, { en: `At most ${MAX_OUTPUTS} outputs at once`, nl: `Maximaal ${MAX_OUTPUTS} nieuwe documenten tegelijk` }, ["outputs"]);
        if (input.outputs.some((o) => o.pages.length > MAX_PAGES))
          throw new UserError(UserErrorCode.INVALID, { en: `At most ${MAX_PAGES} pages per output`, nl: `Maximaal ${MAX_PAGES} pagina's per nieuw document` }, ["outputs"]);
        throwIfAny(
          input.outputs.flatMap((output, i) => {
            const field = ["outputs", String(i)];
            if (output.pages.length === 0)
              return [new UserError(UserErrorCode.INVALID, { en: `Output ${i + 1} has no pages`, nl: `Nieuw document ${i + 1} heeft geen pagina's` }, [...field, "pages"])];
            const wrong = output.pages.find((p) => !Number.isInteger(p) || p < 1 || p > pageCount);
            if (wrong !== undefined)
              return [
                new UserError(
                  UserErrorCode.INVALID,
                  { en: `Page ${wrong} does not exist (the document has ${pageCount})`, nl: `Pagina ${wrong} bestaat niet (het document heeft er ${pageCount})` },
                  [...field, "pages"],
                ),
              ];
            if ((output.rotate ?? 0) % 90 !== 0)
              return [new UserError(UserErrorCode.INVALID, { en: "Rotate by a multiple of 90 degrees", nl: "Draai met een veelvoud van 90 graden" }, [...field, "rotate"])];
            return [];
          }),
        );
        return [source];
      },
      async ([source], dir) => {
        const pdf = await this.asPdf(source!, dir);
        const made: MadeFile[] = [];
        for (const [i, output] of input.outputs.entries()) {
          const out = path.join(dir, `out-${i}.pdf`);
          await selectPages(pdf, { pages: output.pages, rotate: (((output.rotate ?? 0) % 360) + 360) % 360 }, out);
          const name = input.outputs.length > 1 ? `${stem(source!.filename)} (${i + 1} of ${input.outputs.length}).pdf` : `${stem(source!.filename)}.pdf`;
          made.push(await this.store(out, name));
        }
        return made;
      },
      async (manager, [source], files) => {
        const made: Document[] = [];
        for (const file of files) made.push(await this.insertDerived(manager, actor, file, source!, [source!]));
        await this.replace(manager, actor, [source!], made, "document.pages_edited");
        return made;
      },
    );
  }

  /** Merges documents (PDFs and images) into one PDF, in the order given, in the first one's place. */
  async merge(viewer: Viewer, input: { documentIds: string[]; filename?: string | null }): Promise<Document> {
    const actor = requireActor(viewer);
    const unique = [...new Set(input.documentIds)];
    if (unique.length < 2)
      throw new UserError(UserErrorCode.INVALID, { en: "Choose at least two documents to merge", nl: "Kies ten minste twee documenten om samen te voegen" }, ["documentIds"]);
    if (unique.length > MAX_MERGE)
      throw new UserError(UserErrorCode.INVALID, { en: `At most ${MAX_MERGE} documents at once`, nl: `Maximaal ${MAX_MERGE} documenten tegelijk` }, ["documentIds"]);
    if (input.filename) {
      const problem = filenameProblem(input.filename, ["filename"]);
      if (problem) throw problem;
    }
    return this.inSteps(
      (index) => ["documentIds", String(index)],
      async (manager) => {
        // Lock in id order (no deadlocks), merge in the order given.
        const locked = new Map<string, Document>();
        for (const id of [...unique].sort()) locked.set(id, await findVisibleDocument(manager, actor, id, true));
        const sources = unique.map((id) => locked.get(id)!);
        if (new Set(sources.map((s) => s.administrationId)).size > 1) {
          throw new UserError(UserErrorCode.INVALID, { en: "The documents belong to different administrations", nl: "De documenten horen bij verschillende administraties" }, [
            "documentIds",
          ]);
        }
        sources.forEach((s, i) => assertChangeable(s, ["documentIds", String(i)]));
        // Merging never moves a document between places: all must be where the first one is.
        const place = (d: Document) => [d.location, d.tray, d.folderId, d.status].join("|");
        const elsewhere = sources.findIndex((s) => place(s) !== place(sources[0]!));
        if (elsewhere > 0) {
          throw new UserError(
            UserErrorCode.INVALID,
            {
              en: `"${sources[elsewhere]!.filename}" is in another place or state than "${sources[0]!.filename}"; merge documents that are together`,
              nl: `"${sources[elsewhere]!.filename}" staat op een andere plek of heeft een andere status dan "${sources[0]!.filename}"; voeg alleen documenten samen die bij elkaar staan`,
            },
            ["documentIds", String(elsewhere)],
          );
        }
        for (const source of sources) if (source.folderId) await findFolderWithAccess(manager, actor, source.folderId, FolderAccess.MANAGE);
        throwIfAny(
          sources.flatMap((s, i) =>
            FORMATS[s.format].pdfPages
              ? []
              : [
                  new UserError(UserErrorCode.INVALID, { en: `"${s.filename}" cannot be merged (${s.format})`, nl: `"${s.filename}" kan niet worden samengevoegd (${s.format})` }, [
                    "documentIds",
                    String(i),
                  ]),
                ],
          ),
        );
        return sources;
      },
      async (sources, dir) => {
        const pdfs: string[] = [];
        for (const source of sources) pdfs.push(await this.asPdf(source, dir));
        const out = path.join(dir, "merged.pdf");
        await concatenatePdfs(pdfs, out);
        return [await this.store(out, input.filename ? normaliseFilename(input.filename) : `${stem(sources[0]!.filename)} (merged).pdf`)];
      },
      async (manager, sources, [file]) => {
        const merged = await this.insertDerived(manager, actor, file!, sources[0]!, sources);
        await this.replace(manager, actor, sources, [merged], "document.merged");
        return merged;
      },
    );
  }
}
