// Reads the data out of a file's bytes by its format: bank statements from MT940 and CAMT.053.
// Pure (no database), so tests and benches call it directly on generated fixtures.
import { DocumentFormat } from "../files/file-format.js";
import { parseCamt053 } from "../bank-statements/camt053.js";
import { parseMt940 } from "../bank-statements/mt940.js";
import { type ParsedStatement, StatementFormatError } from "../bank-statements/statement-model.js";

export type ReadOutcome =
  | { kind: "BANK_STATEMENT"; statements: ParsedStatement[] }
  | { kind: null }
  /** Could not be read: `problem` is shown to the user; the file stays a plain document. */
  | { kind: "FAILED"; problem: string };

/** The formats whose data is read. */
export function isReadable(format: DocumentFormat): boolean {
  return format === DocumentFormat.MT940 || format === DocumentFormat.CAMT053;
}

/** UTF-8 where the bytes are valid UTF-8, else ISO 8859-1 (what older bank exports use). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

export function readContent(format: DocumentFormat, bytes: Buffer): ReadOutcome {
  try {
    switch (format) {
      case DocumentFormat.MT940:
        return { kind: "BANK_STATEMENT", statements: parseMt940(decodeText(bytes)) };
      case DocumentFormat.CAMT053:
        return { kind: "BANK_STATEMENT", statements: parseCamt053(decodeText(bytes)) };
      default:
        return { kind: null };
    }
  } catch (error) {
    if (error instanceof StatementFormatError) return { kind: "FAILED", problem: `The bank statement could not be read: ${error.message}` };
    // A pathological file (nesting deep enough to exhaust the stack, …) is a problem of that file, not of the server.
    if (error instanceof RangeError) return { kind: "FAILED", problem: "The file could not be read: it is nested too deeply" };
    throw error;
  }
}
