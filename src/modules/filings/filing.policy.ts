// Who may see and act on filings. Staff and API tokens: every filing of their firm. Client users of
// the administration: filings once approval has been asked (never the firm's drafts-in-progress);
// only those allowed to approve for the administration may approve or reject.
import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { type Actor, isStaff } from "../../core/actor.js";
import { ForbiddenError, NotFoundError } from "../../core/errors.js";
import { scopeVisibleAdministrations } from "../administrations/administration.policy.js";
import { Membership } from "../administrations/membership.entity.js";
import { Filing } from "./filing.entity.js";

export function scopeVisibleFilings<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  qb.innerJoin("administrations", `${alias}_adm`, `${alias}_adm.id = ${alias}.administration_id`);
  if (actor.type === "USER" && !isStaff(actor)) qb.andWhere(`${alias}.first_requested_at IS NOT NULL`);
  return scopeVisibleAdministrations(qb, `${alias}_adm`, actor);
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

/** Whether `actor` is a client user allowed to approve filings of the administration. */
export async function mayApprove(manager: EntityManager, actor: Actor, administrationId: string): Promise<boolean> {
  if (actor.type !== "USER" || isStaff(actor)) return false;
  return manager.getRepository(Membership).existsBy({ userId: actor.userId, administrationId, canApproveFilings: true });
}

export async function assertMayApprove(manager: EntityManager, actor: Actor, administrationId: string): Promise<void> {
  if (!(await mayApprove(manager, actor, administrationId))) {
    throw new ForbiddenError("Only client users allowed to approve filings for this administration can approve or reject");
  }
}
