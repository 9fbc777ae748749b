// A decision on a filing confirmed with a passkey: the approver's device signs a WebAuthn challenge
// derived from the filing's id, version, content hash and the decision itself, so the signature
// vouches for exactly that decision on exactly that content. Checked when the decision is made and
// again, offline, by `npm run verify-proof` (with the public key kept beside it).
import { createHash } from "node:crypto";
import { type AuthenticationResponseJSON, verifyAuthenticationResponse } from "@simplewebauthn/server";

export interface ApprovalAssertion {
  /** What the browser answered (AuthenticationResponseJSON). */
  response: AuthenticationResponseJSON;
  credentialId: string;
  /** The passkey's COSE public key, base64url. */
  publicKey: string;
  origin: string;
  rpId: string;
}

/** The WebAuthn challenge of a decision: SHA-256 of what is decided on. */
export function approvalChallenge(filing: { id: string; version: number }, contentHash: string, decision: "APPROVED" | "REJECTED"): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(`portaldesk-decision:${filing.id}:${filing.version}:${contentHash}:${decision}`).digest());
}

/** Whether `assertion` is a valid signature, by its public key, over the decision's challenge. */
export async function assertionHolds(
  assertion: ApprovalAssertion,
  filing: { id: string; version: number },
  contentHash: string,
  decision: "APPROVED" | "REJECTED",
): Promise<boolean> {
  try {
    const result = await verifyAuthenticationResponse({
      response: assertion.response,
      expectedChallenge: Buffer.from(approvalChallenge(filing, contentHash, decision)).toString("base64url"),
      expectedOrigin: assertion.origin,
      expectedRPID: assertion.rpId,
      credential: { id: assertion.credentialId, publicKey: new Uint8Array(Buffer.from(assertion.publicKey, "base64url")), counter: 0 },
      requireUserVerification: true,
    });
    return result.verified && assertion.response.id === assertion.credentialId;
  } catch {
    return false;
  }
}
