// Who may see whom: staff see the people of their firm; a client user sees only themselves.
import { ApiScope, needs, OPEN, type ScopeRules } from "../../core/api-scopes.js";
import type { SelectQueryBuilder } from "typeorm";
import { type Actor, isFirmAdmin, isStaff } from "../../core/actor.js";
import { ForbiddenError } from "../../core/errors.js";
import { isStaffRole, type UserRole } from "../../core/roles.js";
import type { User } from "./user.entity.js";

export function canSeeUser(actor: Actor, user: User): boolean {
  if (actor.type === "SYSTEM") return true;
  if (actor.firmId !== user.firmId) return false;
  return isStaff(actor) || (actor.type === "USER" && actor.userId === user.id);
}

export function scopeVisibleUsers<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  if (actor.type === "SYSTEM") return qb;
  qb.andWhere(`${alias}.firm_id = :scopeFirmId`, { scopeFirmId: actor.firmId });
  if (actor.type === "USER" && !isStaff(actor)) qb.andWhere(`${alias}.id = :scopeUserId`, { scopeUserId: actor.userId });
  return qb;
}

/** Only the firm's staff list its people. */
export function assertMayListPeople(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError("Only the firm's staff can list its people");
}

/** Firm admins invite anyone of their firm; accountants invite client users; nobody else invites. */
export function assertMayInvite(actor: Actor, role: UserRole): void {
  if (!isStaff(actor)) throw new ForbiddenError("Only the firm's staff can invite people");
  if (isStaffRole(role) && !isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can invite staff");
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const USER_SCOPES: ScopeRules = {
  "Query.viewer": OPEN,
  "Query.users": needs(ApiScope.USERS_READ, { firmWide: true }),
  "Mutation.updateProfile": OPEN,
  "node:User": needs(ApiScope.USERS_READ, { firmWide: true }),
};
