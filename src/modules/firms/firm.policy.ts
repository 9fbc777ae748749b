// Who may see and change a firm: its own people and tokens see it (nothing of one firm is visible to
// another); its settings are changed by its firm admins.
import { type Actor, isFirmAdmin } from "../../core/actor.js";
import { ForbiddenError } from "../../core/errors.js";

export function seesFirm(actor: Actor, firmId: string): boolean {
  return actor.type === "SYSTEM" || actor.firmId === firmId;
}

export function assertMayChangeFirmSettings(actor: Actor): asserts actor is Extract<Actor, { type: "USER" }> {
  if (!isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can change the firm's settings");
}
