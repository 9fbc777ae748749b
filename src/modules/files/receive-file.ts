// One uploaded file, received: its name checked, its bytes streamed to a temp file (hashed,
// counted, bounded), its type decided from content, a PDF's pages counted. Used by every upload
// (documents, reports); a refusal is a UserError naming the file, with nothing left behind.
import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import { UserError, UserErrorCode } from "../../core/errors.js";
import type { IncomingFile } from "../../core/incoming-file.js";
import type { Localized } from "../../core/language.js";
import { DocumentFormat, FORMATS, sniffFormat } from "./file-format.js";
import { filenameProblem, normaliseFilename } from "./filename.js";
import { checkImagePixels, ImageTooLargeError, pdfPageCount, PdfToolError } from "./pdf-tools.js";
import { intake, IntakeTooLargeError } from "./upload-intake.js";

export type { IncomingFile } from "../../core/incoming-file.js";

export interface ReceivedFile {
  filename: string;
  tempPath: string;
  sha256: string;
  byteSize: number;
  contentType: string;
  format: DocumentFormat;
  /** Pages of a PDF; 1 for an image; null for structured files (UBL, bank statements). */
  pageCount: number | null;
}

export interface ReceiveOptions {
  tempDir: string;
  maxBytes: number;
  /** The input field the file came in, for errors. */
  field: string[];
  /** Why the file is too large, for the message (which limit it hit): { en: "the limit of … bytes per file", nl: "de limiet van … bytes per bestand" }. */
  tooLarge: Localized;
  /** Formats taken; others are refused with `refusedFormat` (after the file's name: { en: "is not a PDF", nl: "is geen PDF" }). */
  accept: ReadonlySet<DocumentFormat>;
  refusedFormat: Localized;
  /** Images with more pixels (by their header) are refused: nothing could ever decode them. */
  maxImagePixels: number;
}

/** A failure of the incoming bytes (the client's request broke off), not of our own disk (which has a syscall). */
function isStreamFailure(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall !== "string";
}

/** The file's bytes; a file the parser already gave up on (too large, cut off) throws here. */
function openStream(file: IncomingFile): { stream: Readable } | { error: unknown } {
  try {
    return { stream: file.createReadStream() };
  } catch (error) {
    return { error };
  }
}

/** Receives `file`, or throws a UserError naming it (the temp file removed), also when the request broke off. */
export async function receiveFile(file: IncomingFile, options: ReceiveOptions): Promise<ReceivedFile> {
  const { field } = options;
  // A refused name leaves the bytes unread: the parser buffers them and frees them with the request.
  const nameProblem = filenameProblem(file.filename, field);
  if (nameProblem) throw nameProblem;
  const opened = openStream(file);
  const filename = normaliseFilename(file.filename);
  const shown = JSON.stringify(filename);
  let received;
  try {
    if ("error" in opened) throw opened.error;
    received = await intake(opened.stream, options.tempDir, options.maxBytes);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (error instanceof IntakeTooLargeError || status === 413)
      throw new UserError(
        UserErrorCode.INVALID,
        { en: `${shown} is too large: it exceeds ${options.tooLarge.en}`, nl: `${shown} is te groot: het overschrijdt ${options.tooLarge.nl}` },
        field,
      );
    if (isStreamFailure(error))
      throw new UserError(
        UserErrorCode.INVALID,
        { en: `${shown} did not arrive completely: the upload broke off`, nl: `${shown} is niet volledig aangekomen: het uploaden is afgebroken` },
        field,
      );
    throw error;
  }
  const refuse = async (text: Localized) => {
    await fs.rm(received.tempPath, { force: true });
    return new UserError(UserErrorCode.INVALID, text, field);
  };
  if (received.byteSize === 0) throw await refuse({ en: `${shown} is empty`, nl: `${shown} is leeg` });
  const format = await sniffFormat(received.head);
  if (!format || !options.accept.has(format)) throw await refuse({ en: `${shown} ${options.refusedFormat.en}`, nl: `${shown} ${options.refusedFormat.nl}` });
  let pageCount: number | null = null;
  if (format === DocumentFormat.PDF) {
    try {
      pageCount = await pdfPageCount(received.tempPath);
    } catch (error) {
      if (error instanceof PdfToolError && /not installed/.test(error.message)) {
        await fs.rm(received.tempPath, { force: true });
        throw error;
      }
      throw await refuse({ en: `${shown} looks like a PDF but cannot be read as one`, nl: `${shown} lijkt een PDF, maar kan niet als PDF worden gelezen` });
    }
  } else if (!FORMATS[format].structured) {
    pageCount = 1;
    try {
      await checkImagePixels(received.tempPath, options.maxImagePixels);
    } catch (error) {
      // Only a header that announces too many pixels is refused; one sharp cannot read (HEIC) is kept.
      if (error instanceof ImageTooLargeError) throw await refuse({ en: `${shown} is refused: ${error.message}`, nl: `${shown} is geweigerd: ${error.text.nl}` });
    }
  }
  return { filename, tempPath: received.tempPath, sha256: received.sha256, byteSize: received.byteSize, contentType: FORMATS[format].contentType, format, pageCount };
}
