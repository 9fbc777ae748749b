import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { requireActor } from "../core/actor.js";
import { NotFoundError } from "../core/errors.js";
import type { GraphQLContext } from "../graphql/context.js";
import { parseGlobalId } from "../graphql/global-id.js";
import { Node } from "../graphql/relay.js";

@Resolver()
export class NodeResolver {
  @Query(() => Node, { description: "Any object by its global ID; NOT_FOUND when it does not exist for the viewer." })
  async node(@Arg("id", () => ID, { description: "A global ID, as returned by any `id` field." }) id: string, @Ctx() ctx: GraphQLContext): Promise<Node> {
    requireActor(ctx.viewer);
    const { type, id: uuid } = parseGlobalId(id);
    const found = await ctx.services.nodes.get(type)?.(ctx, uuid);
    if (!found) throw new NotFoundError(type);
    return found;
  }
}
