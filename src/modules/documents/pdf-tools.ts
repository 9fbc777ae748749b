// PDF work done by qpdf and poppler in child processes: they read and write files on disk, so a
// large scan never has to fit in this process's memory. Images become PDF pages with pdf-lib.
import { execFile as execFileCb } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PDFDocument } from "pdf-lib";
import sharp from "sharp";
import { DocumentFormat } from "./file-sniffer.js";

const execFile = promisify(execFileCb);

export class PdfToolError extends Error {}

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

/** A one-page PDF showing the image at `file` at its own size (72 dpi points per pixel, capped to A4-ish). */
export async function imageToPdf(file: string, format: DocumentFormat, out: string): Promise<void> {
  const pdf = await PDFDocument.create();
  let bytes = await fs.readFile(file);
  let kind: "jpg" | "png" = format === DocumentFormat.JPEG ? "jpg" : "png";
  if (format !== DocumentFormat.JPEG && format !== DocumentFormat.PNG) {
    try {
      bytes = await sharp(bytes).png().toBuffer();
    } catch {
      throw new PdfToolError(`a ${format} image cannot be converted to PDF on this server`);
    }
    kind = "png";
  }
  // Respect the camera's orientation before embedding.
  if (kind === "jpg") bytes = await sharp(bytes).rotate().jpeg({ quality: 92 }).toBuffer();
  const image = kind === "jpg" ? await pdf.embedJpg(bytes) : await pdf.embedPng(bytes);
  const scale = Math.min(1, 595 / image.width, 842 / image.height) || 1;
  const width = Math.max(1, image.width * scale);
  const height = Math.max(1, image.height * scale);
  const page = pdf.addPage([width, height]);
  page.drawImage(image, { x: 0, y: 0, width, height });
  await fs.writeFile(out, await pdf.save());
}

/** A PNG of page `page` (PDF; default the first) or of the image, at most `size` pixels on its longest side. */
export async function thumbnailPng(file: string, format: DocumentFormat, out: string, size = 320, page = 1): Promise<void> {
  if (format === DocumentFormat.PDF) {
    const prefix = out.replace(/\.png$/, "");
    try {
      await execFile("pdftoppm", ["-png", "-f", String(page), "-l", String(page), "-singlefile", "-scale-to", String(size), file, prefix]);
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") throw new PdfToolError("pdftoppm is not installed (run scripts/install-system-deps.sh)");
      throw new PdfToolError(`could not render page ${page}`);
    }
    if (path.resolve(`${prefix}.png`) !== path.resolve(out)) await fs.rename(`${prefix}.png`, out);
    return;
  }
  await sharp(file, { limitInputPixels: 100_000_000 }).rotate().resize(size, size, { fit: "inside", withoutEnlargement: true }).png().toFile(out);
}

/** The text layer of a PDF (first 200 pages), by pdftotext; empty for a scan without text. */
export async function pdfText(file: string, maxChars: number): Promise<string> {
  try {
    const { stdout } = await execFile("pdftotext", ["-l", "200", "-enc", "UTF-8", "-q", file, "-"], { maxBuffer: maxChars * 4 });
    return stdout.slice(0, maxChars);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") throw new PdfToolError("pdftotext is not installed (run scripts/install-system-deps.sh)");
    return ""; // an unreadable text layer: searchable by name and notes only
  }
}
