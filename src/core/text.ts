// Text no person types: refused wherever text enters (requests, filenames), because PostgreSQL
// cannot store NUL, unpaired surrogates are not Unicode, and bidi overrides disguise what is shown.
import type { Localized } from "./language.js";

// C0 controls but tab, newline and carriage return; DEL; bidi embeddings, overrides and isolates.
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with `text` as text a person entered, or null. */
export function unsafeTextProblem(text: string): Localized | null {
  const match = UNSAFE_CHARACTER.exec(text);
  if (match) {
    const code = match[0].codePointAt(0)!;
    const point = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    if (code === 0) return { en: `contains a NUL character (${point})`, nl: `bevat een NUL-teken (${point})` };
    if (code >= 0x202a) return { en: `contains a bidirectional text control (${point})`, nl: `bevat een teken dat de schrijfrichting omdraait (${point})` };
    return { en: `contains a control character (${point})`, nl: `bevat een stuurteken (${point})` };
  }
  if (UNPAIRED_SURROGATE.test(text)) return { en: "is not valid Unicode (an unpaired surrogate)", nl: "is geen geldige Unicode (een losse surrogaathelft)" };
  return null;
}

/** Text read from a file (not typed by a person), made storable: NUL and other control characters become spaces. */
export function storableText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ");
}
