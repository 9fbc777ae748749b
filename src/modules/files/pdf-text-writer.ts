// Lines of text on A4 pages with pdf-lib's standard Helvetica (WinAnsi, no font files to ship):
// characters it cannot show become "?". Used for the renditions PortalDesk draws itself (an
// e-invoice without a PDF of its own, a mail's text).
import { type PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";

export const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const SIZE = 9;
const LINE = 13;
const GREY = rgb(0.35, 0.35, 0.35);

/** Text Helvetica's WinAnsi encoding can draw: other characters become "?", control characters go. */
export function drawable(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
    .replace(/[^\u0020-\u007e\u00a0-\u00ff€‘’‚“”„†‡•…‰‹›ŠšŽžŒœŸƒˆ˜–—™]/g, "?");
}

export class PdfTextWriter {
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  /** Room for `lines` more lines, or a new page. */
  need(lines: number): void {
    if (this.y - lines * LINE < PAGE.margin) this.newPage();
  }

  /** `text` cut to `width` points, with an ellipsis where it was cut. */
  fit(text: string, width: number, font = this.font, size = SIZE): string {
    let value = drawable(text);
    if (font.widthOfTextAtSize(value, size) <= width) return value;
    while (value.length > 1 && font.widthOfTextAtSize(`${value}…`, size) > width) value = value.slice(0, -1);
    return `${value}…`;
  }

  text(x: number, text: string, options: { bold?: boolean; size?: number; width?: number; right?: boolean; grey?: boolean } = {}): void {
    const font = options.bold ? this.bold : this.font;
    const size = options.size ?? SIZE;
    // Right-aligned text ends at x, so it may use the room to its left.
    const room = options.right ? x - PAGE.margin : PAGE.width - PAGE.margin - x;
    const value = this.fit(text, options.width ?? room, font, size);
    const left = options.right ? x - font.widthOfTextAtSize(value, size) : x;
    this.page.drawText(value, { x: left, y: this.y, size, font, color: options.grey ? GREY : rgb(0, 0, 0) });
  }

  down(lines = 1): void {
    this.y -= lines * LINE;
  }

  /** `text` wrapped at word boundaries (words longer than a line are broken) over as many lines and pages as it needs. */
  paragraph(x: number, text: string, options: { size?: number } = {}): void {
    const size = options.size ?? SIZE;
    const width = PAGE.width - PAGE.margin - x;
    for (const source of text.split(/\r?\n/)) {
      let line = "";
      const flush = () => {
        this.need(1);
        this.page.drawText(line, { x, y: this.y, size, font: this.font });
        this.down();
        line = "";
      };
      for (const word of drawable(source).split(/(?<= )/)) {
        if (this.font.widthOfTextAtSize(line + word, size) <= width) {
          line += word;
          continue;
        }
        if (line) flush();
        let rest = word;
        while (this.font.widthOfTextAtSize(rest, size) > width) {
          let cut = rest.length - 1;
          while (cut > 1 && this.font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
          line = rest.slice(0, cut);
          flush();
          rest = rest.slice(cut);
        }
        line = rest;
      }
      if (line || source === "") flush();
    }
  }
}
