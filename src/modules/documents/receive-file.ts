// One uploaded file, received: its name checked, its bytes streamed to a temp file (hashed,
// counted, bounded), its type decided from content, a PDF's pages counted. Used by every upload
// (documents, reports); a refusal is a UserError naming the file, with nothing left behind.
import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import { UserError, UserErrorCode } from "../../core/errors.js";
import { CONTENT_TYPES, DocumentFormat, sniffFormat, STRUCTURED_FORMATS } from "./file-sniffer.js";
import { filenameProblem, normaliseFilename } from "./filename.js";
import { pdfPageCount, PdfToolError } from "./pdf-tools.js";
import { intake, IntakeTooLargeError } from "./upload-intake.js";

/** One uploaded file as the GraphQL layer hands it over (graphql-upload's FileUpload). */
export interface IncomingFile {
  filename: string;
  createReadStream: () => Readable;
}

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
}

/** Receives `file`, or throws a UserError (the temp file removed); a broken request rethrows as is. */
export async function receiveFile(file: IncomingFile, options: ReceiveOptions): Promise<ReceivedFile> {
  const { field } = options;
  const nameProblem = filenameProblem(file.filename, field);
  if (nameProblem) {
    file.createReadStream().resume();
    throw nameProblem;
  }
  const filename = normaliseFilename(file.filename);
  const shown = JSON.stringify(filename);
  let received;
  try {
    received = await intake(file.createReadStream(), options.tempDir, options.maxBytes);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (error instanceof IntakeTooLargeError || status === 413) throw new UserError(UserErrorCode.INVALID, `${shown} is too large: it exceeds ${options.tooLarge}`, field);
    throw error; // the request broke off: nothing of it is kept
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
  } else if (!STRUCTURED_FORMATS.has(format)) {
    pageCount = 1;
  }
  return { filename, tempPath: received.tempPath, sha256: received.sha256, byteSize: received.byteSize, contentType: CONTENT_TYPES[format], format, pageCount };
}
