// Who may manage a firm's webhooks: its firm admins, and API tokens with webhooks:manage that are
// not limited to some administrations (a webhook hears the whole firm).
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import { type Actor, isFirmAdmin } from "../../core/actor.js";
import { ForbiddenError } from "../../core/errors.js";

export function mayManageWebhooks(actor: Actor): boolean {
  if (actor.type === "API_TOKEN") return actor.administrationIds === null && (actor.scopes === null || actor.scopes.includes(ApiScope.WEBHOOKS_MANAGE));
  return isFirmAdmin(actor);
}

export function assertMayManageWebhooks(actor: Actor): asserts actor is Exclude<Actor, { type: "SYSTEM" }> {
  if (!mayManageWebhooks(actor) || actor.type === "SYSTEM") throw new ForbiddenError("Only a firm admin, or an API token with webhooks:manage, can manage webhooks");
}

const MANAGE = needs(ApiScope.WEBHOOKS_MANAGE, { firmWide: true });

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const WEBHOOK_SCOPES: ScopeRules = {
  "Query.webhooks": MANAGE,
  "Mutation.createWebhook": MANAGE,
  "Mutation.updateWebhook": MANAGE,
  "Mutation.rotateWebhookSecret": MANAGE,
  "Mutation.removeWebhook": MANAGE,
  "Mutation.testWebhook": MANAGE,
  "Mutation.redeliverWebhook": MANAGE,
  "node:Webhook": MANAGE,
};
