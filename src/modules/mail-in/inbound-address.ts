// An administration's mail-in address: "<slug>-<key>@<domain>". The key (random, unique) is what
// finds the administration; the slug only tells people which one it is. Made when first shown,
// replaced when rotated (the old address then finds nothing).
import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";

const KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: read aloud and typed without mistakes

export function newInboundKey(): string {
  return [...randomBytes(12)].map((byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join("");
}

/** "Bakkerij De Demo B.V." → "bakkerij-de-demo-bv" (ASCII, at most 30 characters). */
export function addressSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, (match) => (match.includes(" ") || match.includes("-") ? "-" : ""))
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 30)
    .replace(/-$/, "");
  return slug || "administratie";
}

export const inboundAddress = (name: string, key: string, domain: string) => `${addressSlug(name)}-${key}@${domain}`;

/** The key in a recipient address of `domain`, or null when it is not one of ours. */
export function keyOfAddress(address: string, domain: string): string | null {
  const match = /^(?:[a-z0-9-]+-)?([a-z0-9]{12})@(.+)$/.exec(address.trim().toLowerCase());
  return match && match[2] === domain ? match[1]! : null;
}

/** The administration's key, made now if it has none (two at once: the first one written wins). */
export async function ensureInboundKey(manager: EntityManager, administrationId: string): Promise<string> {
  const [[made]] = (await manager.query("UPDATE administrations SET inbound_email_key = $2 WHERE id = $1 AND inbound_email_key IS NULL RETURNING inbound_email_key", [
    administrationId,
    newInboundKey(),
  ])) as [Array<{ inbound_email_key: string }>, number];
  if (made) return made.inbound_email_key;
  const [row] = (await manager.query("SELECT inbound_email_key FROM administrations WHERE id = $1", [administrationId])) as Array<{ inbound_email_key: string }>;
  return row!.inbound_email_key;
}
