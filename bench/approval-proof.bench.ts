// How long does `npm run verify-proof` take for an administration with a long audit trail? Builds
// proofs whose chains hold 100 (baseline) and 10 000 events, hashed as the server hashes them, and
// times the offline check of each (no database, no network). Reports the time per event, so the
// ratio says whether checking grows linearly. Run: node --import tsx bench/approval-proof.bench.ts
import { randomUUID } from "node:crypto";
import { auditHash, GENESIS_HASH } from "../src/modules/audit/audit-chain.js";
import type { AuditEvent } from "../src/modules/audit/audit-event.entity.js";
import { type ApprovalProof, PROOF_FORMAT, verifyApprovalProof } from "../src/modules/filings/approval-proof.js";
import { contentHash } from "../src/modules/filings/filing-hash.js";
import { FilingKind } from "../src/modules/filings/filing.entity.js";

function proofWith(events: number): ApprovalProof {
  const firmId = randomUUID();
  const administrationId = randomUUID();
  const filing = {
    id: randomUUID(),
    kind: FilingKind.VAT_RETURN,
    administrationId,
    periodYear: 2026,
    periodMonth: null,
    periodQuarter: 3,
    correctionNumber: 0,
    version: 2,
    content: { kind: FilingKind.VAT_RETURN, entries: { pairs: {}, turnover: {}, totals: {} } },
  } as unknown as ApprovalProof["filing"];
  const hash = contentHash(filing);
  const chain: ApprovalProof["auditChain"] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= events; seq++) {
    const last = seq === events;
    const fields = {
      firmId,
      administrationId,
      seq,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + seq * 1000),
      actorType: "USER",
      actorId: last ? "11111111-1111-4111-8111-111111111111" : null,
      actorLabel: "someone@example.test",
      action: last ? "filing.approved" : "document.uploaded",
      subjectType: last ? "VatReturn" : "Document",
      subjectId: last ? filing.id : randomUUID(),
      note: null,
      details: last ? { version: 2, contentHash: hash, xbrlSha256: null, confirmation: null } : { filename: `scan-${seq}.pdf`, sha256: "0".repeat(64) },
      prevHash,
    } as unknown as Omit<AuditEvent, "id" | "hash">;
    const eventHash = auditHash(fields);
    chain.push({ ...(fields as object), id: randomUUID(), hash: eventHash, occurredAt: fields.occurredAt.toISOString() } as ApprovalProof["auditChain"][number]);
    prevHash = eventHash;
  }
  return {
    format: PROOF_FORMAT,
    exportedAt: new Date().toISOString(),
    filing,
    decision: {
      decision: "APPROVED",
      byUserId: "11111111-1111-4111-8111-111111111111",
      byLabel: "someone@example.test",
      at: new Date().toISOString(),
      note: null,
      contentHash: hash,
      confirmation: null,
      assertion: null,
      xbrlSha256: null,
    },
    xbrl: null,
    auditChain: chain,
  };
}

async function timed(proof: ApprovalProof, rounds: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const verdict = await verifyApprovalProof(proof);
    if (!verdict.valid) throw new Error(verdict.problems.join("; "));
  }
  return (performance.now() - started) / rounds;
}

const small = proofWith(100);
const large = proofWith(10_000);
await timed(small, 5); // warm up
const smallMs = await timed(small, 50);
const largeMs = await timed(large, 5);
const perEvent = (ms: number, n: number) => ((ms / n) * 1000).toFixed(1);
console.log(`verify a proof with 100 events (baseline): ${smallMs.toFixed(2)} ms (${perEvent(smallMs, 100)} µs per event)`);
console.log(`verify a proof with 10 000 events:        ${largeMs.toFixed(2)} ms (${perEvent(largeMs, 10_000)} µs per event)`);
console.log(
  `per-event ratio (10 000 / 100): ${(largeMs / 10_000 / (smallMs / 100)).toFixed(2)}x; JSON size of the large proof: ${(JSON.stringify(large).length / 1e6).toFixed(1)} MB`,
);
