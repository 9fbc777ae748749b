// A thin layer over pdf-lib for drawing documents top-down (pdf-lib's origin is bottom-left), with
// word wrapping, alignment and a record of which truth fields the drawing actually printed.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from "pdf-lib";
import type { FieldName, Truth } from "./model.js";

export type Family = "Helvetica" | "Times" | "Courier";
export type Align = "left" | "right" | "center";

const FONTS: Record<Family, [StandardFonts, StandardFonts]> = {
  Helvetica: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  Times: [StandardFonts.TimesRoman, StandardFonts.TimesRomanBold],
  Courier: [StandardFonts.Courier, StandardFonts.CourierBold],
};

export const A4: [number, number] = [595.28, 841.89];
export const INK = rgb(0.08, 0.08, 0.1);

/** A truth field and its canonical value, attached to the text that prints it. */
export type Mark = [FieldName, string];

/** A drawn document: the PDF, what it printed, its page count. */
export interface Drawn {
  bytes: Uint8Array;
  truth: Truth;
  pages: number;
}

export interface TextOptions {
  size?: number;
  bold?: boolean;
  align?: Align;
  color?: RGB;
}

/** An empty PDF with fixed dates, so the same seed gives the same bytes. */
export async function newDocument(producer: string): Promise<PDFDocument> {
  const pdf = await PDFDocument.create();
  pdf.setCreationDate(new Date(Date.UTC(2026, 0, 1)));
  pdf.setModificationDate(new Date(Date.UTC(2026, 0, 1)));
  pdf.setProducer(producer);
  return pdf;
}

export class Canvas {
  readonly pages: PDFPage[] = [];
  readonly truth: Truth = {};
  private current = 0;

  private constructor(
    readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    readonly pageSize: [number, number],
    /** Body text size; other sizes are offsets from it. */
    readonly size: number,
  ) {
    this.addPage();
  }

  static async create(family: Family, pageSize: [number, number], size: number): Promise<Canvas> {
    const pdf = await newDocument("PortalDesk bench corpus");
    const [regular, bold] = await Promise.all(FONTS[family].map((name) => pdf.embedFont(name)));
    return new Canvas(pdf, regular, bold, pageSize, size);
  }

  get page(): PDFPage {
    return this.pages[this.current];
  }

  get width(): number {
    return this.pageSize[0];
  }

  get height(): number {
    return this.pageSize[1];
  }

  addPage(): void {
    this.pages.push(this.pdf.addPage(this.pageSize));
    this.current = this.pages.length - 1;
  }

  /** Draw on an earlier page (footers and page numbers go on once the page count is known). */
  usePage(index: number): void {
    this.current = index;
  }

  /** Notes that these fields' values are now on the page: the truth holds only what was printed. */
  mark(marks: readonly Mark[] = []): void {
    for (const [field, canonical] of marks) this.truth[field] = canonical;
  }

  measure(text: string, options: TextOptions = {}): number {
    return (options.bold ? this.bold : this.regular).widthOfTextAtSize(text, options.size ?? this.size);
  }

  /** Draws one line with its baseline `y` points from the top; `x` is the left, right or centre edge per `align`. */
  text(text: string, x: number, y: number, options: TextOptions = {}): void {
    const size = options.size ?? this.size;
    const width = this.measure(text, options);
    const left = options.align === "right" ? x - width : options.align === "center" ? x - width / 2 : x;
    this.page.drawText(text, { x: left, y: this.height - y, size, font: options.bold ? this.bold : this.regular, color: options.color ?? INK });
  }

  /** Wraps `text` (words, or the given parts joined by `separator`) to `width`; returns the lines (not drawn). */
  wrap(text: string | string[], width: number, options: TextOptions = {}, separator = " "): string[] {
    const lines: string[] = [];
    let current = "";
    for (const word of typeof text === "string" ? text.split(separator) : text) {
      const candidate = current ? current + separator + word : word;
      if (current && this.measure(candidate, options) > width) {
        lines.push(current);
        current = word;
      } else current = candidate;
    }
    return current ? [...lines, current] : lines;
  }

  rule(x1: number, x2: number, y: number, thickness = 0.6, color = INK): void {
    this.page.drawLine({ start: { x: x1, y: this.height - y }, end: { x: x2, y: this.height - y }, thickness, color });
  }

  box(x: number, y: number, width: number, height: number, color: RGB): void {
    this.page.drawRectangle({ x, y: this.height - y - height, width, height, color });
  }

  save(): Promise<Uint8Array> {
    return this.pdf.save();
  }
}
