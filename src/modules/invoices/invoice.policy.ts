// Who may correct the fields read from an invoice: the firm's staff and its API tokens always; an
// administration's client users where the firm lets them (`clientsCorrectInvoices`).
import { ApiScope, needs, type ScopeRules } from "../../core/api-scopes.js";
import { type Actor, isStaff } from "../../core/actor.js";
import { ForbiddenError } from "../../core/errors.js";
import type { Administration } from "../administrations/administration.entity.js";

/** `actor` sees the administration already (its document was found through the document policy). */
export function assertMayCorrectInvoice(actor: Actor, administration: Administration): void {
  if (actor.type !== "USER" || isStaff(actor) || administration.clientsCorrectInvoices) return;
  throw new ForbiddenError("Only the firm's staff can correct what was read from this invoice");
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const INVOICE_SCOPES: ScopeRules = {
  "Mutation.correctInvoiceField": needs(ApiScope.DOCUMENTS_WRITE),
};
