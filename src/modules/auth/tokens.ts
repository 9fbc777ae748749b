// Opaque bearer secrets. Only their SHA-256 is stored, so a database leak yields no usable token.
import crypto from "node:crypto";

export const TOKEN_PREFIX = {
  session: "pds_",
  apiToken: "pdt_",
  invitation: "pdi_",
  passwordReset: "pdr_",
  signInChallenge: "pdc_",
  webauthn: "pdw_",
  emailChange: "pde_",
} as const;

export function newSecret(prefix: string): string {
  return prefix + crypto.randomBytes(32).toString("base64url");
}

/**
 * A new API token: `pdt_<public id>_<secret>`. The public id (8 hex characters, not secret) names
 * the token in lists; nothing of the secret is ever shown again after creation.
 */
export function newApiToken(): { token: string; publicPrefix: string } {
  const publicPrefix = `${TOKEN_PREFIX.apiToken}${crypto.randomBytes(4).toString("hex")}`;
  return { token: `${publicPrefix}_${crypto.randomBytes(32).toString("base64url")}`, publicPrefix };
}

export function hashSecret(secret: string): Buffer {
  return crypto.createHash("sha256").update(secret).digest();
}
