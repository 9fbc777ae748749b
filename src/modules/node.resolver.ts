// node(id) and nodes(ids), per the Relay specification: nullable, so an id that names nothing the
// viewer may see is null in place (never an error that nulls the whole response). "Does not exist"
// and "hidden from you" are answered the same way, null, so an id reveals nothing. A malformed id is
// BAD_USER_INPUT; an API token without the type's scope is FORBIDDEN, naming the scope.
import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { type Actor, requireActor } from "../core/actor.js";
import { BadInputError } from "../core/errors.js";
import type { GraphQLContext } from "../graphql/context.js";
import { parseGlobalId } from "../graphql/global-id.js";
import { Node } from "../graphql/relay.js";
import { assertTokenRule } from "../graphql/scope-check.js";

/** Most ids one `nodes` call takes (a page's worth, like connections). */
export const MAX_NODES = 100;

async function fetchNode(ctx: GraphQLContext, actor: Actor, id: string): Promise<Node | null> {
  const { type, id: uuid } = parseGlobalId(id);
  assertTokenRule(actor, ctx.services.scopeRules.get(`node:${type}`), `node(id) of a ${type}`);
  return (await ctx.services.nodes.get(type)?.(ctx, uuid)) ?? null;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: "Any object by its global ID; null when it does not exist or the viewer may not see it (answered alike)." })
  async node(@Arg("id", () => ID, { description: "A global ID, as returned by any `id` field." }) id: string, @Ctx() ctx: GraphQLContext): Promise<Node | null> {
    return fetchNode(ctx, requireActor(ctx.viewer), id);
  }

  @Query(() => [Node], {
    nullable: "items",
    description: `Objects by their global IDs, in the order asked (at most ${MAX_NODES}); null in place of each that does not exist or is hidden. Types with loaders fetch in one statement per type.`,
  })
  async nodes(@Arg("ids", () => [ID], { description: "Global IDs, as returned by any `id` field." }) ids: string[], @Ctx() ctx: GraphQLContext): Promise<Array<Node | null>> {
    const actor = requireActor(ctx.viewer);
    if (ids.length > MAX_NODES) throw new BadInputError(`\`ids\` may hold at most ${MAX_NODES} ids`);
    return Promise.all(ids.map((id) => fetchNode(ctx, actor, id)));
  }
}
