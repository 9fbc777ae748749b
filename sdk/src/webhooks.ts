// Verifying PortalDesk's webhooks on the receiving side, per Standard Webhooks: the signature is an
// HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" with the secret's bytes, in base64, as
// "v1,<signature>" (several, space-separated, while a rotated secret is in its overlap). Web Crypto
// only, so it runs in Node 20 and in browsers and workers alike.

/** The payload every webhook carries. */
export interface WebhookEventPayload<D = Record<string, unknown>> {
  /** e.g. "document.filed", "filing.status_changed", "webhook.test". */
  type: string;
  /** When the event happened (ISO 8601). */
  timestamp: string;
  /** The administration, the subject as the firm sees it, and what the event adds. */
  data: D;
}

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, in seconds (default 300, as Standard Webhooks advises). */
  toleranceSeconds?: number;
  /** "Now", for tests. */
  now?: Date;
}

/** Headers as a Headers object or a plain record (Node's IncomingHttpHeaders). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  }
  return null;
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Comparison whose time does not depend on where the strings differ. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * Checks a webhook request's signature and age and returns its payload; throws
 * WebhookVerificationError otherwise. Give the body exactly as received (not re-serialised JSON),
 * and the secret as shown when the webhook was made or rotated ("whsec_…").
 */
export async function verifyWebhook<D = Record<string, unknown>>(
  headers: HeaderSource,
  body: string | Uint8Array,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEventPayload<D>> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("The webhook-id, webhook-timestamp and webhook-signature headers are required");
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(seconds)) throw new WebhookVerificationError("The webhook-timestamp header is not a number of seconds");
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - seconds) > tolerance) throw new WebhookVerificationError("The webhook-timestamp is too far from now (a replay, or a clock far off)");

  let key: Uint8Array;
  try {
    key = base64ToBytes(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret);
  } catch {
    throw new WebhookVerificationError("The secret is not a whsec_ secret");
  }
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const cryptoKey = await crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const expected = bytesToBase64(new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(`${id}.${timestamp}.${text}`))));
  const matches = signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",");
    return version === "v1" && signature !== undefined && equalInConstantTime(signature, expected);
  });
  if (!matches) throw new WebhookVerificationError("No signature matches: a wrong secret, or the body was changed");
  try {
    return JSON.parse(text) as WebhookEventPayload<D>;
  } catch {
    throw new WebhookVerificationError("The body is not JSON");
  }
}
