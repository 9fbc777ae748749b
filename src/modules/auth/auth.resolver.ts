import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { NotFoundError } from "../../core/errors.js";
import { type GraphQLContext, switchViewer } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { userById } from "../users/user.loaders.js";
import { administrationById } from "../administrations/administration.loaders.js";
import { AdministrationType } from "../administrations/administration.types.js";
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
import type { SecondStepAnswer, SignInOutcome } from "./sign-in-steps.js";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { UserError, UserErrorCode } from "../../core/errors.js";
import { CompleteSignInInput, SignInChallengeType } from "./two-factor.types.js";

/** The payload of a finished password step: the session (the request then acts as it), or the challenge of the second step. */
function signInPayload(ctx: GraphQLContext, outcome: SignInOutcome) {
  if (!outcome.session) return { token: null, expiresAt: null, viewer: null, twoFactorRequired: true, challenge: SignInChallengeType.from(outcome.challenge) };
  switchViewer(ctx, outcome.session.actor); // the payload's viewer fields resolve as the new session
  return { token: outcome.session.token, expiresAt: outcome.session.expiresAt, viewer: UserType.from(outcome.session.user), twoFactorRequired: false, challenge: null };
}

/** A code or a passkey's assertion, exactly one. */
function secondStepAnswer(input: CompleteSignInInput): SecondStepAnswer {
  if (input.passkey && !input.code) return { passkey: input.passkey as unknown as AuthenticationResponseJSON };
  if (input.code && !input.passkey) return { code: input.code };
  throw new UserError(UserErrorCode.INVALID, { en: "Give either a code or a passkey's answer", nl: "Geef óf een code óf het antwoord van een passkey" }, ["code"]);
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description: "Sign in with email and password. With a second factor, the answer is a challenge for completeSignIn instead of a token. Repeated failures are throttled.",
  })
  signIn(@Arg("input", () => SignInInput, { description: "What to do; see the input type." }) input: SignInInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(AuthPayload, async () =>
      signInPayload(ctx, await ctx.services.auth.signIn({ ...input, firmId: input.firmId ? fromGlobalId(input.firmId, "Firm") : null }, ctx)),
    );
  }

  @Mutation(() => AuthPayload, {
    description: "The second step of a sign-in: the challenge and a code from the authenticator app (or a recovery code). Wrong codes are throttled.",
  })
  completeSignIn(@Arg("input", () => CompleteSignInInput, { description: "What to do; see the input type." }) input: CompleteSignInInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(AuthPayload, async () => {
      const answer = secondStepAnswer(input);
      return signInPayload(ctx, { session: await ctx.services.signInSteps.complete(input.challenge, answer, ctx), challenge: null });
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
        invitationUrl: ctx.services.portalLinks.invitation(result.invitationToken, result.user.firmId),
        expiresAt: result.expiresAt,
      };
    });
  }

  @Mutation(() => AuthPayload, {
    description: "Accept an invitation: set the password and sign in (where the firm requires a second factor, its enrolment comes first: see signIn).",
  })
  acceptInvitation(@Arg("input", () => AcceptInvitationInput, { description: "What to do; see the input type." }) input: AcceptInvitationInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(AuthPayload, async () => signInPayload(ctx, await ctx.services.auth.acceptInvitation(input, ctx)));
  }

  @Query(() => ApiTokenConnection, { description: "The firm's API tokens, newest first (firm admins)." })
  async apiTokens(@Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(ApiTokenConnection, await ctx.services.auth.listApiTokens(ctx.viewer, page), ApiTokenType.from);
  }

  @Mutation(() => CreateApiTokenPayload, { description: "Create an API token for an integration (firm admins). The secret is shown once." })
  createApiToken(@Arg("input", () => CreateApiTokenInput, { description: "What to do; see the input type." }) input: CreateApiTokenInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(CreateApiTokenPayload, async () => {
      const result = await ctx.services.auth.createApiToken(ctx.viewer, {
        ...input,
        administrationIds: input.administrationIds?.map((id) => fromGlobalId(id, "Administration")) ?? null,
      });
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
  @FieldResolver(() => [AdministrationType], { nullable: true, description: "The administrations it is limited to (null: all of the firm's)." })
  async administrations(@Root() token: ApiTokenType, @Ctx() ctx: GraphQLContext): Promise<AdministrationType[] | null> {
    if (!token.administrationIds) return null;
    // The firm's own administrations (the token was made with them); one statement for a page of tokens.
    const found = await ctx.loaders.get(administrationById).loadMany(token.administrationIds);
    return found.flatMap((a) => (a && !(a instanceof Error) ? [AdministrationType.from(a)] : []));
  }

  @FieldResolver(() => UserType, { description: "Who created it." })
  async createdBy(@Root() token: ApiTokenType, @Ctx() ctx: GraphQLContext): Promise<UserType> {
    const user = await ctx.loaders.get(userById).load(token.createdByUserId);
    if (!user) throw new NotFoundError("User");
    return UserType.from(user);
  }
}
