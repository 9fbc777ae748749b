import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { userIdOf } from "../../core/actor.js";
import type { GraphQLContext } from "../../graphql/context.js";
import { runPayload } from "../../graphql/payload.js";
import { userById } from "../users/user.loaders.js";
import { UserType } from "../users/user.types.js";
import { switchViewer } from "../../graphql/context.js";
import { twoFactorStatusByUserId } from "./two-factor.loaders.js";
import {
  ConfirmTotpEnrolmentInput,
  ConfirmTotpEnrolmentPayload,
  DisableTwoFactorInput,
  DisableTwoFactorPayload,
  RegenerateRecoveryCodesInput,
  RegenerateRecoveryCodesPayload,
  StartTotpEnrolmentInput,
  StartTotpEnrolmentPayload,
  TwoFactorStatusType,
} from "./two-factor.types.js";

@Resolver(() => UserType)
export class UserTwoFactorResolver {
  @FieldResolver(() => TwoFactorStatusType, { nullable: true, description: "The person's second factor: only one's own (null for anyone else)." })
  async twoFactor(@Root() user: UserType, @Ctx() ctx: GraphQLContext): Promise<TwoFactorStatusType | null> {
    const status = await ctx.loaders.get(twoFactorStatusByUserId).load(user.entityId);
    return status ? TwoFactorStatusType.from(status) : null;
  }
}

@Resolver()
export class TwoFactorResolver {
  @Mutation(() => StartTotpEnrolmentPayload, {
    description: "Start setting up an authenticator app: signed in, or with the challenge of a sign-in that requires it. Replaces a setup not yet confirmed.",
  })
  startTotpEnrolment(
    @Arg("input", () => StartTotpEnrolmentInput, { nullable: true, description: "What to do; see the input type." }) input: StartTotpEnrolmentInput | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(StartTotpEnrolmentPayload, () => ctx.services.signInSteps.startEnrolment(ctx.viewer, input?.challenge ?? null));
  }

  @Mutation(() => ConfirmTotpEnrolmentPayload, {
    description: "Turn on the authenticator app with a code it shows; gives ten recovery codes (shown once) and, during a sign-in, the session. Wrong codes are throttled.",
  })
  confirmTotpEnrolment(
    @Arg("input", () => ConfirmTotpEnrolmentInput, { description: "What to do; see the input type." }) input: ConfirmTotpEnrolmentInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(ConfirmTotpEnrolmentPayload, async () => {
      const { recoveryCodes, session } = await ctx.services.signInSteps.confirmEnrolment(ctx.viewer, input.challenge ?? null, input.code, ctx);
      if (session) switchViewer(ctx, session.actor);
      const viewerId = userIdOf(ctx.viewer);
      const viewer = session?.user ?? (viewerId ? await ctx.loaders.get(userById).load(viewerId) : null);
      return { recoveryCodes, token: session?.token ?? null, expiresAt: session?.expiresAt ?? null, viewer: viewer ? UserType.from(viewer) : null };
    });
  }

  @Mutation(() => DisableTwoFactorPayload, { description: "Turn off two-step sign-in (the password confirms it); refused where the firm requires it." })
  disableTwoFactor(@Arg("input", () => DisableTwoFactorInput, { description: "What to do; see the input type." }) input: DisableTwoFactorInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(DisableTwoFactorPayload, async () => {
      await ctx.services.twoFactor.disable(ctx.viewer, input.password, ctx.address);
      const user = await ctx.loaders.get(userById).load(userIdOf(ctx.viewer)!);
      return { viewer: user ? UserType.from(user) : null };
    });
  }

  @Mutation(() => RegenerateRecoveryCodesPayload, { description: "New recovery codes (the old ones stop working), confirmed by a code from the authenticator app." })
  regenerateRecoveryCodes(
    @Arg("input", () => RegenerateRecoveryCodesInput, { description: "What to do; see the input type." }) input: RegenerateRecoveryCodesInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return runPayload(RegenerateRecoveryCodesPayload, async () => ({ recoveryCodes: await ctx.services.twoFactor.regenerateRecoveryCodes(ctx.viewer, input.code) }));
  }
}
