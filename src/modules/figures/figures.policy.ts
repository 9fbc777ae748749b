// Who sees an administration's figures: the firm's staff and its API tokens always; its client users
// only while the firm shows them (`figuresVisible`). Hidden figures do not exist for a client.
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import { type Actor, isClient } from "../../core/actor.js";
import type { Administration } from "../administrations/administration.entity.js";

export function mayReadFigures(actor: Actor, administration: Pick<Administration, "figuresVisible">): boolean {
  return !isClient(actor) || administration.figuresVisible;
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const FIGURES_SCOPES: ScopeRules = {
  "Mutation.recordFinancialFigures": needs(ApiScope.FIGURES_WRITE),
  "Mutation.setFiguresVisible": needs(ApiScope.FIGURES_WRITE),
  "Administration.figures": needs(ApiScope.FIGURES_READ),
};
