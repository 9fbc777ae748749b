// Enforces the scope rules the modules declare (core/api-scopes.ts): every field of a request that
// has a rule is checked against the API token's scopes and administration limit before anything
// runs, over HTTP and WebSocket alike; node(id:) checks the rule of the type it fetches.
import { type DocumentNode, type GraphQLSchema, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import type { Actor } from "../core/actor.js";
import type { ScopeRule } from "../core/api-scopes.js";
import { ForbiddenError } from "../core/errors.js";

/** FORBIDDEN naming what is missing when `rule` does not allow the API token `actor` (others pass). */
export function assertTokenRule(actor: Actor, rule: ScopeRule | undefined, what: string): void {
  if (actor.type !== "API_TOKEN" || !rule) return;
  if (rule.scope && actor.scopes && !actor.scopes.includes(rule.scope)) throw new ForbiddenError(`This API token lacks the scope ${rule.scope} (${what})`);
  if (rule.firmWide && actor.administrationIds) throw new ForbiddenError(`This API token is limited to some administrations, and ${what} concerns the whole firm`);
}

/** Checks every field of `document` that has a rule, for an API token with scopes or a limit. */
export function assertTokenMayRun(actor: Actor, schema: GraphQLSchema, document: DocumentNode, rules: ReadonlyMap<string, ScopeRule>): void {
  if (actor.type !== "API_TOKEN" || (!actor.scopes && !actor.administrationIds)) return;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        const coordinate = `${parent.name}.${field.name}`;
        assertTokenRule(actor, rules.get(coordinate), coordinate);
      },
    }),
  );
}
