import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { requireActor } from "../core/actor.js";
import { NotFoundError } from "../core/errors.js";
import type { GraphQLContext } from "../graphql/context.js";
import { parseGlobalId } from "../graphql/global-id.js";
import { Node } from "../graphql/relay.js";
import { assertTokenRule } from "../graphql/scope-check.js";

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: "Any object by its global ID; NOT_FOUND when it does not exist for the viewer." })
  async node(@Arg("id", () => ID, { description: "A global ID, as returned by any `id` field." }) id: string, @Ctx() ctx: GraphQLContext): Promise<Node> {
    const actor = requireActor(ctx.viewer);
    const { type, id: uuid } = parseGlobalId(id);
    assertTokenRule(actor, ctx.services.scopeRules.get(`node:${type}`), `node(id) of a ${type}`);
    const found = await ctx.services.nodes.get(type)?.(ctx, uuid);
    if (!found) throw new NotFoundError(type);
    return found;
  }
}
