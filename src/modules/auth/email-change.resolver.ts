import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { type PayloadBase, runPayload, UserErrorType } from "../../graphql/payload.js";
import { UserType } from "../users/user.types.js";

@InputType("RequestEmailChangeInput", { description: "Use another email address (to sign in and for mail)." })
export class RequestEmailChangeInput {
  @Field(() => String, { description: "The new address: a link to confirm it is mailed there." })
  newEmail: string;

  @Field(() => String, { description: "The current password, to confirm it is you." })
  password: string;
}

@ObjectType("RequestEmailChangePayload", { description: "The confirmation link is on its way to the new address." })
export class RequestEmailChangePayload implements PayloadBase {
  @Field(() => Boolean, { description: "The mail was queued; nothing changes until the link is used (24 hours)." })
  accepted = false;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("ConfirmEmailChangeInput", { description: "Confirm a new email address from its link." })
export class ConfirmEmailChangeInput {
  @Field(() => String, { description: "The token from the link mailed to the new address." })
  token: string;
}

@ObjectType("ConfirmEmailChangePayload", { description: "The address is changed; the old one was told." })
export class ConfirmEmailChangePayload implements PayloadBase {
  @Field(() => String, { nullable: true, description: "The address the account uses now." })
  email: string | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@Resolver(() => UserType)
export class EmailChangeResolver {
  @Mutation(() => RequestEmailChangePayload, { description: "Ask to use another email address: confirmed from a link mailed to it (the password confirms the request)." })
  requestEmailChange(@Arg("input", () => RequestEmailChangeInput, { description: "What to do; see the input type." }) input: RequestEmailChangeInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(RequestEmailChangePayload, async () => {
      await ctx.services.emailChanges.request(ctx.viewer, input, ctx.address);
      return { accepted: true };
    });
  }

  @Mutation(() => ConfirmEmailChangePayload, { description: "Take the new email address from its link (no sign-in needed); the old address is told." })
  confirmEmailChange(@Arg("input", () => ConfirmEmailChangeInput, { description: "What to do; see the input type." }) input: ConfirmEmailChangeInput, @Ctx() ctx: GraphQLContext) {
    return runPayload(ConfirmEmailChangePayload, async () => ({ email: (await ctx.services.emailChanges.confirm(input.token)).email }));
  }
}
