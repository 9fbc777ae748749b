// Mutation payloads: expected failures come back as `userErrors`, not as top-level errors.
import { Ctx, Field, FieldResolver, ObjectType, registerEnumType, Resolver, Root } from "type-graphql";
import { UserError, UserErrorCode, UserErrors } from "../core/errors.js";
import type { Localized } from "../core/language.js";
import type { GraphQLContext } from "./context.js";

registerEnumType(UserErrorCode, {
  name: "UserErrorCode",
  description: "Why a mutation could not do what was asked, in a way the user can act on.",
  valuesConfig: {
    INVALID: { description: "A value is malformed or out of range." },
    ALREADY_EXISTS: { description: "Something with the same identity exists already." },
    WRONG_STATE: { description: "The object is not in a state that allows this." },
    INVALID_CREDENTIALS: { description: "Email and password do not match an active account, or a code is not correct." },
    TOO_MANY_ATTEMPTS: { description: "Too many attempts; try again later." },
    EXPIRED: { description: "The token or invitation has expired or was used already." },
    NOT_FOUND: { description: "A referenced object does not exist." },
    STALE: { description: "The object changed since the viewer saw it (its version differs): look again, then retry." },
    CONFIRMATION_REQUIRED: { description: "The step needs a fresh confirmation: a code from the authenticator app (e.g. approving a filing with two-step sign-in on)." },
  },
});

@ObjectType("UserError", { description: "An expected failure the user can act on." })
export class UserErrorType {
  @Field(() => UserErrorCode, { description: "What kind of failure." })
  code: UserErrorCode;

  /** Both languages' words; `message` gives the request's. */
  text: Localized;

  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, e.g. ["input", "email"].' })
  field: string[] | null;
}

@Resolver(() => UserErrorType)
export class UserErrorResolver {
  @FieldResolver(() => String, {
    description:
      "What went wrong and what to do, for a person: in the language the request named in Accept-Language (nl or en), else the signed-in person's setting, else English.",
  })
  message(@Root() error: UserErrorType, @Ctx() ctx: GraphQLContext): string {
    return error.text[ctx.language];
  }
}

export interface PayloadBase {
  userErrors: UserErrorType[];
}

/** Services name the field at fault within their input (["files", "2"]); every mutation's argument is `input`. */
function toUserErrorType(error: UserError): UserErrorType {
  return Object.assign(new UserErrorType(), { code: error.code, text: error.text, field: error.field ? ["input", ...error.field] : null });
}

/** The UserErrors `error` stands for, or null when it is not an expected failure. */
function userErrorsOf(error: unknown): UserError[] | null {
  if (error instanceof UserError) return [error];
  if (error instanceof UserErrors) return error.errors;
  return null;
}

type Fields<P extends PayloadBase> = Omit<P, "userErrors">;

/**
 * Runs a mutation's service call; its result fills the payload, and a UserError it throws
 * becomes `userErrors` (the transaction having rolled back). Other errors propagate.
 */
export function runPayload<P extends PayloadBase>(PayloadClass: new () => P, run: () => Promise<Fields<P>>): Promise<P> {
  return runPartialPayload(PayloadClass, {}, async () => ({ done: await run(), refused: [] }));
}

/**
 * A mutation that may succeed in part (an upload of several files): what was done fills the
 * payload and each refused part is a userError; a UserError thrown refuses all of it (`none`).
 */
export async function runPartialPayload<P extends PayloadBase>(
  PayloadClass: new () => P,
  none: Partial<Fields<P>>,
  run: () => Promise<{ done: Fields<P>; refused: UserError[] }>,
): Promise<P> {
  const payload = new PayloadClass();
  try {
    const { done, refused } = await run();
    Object.assign(payload, done);
    payload.userErrors = refused.map(toUserErrorType);
  } catch (error) {
    const errors = userErrorsOf(error);
    if (!errors) throw error;
    Object.assign(payload, none);
    payload.userErrors = errors.map(toUserErrorType);
  }
  return payload;
}
