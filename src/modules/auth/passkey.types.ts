import { Field, ID, InputType, ObjectType } from "type-graphql";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { DateTime, JSONObject } from "../../graphql/scalars.js";
import type { Passkey } from "./two-factor.entity.js";

@ObjectType("Passkey", { description: "One of a person's passkeys (WebAuthn): for signing in without a password, and as the second step after one." })
export class PasskeyType {
  @Field(() => ID, { description: "Names it for removePasskey." })
  id: string;

  @Field(() => String, { description: "The name the person gave it (e.g. “Laptop”)." })
  name: string;

  @Field(() => DateTime, { description: "When it was added." })
  createdAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When it last signed in." })
  lastUsedAt: Date | null;

  @Field(() => Boolean, { description: "Synced between the person's devices by their passkey manager." })
  backedUp: boolean;

  static from(passkey: Passkey): PasskeyType {
    return Object.assign(new PasskeyType(), {
      id: toGlobalId("Passkey", passkey.id),
      name: passkey.name,
      createdAt: passkey.createdAt,
      lastUsedAt: passkey.lastUsedAt,
      backedUp: passkey.backedUp,
    });
  }
}

@ObjectType("PasskeyCeremony", { description: "What the browser needs for a passkey: pass `options` to navigator.credentials, then send its answer back with `token`." })
export class PasskeyCeremonyPayload implements PayloadBase {
  @Field(() => String, { nullable: true, description: "Names this request when answering (five minutes, once)." })
  token: string | null;

  @Field(() => JSONObject, { nullable: true, description: "PublicKeyCredentialCreationOptionsJSON (to add a passkey) or PublicKeyCredentialRequestOptionsJSON (to sign in)." })
  options: Record<string, unknown> | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("FinishPasskeyRegistrationInput", { description: "The browser's new passkey." })
export class FinishPasskeyRegistrationInput {
  @Field(() => String, { description: "The token of startPasskeyRegistration." })
  token: string;

  @Field(() => JSONObject, { description: "What navigator.credentials.create answered (RegistrationResponseJSON)." })
  response: Record<string, unknown>;

  @Field(() => String, { description: "A name to know it by (at most 100 characters)." })
  name: string;
}

@ObjectType("FinishPasskeyRegistrationPayload", { description: "The passkey added." })
export class FinishPasskeyRegistrationPayload implements PayloadBase {
  @Field(() => PasskeyType, { nullable: true, description: "The passkey." })
  passkey: PasskeyType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("CompletePasskeySignInInput", { description: "Sign in with a passkey alone." })
export class CompletePasskeySignInInput {
  @Field(() => String, { description: "The token of startPasskeySignIn." })
  token: string;

  @Field(() => JSONObject, { description: "What navigator.credentials.get answered (AuthenticationResponseJSON)." })
  response: Record<string, unknown>;
}

@InputType("RemovePasskeyInput", { description: "Remove one of one's passkeys." })
export class RemovePasskeyInput {
  @Field(() => ID, { description: "The passkey." })
  passkeyId: string;
}

@ObjectType("RemovePasskeyPayload", { description: "Whether it was removed." })
export class RemovePasskeyPayload implements PayloadBase {
  @Field(() => Boolean, { description: "It is gone: it signs in no more." })
  removed = false;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
