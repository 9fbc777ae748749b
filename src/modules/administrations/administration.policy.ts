// Who may see and change administrations and memberships. Every path into them goes through here.
import { ApiScope, needs, OPEN, type ScopeRules } from "../../core/api-scopes.js";
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { type Actor, isClient, isFirmAdmin, isStaff } from "../../core/actor.js";
import { ForbiddenError, NotFoundError } from "../../core/errors.js";
import { Administration } from "./administration.entity.js";
import { Membership } from "./membership.entity.js";

/**
 * Restricts `qb` (selecting administrations as `alias`) to those `actor` may see: staff and API
 * tokens all of their firm's (a token limited to some, those); client users those they are members
 * of, while the portal is on.
 */
export function scopeVisibleAdministrations<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  if (actor.type === "SYSTEM") return qb;
  qb.andWhere(`${alias}.firm_id = :scopeFirmId`, { scopeFirmId: actor.firmId });
  const limit = tokenAdministrationLimit(actor);
  if (limit) qb.andWhere(`${alias}.id = ANY(:scopeTokenAdministrations)`, { scopeTokenAdministrations: limit });
  if (actor.type === "USER" && !isStaff(actor)) {
    qb.andWhere(`${alias}.portal_enabled`).andWhere(`EXISTS (SELECT 1 FROM memberships scope_m WHERE scope_m.administration_id = ${alias}.id AND scope_m.user_id = :scopeUserId)`, {
      scopeUserId: actor.userId,
    });
  }
  return qb;
}

/** The administrations an API token is limited to (null: no limit, and for everyone else). */
export function tokenAdministrationLimit(actor: Actor): readonly string[] | null {
  return actor.type === "API_TOKEN" ? actor.administrationIds : null;
}

/** The administration, or NotFoundError when it does not exist for `actor`. */
export async function findVisibleAdministration(manager: EntityManager, actor: Actor, id: string): Promise<Administration> {
  const qb = manager.getRepository(Administration).createQueryBuilder("a").where("a.id = :id", { id });
  const found = await scopeVisibleAdministrations(qb, "a", actor).getOne();
  if (!found) throw new NotFoundError("Administration");
  return found;
}

/**
 * The client users who hear about an administration: members who are active or invited, while its
 * portal is on; with `approversOnly`, those allowed to approve its filings.
 */
export async function portalClientIds(manager: EntityManager, administrationId: string, options: { approversOnly?: boolean } = {}): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT m.user_id FROM memberships m
       JOIN users u ON u.id = m.user_id AND u.status IN ('ACTIVE', 'INVITED')
       JOIN administrations a ON a.id = m.administration_id AND a.portal_enabled
      WHERE m.administration_id = $1 AND ($2::boolean IS FALSE OR m.can_approve_filings)`,
    [administrationId, options.approversOnly ?? false],
  )) as Array<{ user_id: string }>;
  return rows.map((r) => r.user_id);
}

/** Whether the administration's client users may hear of it (its portal is on); staff always may. */
export async function portalOpen(manager: EntityManager, administrationId: string): Promise<boolean> {
  const rows = (await manager.query("SELECT portal_enabled FROM administrations WHERE id = $1", [administrationId])) as Array<{ portal_enabled: boolean }>;
  return rows[0]?.portal_enabled ?? false;
}

/** Staff of the administration's firm (and the system); clients get FORBIDDEN. */
export function assertStaffOf(actor: Actor, administration: Administration): void {
  if (actor.type === "SYSTEM") return;
  if (actor.firmId !== administration.firmId) throw new NotFoundError("Administration");
  if (!isStaff(actor)) throw new ForbiddenError("Only the firm's staff can do this");
}

export function assertCanManageAdministrations(actor: Actor): void {
  if (actor.type !== "SYSTEM" && !isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can manage administrations");
}

/** Memberships of an administration the actor may see: staff all; a client only their own. */
export function visibleMemberships(actor: Actor, memberships: Membership[]): Membership[] {
  if (!isClient(actor)) return memberships;
  return memberships.filter((m) => m.userId === actor.userId);
}

/**
 * A person's memberships as `actor` sees them: all for staff and the system; for a client, those of
 * administrations whose portal is on (the in-memory form of the portal-client rule).
 */
export async function reachableMemberships<M extends { administrationId: string }>(
  actor: Actor,
  memberships: M[],
  administrationsOf: (ids: string[]) => Promise<ReadonlyArray<Pick<Administration, "id" | "portalEnabled"> | null | Error>>,
): Promise<M[]> {
  if (!isClient(actor) || memberships.length === 0) return memberships;
  const open = new Set((await administrationsOf(memberships.map((m) => m.administrationId))).flatMap((a) => (a && !(a instanceof Error) && a.portalEnabled ? [a.id] : [])));
  return memberships.filter((m) => open.has(m.administrationId));
}

/** The firm's active staff (admins and accountants): who hears of what needs the firm's attention. */
export async function firmStaffIds(manager: EntityManager, firmId: string): Promise<string[]> {
  const rows = (await manager.query("SELECT id FROM users WHERE firm_id = $1 AND role IN ('FIRM_ADMIN', 'ACCOUNTANT') AND status = 'ACTIVE'", [firmId])) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const ADMINISTRATION_SCOPES: ScopeRules = {
  "Query.administrations": OPEN,
  "Query.administration": OPEN,
  "node:Administration": OPEN,
  "Mutation.createAdministration": needs(ApiScope.ADMINISTRATIONS_WRITE, { firmWide: true }),
  "Mutation.updateAdministration": needs(ApiScope.ADMINISTRATIONS_WRITE),
  "Mutation.addMember": needs(ApiScope.USERS_WRITE),
  "Mutation.updateMember": needs(ApiScope.USERS_WRITE),
  "Mutation.removeMember": needs(ApiScope.USERS_WRITE),
  "Administration.memberships": needs(ApiScope.USERS_READ),
  "node:Membership": needs(ApiScope.USERS_READ),
};
