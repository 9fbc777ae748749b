// The words on one page with where they are: from a PDF's text layer (pdftotext -bbox) or from an
// image by Tesseract OCR (orientation detected first, so a sideways photo reads right). Every tool
// runs in a child process under an address-space limit on files in a work folder, so neither a
// 300-page scan nor a huge photo is ever held in this process's memory; one page at a time.
import { execFile as execFileCb } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { barcodesOn } from "./page-barcodes.js";
import { checkImagePixels, PdfToolError } from "./pdf-tools.js";

const execFile = promisify(execFileCb);

/** A word, its box in fractions (0–1) of the upright page, and how sure the reader is of it (0–1). */
export interface PageWord {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  confidence: number;
}

export type PageSource = "TEXT" | "OCR" | "BLANK";

export interface PageWords {
  /** TEXT: the PDF's own text layer; OCR: recognised; BLANK: nothing found on it. */
  source: PageSource;
  /** Clockwise degrees the page was turned to read it (0, 90, 180, 270). */
  rotation: number;
  words: PageWord[];
  /** The texts of barcodes on a scanned page with little text (a separator sheet's code). */
  barcodes: string[];
}

/** A scanned page with fewer words than this is also looked at for barcodes. */
const BARCODE_PAGE_WORDS = 40;

/** Address space of a tool's child process (KiB): Tesseract on a 300 dpi A4 page needs ~200 MB. */
const TOOL_MEMORY_KIB = 2 * 1024 * 1024;
/** OCR resolution: Tesseract reads best at 300 dpi. */
const OCR_DPI = 300;
/** A photo is scaled down to this longest side (about 300 dpi on A4) before OCR. */
const OCR_MAX_SIDE = 3600;
/** A text layer with fewer letters or digits than this is treated as absent (a scanner's stray layer). */
const MIN_TEXT_LAYER_CHARS = 12;
/** Orientation is turned only when Tesseract is at least this sure of it. */
const MIN_ORIENTATION_CONFIDENCE = 1.5;

async function tool(command: string, args: string[], options: { maxBuffer?: number } = {}): Promise<string> {
  try {
    // One thread per Tesseract: pages run side by side up to OCR_CONCURRENCY instead.
    const { stdout } = await execFile("/bin/sh", ["-c", `ulimit -v ${TOOL_MEMORY_KIB} && exec "$0" "$@"`, command, ...args], {
      maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    });
    return stdout;
  } catch (error) {
    const failure = error as { code?: number | string; stderr?: string; stdout?: string };
    if (failure.code === 127 || failure.code === "ENOENT") throw new PdfToolError(`${command} is not installed (run scripts/install-system-deps.sh)`);
    throw new PdfToolError(`${command} failed: ${(failure.stderr ?? String(error)).trim().split("\n").slice(-1)[0]}`);
  }
}

const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" })[name]!);

/** The words of page `page` of a PDF's text layer, boxes as fractions of the page. */
export async function textLayerWords(pdf: string, page: number): Promise<PageWord[]> {
  const html = await tool("pdftotext", ["-f", String(page), "-l", String(page), "-bbox", "-enc", "UTF-8", "-q", pdf, "-"]);
  const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html);
  if (!size) return [];
  const [width, height] = [Number(size[1]), Number(size[2])];
  const words: PageWord[] = [];
  for (const m of html.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
    const [x0, y0, x1, y1] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    const text = unescapeHtml(m[5]!).trim();
    if (text) words.push({ text, x: x0 / width, y: y0 / height, width: (x1 - x0) / width, height: (y1 - y0) / height, confidence: 1 });
  }
  return words;
}

/** Whether a text layer holds real text (not a scanner's few stray characters). */
export function hasText(words: PageWord[]): boolean {
  return words.reduce((n, w) => n + w.text.replace(/[^\p{L}\p{N}]/gu, "").length, 0) >= MIN_TEXT_LAYER_CHARS;
}

/** Renders page `page` of a PDF to a grey PNG at OCR resolution. */
export async function renderPageForOcr(pdf: string, page: number, out: string): Promise<void> {
  const prefix = out.replace(/\.png$/, "");
  await tool("pdftoppm", ["-png", "-gray", "-r", String(OCR_DPI), "-f", String(page), "-l", String(page), "-singlefile", pdf, prefix]);
}

/** Where the sheet of paper lies in a photo, as fractions of the image; the whole image when it fills it. */
export interface PaperArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A photo or scanned image as a grey PNG for OCR: camera orientation applied, scaled to about 300
 * dpi on A4, and cut to the sheet of paper — a desk around it makes Tesseract's layout analysis take
 * whole columns for a picture. The sheet is found as the region that differs from the border's
 * colour (on a blurred copy, so the desk's grain does not count).
 */
export async function prepareImageForOcr(image: string, out: string, maxPixels: number): Promise<PaperArea> {
  await checkImagePixels(image, maxPixels);
  try {
    const grey = await sharp(image, { limitInputPixels: maxPixels, sequentialRead: true })
      .rotate()
      .resize(OCR_MAX_SIDE, OCR_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .grayscale()
      .png({ compressionLevel: 1 })
      .toBuffer({ resolveWithObject: true });
    const { width, height } = grey.info;
    const { info } = await sharp(grey.data).blur(3).trim({ threshold: 40 }).toBuffer({ resolveWithObject: true });
    const [left, top] = [-(info.trimOffsetLeft ?? 0), -(info.trimOffsetTop ?? 0)];
    // Only a clear border is cut: a sheet filling the image, or a trim that found no sheet, is kept whole.
    const cut = info.width < width * 0.97 || info.height < height * 0.97;
    const area = cut && info.width > width * 0.3 && info.height > height * 0.3 ? { left, top, width: info.width, height: info.height } : { left: 0, top: 0, width, height };
    await sharp(grey.data).extract(area).png({ compressionLevel: 1 }).toFile(out);
    return { left: area.left / width, top: area.top / height, width: area.width / width, height: area.height / height };
  } catch {
    throw new PdfToolError("the image cannot be decoded on this server");
  }
}

/** Clockwise degrees that turn the page upright, by Tesseract's orientation detection; 0 when it cannot tell. */
async function uprightTurn(png: string): Promise<number> {
  let report: string;
  try {
    report = await tool("tesseract", [png, "-", "--psm", "0", "-l", "osd"]);
  } catch (error) {
    if (/not installed/.test((error as Error).message)) throw error;
    return 0; // too few characters to tell: a blank or nearly blank page
  }
  const turn = Number(/Rotate: (\d+)/.exec(report)?.[1] ?? 0);
  const confidence = Number(/Orientation confidence: ([\d.]+)/.exec(report)?.[1] ?? 0);
  return confidence >= MIN_ORIENTATION_CONFIDENCE && [90, 180, 270].includes(turn) ? turn : 0;
}

/** Parses Tesseract's TSV: word rows (level 5) with their boxes in pixels of an image `width` × `height`. */
export function wordsFromTsv(tsv: string, width: number, height: number): Array<PageWord & { line: number }> {
  const words: Array<PageWord & { line: number }> = [];
  for (const row of tsv.split("\n").slice(1)) {
    const cells = row.split("\t");
    if (cells.length < 12 || cells[0] !== "5") continue;
    const text = cells.slice(11).join("\t").trim();
    const confidence = Number(cells[10]);
    if (!text || confidence < 0) continue;
    const [block = 0, paragraph = 0, lineNumber = 0, , left = 0, top = 0, w = 0, h = 0] = cells.slice(2, 10).map(Number);
    const line = block * 1_000_000 + paragraph * 1000 + lineNumber;
    words.push({ text, x: left / width, y: top / height, width: w / width, height: h / height, confidence: Math.round(confidence) / 100, line });
  }
  return words;
}

/**
 * OCRs a page image (PNG): turned upright first where it lies sideways or upside down, then read in
 * Dutch and English. Tesseract's layout analysis straightens small skew itself.
 */
export async function ocrPage(png: string, languages: string): Promise<PageWords> {
  const rotation = await uprightTurn(png);
  let input = png;
  if (rotation) {
    input = path.join(path.dirname(png), `upright-${path.basename(png)}`);
    await sharp(png).rotate(rotation).png({ compressionLevel: 1 }).toFile(input);
  }
  const { width = 1, height = 1 } = await sharp(input).metadata();
  const tsv = await tool("tesseract", [input, "-", "--psm", "3", "-l", languages, "tsv"]);
  const read = wordsFromTsv(tsv, width, height).filter((w) => w.confidence >= 0.3 || /\p{N}/u.test(w.text));
  const words = joinSplitCapitals(straightened(read, width / height), width / height);
  // A code that cannot be decoded only means no separator is seen: the page's words still count.
  const barcodes = words.length < BARCODE_PAGE_WORDS ? await barcodesOn(png).catch(() => []) : [];
  return { source: words.length ? "OCR" : "BLANK", rotation, words, barcodes };
}

/**
 * The words with their boxes turned straight: a photo or scan is often skewed a few degrees, and a
 * label at the left and its amount at the right then lie at different heights. Tesseract's own lines
 * (which follow the skew) give the angle — the median slope of their words — and every box's centre
 * is turned back by it around the page's centre. Boxes stay where they are on the page to within the
 * skew.
 */
export function straightened(words: Array<PageWord & { line: number }>, aspect: number): PageWord[] {
  const byLine = new Map<number, Array<PageWord & { line: number }>>();
  for (const word of words) byLine.set(word.line, [...(byLine.get(word.line) ?? []), word]);
  const slopes: number[] = [];
  for (const line of byLine.values()) {
    if (line.length < 3) continue;
    // Least squares of the words' middles, in units where x and y are alike (x scaled by the aspect).
    const points = line.map((w) => ({ x: (w.x + w.width / 2) * aspect, y: w.y + w.height / 2 }));
    const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
    const my = points.reduce((s, p) => s + p.y, 0) / points.length;
    const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    if (sxx > 0) slopes.push(points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx);
  }
  const slope = slopes.length ? slopes.sort((a, b) => a - b)[Math.floor(slopes.length / 2)]! : 0;
  const angle = Math.atan(slope);
  if (Math.abs(angle) < 0.002) return words.map(({ line: _line, ...word }) => word);
  const [cos, sin] = [Math.cos(-angle), Math.sin(-angle)];
  return words.map(({ line: _line, ...word }) => {
    const cx = (word.x + word.width / 2 - 0.5) * aspect;
    const cy = word.y + word.height / 2 - 0.5;
    const x = (cx * cos - cy * sin) / aspect + 0.5;
    const y = cx * sin + cy * cos + 0.5;
    return { ...word, x: x - word.width / 2, y: y - word.height / 2 };
  });
}

/**
 * Tesseract's Dutch model often reads a large word's capital apart ("F ietsenmakerij"): a lone
 * capital followed closely on its line by a word in lower case is joined to it. (Dutch has no
 * one-letter capital words; initials carry a full stop.)
 */
export function joinSplitCapitals(words: PageWord[], aspect: number): PageWord[] {
  // Boxes are fractions of width and of height: `aspect` (width / height) makes a gap comparable with a height.
  const out: PageWord[] = [];
  for (const word of words) {
    const last = out[out.length - 1];
    const sameLine = last && Math.abs(last.y + last.height / 2 - (word.y + word.height / 2)) < Math.max(last.height, word.height) / 2;
    const gap = last ? (word.x - (last.x + last.width)) * aspect : Infinity;
    if (last && sameLine && /^\p{Lu}$/u.test(last.text) && /^\p{Ll}/u.test(word.text) && gap >= 0 && gap < Math.max(last.height, word.height) * 0.6) {
      const bottom = Math.max(last.y + last.height, word.y + word.height);
      const top = Math.min(last.y, word.y);
      out[out.length - 1] = {
        text: last.text + word.text,
        x: last.x,
        y: top,
        width: word.x + word.width - last.x,
        height: bottom - top,
        confidence: Math.min(last.confidence, word.confidence),
      };
    } else out.push(word);
  }
  return out;
}

/** Page `page` of a PDF: its text layer where it has one, else OCR of the rendered page. */
export async function pdfPageWords(pdf: string, page: number, workDir: string, languages: string): Promise<PageWords> {
  const layer = await textLayerWords(pdf, page);
  if (hasText(layer)) return { source: "TEXT", rotation: 0, words: layer, barcodes: [] };
  const png = path.join(workDir, `page-${page}.png`);
  await renderPageForOcr(pdf, page, png);
  return ocrPage(png, languages);
}

/** An image document's one page, by OCR. */
export async function imageWords(image: string, workDir: string, languages: string, maxPixels: number): Promise<PageWords> {
  const png = path.join(workDir, "image.png");
  const paper = await prepareImageForOcr(image, png, maxPixels);
  const read = await ocrPage(png, languages);
  if (paper.width === 1 && paper.height === 1) return read;
  // Boxes as fractions of the whole photo turned upright (the sheet's area turned with it).
  const area = turnedArea(paper, read.rotation);
  return {
    ...read,
    words: read.words.map((w) => ({ ...w, x: area.left + w.x * area.width, y: area.top + w.y * area.height, width: w.width * area.width, height: w.height * area.height })),
  };
}

/** `area` of an image as it lies after turning the image `rotation` degrees clockwise. */
function turnedArea(area: PaperArea, rotation: number): PaperArea {
  const { left, top, width, height } = area;
  if (rotation === 90) return { left: 1 - top - height, top: left, width: height, height: width };
  if (rotation === 180) return { left: 1 - left - width, top: 1 - top - height, width, height };
  if (rotation === 270) return { left: top, top: 1 - left - width, width: height, height: width };
  return area;
}

/** The page's words as lines of text, in reading order (for search and for display). */
export function pageText(words: PageWord[]): string {
  return linesOf(words)
    .map((line) => line.map((w) => w.text).join(" "))
    .join("\n");
}

/** Words grouped into lines (boxes straightened): a word joins a line when its vertical middle lies within the line's height; left to right. */
export function linesOf(words: PageWord[]): PageWord[][] {
  const lines: Array<{ top: number; bottom: number; words: PageWord[] }> = [];
  for (const word of [...words].sort((a, b) => a.y - b.y || a.x - b.x)) {
    const middle = word.y + word.height / 2;
    const line = lines.find((l) => middle >= l.top && middle <= l.bottom);
    if (line) {
      line.words.push(word);
      line.top = Math.min(line.top, word.y);
      line.bottom = Math.max(line.bottom, word.y + word.height);
    } else lines.push({ top: word.y, bottom: word.y + word.height, words: [word] });
  }
  return lines.sort((a, b) => a.top - b.top).map((l) => l.words.sort((a, b) => a.x - b.x));
}
