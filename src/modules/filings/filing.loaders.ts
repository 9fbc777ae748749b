// Batched loads for filing fields: warnings, histories, corrected filings and whether the viewer may
// approve, each in one statement for a whole page of filings.
import DataLoader from "dataloader";
import { requireActor } from "../../core/actor.js";
import type { Page } from "../../db/pagination.js";
import { type LoaderFactory, type PageKey, pagesLoader, visibleById } from "../../graphql/loaders.js";
import type { AuditEvent } from "../audit/audit-event.entity.js";
import { eventPagesOf, historiesOf } from "../audit/audit.loaders.js";
import { Filing } from "./filing.entity.js";
import { approvableAdministrations, scopeFilingHistory, scopeVisibleFilings } from "./filing.policy.js";
import type { FilingWarning } from "./vat-return.js";
import type { PreflightProblem } from "./filing-preflight.js";
import type { ApprovalProof } from "./approval-proof.js";

export const filingWarnings: LoaderFactory<Filing, FilingWarning[]> = ({ filings }, viewer) =>
  new DataLoader(
    async (keys) => {
      const warnings = await filings.warnings(requireActor(viewer), [...keys]);
      return keys.map((f) => warnings.get(f.id) ?? []);
    },
    { cacheKeyFn: (f) => f.id },
  );

/** Preflight problems of a page of filings, in three statements (filing.service.ts: preflights). */
export const filingPreflights: LoaderFactory<Filing, PreflightProblem[]> = ({ filings, dataSource }, viewer) =>
  new DataLoader(
    async (keys) => {
      const problems = await filings.preflights(dataSource.manager, [...keys], requireActor(viewer));
      return keys.map((f) => problems.get(f.id) ?? []);
    },
    { cacheKeyFn: (f) => f.id },
  );

/** Per administration: may the viewer approve its filings? (One statement for a page.) */
export const viewerMayApprove: LoaderFactory<string, boolean> = ({ dataSource }, viewer) =>
  new DataLoader(async (administrationIds) => {
    const allowed = await approvableAdministrations(dataSource.manager, requireActor(viewer), administrationIds);
    return administrationIds.map((id) => allowed.has(id));
  });

/** Filings by id, as the viewer may see them (null: not visible). */
export const visibleFilingById = visibleById(Filing, scopeVisibleFilings);

/** Audit events about each filing (its history) the viewer may read, oldest first. Callers reach them through visible filings. */
export const historyByFilingId: LoaderFactory<string, AuditEvent[]> = ({ dataSource }, viewer) =>
  new DataLoader((ids) => {
    const actor = requireActor(viewer);
    return historiesOf(dataSource, actor, ids, (qb) => scopeFilingHistory(qb, "e", actor));
  });

/** A page of each filing's events the viewer may read (as `historyByFilingId`). */
export const eventPagesByFilingId: LoaderFactory<PageKey, Page<AuditEvent>> = (services, viewer) =>
  pagesLoader((ids, page) => {
    const actor = requireActor(viewer);
    return eventPagesOf(services, actor, ids, page, (qb) => scopeFilingHistory(qb, "e", actor));
  });

/** Proofs of the decisions on a page of filings (staff only): three statements for the page. */
export const approvalProofByFiling: LoaderFactory<Filing, ApprovalProof | null> = ({ filings }, viewer) =>
  new DataLoader(
    async (keys) => {
      const proofs = await filings.approvalProofs(requireActor(viewer), [...keys]);
      return keys.map((f) => proofs.get(f.id) ?? null);
    },
    { cacheKeyFn: (f) => f.id },
  );
