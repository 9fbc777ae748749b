// What a client approves: a hash of everything a filing says, recomputed at submission and by
// `npm run verify-proof` (so this module needs nothing but the filing's fields).
import { createHash } from "node:crypto";
import { canonicalJson } from "../../core/canonical-json.js";
import type { Filing } from "./filing.entity.js";

/** SHA-256 of what a filing says: what the client approves, and what must still hold at submission. */
export function contentHash(
  filing: Pick<Filing, "id" | "kind" | "administrationId" | "periodYear" | "periodMonth" | "periodQuarter" | "correctionNumber" | "version" | "content">,
): string {
  const { id, kind, administrationId, periodYear, periodMonth, periodQuarter, correctionNumber, version, content } = filing;
  return createHash("sha256")
    .update(canonicalJson({ id, kind, administrationId, period: { year: periodYear, month: periodMonth, quarter: periodQuarter }, correctionNumber, version, content }))
    .digest("hex");
}
