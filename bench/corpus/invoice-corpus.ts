// A benchmark corpus for reading invoices and till receipts: Dutch SME documents drawn as
// born-digital PDFs (with a text layer), plus degraded photos and scans of them, each with the truth
// of what is printed. Deterministic from a seed, so a bench run can be repeated exactly.
//
//   npx tsx bench/corpus/invoice-corpus.ts <outDir> <count> [seed] [degradedPerDocument]
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { A4, Canvas, INK, type Drawn } from "./canvas.js";
import { degrade, describe, imagePdf, planDegradation, renderPage, type DegradePlan, type PageImage, type Recipe } from "./degrade.js";
import { drawInvoice, INVOICE_LAYOUTS } from "./invoice-layout.js";
import { makeInvoice, makeReceipt, type DocumentModel, type FieldName, type Truth } from "./model.js";
import { chance, derive, type Rand } from "./random.js";
import { drawReceipt } from "./receipt-layout.js";
import { pickStyle } from "./style.js";
import { checkCorpusTruth } from "./truth-check.js";
import type { Mix } from "./vocabulary.js";

export type { FieldName } from "./model.js";
export { isValidBetalingskenmerk, isValidIban, isValidVatNumber, makeBetalingskenmerk, makeIban, makeKvkNumber, makeVatNumber, type BankCode } from "./identifiers.js";
export { mulberry32, type Rand } from "./random.js";
export { checkCorpusTruth, missingFromText, type TruthCheck } from "./truth-check.js";

export interface CorpusDocument {
  id: string;
  kind: "INVOICE" | "RECEIPT";
  variant: "born-digital" | "degraded";
  degradations: string[];
  /** Absolute path: a PDF with a text layer (born-digital), a JPEG/PNG photo, or an image-only PDF scan. */
  file: string;
  format: "PDF" | "JPEG" | "PNG";
  /** Only the fields actually printed on the document, in canonical form. */
  truth: Partial<Record<FieldName, string>>;
  /** Degraded only: the born-digital PDF it was made from. */
  source?: string;
}

const MIXES: Mix[] = ["21", "9", "21+9", "21+0"];

interface Generated {
  model: DocumentModel;
  drawn: Drawn;
}

/**
 * The `index`-th invoice of a seed. Layouts and VAT mixes take turns (offset against each other) so
 * that even a small corpus has every layout and every mix.
 */
async function invoice(rand: Rand, index: number, lineCount?: number): Promise<Generated> {
  const layout = INVOICE_LAYOUTS[index % INVOICE_LAYOUTS.length];
  const mix = MIXES[(index + Math.floor(index / INVOICE_LAYOUTS.length)) % MIXES.length];
  const lang = layout.name === "international" || chance(rand, 0.1) ? "en" : "nl";
  const style = pickStyle(rand, lang, layout.name === "plain" ? (chance(rand, 0.5) ? "Courier" : "Times") : undefined);
  const model = makeInvoice(rand, { mix, lang, lineCount });
  return { model, drawn: await drawInvoice(model, style, layout) };
}

async function receipt(rand: Rand): Promise<Generated> {
  const model = makeReceipt(rand);
  return { model, drawn: await drawReceipt(rand, model) };
}

/** Every fourth document is a till receipt. */
const isReceipt = (index: number) => index % 4 === 3;

function generate(seed: number, index: number): Promise<Generated> {
  const rand = derive(seed, "doc", index);
  return isReceipt(index) ? receipt(rand) : invoice(rand, index - Math.floor((index + 1) / 4));
}

const RECIPES: Recipe[] = ["photo", "scan", "png"];
const EXTENSIONS = { photo: ["jpg", "JPEG"], scan: ["pdf", "PDF"], png: ["png", "PNG"] } as const;

/** Receipts are mostly photographed; invoices take turns between photo, scan and PNG. */
const recipeFor = (kind: CorpusDocument["kind"], index: number, variant: number): Recipe =>
  kind === "RECEIPT" && variant === 0 ? "photo" : RECIPES[(index + variant) % RECIPES.length];

async function degradedFile(source: string, plan: DegradePlan, rand: Rand): Promise<Uint8Array> {
  const image = await degrade(await renderPage(source, 1, plan.dpi, plan.color), plan, rand);
  return plan.recipe === "scan" ? imagePdf([{ jpeg: image, dpi: plan.dpi }]) : image;
}

async function documentWithVariants(outDir: string, seed: number, index: number, degradedCount: number): Promise<CorpusDocument[]> {
  const { model, drawn } = await generate(seed, index);
  const base = `${model.kind === "RECEIPT" ? "rcpt" : "inv"}-${String(index + 1).padStart(3, "0")}`;
  const source = join(outDir, `${base}-born.pdf`);
  await writeFile(source, drawn.bytes);
  const born: CorpusDocument = { id: `${base}-born`, kind: model.kind, variant: "born-digital", degradations: [], file: source, format: "PDF", truth: drawn.truth };
  const docs = [born];
  for (let variant = 0; variant < degradedCount; variant++) {
    const rand = derive(seed, "degrade", index, variant);
    const plan = planDegradation(rand, recipeFor(model.kind, index, variant), model.kind === "RECEIPT");
    let id = `${base}-${plan.recipe}${plan.rotate ? `-rot${plan.rotate}` : ""}`;
    if (docs.some((doc) => doc.id === id)) id += `-${variant + 1}`;
    const [extension, format] = EXTENSIONS[plan.recipe];
    const file = join(outDir, `${id}.${extension}`);
    await writeFile(file, await degradedFile(source, plan, rand));
    docs.push({ id, kind: model.kind, variant: "degraded", degradations: describe(plan), file, format, truth: { ...drawn.truth }, source });
  }
  return docs;
}

/** Runs `work` over `items` at most `limit` at a time (the machines have two cores), keeping order. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Writes `count` documents (each born-digital plus `degradedPerDocument` degraded copies) and `truth.json` to `outDir`. */
export async function generateCorpus(options: { outDir: string; count: number; seed?: number; degradedPerDocument?: number }): Promise<CorpusDocument[]> {
  const outDir = resolve(options.outDir);
  const seed = options.seed ?? 1;
  await mkdir(outDir, { recursive: true });
  const indexes = Array.from({ length: options.count }, (_, i) => i);
  const docs = (await inPool(indexes, 2, (index) => documentWithVariants(outDir, seed, index, options.degradedPerDocument ?? 2))).flat();
  await writeFile(join(outDir, "truth.json"), JSON.stringify(docs, null, 2) + "\n");
  return docs;
}

/** Renders every page of a drawn PDF and scans it: grey, a little skew and noise, upright (a document feeder keeps pages upright). */
async function scanPages(bytes: Uint8Array, pages: number, rand: Rand): Promise<PageImage[]> {
  const dir = await mkdtemp(join(tmpdir(), "corpus-scan-"));
  try {
    const pdf = join(dir, "page.pdf");
    await writeFile(pdf, bytes);
    const images: PageImage[] = [];
    for (let page = 1; page <= pages; page++) {
      const plan = { ...planDegradation(rand, "scan"), rotate: 0 as const };
      images.push({ jpeg: await degrade(await renderPage(pdf, page, plan.dpi, false), plan, rand), dpi: plan.dpi });
    }
    return images;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An image-only PDF of `pages` pages cycling through up to six scanned invoices, each page with its own image object (as a real scan's size). */
export async function makeLongScan(out: string, pages: number, options: { seed?: number } = {}): Promise<void> {
  const seed = options.seed ?? 1;
  const distinct: PageImage[] = [];
  for (let index = 0; index < Math.min(pages, 6); index++) {
    const { drawn } = await invoice(derive(seed, "long", index), index);
    distinct.push((await scanPages(drawn.bytes, 1, derive(seed, "long-scan", index)))[0]);
  }
  const all = Array.from({ length: pages }, (_, page) => distinct[page % distinct.length]);
  await writeFile(out, await imagePdf(all));
}

/** A patch-code style separator sheet, as document scanners use to split batches. */
async function separatorSheet(): Promise<Uint8Array> {
  const c = await Canvas.create("Helvetica", A4, 12);
  [0, 1, 3, 4, 6].forEach((bar) => c.box(150 + bar * 45, 120, 30, 420, INK));
  c.text("SCHEIDINGSVEL", A4[0] / 2, 620, { size: 28, bold: true, align: "center" });
  c.text("Niet verwijderen - scheidt de documenten in deze scan", A4[0] / 2, 650, { align: "center" });
  return c.save();
}

/** An invoice with exactly `pages` pages: a two-page one gets lines added until the table flows over. */
async function invoiceOfPages(seed: number, index: number, pages: 1 | 2): Promise<Generated> {
  for (let lines = pages === 1 ? 0 : 14; ; lines++) {
    const generated = await invoice(derive(seed, "multi", index), index, lines || undefined);
    if (generated.drawn.pages === pages) return generated;
    if (generated.drawn.pages > pages) throw new Error(`invoice ${index} skipped past ${pages} pages`);
  }
}

/** Three invoices scanned as one image-only PDF (A: 1 page, B: 2 pages, C: 1 page), optionally with separator sheets between them. */
export async function makeMultiInvoiceScan(
  out: string,
  options: { seed?: number; separatorPage?: boolean } = {},
): Promise<{ invoices: Array<{ firstPage: number; lastPage: number; number: string; truth: Truth }> }> {
  const seed = options.seed ?? 1;
  const rand = derive(seed, "multi-scan");
  const generated = [await invoiceOfPages(seed, 0, 1), await invoiceOfPages(seed, 1, 2), await invoiceOfPages(seed, 2, 1)];
  const separator = options.separatorPage ? await scanPages(await separatorSheet(), 1, rand) : [];
  const images: PageImage[] = [];
  const invoices = [];
  for (const [i, { model, drawn }] of generated.entries()) {
    if (i > 0) images.push(...separator);
    const firstPage = images.length + 1;
    images.push(...(await scanPages(drawn.bytes, drawn.pages, rand)));
    invoices.push({ firstPage, lastPage: images.length, number: model.number, truth: drawn.truth });
  }
  await writeFile(out, await imagePdf(images));
  return { invoices };
}

function wholeNumber(text: string | undefined, name: string, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not ${text}`);
  return value;
}

async function main(args: string[]): Promise<void> {
  if (args.length < 2) throw new Error("usage: npx tsx bench/corpus/invoice-corpus.ts <outDir> <count> [seed] [degradedPerDocument]");
  const [outDir, count, seed, degraded] = args;
  const started = performance.now();
  const docs = await generateCorpus({
    outDir,
    count: wholeNumber(count, "count"),
    seed: wholeNumber(seed, "seed", 1),
    degradedPerDocument: wholeNumber(degraded, "degradedPerDocument", 2),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const checks = await inPool(docs, 4, checkCorpusTruth);
  const failed = checks.filter((check) => !check.ok);
  for (const check of failed) console.error(`${check.id}: missing ${check.missing.join(", ") || "-"}; ${check.problems.join("; ")}`);
  console.log(`${docs.length} documents in ${seconds} s written to ${resolve(outDir)} (truth.json); truth check: ${checks.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main(process.argv.slice(2));
