import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { switchViewer, type GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { runPayload } from "../../graphql/payload.js";
import { UserType } from "../users/user.types.js";
import { AuthPayload } from "./auth.types.js";
import { passkeysByUserId } from "./passkey.loaders.js";
import {
  CompletePasskeySignInInput,
  FinishPasskeyRegistrationInput,
  FinishPasskeyRegistrationPayload,
  PasskeyCeremonyPayload,
  PasskeyType,
  RemovePasskeyInput,
  RemovePasskeyPayload,
} from "./passkey.types.js";

const asOptions = (options: object) => options as Record<string, unknown>;

@Resolver(() => UserType)
export class UserPasskeysResolver {
  @FieldResolver(() => [PasskeyType], { description: "The person's passkeys, newest first: only one's own (empty for anyone else)." })
  async passkeys(@Root() user: UserType, @Ctx() ctx: GraphQLContext): Promise<PasskeyType[]> {
    return (await ctx.loaders.get(passkeysByUserId).load(user.entityId)).map(PasskeyType.from);
  }
}

@Resolver()
export class PasskeyResolver {
  @Mutation(() => PasskeyCeremonyPayload, { description: "Start adding a passkey (signed in): the options for navigator.credentials.create." })
  startPasskeyRegistration(@Ctx() ctx: GraphQLContext) {
    return runPayload(PasskeyCeremonyPayload, async () => {
      const { token, options } = await ctx.services.passkeys.startRegistration(ctx.viewer);
      return { token, options: asOptions(options) };
    });
  }

  @Mutation(() => FinishPasskeyRegistrationPayload, { description: "Keep the passkey the browser made, checked against the request's challenge, this site and user verification." })
  finishPasskeyRegistration(
    @Arg("input", () => FinishPasskeyRegistrationInput, { description: "What to do; see the input type." }) input: FinishPasskeyRegistrationInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(FinishPasskeyRegistrationPayload, async () => ({
      passkey: PasskeyType.from(
        await ctx.services.passkeys.finishRegistration(ctx.viewer, { token: input.token, response: input.response as unknown as RegistrationResponseJSON, name: input.name }),
      ),
    }));
  }

  @Mutation(() => PasskeyCeremonyPayload, { description: "Start signing in with a passkey alone (no password): the options for navigator.credentials.get." })
  startPasskeySignIn(@Ctx() ctx: GraphQLContext) {
    return runPayload(PasskeyCeremonyPayload, async () => {
      const { token, options } = await ctx.services.passkeys.startSignIn(ctx.address);
      return { token, options: asOptions(options) };
    });
  }

  @Mutation(() => AuthPayload, { description: "Sign in with a passkey's answer: a session (a passkey with user verification counts as two factors)." })
  completePasskeySignIn(
    @Arg("input", () => CompletePasskeySignInInput, { description: "What to do; see the input type." }) input: CompletePasskeySignInInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(AuthPayload, async () => {
      const session = await ctx.services.signInSteps.completeWithPasskey(input.token, input.response as unknown as AuthenticationResponseJSON, ctx);
      switchViewer(ctx, session.actor);
      return { token: session.token, expiresAt: session.expiresAt, viewer: UserType.from(session.user), twoFactorRequired: false, challenge: null };
    });
  }

  @Mutation(() => RemovePasskeyPayload, { description: "Remove one of one's passkeys: it signs in no more." })
  removePasskey(@Arg("input", () => RemovePasskeyInput, { description: "What to do; see the input type." }) input: RemovePasskeyInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RemovePasskeyPayload, async () => {
      await ctx.services.passkeys.remove(ctx.viewer, fromGlobalId(input.passkeyId, "Passkey"));
      return { removed: true };
    });
  }
}
