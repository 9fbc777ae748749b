// PDF work done by qpdf and poppler in child processes: they read and write files on disk, so a
// large scan never has to fit in this process's memory; poppler runs under an address-space limit,
// so a page that decodes to gigabytes fails instead of exhausting the machine. Images are decoded
// only by sharp (libvips, line by line) under a pixel limit read from the header first: a
// decompression bomb (a 100 kB PNG of 30000 × 30000 pixels) is refused before any decoding.
import { execFile as execFileCb } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import type { Localized } from "../../core/language.js";
import { DocumentFormat } from "./file-format.js";

const execFile = promisify(execFileCb);

/** A tool failed; `text` says why in both languages (a tool's own words, given as a string, are kept as they are). */
export class PdfToolError extends Error {
  readonly text: Localized;

  constructor(text: string | Localized) {
    super(typeof text === "string" ? text : text.en);
    this.text = typeof text === "string" ? { en: text, nl: text } : text;
  }
}

/** An image with more pixels than this server decodes. */
export class ImageTooLargeError extends PdfToolError {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super({
      en: `it is an image of ${width} × ${height} pixels; at most ${Math.floor(maxPixels / 1_000_000)} megapixels can be used`,
      nl: `het is een afbeelding van ${width} × ${height} pixels; er kunnen maximaal ${Math.floor(maxPixels / 1_000_000)} megapixels worden gebruikt`,
    });
  }
}

/** Address space a poppler child process may use (KiB): ample for rendering, fatal for a bomb. */
const POPPLER_MEMORY_KIB = 2 * 1024 * 1024;

/** Runs a poppler tool under `ulimit -v`, with the arguments passed through untouched by the shell. */
function poppler(tool: string, args: string[], options: { maxBuffer?: number } = {}) {
  return execFile("/bin/sh", ["-c", `ulimit -v ${POPPLER_MEMORY_KIB} && exec "$0" "$@"`, tool, ...args], { maxBuffer: options.maxBuffer ?? 1024 * 1024 });
}

/** Whether a poppler tool is missing (the shell reports 127). */
function notInstalled(error: unknown): boolean {
  return (error as { code?: number | string }).code === 127 || (error as { code?: string }).code === "ENOENT";
}

/** Width and height from the image's header (nothing decoded); refused above `maxPixels`. */
export async function checkImagePixels(file: string | Buffer, maxPixels: number): Promise<{ width: number; height: number }> {
  let header: { width?: number; height?: number };
  try {
    // Reading the header decodes nothing, so sharp's own pixel limit need not apply here.
    header = await sharp(file, { limitInputPixels: false }).metadata();
  } catch {
    throw new PdfToolError({ en: "it cannot be read as an image", nl: "het kan niet als afbeelding worden gelezen" });
  }
  const { width = 0, height = 0 } = header;
  if (width * height > maxPixels) throw new ImageTooLargeError(width, height, maxPixels);
  return { width, height };
}

/** A sharp pipeline that never decodes more than `maxPixels`. */
function decode(file: string | Buffer, maxPixels: number) {
  return sharp(file, { limitInputPixels: maxPixels, sequentialRead: true });
}

async function qpdf(args: string[]): Promise<string> {
  try {
    const { stdout } = await execFile("qpdf", args, { maxBuffer: 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 3) return failure.stdout ?? ""; // warnings only: the output is written
    if (failure.code === "ENOENT") throw new PdfToolError("qpdf is not installed (run scripts/install-system-deps.sh)");
    throw new PdfToolError((failure.stderr ?? String(error)).trim().split("\n")[0] ?? "qpdf failed");
  }
}

/** Number of pages, read by qpdf from the file itself; PdfToolError when it is not a readable PDF. */
export async function pdfPageCount(file: string): Promise<number> {
  const count = Number((await qpdf(["--show-npages", file])).trim());
  if (!Number.isInteger(count) || count < 0) throw new PdfToolError("could not read the page count");
  return count;
}

export interface PageSelection {
  /** 1-based page numbers in the wanted order (a page may appear more than once). */
  pages: number[];
  /** Clockwise rotation of every page of this output, in degrees: 0, 90, 180 or 270. */
  rotate: number;
}

/** Writes `out` with the selected pages of `source`, in order and rotated. */
export async function selectPages(source: string, selection: PageSelection, out: string): Promise<void> {
  const args = ["--empty", "--pages", source, selection.pages.join(","), "--"];
  if (selection.rotate % 360 !== 0) args.push(`--rotate=+${selection.rotate % 360}:1-z`);
  await qpdf([...args, out]);
}

/** Writes `out` with all pages of `sources`, one after the other. */
export async function concatenatePdfs(sources: string[], out: string): Promise<void> {
  await qpdf(["--empty", "--pages", ...sources, "--", out]);
}

/** Longest side of an image embedded in a PDF page: over 300 dpi on A4, and a bounded page size. */
const EMBED_MAX_SIDE = 4000;

/**
 * A one-page PDF showing the image at `file` (72 dpi points per pixel, capped to A4-ish). The image
 * is embedded as a JPEG made by sharp (camera orientation applied, transparency on white), so
 * pdf-lib only copies bytes and never decodes pixels itself.
 */
export async function imageToPdf(file: string, format: DocumentFormat, out: string, maxPixels: number): Promise<void> {
  await checkImagePixels(file, maxPixels);
  let bytes: Buffer;
  try {
    bytes = await decode(file, maxPixels)
      .rotate()
      .resize(EMBED_MAX_SIDE, EMBED_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 92 })
      .toBuffer();
  } catch {
    throw new PdfToolError({ en: `a ${format} image cannot be converted to PDF on this server`, nl: `een ${format}-afbeelding kan op deze server niet naar PDF worden omgezet` });
  }
  const pdf = await PDFDocument.create();
  const image = await pdf.embedJpg(bytes);
  const scale = Math.min(1, 595 / image.width, 842 / image.height) || 1;
  const width = Math.max(1, image.width * scale);
  const height = Math.max(1, image.height * scale);
  const page = pdf.addPage([width, height]);
  page.drawImage(image, { x: 0, y: 0, width, height });
  await fs.writeFile(out, await pdf.save());
}

/** A PNG of page `page` (PDF; default the first) or of the image, at most `size` pixels on its longest side. */
export async function thumbnailPng(file: string, format: DocumentFormat, out: string, options: { size?: number; page?: number; maxPixels: number }): Promise<void> {
  const { size = 320, page = 1, maxPixels } = options;
  if (format === DocumentFormat.PDF) {
    const prefix = out.replace(/\.png$/, "");
    try {
      await poppler("pdftoppm", ["-png", "-f", String(page), "-l", String(page), "-singlefile", "-scale-to", String(size), file, prefix]);
    } catch (error) {
      if (notInstalled(error)) throw new PdfToolError("pdftoppm is not installed (run scripts/install-system-deps.sh)");
      throw new PdfToolError(`could not render page ${page}`);
    }
    if (path.resolve(`${prefix}.png`) !== path.resolve(out)) await fs.rename(`${prefix}.png`, out);
    return;
  }
  await checkImagePixels(file, maxPixels);
  await decode(file, maxPixels).rotate().resize(size, size, { fit: "inside", withoutEnlargement: true }).png().toFile(out);
}
