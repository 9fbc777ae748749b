// Authenticator-app codes (RFC 6238: SHA-1, 6 digits, 30 s, as every app expects), by otplib.
// A code is accepted in the step before, at and after now (clock drift of a phone), and only for a
// step later than the last one accepted: a code seen over someone's shoulder cannot be used again.
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";

/** One step either side of now. */
const TOLERANCE_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret });
}

/** The QR code of `uri`, as an SVG document. */
export function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The time step `code` belongs to when it is right and newer than `afterTimeStep`, else null. */
export async function verifyTotp(secret: string, code: string, afterTimeStep: number | null): Promise<number | null> {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({ secret, token, epochTolerance: TOLERANCE_SECONDS, ...(afterTimeStep !== null ? { afterTimeStep } : {}) }).catch(() => ({ valid: false as const }));
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
