import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { runPayload } from "../../graphql/payload.js";
import { ChangePasswordInput, PasswordChangedPayload, RequestPasswordResetInput, RequestPasswordResetPayload, ResetPasswordInput } from "./password.types.js";

const INPUT = { description: "What to do; see the input type." };

@Resolver()
export class PasswordResolver {
  @Mutation(() => RequestPasswordResetPayload, {
    description: "Ask for a password-reset link by mail. Answers the same whether or not the address has an account; throttled per address and per email.",
  })
  requestPasswordReset(@Arg("input", () => RequestPasswordResetInput, INPUT) input: RequestPasswordResetInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RequestPasswordResetPayload, async () => {
      await ctx.services.passwords.requestReset(input.email, ctx.address);
      return { accepted: true };
    });
  }

  @Mutation(() => PasswordChangedPayload, { description: "Choose a new password with a reset link (once, within an hour). Every session of the account ends." })
  resetPassword(@Arg("input", () => ResetPasswordInput, INPUT) input: ResetPasswordInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(PasswordChangedPayload, async () => {
      await ctx.services.passwords.reset(input);
      return { changed: true };
    });
  }

  @Mutation(() => PasswordChangedPayload, { description: "Change one's own password (signed in, knowing the current one). Every other session ends." })
  changePassword(@Arg("input", () => ChangePasswordInput, INPUT) input: ChangePasswordInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(PasswordChangedPayload, async () => {
      await ctx.services.passwords.change(ctx.viewer, input, ctx.address);
      return { changed: true };
    });
  }
}
