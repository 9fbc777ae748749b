// Standard Webhooks signatures (https://www.standardwebhooks.com): "whsec_" secrets, and the
// webhook-id / webhook-timestamp / webhook-signature headers, signed by the `standardwebhooks` library.
import { randomBytes } from "node:crypto";
import { Webhook as Signer } from "standardwebhooks";

/** A new secret: 24 random bytes, as Standard Webhooks writes them. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** The header that names a message: stable across retries and redeliveries, for de-duplication. */
export const messageHeaderId = (messageId: string) => `msg_${messageId.replaceAll("-", "")}`;

/**
 * The three headers for `body`. While a rotated-out secret is still in its overlap, the message
 * carries a signature by each (space-separated, as the specification allows), so receivers can
 * switch secrets at their own moment.
 */
export function signedHeaders(messageId: string, body: string, secrets: readonly string[], at: Date = new Date()): Record<string, string> {
  const id = messageHeaderId(messageId);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Signer(secret).sign(id, at, body)).join(" "),
  };
}
