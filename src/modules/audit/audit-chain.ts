// The hash of one audit link: every recorded field plus the previous link's hash.
import crypto from "node:crypto";
import { canonicalJson } from "../../core/canonical-json.js";
import type { AuditEvent } from "./audit-event.entity.js";

export const GENESIS_HASH = "0".repeat(64);

export type HashedFields = Omit<AuditEvent, "id" | "hash">;

export function auditHash(event: HashedFields): string {
  const content = canonicalJson({
    firmId: event.firmId,
    administrationId: event.administrationId,
    seq: Number(event.seq),
    occurredAt: event.occurredAt.toISOString(),
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    note: event.note,
    details: event.details,
    prevHash: event.prevHash,
  });
  return crypto.createHash("sha256").update(content).digest("hex");
}
