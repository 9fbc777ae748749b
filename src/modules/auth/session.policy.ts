// Sessions are a person's own: they list and end only theirs (another's session does not exist for
// them); API tokens and the system have none.
import { ApiScope, FIRM_WIDE, needs, OPEN, type ScopeRules } from "../../core/api-scopes.js";
import { userIdOf, type Viewer } from "../../core/actor.js";

/** Whether `viewer` may see and end the sessions of `userId`. */
export function ownsSessionsOf(viewer: Viewer, userId: string): boolean {
  return userIdOf(viewer) === userId;
}

/** What API tokens need for this module's fields (core/api-scopes.ts). */
export const AUTH_SCOPES: ScopeRules = {
  // Signing in and a person's own account: people only (API tokens are refused by the operations).
  "Mutation.signIn": OPEN,
  "Mutation.completeSignIn": OPEN,
  "Mutation.signOut": OPEN,
  "Mutation.acceptInvitation": OPEN,
  "Mutation.requestEmailChange": OPEN,
  "Mutation.confirmEmailChange": OPEN,
  "Mutation.startPasskeyRegistration": OPEN,
  "Mutation.finishPasskeyRegistration": OPEN,
  "Mutation.startPasskeySignIn": OPEN,
  "Mutation.completePasskeySignIn": OPEN,
  "Mutation.removePasskey": OPEN,
  "Mutation.requestPasswordReset": OPEN,
  "Mutation.resetPassword": OPEN,
  "Mutation.changePassword": OPEN,
  "Mutation.revokeSession": OPEN,
  "Mutation.signOutEverywhere": OPEN,
  "Mutation.startTotpEnrolment": OPEN,
  "Mutation.confirmTotpEnrolment": OPEN,
  "Mutation.disableTwoFactor": OPEN,
  "Mutation.regenerateRecoveryCodes": OPEN,
  "Mutation.inviteUser": needs(ApiScope.USERS_WRITE),
  // Tokens are made and revoked by firm admins, for the whole firm.
  "Query.apiTokens": FIRM_WIDE,
  "Mutation.createApiToken": FIRM_WIDE,
  "Mutation.revokeApiToken": FIRM_WIDE,
  "node:ApiToken": FIRM_WIDE,
};
