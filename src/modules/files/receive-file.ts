// One uploaded file, received: its name checked, its bytes streamed to a temp file (hashed,
// counted, bounded), its type decided from content, a PDF's pages counted. Used by every upload
// (documents, reports); a refusal is a UserError naming the file, with nothing left behind.
import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import { UserError, UserErrorCode } from "../../core/errors.js";
import type { IncomingFile } from "../../core/incoming-file.js";
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
  /** Why the file is too large, for the message (which limit it hit). */
  tooLarge: string;
  /** Formats taken; others are refused with `refusedFormat`. */
  accept: ReadonlySet<DocumentFormat>;
  refusedFormat: string;
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
    if (error instanceof IntakeTooLargeError || status === 413) throw new UserError(UserErrorCode.INVALID, `${shown} is too large: it exceeds ${options.tooLarge}`, field);
    if (isStreamFailure(error)) throw new UserError(UserErrorCode.INVALID, `${shown} did not arrive completely: the upload broke off`, field);
    throw error;
  }
  const refuse = async (message: string) => {
    await fs.rm(received.tempPath, { force: true });
    return new UserError(UserErrorCode.INVALID, message, field);
  };
  if (received.byteSize === 0) throw await refuse(`${shown} is empty`);
  const format = await sniffFormat(received.head);
  if (!format || !options.accept.has(format)) throw await refuse(`${shown} ${options.refusedFormat}`);
  let pageCount: number | null = null;
  if (format === DocumentFormat.PDF) {
    try {
      pageCount = await pdfPageCount(received.tempPath);
    } catch (error) {
      if (error instanceof PdfToolError && /not installed/.test(error.message)) {
        await fs.rm(received.tempPath, { force: true });
        throw error;
      }
      throw await refuse(`${shown} looks like a PDF but cannot be read as one`);
    }
  } else if (!FORMATS[format].structured) {
    pageCount = 1;
    try {
      await checkImagePixels(received.tempPath, options.maxImagePixels);
    } catch (error) {
      // Only a header that announces too many pixels is refused; one sharp cannot read (HEIC) is kept.
      if (error instanceof ImageTooLargeError) throw await refuse(`${shown} is refused: ${error.message}`);
    }
  }
  return { filename, tempPath: received.tempPath, sha256: received.sha256, byteSize: received.byteSize, contentType: FORMATS[format].contentType, format, pageCount };
}
