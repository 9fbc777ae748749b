// Who may see and act on filings. Staff and API tokens: every filing of their firm. Client users of
// the administration: a filing only while it is not a draft, that is from the moment approval is
// asked — never the firm's work in progress, also not after a request was withdrawn or a decision
// reopened (the firm is changing it again); only those allowed to approve for the administration
// may approve or reject. Of its history a client sees the steps of the approval and the filing
// (never the drafts' contents) and only the mails sent to themselves.
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import { type EntityManager, In, type SelectQueryBuilder } from "typeorm";
import { type Actor, isClient } from "../../core/actor.js";
import { ForbiddenError, NotFoundError } from "../../core/errors.js";
import { scopeVisibleAdministrations } from "../administrations/administration.policy.js";
import { Membership } from "../administrations/membership.entity.js";
import { Filing, FilingStatus } from "./filing.entity.js";

/** Whether a client user of the administration may see `filing` (in its present state). */
function visibleToClient(filing: Pick<Filing, "status">): boolean {
  return filing.status !== FilingStatus.DRAFT;
}

/** The in-memory form of the scope below, for a filing of an administration `actor` may see. */
export function filingVisibleTo(actor: Actor, filing: Pick<Filing, "status">): boolean {
  return !isClient(actor) || visibleToClient(filing);
}

export function scopeVisibleFilings<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  qb.innerJoin("administrations", `${alias}_adm`, `${alias}_adm.id = ${alias}.administration_id`);
  // The SQL form of visibleToClient.
  if (isClient(actor)) qb.andWhere(`${alias}.status <> :pdDraft`, { pdDraft: FilingStatus.DRAFT });
  return scopeVisibleAdministrations(qb, `${alias}_adm`, actor);
}

/** History steps a client may read: the approval and the filing's way to the tax authority. */
const CLIENT_HISTORY_ACTIONS = [
  "filing.approval_requested",
  "filing.approval_withdrawn",
  "filing.approved",
  "filing.rejected",
  "filing.reopened",
  "filing.submitted",
  "filing.received_by_gateway",
  "filing.gateway_status",
  "filing.accepted",
  "filing.failed",
];

/** Narrows a query of audit events (alias `alias`) about visible filings to what `actor` may read. */
export function scopeFilingHistory<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  if (!isClient(actor)) return qb;
  return qb.andWhere(`(${alias}.action IN (:...pdClientActions) OR (${alias}.action = 'mail.sent' AND ${alias}.details->>'recipientUserId' = :pdViewer))`, {
    pdClientActions: CLIENT_HISTORY_ACTIONS,
    pdViewer: actor.userId,
  });
}

/** The filing, or NOT_FOUND when it does not exist for `actor`; optionally locked for a state change. */
export async function findVisibleFiling(manager: EntityManager, actor: Actor, id: string, lock = false): Promise<Filing> {
  const qb = manager.getRepository(Filing).createQueryBuilder("f").where("f.id = :id", { id });
  scopeVisibleFilings(qb, "f", actor);
  if (lock) qb.setLock("pessimistic_write", undefined, ["f"]);
  const found = await qb.getOne();
  if (!found) throw new NotFoundError("Filing");
  return found;
}

/** Of `administrationIds`, those whose filings `actor` may approve: a client user allowed to by their membership. */
export async function approvableAdministrations(manager: EntityManager, actor: Actor, administrationIds: readonly string[]): Promise<Set<string>> {
  if (!isClient(actor) || administrationIds.length === 0) return new Set();
  const memberships = await manager.getRepository(Membership).findBy({ userId: actor.userId, administrationId: In([...administrationIds]), canApproveFilings: true });
  return new Set(memberships.map((m) => m.administrationId));
}

/** Whether `actor` may see the filing now (a live event about it is skipped otherwise). */
export async function isFilingVisible(manager: EntityManager, actor: Actor, id: string): Promise<boolean> {
  const qb = manager.getRepository(Filing).createQueryBuilder("f").where("f.id = :id", { id });
  return scopeVisibleFilings(qb, "f", actor).getExists();
}

/** Whether `actor` is a client user allowed to approve filings of the administration. */
async function mayApprove(manager: EntityManager, actor: Actor, administrationId: string): Promise<boolean> {
  return (await approvableAdministrations(manager, actor, [administrationId])).has(administrationId);
}

export async function assertMayApprove(manager: EntityManager, actor: Actor, administrationId: string): Promise<void> {
  if (!(await mayApprove(manager, actor, administrationId))) {
    throw new ForbiddenError("Only client users allowed to approve filings for this administration can approve or reject");
  }
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const FILING_SCOPES: ScopeRules = {
  "Mutation.createVatReturn": needs(ApiScope.FILINGS_WRITE),
  "Mutation.updateVatReturn": needs(ApiScope.FILINGS_WRITE),
  "Mutation.createIcpDeclaration": needs(ApiScope.FILINGS_WRITE),
  "Mutation.updateIcpDeclaration": needs(ApiScope.FILINGS_WRITE),
  "Mutation.requestFilingApproval": needs(ApiScope.FILINGS_WRITE),
  "Mutation.withdrawApprovalRequest": needs(ApiScope.FILINGS_WRITE),
  "Mutation.reopenFiling": needs(ApiScope.FILINGS_WRITE),
  "Mutation.deleteFiling": needs(ApiScope.FILINGS_WRITE),
  "Mutation.submitFiling": needs(ApiScope.FILINGS_WRITE),
  // The client's decisions: people only, whatever the scope.
  "Mutation.approveFiling": needs(ApiScope.FILINGS_WRITE),
  "Mutation.rejectFiling": needs(ApiScope.FILINGS_WRITE),
  "Mutation.decisionPasskeyOptions": needs(ApiScope.FILINGS_WRITE),
  "Subscription.filingUpdated": needs(ApiScope.FILINGS_READ),
  "Administration.filings": needs(ApiScope.FILINGS_READ),
  "node:VatReturn": needs(ApiScope.FILINGS_READ),
  "node:IcpDeclaration": needs(ApiScope.FILINGS_READ),
};
