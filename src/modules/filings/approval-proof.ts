// Proof of a client's decision on a filing, checkable offline (`npm run verify-proof FILE`): the
// filing's content and its hash, the XBRL instance decided on, the decision with how the approver
// confirmed it, and the administration's audit chain from its first event up to the decision's.
// Changing one byte of the content, the XBRL or any event breaks a hash the next link or the
// decision's event vouches for. Pure: no database, so the verifier runs anywhere.
import { createHash } from "node:crypto";
import { auditHash, GENESIS_HASH } from "../audit/audit-chain.js";
import type { AuditEvent } from "../audit/audit-event.entity.js";
import type { Filing } from "./filing.entity.js";
import { contentHash } from "./filing-hash.js";
import { type ApprovalAssertion, assertionHolds } from "./approval-assertion.js";
import { canonicalJson } from "../../core/canonical-json.js";

export const PROOF_FORMAT = "portaldesk.approval-proof/1";

type ProofEvent = Omit<AuditEvent, "occurredAt" | "seq"> & { seq: number; occurredAt: string };

export interface ApprovalProof {
  format: typeof PROOF_FORMAT;
  exportedAt: string;
  filing: Pick<Filing, "id" | "kind" | "administrationId" | "periodYear" | "periodMonth" | "periodQuarter" | "correctionNumber" | "version" | "content">;
  decision: {
    decision: "APPROVED" | "REJECTED";
    byUserId: string | null;
    byLabel: string;
    at: string;
    note: string | null;
    contentHash: string;
    confirmation: Filing["approvalConfirmation"];
    /** With a passkey: the device's signature over the decision's challenge, and its public key. */
    assertion: ApprovalAssertion | null;
    xbrlSha256: string | null;
  };
  /** The XBRL instance decided on (null when none could be made for the administration then). */
  xbrl: string | null;
  /** The administration's audit chain, oldest first; the last event is the decision. */
  auditChain: ProofEvent[];
}

const CONFIRMED_WITH = {
  TOTP: "a code from their authenticator app",
  RECOVERY_CODE: "a recovery code",
  PASSKEY: "their passkey, whose signature over this decision holds",
} as const;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The bundle for a decided filing (its XBRL loaded) and its chain up to the decision's event. */
export function approvalProof(filing: Filing, chain: AuditEvent[], exportedAt: Date): ApprovalProof {
  const { id, kind, administrationId, periodYear, periodMonth, periodQuarter, correctionNumber, version, content } = filing;
  return {
    format: PROOF_FORMAT,
    exportedAt: exportedAt.toISOString(),
    filing: { id, kind, administrationId, periodYear, periodMonth, periodQuarter, correctionNumber, version, content },
    decision: {
      decision: filing.approvalDecision!,
      byUserId: filing.approvalByUserId,
      byLabel: filing.approvalByLabel ?? "",
      at: filing.approvalAt!.toISOString(),
      note: filing.approvalNote,
      contentHash: filing.approvalContentHash!,
      confirmation: filing.approvalConfirmation,
      assertion: filing.approvalAssertion,
      xbrlSha256: filing.approvalXbrlSha256,
    },
    xbrl: filing.approvalXbrl,
    auditChain: chain.map((event) => ({ ...event, seq: Number(event.seq), occurredAt: event.occurredAt.toISOString() })),
  };
}

export interface ProofVerdict {
  valid: boolean;
  problems: string[];
  /** What the proof shows, when valid. */
  summary: string | null;
}

/** Checks a bundle without the database: every hash recomputed, every link followed, a passkey's signature checked. */
export async function verifyApprovalProof(proof: ApprovalProof): Promise<ProofVerdict> {
  const problems: string[] = [];
  if (proof?.format !== PROOF_FORMAT) return { valid: false, problems: [`not a ${PROOF_FORMAT} document`], summary: null };
  const { filing, decision, xbrl, auditChain } = proof;
  const recomputed = contentHash(filing);
  if (recomputed !== decision.contentHash) problems.push(`the filing's content does not match the hash decided on (${recomputed} ≠ ${decision.contentHash})`);
  if ((xbrl === null ? null : sha256(xbrl)) !== decision.xbrlSha256) problems.push("the XBRL instance is not the one decided on (its SHA-256 differs)");

  let prevHash = GENESIS_HASH;
  auditChain.forEach((event, index) => {
    const where = `audit event ${event.seq}`;
    if (event.seq !== index + 1) problems.push(`${where} is out of place: the chain must start at 1 and have no gaps`);
    if (event.prevHash !== prevHash) problems.push(`${where} does not link to the event before it`);
    if (event.firmId !== auditChain[0]!.firmId || event.administrationId !== filing.administrationId) problems.push(`${where} belongs to another chain`);
    if (auditHash({ ...event, occurredAt: new Date(event.occurredAt) }) !== event.hash) problems.push(`${where} was changed after it was recorded`);
    prevHash = event.hash;
  });
  const last = auditChain.at(-1);
  if (!last) problems.push("the audit chain is empty");
  else {
    const details = last.details as Record<string, unknown>;
    const expected = decision.decision === "APPROVED" ? "filing.approved" : "filing.rejected";
    if (last.action !== expected || last.subjectId !== filing.id) problems.push(`the last audit event is not the ${expected} event of this filing`);
    if (details.contentHash !== decision.contentHash || details.version !== filing.version) problems.push("the decision's audit event names another content or version");
    if ((details.xbrlSha256 ?? null) !== decision.xbrlSha256) problems.push("the decision's audit event names another XBRL instance");
    if ((details.confirmation ?? null) !== decision.confirmation) problems.push("the decision's audit event records another confirmation");
    if (last.actorId !== decision.byUserId) problems.push("the decision's audit event names another person");
    const assertionSha256 = decision.assertion ? sha256(canonicalJson(decision.assertion)) : undefined;
    if (details.assertionSha256 !== assertionSha256) problems.push("the passkey's assertion is not the one recorded with the decision");
  }
  if (decision.confirmation === "PASSKEY") {
    if (!decision.assertion || !(await assertionHolds(decision.assertion, filing, recomputed, decision.decision))) {
      problems.push("the passkey's signature does not hold for this decision on this content");
    }
  }
  if (problems.length) return { valid: false, problems, summary: null };
  const period = filing.periodMonth ? `${filing.periodYear}-${String(filing.periodMonth).padStart(2, "0")}` : `${filing.periodYear}-Q${filing.periodQuarter}`;
  const confirmed = decision.confirmation ? `confirmed with ${CONFIRMED_WITH[decision.confirmation]}` : "without a second factor";
  return {
    valid: true,
    problems: [],
    summary: [
      `${filing.kind} ${period} (version ${filing.version}, content ${decision.contentHash}): ${decision.decision} by ${decision.byLabel} at ${decision.at}, ${confirmed}.`,
      decision.xbrlSha256 ? `XBRL instance SHA-256 ${decision.xbrlSha256}.` : "No XBRL instance (none could be made when it was decided).",
      `Audit chain intact from event 1 to ${last!.seq}, ending in ${last!.hash}: compare with the firm's trail (verifyAuditTrail) to anchor it.`,
    ].join("\n"),
  };
}
