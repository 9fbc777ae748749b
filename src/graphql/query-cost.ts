// What a GraphQL request costs: the cost limit's own count (graphql-armor), so that the limit per
// request and the budget per window (server/request-limits.ts) weigh a query the same way.
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { type DocumentNode, type GraphQLSchema, validate } from "graphql";

/** The weights of a field: 2 for an object, 1 for a scalar, times 1.5 per level of depth. */
export const COST_WEIGHTS = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true };

/** The cost of `document` (of its costliest operation), as the cost limit counts it, in whole points (at least 1). */
export function queryCost(schema: GraphQLSchema, document: DocumentNode): number {
  let cost = 0;
  const measure = costLimitRule({
    ...COST_WEIGHTS,
    maxCost: Number.MAX_SAFE_INTEGER,
    onAccept: [(_context: unknown, details: { n: number }) => void (cost = Math.max(cost, details.n))],
  });
  validate(schema, document, [measure]);
  return Math.max(1, Math.ceil(cost));
}
