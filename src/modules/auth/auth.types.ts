import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { ApiScope } from "../../core/api-scopes.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { type PayloadBase, UserErrorType } from "../../graphql/payload.js";
import { Connection, Node } from "../../graphql/relay.js";
import { DateTime } from "../../graphql/scalars.js";
import { Language } from "../users/user.entity.js";
import { UserRole } from "../../core/roles.js";
import { UserType } from "../users/user.types.js";
import type { ApiToken } from "./api-token.entity.js";
import { SignInChallengeType } from "./two-factor.types.js";

@InputType("SignInInput", { description: "Email and password." })
export class SignInInput {
  @Field(() => String, { description: "Sign-in email address." })
  email: string;

  @Field(() => String, { description: "Password." })
  password: string;

  @Field(() => ID, { nullable: true, description: "The firm to sign in at: needed only when the address has an account at more than one firm." })
  firmId?: string | null;
}

@ObjectType("AuthPayload", { description: "A new session: its bearer token and who it is for." })
export class AuthPayload implements PayloadBase {
  @Field(() => String, { nullable: true, description: "Bearer token for `Authorization: Bearer …` and the WebSocket `connection_init`." })
  token: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the token stops working." })
  expiresAt: Date | null;

  @Field(() => UserType, { nullable: true, description: "The signed-in user." })
  viewer: UserType | null;

  @Field(() => Boolean, { description: "The password was right, and a second step comes first: see `challenge` (no token yet)." })
  twoFactorRequired = false;

  @Field(() => SignInChallengeType, { nullable: true, description: "The second step, when twoFactorRequired." })
  challenge: SignInChallengeType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@ObjectType("SignOutPayload", { description: "Result of signing out." })
export class SignOutPayload implements PayloadBase {
  @Field(() => Boolean, { description: "Whether the session was ended." })
  signedOut = false;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("AcceptInvitationInput", { description: "Take up an invitation by setting a password." })
export class AcceptInvitationInput {
  @Field(() => String, { description: "The invitation token from the invitation link." })
  token: string;

  @Field(() => String, { description: "The new password (at least 10 characters)." })
  password: string;

  @Field(() => String, { nullable: true, description: "Optionally correct one's name." })
  name?: string | null;
}

@InputType("InviteUserInput", { description: "Invite a person to the firm or to an administration's portal." })
export class InviteUserInput {
  @Field(() => String, { description: "Their email address." })
  email: string;

  @Field(() => String, { description: "Their name." })
  name: string;

  @Field(() => UserRole, { description: "FIRM_ADMIN or ACCOUNTANT (firm admins only), or CLIENT." })
  role: UserRole;

  @Field(() => Language, { nullable: true, description: "Language for mail and portal (default NL)." })
  language?: Language | null;

  @Field(() => ID, { nullable: true, description: "For a CLIENT: the administration they get access to." })
  administrationId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "For a CLIENT: whether they may approve filings." })
  canApproveFilings?: boolean | null;
}

@ObjectType("InviteUserPayload", { description: "The invited user and the one-time invitation link." })
export class InviteUserPayload implements PayloadBase {
  @Field(() => UserType, { nullable: true, description: "The invited user (status INVITED)." })
  user: UserType | null;

  @Field(() => String, { nullable: true, description: "The one-time invitation token; shown only here." })
  invitationToken: string | null;

  @Field(() => String, { nullable: true, description: "Link to the portal page that accepts the invitation." })
  invitationUrl: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the invitation expires." })
  expiresAt: Date | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

registerEnumType(ApiScope, {
  name: "ApiScope",
  description: "What an API token may do; an operation a token lacks the scope for is FORBIDDEN, naming the scope (e.g. filings:write).",
  valuesConfig: {
    DOCUMENTS_READ: { description: "documents:read — documents, the desk and trays, search, bank statements, live administration events." },
    DOCUMENTS_WRITE: { description: "documents:write — upload, file, process, return, rename, edit pages, correct read fields, remind clients." },
    FILINGS_READ: { description: "filings:read — VAT returns and ICP declarations, the filing calendar, returns due." },
    FILINGS_WRITE: { description: "filings:write — prepare, ask approval for, reopen and submit filings." },
    FIGURES_READ: { description: "figures:read — an administration's financial figures." },
    FIGURES_WRITE: { description: "figures:write — record figures and show or hide them." },
    REPORTS_READ: { description: "reports:read — published and scheduled reports." },
    REPORTS_WRITE: { description: "reports:write — publish, replace and withdraw reports." },
    ARCHIVE_READ: { description: "archive:read — the archive's folders and the documents filed in them." },
    ARCHIVE_WRITE: { description: "archive:write — make, move and remove folders, set who may use them, move documents into them." },
    ADMINISTRATIONS_WRITE: { description: "administrations:write — create and change administrations." },
    USERS_READ: { description: "users:read — the firm's people and an administration's members." },
    USERS_WRITE: { description: "users:write — invite people, add and change members." },
    AUDIT_READ: { description: "audit:read — the audit trail and its verification." },
    WEBHOOKS_MANAGE: { description: "webhooks:manage — the firm's webhooks: make, change, rotate secrets, test, redeliver, remove (firm-wide)." },
  },
});

@ObjectType("ApiToken", { implements: Node, description: "A token an integration uses to act for the firm (as staff)." })
export class ApiTokenType extends Node {
  @Field(() => String, { description: "What it is for." })
  name: string;

  @Field(() => String, {
    description:
      "The token's public id (its first characters, not part of its secret), to tell tokens apart. Tokens made before public ids existed show part of their row id instead.",
  })
  tokenPrefix: string;

  @Field(() => DateTime, { description: "When it was created." })
  createdAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When it stops working, if set." })
  expiresAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When it was revoked." })
  revokedAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When it was last used." })
  lastUsedAt: Date | null;

  @Field(() => [ApiScope], { nullable: true, description: "What it may do (null: everything a token may; tokens made without scopes)." })
  scopes: ApiScope[] | null;

  createdByUserId: string;
  administrationIds: string[] | null;

  static from(t: ApiToken): ApiTokenType {
    return Object.assign(new ApiTokenType(), {
      id: toGlobalId("ApiToken", t.id),
      name: t.name,
      tokenPrefix: t.tokenPrefix,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      revokedAt: t.revokedAt,
      lastUsedAt: t.lastUsedAt,
      scopes: t.scopes,
      createdByUserId: t.createdByUserId,
      administrationIds: t.administrationIds,
    });
  }
}

export const ApiTokenConnection = Connection(ApiTokenType, "ApiToken");

@InputType("CreateApiTokenInput", { description: "A new API token." })
export class CreateApiTokenInput {
  @Field(() => String, { description: "What it is for, e.g. the accounting package's name." })
  name: string;

  @Field(() => DateTime, { nullable: true, description: "When it stops working (default: never)." })
  expiresAt?: Date | null;

  @Field(() => [ApiScope], { nullable: true, description: "What it may do (default: everything a token may). Give only what the integration needs." })
  scopes?: ApiScope[] | null;

  @Field(() => [ID], { nullable: true, description: "The administrations it is limited to (default: all of the firm's); it then cannot use firm-wide operations." })
  administrationIds?: string[] | null;
}

@ObjectType("CreateApiTokenPayload", { description: "The new token; its secret is shown only here." })
export class CreateApiTokenPayload implements PayloadBase {
  @Field(() => ApiTokenType, { nullable: true, description: "The token's record." })
  apiToken: ApiTokenType | null;

  @Field(() => String, { nullable: true, description: "The secret to send as `Authorization: Bearer …`. Shown once." })
  token: string | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}

@InputType("RevokeApiTokenInput", { description: "Stop an API token from working." })
export class RevokeApiTokenInput {
  @Field(() => ID, { description: "The token." })
  id: string;
}

@ObjectType("RevokeApiTokenPayload", { description: "Result of revoking a token." })
export class RevokeApiTokenPayload implements PayloadBase {
  @Field(() => ApiTokenType, { nullable: true, description: "The revoked token." })
  apiToken: ApiTokenType | null;

  @Field(() => [UserErrorType], { description: "Why it did not succeed." })
  userErrors: UserErrorType[];
}
