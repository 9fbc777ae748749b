// Scans and photos for OCR tests, made on the spot: a page of text drawn as a PDF, rendered by
// poppler to pixels (so no text layer survives), then turned, blurred or compressed as a phone or
// scanner would.
import { execFile as execFileCb } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PDFDocument, StandardFonts } from "pdf-lib";
import QRCode from "qrcode";
import sharp from "sharp";

const execFile = promisify(execFileCb);

/** A born-digital PDF: one page per entry, each a list of text lines (Helvetica, 12 pt). */
export async function textPdf(pages: string[][], size = 12): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 60, y: 780 - i * size * 2, size, font }));
  }
  return Buffer.from(await pdf.save());
}

/** Each page of `pdf` as a grey JPEG at `dpi`. */
async function pageImages(pdf: Buffer, dpi: number): Promise<Buffer[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "scan-"));
  try {
    await fs.writeFile(path.join(dir, "in.pdf"), pdf);
    await execFile("pdftoppm", ["-jpeg", "-gray", "-r", String(dpi), path.join(dir, "in.pdf"), path.join(dir, "p")]);
    const files = (await fs.readdir(dir)).filter((f) => f.startsWith("p")).sort();
    return Promise.all(files.map((f) => fs.readFile(path.join(dir, f))));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** An image-only PDF of `pdf`'s pages, as a scanner makes it: no text layer, a little blur and JPEG loss. */
export async function scannedPdf(pdf: Buffer, options: { dpi?: number; rotate?: number } = {}): Promise<Buffer> {
  const out = await PDFDocument.create();
  for (const page of await pageImages(pdf, options.dpi ?? 200)) {
    const degraded = await sharp(page)
      .rotate(options.rotate ?? 0, { background: "#ffffff" })
      .blur(0.6)
      .jpeg({ quality: 60 })
      .toBuffer();
    const image = await out.embedJpg(degraded);
    const scale = 595 / image.width;
    out.addPage([595, image.height * scale]).drawImage(image, { x: 0, y: 0, width: 595, height: image.height * scale });
  }
  return Buffer.from(await out.save());
}

/** A phone photo of `pdf`'s first page: turned by `rotate` degrees (90: held sideways), JPEG. */
export async function photoOf(pdf: Buffer, rotate = 0): Promise<Buffer> {
  const [page] = await pageImages(pdf, 200);
  return sharp(page!).rotate(rotate, { background: "#f4f1ea" }).blur(0.8).jpeg({ quality: 70 }).toBuffer();
}

/** One PDF of all pages of `pdfs`, in order. */
export async function mergedPdf(pdfs: Buffer[]): Promise<Buffer> {
  const merged = await PDFDocument.create();
  for (const source of pdfs) {
    const doc = await PDFDocument.load(source);
    for (const page of await merged.copyPages(doc, doc.getPageIndices())) merged.addPage(page);
  }
  return Buffer.from(await merged.save());
}

/** A separator sheet as scanners know it: a page with nothing but a QR code saying `code` ("PATCHT"). */
export async function qrSeparatorPdf(code = "PATCHT"): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(await QRCode.toBuffer(code, { width: 600, margin: 2 }));
  pdf.addPage([595, 842]).drawImage(image, { x: 147, y: 271, width: 300, height: 300 });
  return Buffer.from(await pdf.save());
}
