// Batched loads for filing fields: warnings, histories, and whether the viewer may approve, each in
// one statement for a whole page of filings.
import DataLoader from "dataloader";
import { requireActor } from "../../core/actor.js";
import { groupByKey, type LoaderFactory } from "../../graphql/loaders.js";
import { AuditEvent } from "../audit/audit-event.entity.js";
import type { Filing } from "./filing.entity.js";
import { mayApprove, scopeFilingHistory } from "./filing.policy.js";
import type { FilingWarning } from "./vat-return.js";

export const filingWarnings: LoaderFactory<Filing, FilingWarning[]> = ({ filings }, viewer) =>
  new DataLoader(
    async (keys) => {
      const warnings = await filings.warnings(requireActor(viewer), [...keys]);
      return keys.map((f) => warnings.get(f.id) ?? []);
    },
    { cacheKeyFn: (f) => f.id },
  );

/** Per administration: may the viewer approve its filings? */
export const viewerMayApprove: LoaderFactory<string, boolean> = ({ dataSource }, viewer) =>
  new DataLoader(async (administrationIds) => {
    const actor = requireActor(viewer);
    return Promise.all(administrationIds.map((id) => mayApprove(dataSource.manager, actor, id)));
  });

/** Audit events about each filing (its history) the viewer may read, oldest first. Callers reach them through visible filings. */
export const historyByFilingId: LoaderFactory<string, AuditEvent[]> = ({ dataSource }, viewer) =>
  new DataLoader(async (ids) => {
    const qb = dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder("e")
      .where("e.subject_id IN (:...ids)", { ids: [...ids] });
    scopeFilingHistory(qb, "e", requireActor(viewer));
    return groupByKey(ids, await qb.orderBy("e.occurred_at", "ASC").addOrderBy("e.seq", "ASC").getMany(), (e) => e.subjectId!);
  });
