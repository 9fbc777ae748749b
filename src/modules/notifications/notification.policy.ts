// Whose notifications are whose: a person sees only their own (API tokens and the system have none),
// and hears of the kinds meant for their side of the firm.
import { OPEN, type ScopeRules } from "../../core/api-scopes.js";
import type { SelectQueryBuilder } from "typeorm";
import { type Actor, isClient, userIdOf } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import type { Notification } from "./notification.entity.js";

/** Limits a query of notifications (alias `alias`) to those of `actor`: none for an API token or the system. */
export function scopeOwnNotifications<T extends Notification>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
  const userId = userIdOf(actor);
  if (!userId) throw new NotFoundError("Notification");
  return qb.andWhere(`${alias}.recipient_user_id = :ownerId`, { ownerId: userId });
}

/** Which kinds a person receives: those for the firm's staff, or those for its clients. */
export function notificationAudience(actor: Actor): "STAFF" | "CLIENT" {
  return isClient(actor) ? "CLIENT" : "STAFF";
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const NOTIFICATION_SCOPES: ScopeRules = {
  // A person's own notifications: API tokens have none.
  "Query.notifications": OPEN,
  "Query.unreadNotificationCount": OPEN,
  "Query.notificationPreferences": OPEN,
  "Mutation.markNotificationsRead": OPEN,
  "Mutation.updateNotificationPreferences": OPEN,
  "Subscription.notificationReceived": OPEN,
  "node:Notification": OPEN,
};
