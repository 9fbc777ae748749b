// Who sees which reports and what of them. Staff and API tokens: every report of their firm, every
// version, everyone's read receipts, and links that keep working for withdrawn reports. Client users
// of the administration: a report from its moment until it is withdrawn, its current version only,
// their own read receipts; their links stop when it is withdrawn or replaced.
import { ApiScope, needs, OPEN, type ScopeRules } from "../../core/api-scopes.js";
import type { SelectQueryBuilder } from "typeorm";
import { type Actor, type ClientActor, isClient } from "../../core/actor.js";
import type { LinkKind } from "../files/download-links.js";
import { scopeVisibleAdministrations } from "../administrations/administration.policy.js";
import type { Report } from "./report.entity.js";

/** Whether clients see it now: its moment has come and it is not withdrawn (the in-memory form of the scope below). */
export function isPublished(report: Pick<Report, "publishAt" | "withdrawnAt">, now = new Date()): boolean {
  return report.publishAt.getTime() <= now.getTime() && !report.withdrawnAt;
}

export function scopeVisibleReports<T extends object>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  qb.innerJoin("administrations", `${alias}_adm`, `${alias}_adm.id = ${alias}.administration_id`);
  if (isClient(actor)) qb.andWhere(`${alias}.publish_at <= now() AND ${alias}.withdrawn_at IS NULL`);
  return scopeVisibleAdministrations(qb, `${alias}_adm`, actor);
}

/** The versions `actor` sees of a report at `current`: all of them for the firm, the current one for a client. */
export function versionsShown<V extends { version: number }>(actor: Actor, versions: V[], current: number): V[] {
  return isClient(actor) ? versions.filter((v) => v.version === current) : versions;
}

/** Which signed link a viewer gets: a client's ("r") checks publication when used; the firm's ("R") does not. */
export function reportLinkKind(actor: Actor): Extract<LinkKind, "r" | "R"> {
  return isClient(actor) ? "r" : "R";
}

/** The read receipts `actor` sees: everyone's for the firm, a client's own. */
export function readsShown<R extends { user_id: string }>(actor: Actor, reads: R[]): R[] {
  return isClient(actor) ? reads.filter((r) => r.user_id === actor.userId) : reads;
}

/** Whether opening a report leaves a receipt: a client's first opening of a version does; staff reading does not. */
export function leavesReadReceipt(actor: Actor): actor is ClientActor {
  return isClient(actor);
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const REPORT_SCOPES: ScopeRules = {
  "Mutation.publishReport": needs(ApiScope.REPORTS_WRITE),
  "Mutation.replaceReport": needs(ApiScope.REPORTS_WRITE),
  "Mutation.withdrawReport": needs(ApiScope.REPORTS_WRITE),
  "Mutation.markReportRead": OPEN,
  "Administration.reports": needs(ApiScope.REPORTS_READ),
  "node:Report": needs(ApiScope.REPORTS_READ),
};
