// Who sees an administration's figures: the firm's staff and its API tokens always; its client users
// only while the firm shows them (`figuresVisible`). Hidden figures do not exist for a client.
import { type Actor, isClient } from "../../core/actor.js";
import type { Administration } from "../administrations/administration.entity.js";

export function mayReadFigures(actor: Actor, administration: Pick<Administration, "figuresVisible">): boolean {
  return !isClient(actor) || administration.figuresVisible;
}
