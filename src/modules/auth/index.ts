// The auth module: what it contributes (src/modules/module.ts).
import { fetchOne, type PortalDeskModule } from "../module.js";
import { ApiToken } from "./api-token.entity.js";
import { ApiTokenResolver, AuthResolver } from "./auth.resolver.js";
import { ApiTokenType } from "./auth.types.js";
import { Invitation } from "./invitation.entity.js";
import { Session } from "./session.entity.js";
import { PasswordReset } from "./password-reset.entity.js";
import { PasswordResolver } from "./password.resolver.js";
import { SessionResolver, UserSessionsResolver } from "./session.resolver.js";
import { PASSWORD_RESET_QUEUE } from "./passwords.js";
import { Passkey, RecoveryCode, SignInChallenge, TotpCredential } from "./two-factor.entity.js";
import { PasskeyResolver, UserPasskeysResolver } from "./passkey.resolver.js";
import { EmailChangeResolver } from "./email-change.resolver.js";
import { TwoFactorResolver, UserTwoFactorResolver } from "./two-factor.resolver.js";
import { AUTH_SCOPES } from "./session.policy.js";

export const authModule: PortalDeskModule = {
  name: "auth",
  scopes: AUTH_SCOPES,
  entities: [Session, ApiToken, Invitation, PasswordReset, TotpCredential, RecoveryCode, SignInChallenge, Passkey],
  resolvers: [
    AuthResolver,
    ApiTokenResolver,
    PasswordResolver,
    SessionResolver,
    UserSessionsResolver,
    TwoFactorResolver,
    UserTwoFactorResolver,
    PasskeyResolver,
    UserPasskeysResolver,
    EmailChangeResolver,
  ],
  nodes: { ApiToken: fetchOne(async (s, actor, id) => ApiTokenType.from(await s.auth.findApiToken(actor, id))) },
  queues: [{ name: PASSWORD_RESET_QUEUE }],
  async jobs({ jobs, passwords }) {
    await jobs.work<{ email: string }>(PASSWORD_RESET_QUEUE, async (data) => {
      await passwords.mailResets(data.email);
    });
  },
};
