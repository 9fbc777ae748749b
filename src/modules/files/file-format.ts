// Decides a file's type from its content (magic bytes), never from its name or declared type.
import { fileTypeFromBuffer } from "file-type";

export enum DocumentFormat {
  PDF = "PDF",
  JPEG = "JPEG",
  PNG = "PNG",
  TIFF = "TIFF",
  HEIC = "HEIC",
  /** E-invoice (SI-UBL 2.0 / UBL Invoice or CreditNote). */
  UBL = "UBL",
  /** E-invoice, UN/CEFACT Cross Industry Invoice (the XML of Factur-X / ZUGFeRD, XRechnung CII). */
  CII = "CII",
  /** Bank statement, SWIFT MT940. */
  MT940 = "MT940",
  /** Bank statement, ISO 20022 CAMT.053. */
  CAMT053 = "CAMT053",
}

/** What PortalDesk can do with a file of each format: the one table every part asks. */
export interface FormatCapabilities {
  contentType: string;
  /** A bank statement: accepted for the bank-statements tray and the desk only. */
  bankStatement: boolean;
  /** Data, not pages (e-invoices, bank statements): no page count, no page images, no thumbnail. */
  structured: boolean;
  /** Its pages can be drawn as PNGs (page editing, page links). HEIC cannot: the image library has no decoder for it. */
  pageImages: boolean;
  /** A first-page thumbnail is tried (HEIC too: made where a decoder is installed, else left out without retrying). */
  thumbnail: boolean;
  /** Its pages can be taken into a PDF by page editing and merging (images are converted). */
  pdfPages: boolean;
  /**
   * Where its searchable text comes from: its pages (a PDF's text layer, else OCR; an image by OCR),
   * the file's own text (XML tags dropped), or none (HEIC: no decoder for OCR).
   */
  text: "pages" | "markup" | null;
}

const image = (contentType: string, pageImages = true): FormatCapabilities => ({
  contentType,
  bankStatement: false,
  structured: false,
  pageImages,
  thumbnail: true,
  pdfPages: true,
  text: pageImages ? "pages" : null,
});
const data = (contentType: string, bankStatement: boolean): FormatCapabilities => ({
  contentType,
  bankStatement,
  structured: true,
  pageImages: false,
  thumbnail: false,
  pdfPages: false,
  text: "markup",
});

export const FORMATS: Readonly<Record<DocumentFormat, FormatCapabilities>> = {
  PDF: image("application/pdf"),
  JPEG: image("image/jpeg"),
  PNG: image("image/png"),
  TIFF: image("image/tiff"),
  HEIC: image("image/heic", false),
  UBL: data("application/xml", false),
  CII: data("application/xml", false),
  MT940: data("text/plain", true),
  CAMT053: data("application/xml", true),
};

/** How many leading bytes the sniffer needs. */
export const SNIFF_BYTES = 64 * 1024;

/** The local name of the root element, after the prolog, comments and processing instructions. */
function rootElement(text: string): string | null {
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/g, "").trimStart();
  return /^<(?:[\w.-]+:)?([\w.-]+)[\s/>]/.exec(body)?.[1] ?? null;
}

function xmlKind(text: string): DocumentFormat | null {
  // The root element decides; its namespace and version are checked when the data is read, so a
  // file with a wrong one is kept as a plain document that says what is wrong with it.
  switch (rootElement(text)) {
    case "Invoice":
    case "CreditNote":
      return DocumentFormat.UBL;
    case "CrossIndustryInvoice":
      return DocumentFormat.CII;
    case "Document":
      return /<(?:[\w.-]+:)?BkToCstmrStmt[\s>]/.test(text) || /camt\.053/.test(text) ? DocumentFormat.CAMT053 : null;
    default:
      return null;
  }
}

function isMt940(text: string): boolean {
  // Optional SWIFT header blocks or a few banner lines (ABN AMRO's "ABNANL2A / 940", Rabobank's
  // ":940:"), then the tags of a statement: :20: reference, :25: account, :60F:/:60M: opening balance.
  const body = text.replace(/^\uFEFF/, "").trimStart();
  const lines = body.split(/\r?\n/);
  const first = lines.findIndex((line) => /^(\{1:.*)?:20:/.test(line) || /^\{1:[^}]*\}/.test(line));
  if (first < 0 || first > 4 || lines.slice(0, first).some((line) => !/^[A-Z0-9 :{}-]{0,40}$/.test(line))) return false;
  return /(^|\n|\{4:\r?\n?):20:/.test(body) && /\n:25:/.test(body) && /\n:60[FM]:/.test(body);
}

/** The format of a file whose first bytes are `head`, or null when it is not one we accept. */
export async function sniffFormat(head: Buffer): Promise<DocumentFormat | null> {
  if (head.length === 0) return null;
  const detected = await fileTypeFromBuffer(head);
  switch (detected?.mime) {
    case "application/pdf":
      return DocumentFormat.PDF;
    case "image/jpeg":
      return DocumentFormat.JPEG;
    case "image/png":
      return DocumentFormat.PNG;
    case "image/tiff":
      return DocumentFormat.TIFF;
    case "image/heic":
    case "image/heif":
    case "image/heic-sequence":
    case "image/heif-sequence":
      return DocumentFormat.HEIC;
  }
  if (detected && detected.ext !== "xml") return null; // an executable, an archive, …
  const text = head.toString("utf8");
  if (/\uFFFD/.test(text.slice(0, 4096)) || /[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) return null; // binary
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("<")) return xmlKind(trimmed);
  return isMt940(text) ? DocumentFormat.MT940 : null;
}
