// Opaque bearer secrets. Only their SHA-256 is stored, so a database leak yields no usable token.
import crypto from "node:crypto";

export const TOKEN_PREFIX = { session: "pds_", apiToken: "pdt_", invitation: "pdi_" } as const;

export function newSecret(prefix: string): string {
  return prefix + crypto.randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): Buffer {
  return crypto.createHash("sha256").update(secret).digest();
}
