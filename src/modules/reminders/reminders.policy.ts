// Who sees what of desk reminders: everyone who sees an administration sees its desk summary; when
// the client was last reminded is the firm's to know (staff and API tokens).
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import { type Actor, isClient } from "../../core/actor.js";

export function seesReminderHistory(actor: Actor): boolean {
  return !isClient(actor);
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const REMINDER_SCOPES: ScopeRules = {
  "Mutation.remindClient": needs(ApiScope.DOCUMENTS_WRITE),
  "Administration.deskSummary": needs(ApiScope.DOCUMENTS_READ),
};
