// Whether the mail server that received a mail confirmed that it comes from its sender's domain.
// PortalDesk sits behind the firm's MX (or a relay) that checks SPF, DKIM and DMARC and records the
// outcome in an Authentication-Results header (RFC 8601) under its own authserv-id, removing any
// such header a sender forged under that id. Only that server's verdict counts.
import type { ParsedMail } from "mailparser";

/** The results (method → result) the server `authservId` recorded in its topmost header, or null when it recorded none. */
export function authenticationResults(mail: ParsedMail, authservId: string): Map<string, string> | null {
  for (const { key, line } of mail.headerLines) {
    if (key !== "authentication-results") continue;
    const value = line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .replace(/\([^)]*\)/g, " ");
    const [id, ...parts] = value.split(";").map((p) => p.trim());
    if (id?.split(/\s+/)[0]?.toLowerCase() !== authservId.toLowerCase()) continue;
    const results = new Map<string, string>();
    for (const part of parts) {
      const match = /^([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(part);
      if (match && !results.has(match[1]!.toLowerCase())) results.set(match[1]!.toLowerCase(), match[2]!.toLowerCase());
    }
    return results;
  }
  return null;
}

/** DMARC passed; or, where the server did not evaluate DMARC, DKIM or SPF passed. */
export function senderConfirmed(mail: ParsedMail, authservId: string): boolean {
  const results = authenticationResults(mail, authservId);
  if (!results) return false;
  const dmarc = results.get("dmarc");
  if (dmarc) return dmarc === "pass";
  return results.get("dkim") === "pass" || results.get("spf") === "pass";
}
