import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { NotFoundError } from "../../core/errors.js";
import { type GraphQLContext, switchViewer } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { userById } from "../users/user.loaders.js";
import { UserType } from "../users/user.types.js";
import {
  AcceptInvitationInput,
  ApiTokenConnection,
  ApiTokenType,
  AuthPayload,
  CreateApiTokenInput,
  CreateApiTokenPayload,
  InviteUserInput,
  InviteUserPayload,
  RevokeApiTokenInput,
  RevokeApiTokenPayload,
  SignInInput,
  SignOutPayload,
} from "./auth.types.js";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Sign in with email and password. Repeated failures are throttled." })
  signIn(@Arg("input", () => SignInInput, { description: "What to do; see the input type." }) input: SignInInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(AuthPayload, async () => {
      const session = await ctx.services.auth.signIn({ ...input, firmId: input.firmId ? fromGlobalId(input.firmId, "Firm") : null }, ctx);
      switchViewer(ctx, session.actor); // the payload's viewer fields resolve as the new session
      return { token: session.token, expiresAt: session.expiresAt, viewer: UserType.from(session.user) };
    });
  }

  @Mutation(() => SignOutPayload, { description: "End the current session: its token stops working at once." })
  signOut(@Ctx() ctx: GraphQLContext) {
    return runPayload(SignOutPayload, async () => {
      await ctx.services.auth.signOut(ctx.viewer);
      return { signedOut: true };
    });
  }

  @Mutation(() => InviteUserPayload, { description: "Invite a person: the invitation link is mailed to them (in their language) and returned once here." })
  inviteUser(@Arg("input", () => InviteUserInput, { description: "What to do; see the input type." }) input: InviteUserInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(InviteUserPayload, async () => {
      const result = await ctx.services.auth.inviteUser(ctx.viewer, {
        ...input,
        administrationId: input.administrationId ? fromGlobalId(input.administrationId, "Administration") : null,
      });
      return {
        user: UserType.from(result.user),
        invitationToken: result.invitationToken,
        invitationUrl: ctx.services.portalLinks.invitation(result.invitationToken),
        expiresAt: result.expiresAt,
      };
    });
  }

  @Mutation(() => AuthPayload, { description: "Accept an invitation: set the password and sign in." })
  acceptInvitation(@Arg("input", () => AcceptInvitationInput, { description: "What to do; see the input type." }) input: AcceptInvitationInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(AuthPayload, async () => {
      const session = await ctx.services.auth.acceptInvitation(input, ctx);
      switchViewer(ctx, session.actor);
      return { token: session.token, expiresAt: session.expiresAt, viewer: UserType.from(session.user) };
    });
  }

  @Query(() => ApiTokenConnection, { description: "The firm's API tokens, newest first (firm admins)." })
  async apiTokens(@Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(ApiTokenConnection, await ctx.services.auth.listApiTokens(ctx.viewer, page), ApiTokenType.from);
  }

  @Mutation(() => CreateApiTokenPayload, { description: "Create an API token for an integration (firm admins). The secret is shown once." })
  createApiToken(@Arg("input", () => CreateApiTokenInput, { description: "What to do; see the input type." }) input: CreateApiTokenInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(CreateApiTokenPayload, async () => {
      const result = await ctx.services.auth.createApiToken(ctx.viewer, input);
      return { apiToken: ApiTokenType.from(result.apiToken), token: result.token };
    });
  }

  @Mutation(() => RevokeApiTokenPayload, { description: "Revoke an API token (firm admins); it stops working at once." })
  revokeApiToken(@Arg("input", () => RevokeApiTokenInput, { description: "What to do; see the input type." }) input: RevokeApiTokenInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RevokeApiTokenPayload, async () => ({
      apiToken: ApiTokenType.from(await ctx.services.auth.revokeApiToken(ctx.viewer, fromGlobalId(input.id, "ApiToken"))),
    }));
  }
}

@Resolver(() => ApiTokenType)
export class ApiTokenResolver {
  @FieldResolver(() => UserType, { description: "Who created it." })
  async createdBy(@Root() token: ApiTokenType, @Ctx() ctx: GraphQLContext): Promise<UserType> {
    const user = await ctx.loaders.get(userById).load(token.createdByUserId);
    if (!user) throw new NotFoundError("User");
    return UserType.from(user);
  }
}
