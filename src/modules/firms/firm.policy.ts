// Who may see and change a firm: its own people and tokens see it (nothing of one firm is visible to
// another); its settings are changed by its firm admins.
import { OPEN, FIRM_WIDE, type ScopeRules } from "../../core/api-scopes.js";
import { type Actor, isFirmAdmin } from "../../core/actor.js";
import { ForbiddenError } from "../../core/errors.js";

export function seesFirm(actor: Actor, firmId: string): boolean {
  return actor.type === "SYSTEM" || actor.firmId === firmId;
}

export function assertMayChangeFirmSettings(actor: Actor): asserts actor is Extract<Actor, { type: "USER" }> {
  if (!isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can change the firm's settings");
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const FIRM_SCOPES: ScopeRules = {
  "Mutation.updateFirmSettings": FIRM_WIDE,
  "Mutation.setFirmLogo": FIRM_WIDE,
  "Mutation.removeFirmLogo": FIRM_WIDE,
  "Query.firmBranding": OPEN,
  "Query.signUpOpen": OPEN,
  "Mutation.signUpFirm": OPEN,
  "node:Firm": OPEN,
};
