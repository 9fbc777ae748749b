// One-time recovery codes: ten per person, 50 random bits each in two groups of five characters of
// an alphabet without look-alikes (no 0/o, 1/l/i). Typed back in any case, with or without the dash.
import crypto from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** The code as stored (hashed): lower case, without spaces or dashes; null when it cannot be one. */
export function normaliseRecoveryCode(code: string): string | null {
  const plain = code.toLowerCase().replace(/[\s-]+/g, "");
  return plain.length === 10 && [...plain].every((c) => ALPHABET.includes(c)) ? plain : null;
}

export function hashRecoveryCode(normalised: string): Buffer {
  return crypto.createHash("sha256").update(`recovery:${normalised}`).digest();
}
