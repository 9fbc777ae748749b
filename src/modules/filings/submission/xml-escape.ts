// Writing text into XML we build by hand (XBRL instances, SOAP envelopes).

// Characters XML 1.0 cannot carry at all, not even as a character reference.
const FORBIDDEN_XML_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export class XmlTextError extends Error {}

/** Escapes a value for element content or a quoted attribute; refuses control characters XML cannot represent. */
export function escapeXml(value: string): string {
  if (FORBIDDEN_XML_CHARACTERS.test(value)) throw new XmlTextError(`Text contains a control character that XML cannot carry: ${JSON.stringify(value)}`);
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** An XML comment carrying free text: comments cannot be escaped, so "--" is broken up instead. */
export function xmlComment(text: string): string {
  escapeXml(text); // only for its control-character check
  const safe = text.replace(/-(?=-)/g, "- ").replace(/-$/, "- ");
  return `<!-- ${safe} -->`;
}
