// How well are invoice and receipt fields read, and how fast and lean is OCR? On a generated corpus
// (bench/corpus: Dutch invoices and receipts with known fields, born-digital PDFs and degraded
// photos and scans of them) each document is read as the background job reads it — its pages'
// words (text layer, else Tesseract), then the fields — and compared with the truth: precision,
// recall and F1 per field, for the born-digital and for the degraded set. Then a long scan is OCR'd
// page by page as the job does (OCR_CONCURRENCY wide), reporting pages per second per core and this
// process's memory growth (Tesseract runs in child processes, one page each).
// Run: node --import tsx bench/ocr.bench.ts [documents=24] [longScanPages=300] [degradedPerDocument=2] [seed=7]
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { imageWords, pdfPageWords, type PageWords } from "../src/modules/files/page-words.js";
import { pdfPageCount } from "../src/modules/files/pdf-tools.js";
import { invoiceFromText, type InvoiceFieldName, INVOICE_FIELDS, type TextPage } from "../src/modules/invoices/text-invoice.js";
import { type CorpusDocument, generateCorpus, makeLongScan } from "./corpus/invoice-corpus.js";

const documents = Number(process.argv[2] ?? 24);
const longPages = Number(process.argv[3] ?? 300);
const degradedPerDocument = Number(process.argv[4] ?? 2);
const seed = Number(process.argv[5] ?? 7);
const concurrency = Number(process.env.OCR_CONCURRENCY ?? 2);
const LANGUAGES = "nld+eng";
const NO_ONE = { name: null, vatNumber: null, kvkNumber: null, ibans: [] };

async function pagesOf(doc: { file: string; format: string }, dir: string): Promise<TextPage[]> {
  if (doc.format !== "PDF") return [{ pageNumber: 1, ...(await imageWords(doc.file, dir, LANGUAGES, 100_000_000)) }];
  const pages: TextPage[] = [];
  for (let page = 1; page <= Math.min(5, await pdfPageCount(doc.file)); page++) pages.push({ pageNumber: page, ...(await pdfPageWords(doc.file, page, dir, LANGUAGES)) });
  return pages;
}

type Counts = Record<InvoiceFieldName, { tp: number; fp: number; fn: number }>;
const emptyCounts = (): Counts => Object.fromEntries(INVOICE_FIELDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Counts;

/** A field read right is a true positive; read wrong, a false positive and a false negative; missed, a false negative; read where none is printed, a false positive. */
function score(counts: Counts, truth: CorpusDocument["truth"], read: Partial<Record<InvoiceFieldName, string>>, misses: string[]): void {
  for (const field of INVOICE_FIELDS) {
    const want = truth[field];
    const got = read[field];
    if (want !== undefined && got === want) counts[field].tp++;
    else {
      if (got !== undefined) counts[field].fp++;
      if (want !== undefined) counts[field].fn++;
      if (want !== undefined || got !== undefined) misses.push(`${field}: want ${want ?? "—"}, read ${got ?? "—"}`);
    }
  }
}

function report(name: string, counts: Counts): void {
  console.log(`\n${name}`);
  console.log("field              precision  recall   F1     (tp/fp/fn)");
  let all = { tp: 0, fp: 0, fn: 0 };
  for (const field of INVOICE_FIELDS) {
    const { tp, fp, fn } = counts[field];
    all = { tp: all.tp + tp, fp: all.fp + fp, fn: all.fn + fn };
    if (tp + fp + fn === 0) continue;
    const p = tp / (tp + fp || 1);
    const r = tp / (tp + fn || 1);
    const f1 = p + r ? (2 * p * r) / (p + r) : 0;
    console.log(`${field.padEnd(18)} ${p.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(7)} ${f1.toFixed(3).padStart(6)}   (${tp}/${fp}/${fn})`);
  }
  const p = all.tp / (all.tp + all.fp || 1);
  const r = all.tp / (all.tp + all.fn || 1);
  console.log(`${"all fields".padEnd(18)} ${p.toFixed(3).padStart(9)} ${r.toFixed(3).padStart(7)} ${((2 * p * r) / (p + r || 1)).toFixed(3).padStart(6)}`);
}

async function accuracy(dir: string): Promise<void> {
  const corpus = await generateCorpus({ outDir: path.join(dir, "corpus"), count: documents, seed, degradedPerDocument });
  const counts = { "born-digital": emptyCounts(), degraded: emptyCounts() };
  const misses: string[] = [];
  const started = Date.now();
  for (const doc of corpus) {
    const work = await fs.mkdtemp(path.join(dir, "w-"));
    const pages = await pagesOf(doc, work);
    await fs.rm(work, { recursive: true, force: true });
    const read = invoiceFromText(pages, NO_ONE);
    const values = Object.fromEntries((read?.fields ?? []).map((f) => [f.name, f.value]));
    const before = misses.length;
    score(counts[doc.variant], doc.truth, values, misses);
    if (misses.length > before && process.env.VERBOSE) console.log(`${doc.id} [${doc.degradations.join(",")}]\n  ${misses.slice(before).join("\n  ")}`);
  }
  console.log(`corpus: ${corpus.length} documents (${documents} born-digital, ${corpus.length - documents} degraded), read in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  report("born-digital PDFs (text layer)", counts["born-digital"]);
  report("degraded photos and scans (OCR)", counts.degraded);
}

async function longScan(dir: string): Promise<void> {
  const file = path.join(dir, "long.pdf");
  await makeLongScan(file, longPages, { seed: 3 });
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = Date.now();
  let next = 1;
  let words = 0;
  const worker = async () => {
    while (next <= longPages) {
      const page = next++;
      const work = await fs.mkdtemp(path.join(dir, "p-"));
      const read: PageWords = await pdfPageWords(file, page, work, LANGUAGES);
      words += read.words.length;
      await fs.rm(work, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  console.log(`\n${longPages}-page scan (${((await fs.stat(file)).size / 1024 ** 2).toFixed(1)} MB), OCR_CONCURRENCY ${concurrency} on ${os.cpus().length} cores:`);
  console.log(
    `  ${seconds.toFixed(0)} s, ${(longPages / seconds).toFixed(2)} pages/s, ${(longPages / seconds / Math.min(concurrency, os.cpus().length)).toFixed(2)} pages/s per core, ${words} words`,
  );
  console.log(
    `  this process's memory: rss ${(baseline / 1024 ** 2).toFixed(0)} → peak ${(peak / 1024 ** 2).toFixed(0)} MB (growth ${((peak - baseline) / 1024 ** 2).toFixed(0)} MB)`,
  );
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ocr-bench-"));
try {
  await accuracy(dir);
  if (longPages > 0) await longScan(dir);
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
