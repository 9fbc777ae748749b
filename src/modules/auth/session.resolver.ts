import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { sessionIdOf } from "../../core/actor.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { UserType } from "../users/user.types.js";
import { liveSessionsByUserId } from "./session.loaders.js";
import { RevokeSessionInput, RevokeSessionPayload, SessionType, SignOutEverywherePayload } from "./session.types.js";

@Resolver(() => UserType)
export class UserSessionsResolver {
  @FieldResolver(() => [SessionType], { description: "The person's live sessions, last used first: only one's own (empty for anyone else)." })
  async sessions(@Root() user: UserType, @Ctx() ctx: GraphQLContext): Promise<SessionType[]> {
    return (await ctx.loaders.get(liveSessionsByUserId).load(user.entityId)).map((s) => SessionType.from(s, sessionIdOf(ctx.viewer)));
  }
}

@Resolver()
export class SessionResolver {
  @Mutation(() => RevokeSessionPayload, { description: "End one of one's own sessions: its token stops working and its live connections close at once." })
  revokeSession(@Arg("input", () => RevokeSessionInput, { description: "What to do; see the input type." }) input: RevokeSessionInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RevokeSessionPayload, async () => ({
      session: SessionType.from(await ctx.services.sessions.revoke(ctx.viewer, fromGlobalId(input.sessionId, "Session")), sessionIdOf(ctx.viewer)),
    }));
  }

  @Mutation(() => SignOutEverywherePayload, { description: "End every session of the signed-in person, this one included." })
  signOutEverywhere(@Ctx() ctx: GraphQLContext) {
    return runPayload(SignOutEverywherePayload, async () => ({ sessionsEnded: await ctx.services.sessions.signOutEverywhere(ctx.viewer) }));
  }
}
