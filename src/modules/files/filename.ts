// Filenames as given by a user: kept as they are for display, refused when they could do harm.
import { UserError, UserErrorCode } from "../../core/errors.js";
import { unsafeTextProblem } from "../../core/text.js";

export const MAX_FILENAME_BYTES = 255;

/** The problem with `name` as a document's filename, or null when it is fine. */
export function filenameProblem(name: string, field: string[]): UserError | null {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (!name.trim()) return new UserError(UserErrorCode.INVALID, { en: "A file has no name", nl: "Een bestand heeft geen naam" }, field);
  if (/[\\/]/.test(name) || name.split(/[\\/]/).includes("..") || name === "." || name === "..") {
    return new UserError(
      UserErrorCode.INVALID,
      { en: `The file name ${shown} contains a path; send the name only`, nl: `De bestandsnaam ${shown} bevat een pad; stuur alleen de naam` },
      field,
    );
  }
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name))
    return new UserError(UserErrorCode.INVALID, { en: `The file name ${shown} contains control characters`, nl: `De bestandsnaam ${shown} bevat stuurtekens` }, field);
  // A right-to-left override shows "factuur\u202Efdp.exe" as "factuurexe.pdf".
  const unsafe = unsafeTextProblem(name);
  if (unsafe) return new UserError(UserErrorCode.INVALID, { en: `The file name ${shown} ${unsafe.en}`, nl: `De bestandsnaam ${shown} ${unsafe.nl}` }, field);
  if (Buffer.byteLength(name, "utf8") > MAX_FILENAME_BYTES) {
    return new UserError(
      UserErrorCode.INVALID,
      { en: `The file name ${shown} is longer than ${MAX_FILENAME_BYTES} bytes`, nl: `De bestandsnaam ${shown} is langer dan ${MAX_FILENAME_BYTES} bytes` },
      field,
    );
  }
  return null;
}

/** The name as it will be stored and shown: trimmed, in Unicode NFC. */
export function normaliseFilename(name: string): string {
  return name.normalize("NFC").trim();
}
