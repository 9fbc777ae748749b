import { Field, InputType, ObjectType } from "type-graphql";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";

@InputType("RequestPasswordResetInput", { description: "Ask for a link to choose a new password." })
export class RequestPasswordResetInput {
  @Field(() => String, { description: "The account's email address." })
  email: string;
}

@ObjectType("RequestPasswordResetPayload", {
  description: "The same answer whether or not the address has an account: if it has one, a link is on its way (valid one hour, once).",
})
export class RequestPasswordResetPayload implements PayloadBase {
  @Field(() => Boolean, { description: "Whether the request was taken (false only with userErrors: a malformed address, too many requests)." })
  accepted = false;

  @Field(() => [UserErrorType], { description: "Why it was not taken." })
  userErrors: UserErrorType[];
}

@InputType("ResetPasswordInput", { description: "Choose a new password with a reset link." })
export class ResetPasswordInput {
  @Field(() => String, { description: "The token from the link (its `token=` parameter)." })
  token: string;

  @Field(() => String, { description: "The new password: at least 10 characters, not easy to guess." })
  password: string;
}

@InputType("ChangePasswordInput", { description: "Change one's own password." })
export class ChangePasswordInput {
  @Field(() => String, { description: "The password now." })
  currentPassword: string;

  @Field(() => String, { description: "The new password: at least 10 characters, not easy to guess." })
  newPassword: string;
}

@ObjectType("PasswordChangedPayload", { description: "Result of setting a new password." })
export class PasswordChangedPayload implements PayloadBase {
  @Field(() => Boolean, {
    description: "Whether the password was changed. After a reset every session has ended (sign in again); after a change, every other session.",
  })
  changed = false;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
