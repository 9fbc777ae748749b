// Who sees what of desk reminders: everyone who sees an administration sees its desk summary; when
// the client was last reminded is the firm's to know (staff and API tokens).
import { type Actor, isClient } from "../../core/actor.js";

export function seesReminderHistory(actor: Actor): boolean {
  return !isClient(actor);
}
