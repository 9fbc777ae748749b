// Who may read the audit trail: the firm's staff and its API tokens read the chains of its
// administrations; the firm's own chain (staff and token events) only its firm admins and tokens.
// Clients never read a trail: a filing's history shows them their steps (filings/filing.policy.ts).
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import type { EntityManager } from "typeorm";
import { type Actor, isClient, isFirmAdmin, type SystemActor } from "../../core/actor.js";
import { ForbiddenError } from "../../core/errors.js";
import { findVisibleAdministration, tokenAdministrationLimit } from "../administrations/administration.policy.js";

/** Whether `actor` reads the chains of the administrations it sees (staff and API tokens). */
export function readsAdministrationTrails(actor: Actor): actor is Exclude<Actor, SystemActor> {
  return actor.type !== "SYSTEM" && !isClient(actor);
}

/** The chain `actor` may read for `administrationId` (null: the firm's own), or FORBIDDEN / NOT_FOUND. */
export async function readableChain(manager: EntityManager, actor: Actor, administrationId: string | null): Promise<{ firmId: string; chainKey: string }> {
  if (actor.type === "SYSTEM") throw new ForbiddenError("the audit trail is read by people and integrations");
  if (!readsAdministrationTrails(actor)) throw new ForbiddenError("Only the firm's staff can read the audit trail");
  if (administrationId) {
    await findVisibleAdministration(manager, actor, administrationId);
    return { firmId: actor.firmId, chainKey: administrationId };
  }
  if (actor.type === "USER" && !isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can read the firm's own audit trail");
  if (tokenAdministrationLimit(actor)) throw new ForbiddenError("This API token is limited to some administrations: it reads their trails, not the firm's own");
  return { firmId: actor.firmId, chainKey: actor.firmId };
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const AUDIT_SCOPES: ScopeRules = {
  "Query.auditTrail": needs(ApiScope.AUDIT_READ),
  "Query.verifyAuditTrail": needs(ApiScope.AUDIT_READ),
  "node:AuditEvent": needs(ApiScope.AUDIT_READ, { firmWide: true }),
};
