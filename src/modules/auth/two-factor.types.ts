import { Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { DateTime, JSONObject } from "../../graphql/scalars.js";
import { UserType } from "../users/user.types.js";
import type { IssuedChallenge } from "./sign-in-steps.js";
import type { TwoFactorStatus } from "./two-factor.js";

export enum SecondFactorMethodEnum {
  TOTP = "TOTP",
  RECOVERY_CODE = "RECOVERY_CODE",
  PASSKEY = "PASSKEY",
}
registerEnumType(SecondFactorMethodEnum, {
  name: "SecondFactorMethod",
  description: "A way to take the second step of a sign-in.",
  valuesConfig: {
    TOTP: { description: "A six-digit code from an authenticator app." },
    RECOVERY_CODE: { description: "One of the ten one-time recovery codes (spent once used)." },
    PASSKEY: { description: "A passkey (WebAuthn): answer with the browser's assertion for `passkeyOptions`." },
  },
});

@ObjectType("SignInChallenge", {
  description: "The second step of a sign-in, after the right password: pass `token` to completeSignIn (or, for enrolment, to the TOTP enrolment mutations).",
})
export class SignInChallengeType {
  @Field(() => String, { description: "The challenge: short-lived, used once." })
  token: string;

  @Field(() => DateTime, { description: "When it stops working (sign in with the password again then)." })
  expiresAt: Date;

  @Field(() => Boolean, {
    description:
      "The firm requires a second factor and this person has none: set up an authenticator app first (startTotpEnrolment, confirmTotpEnrolment with this challenge), which signs in.",
  })
  enrolmentRequired: boolean;

  @Field(() => [SecondFactorMethodEnum], { description: "What completeSignIn accepts." })
  methods: SecondFactorMethodEnum[];

  @Field(() => JSONObject, {
    nullable: true,
    description: "With PASSKEY among the methods: the options for navigator.credentials.get (PublicKeyCredentialRequestOptionsJSON); its challenge belongs to this sign-in.",
  })
  passkeyOptions: Record<string, unknown> | null;

  static from(challenge: IssuedChallenge): SignInChallengeType {
    return Object.assign(new SignInChallengeType(), {
      token: challenge.token,
      expiresAt: challenge.expiresAt,
      enrolmentRequired: challenge.enrolment,
      methods: challenge.methods as SecondFactorMethodEnum[],
      passkeyOptions: challenge.passkeyOptions as unknown as Record<string, unknown> | null,
    });
  }
}

@ObjectType("TwoFactorStatus", { description: "A person's second factor for sign-in." })
export class TwoFactorStatusType {
  @Field(() => Boolean, { description: "An authenticator app is set up: sign-in asks for its code." })
  enabled: boolean;

  @Field(() => DateTime, { nullable: true, description: "Since when." })
  enabledAt: Date | null;

  @Field(() => Int, { description: "Unused recovery codes left." })
  recoveryCodesLeft: number;

  @Field(() => Boolean, { description: "The firm requires a second factor of this person (it cannot be turned off)." })
  required: boolean;

  static from(status: TwoFactorStatus): TwoFactorStatusType {
    return Object.assign(new TwoFactorStatusType(), status);
  }
}

@InputType("CompleteSignInInput", { description: "The second step of a sign-in." })
export class CompleteSignInInput {
  @Field(() => String, { description: "The challenge signIn gave." })
  challenge: string;

  @Field(() => String, { nullable: true, description: "The six-digit code the authenticator app shows, or a recovery code (xxxxx-xxxxx)." })
  code?: string | null;

  @Field(() => JSONObject, { nullable: true, description: "Or: the passkey's assertion (AuthenticationResponseJSON) for the challenge's passkeyOptions." })
  passkey?: Record<string, unknown> | null;
}

@InputType("StartTotpEnrolmentInput", { description: "Set up an authenticator app." })
export class StartTotpEnrolmentInput {
  @Field(() => String, { nullable: true, description: "During a sign-in that requires enrolment: the challenge signIn gave. Signed in: leave empty." })
  challenge?: string | null;
}

@ObjectType("StartTotpEnrolmentPayload", { description: "What the authenticator app needs: scan the QR code or type the secret, then confirm with a code." })
export class StartTotpEnrolmentPayload implements PayloadBase {
  @Field(() => String, { nullable: true, description: "The shared secret (Base32), to type into the app." })
  secret: string | null;

  @Field(() => String, { nullable: true, description: "The otpauth:// address the QR code holds." })
  uri: string | null;

  @Field(() => String, { nullable: true, description: "The QR code, an SVG document." })
  qrCodeSvg: string | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("ConfirmTotpEnrolmentInput", { description: "Turn on the authenticator app with a code it shows." })
export class ConfirmTotpEnrolmentInput {
  @Field(() => String, { description: "The six-digit code the app shows now." })
  code: string;

  @Field(() => String, { nullable: true, description: "During a sign-in that requires enrolment: the challenge. Signed in: leave empty." })
  challenge?: string | null;
}

@ObjectType("ConfirmTotpEnrolmentPayload", { description: "Two-step sign-in is on. Keep the recovery codes somewhere safe: they are shown only now." })
export class ConfirmTotpEnrolmentPayload implements PayloadBase {
  @Field(() => [String], { nullable: true, description: "Ten one-time recovery codes, for when the app is not at hand." })
  recoveryCodes: string[] | null;

  @Field(() => String, { nullable: true, description: "When this finished a sign-in: its bearer token." })
  token: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the token stops working." })
  expiresAt: Date | null;

  @Field(() => UserType, { nullable: true, description: "The person." })
  viewer: UserType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("DisableTwoFactorInput", { description: "Turn off two-step sign-in." })
export class DisableTwoFactorInput {
  @Field(() => String, { description: "The current password, to confirm it is you." })
  password: string;
}

@ObjectType("DisableTwoFactorPayload", { description: "Two-step sign-in is off." })
export class DisableTwoFactorPayload implements PayloadBase {
  @Field(() => UserType, { nullable: true, description: "The person." })
  viewer: UserType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("RegenerateRecoveryCodesInput", { description: "New recovery codes; the old ones stop working." })
export class RegenerateRecoveryCodesInput {
  @Field(() => String, { description: "The six-digit code the authenticator app shows now." })
  code: string;
}

@ObjectType("RegenerateRecoveryCodesPayload", { description: "The new recovery codes, shown only now." })
export class RegenerateRecoveryCodesPayload implements PayloadBase {
  @Field(() => [String], { nullable: true, description: "Ten one-time recovery codes." })
  recoveryCodes: string[] | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
