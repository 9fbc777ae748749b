// Who may see whom: staff see the people of their firm; a client user sees only themselves.
import type { SelectQueryBuilder } from "typeorm";
import { type Actor, isStaff } from "../../core/actor.js";
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
