import { requireActor, userIdOf } from "../../core/actor.js";
import type { GraphQLContext } from "../../graphql/context.js";
import type { MailLanguage } from "../../mail/layout.js";
import { userById } from "./user.loaders.js";

/** The viewer's language for sentences the server words (an API token reads English). */
export async function viewerLanguage(ctx: GraphQLContext): Promise<MailLanguage> {
  const userId = userIdOf(requireActor(ctx.viewer));
  return (userId ? (await ctx.loaders.get(userById).load(userId))?.language : null) ?? "EN";
}
