// Sign-in in two steps. Once the password is right, a person with a second factor gets a
// short-lived challenge instead of a session, and `completeSignIn` trades it with a code from their
// authenticator app (or a recovery code) for the session. Where the firm requires a second factor of
// someone who has none, the challenge is for enrolment: they set up the app first, and get no
// session (so can do nothing else) until it is on. Wrong codes are limited per challenge (then it is
// spent: back to the password) and per account (TwoFactorService.countCodeAttempt).
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { requireUser, type Viewer } from "../../core/actor.js";
import { UnauthenticatedError, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { inTransaction } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import { Firm } from "../firms/firm.entity.js";
import { User, UserStatus } from "../users/user.entity.js";
import { createSession, type SessionClient, type SignedIn, userActor } from "./sessions.js";
import { hashSecret, newSecret, TOKEN_PREFIX } from "./tokens.js";
import { SignInChallenge } from "./two-factor.entity.js";
import type { PasskeyService } from "./passkeys.js";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { type SecondFactorMethod, type TotpEnrolment, twoFactorRequired, type TwoFactorService, WRONG_CODE } from "./two-factor.js";

/** Long enough to install an authenticator app during enrolment. */
const CHALLENGE_TTL_SECONDS = 600;
const MAX_FAILURES_PER_CHALLENGE = 5;
const EXPIRED: Localized = { en: "This sign-in has expired: sign in with your password again", nl: "Deze inlogpoging is verlopen: log opnieuw in met uw wachtwoord" };

export interface IssuedChallenge {
  token: string;
  expiresAt: Date;
  /** The firm requires a second factor and the person has none yet: set up the app first. */
  enrolment: boolean;
  methods: SecondFactorMethod[];
  /** With a passkey among the methods: the options for the browser (its challenge derived from `token`). */
  passkeyOptions: PublicKeyCredentialRequestOptionsJSON | null;
}

/** What the second step is answered with: a code, or a passkey's assertion. */
export type SecondStepAnswer = { code: string; passkey?: null } | { code?: null; passkey: AuthenticationResponseJSON };

/** What the password step gives: a session, or the second step to take first. */
export type SignInOutcome = { session: SignedIn; challenge: null } | { session: null; challenge: IssuedChallenge; user: User };

export class SignInSteps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly twoFactor: TwoFactorService,
    private readonly passkeys: PasskeyService,
    private readonly sessionTtlSeconds: number,
  ) {}

  /** After the right password (or an accepted invitation): the session, or the challenge for the second step. */
  async afterPassword(manager: EntityManager, user: User, client: SessionClient): Promise<SignInOutcome> {
    const [totp, passkeys] = await Promise.all([this.twoFactor.isEnabled(manager, user.id), this.passkeys.hasAny(manager, user.id)]);
    const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
    const enrolment = !totp && !passkeys && twoFactorRequired(firm, user.role);
    if (!totp && !passkeys && !enrolment) return { session: await this.openSession(manager, user, client, null), challenge: null };
    const token = newSecret(TOKEN_PREFIX.signInChallenge);
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000);
    await manager.getRepository(SignInChallenge).insert({
      id: randomUUID(),
      userId: user.id,
      tokenHash: hashSecret(token),
      enrolment,
      expiresAt,
      failures: 0,
      usedAt: null,
      address: client.address.slice(0, 100),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    });
    await this.audit.record(manager, userActor(user, null), {
      firmId: user.firmId,
      administrationId: null,
      action: "auth.second_step_required",
      subjectType: "User",
      subjectId: user.id,
      details: { address: client.address, enrolment },
    });
    const methods: SecondFactorMethod[] = enrolment ? ["TOTP"] : [...(totp ? (["TOTP", "RECOVERY_CODE"] as const) : []), ...(passkeys ? (["PASSKEY"] as const) : [])];
    const passkeyOptions = passkeys ? await this.passkeys.secondStepOptions(manager, user.id, token) : null;
    return { session: null, challenge: { token, expiresAt, enrolment, methods, passkeyOptions }, user };
  }

  /** The second step: a code from the app, a recovery code (then spent) or a passkey, for the session. */
  async complete(challengeToken: string, answer: SecondStepAnswer, client: SessionClient): Promise<SignedIn & { method: SecondFactorMethod; recoveryCodesLeft: number }> {
    const first = await this.challenge(this.dataSource.manager, challengeToken, false);
    await this.twoFactor.countCodeAttempt(first.userId, ["code"]);
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const challenge = await this.challenge(manager, challengeToken, false, true);
      const method = answer.passkey
        ? await this.passkeyAnswer(manager, challengeToken, answer.passkey, challenge.userId)
        : await this.twoFactor.verify(manager, challenge.userId, answer.code ?? "");
      if (!method) return this.failed(manager, challenge);
      const user = await this.spend(manager, challenge);
      const recoveryCodesLeft = await this.twoFactor.recoveryCodesLeft(manager, user.id);
      const session = await this.openSession(manager, user, client, { secondFactor: method, ...(method === "RECOVERY_CODE" ? { recoveryCodesLeft } : {}) });
      return { ...session, method, recoveryCodesLeft };
    });
    return this.succeeded(outcome, first.userId);
  }

  /** Passwordless: a passkey's assertion for the challenge of a `startPasskeySignIn` token gives the session. */
  async completeWithPasskey(token: string, response: AuthenticationResponseJSON, client: SessionClient): Promise<SignedIn> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.passkeys.consumeSignIn(manager, token);
      const user = await this.passkeys.verifyAssertion(manager, token, response, null);
      return this.openSession(manager, user, client, { secondFactor: "PASSKEY", passwordless: true });
    });
  }

  /** A passkey as the second step: PASSKEY when it verifies, null (a wrong answer, counted) when not. */
  private async passkeyAnswer(manager: EntityManager, token: string, response: AuthenticationResponseJSON, userId: string): Promise<SecondFactorMethod | null> {
    try {
      await this.passkeys.verifyAssertion(manager, token, response, userId);
      return "PASSKEY";
    } catch (error) {
      if (error instanceof UserError) return null;
      throw error;
    }
  }

  /** A new authenticator secret for the signed-in viewer, or for the person of an enrolment challenge. */
  async startEnrolment(viewer: Viewer, challengeToken: string | null): Promise<TotpEnrolment> {
    return inTransaction(this.dataSource, async (manager) => {
      const { user } = await this.enrollee(manager, viewer, challengeToken, false);
      return this.twoFactor.startEnrolment(manager, user);
    });
  }

  /**
   * Turns the app on with a code from it; returns the recovery codes (shown once) and, when it
   * was the enrolment step of a sign-in, the session.
   */
  async confirmEnrolment(viewer: Viewer, challengeToken: string | null, code: string, client: SessionClient): Promise<{ recoveryCodes: string[]; session: SignedIn | null }> {
    const first = await this.enrollee(this.dataSource.manager, viewer, challengeToken, false);
    await this.twoFactor.countCodeAttempt(first.user.id, ["code"]);
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const { user, challenge, actor } = await this.enrollee(manager, viewer, challengeToken, true);
      const recoveryCodes = await this.twoFactor.confirmEnrolment(manager, actor, user, code);
      if (!recoveryCodes) return challenge ? this.failed(manager, challenge) : null;
      if (!challenge) return { recoveryCodes, session: null };
      await this.spend(manager, challenge);
      return { recoveryCodes, session: await this.openSession(manager, user, client, { secondFactor: "TOTP", enrolled: true }) };
    });
    return this.succeeded(outcome, first.user.id);
  }

  private async openSession(manager: EntityManager, user: User, client: SessionClient, details: Record<string, unknown> | null): Promise<SignedIn> {
    const session = await createSession(manager, user, client, this.sessionTtlSeconds);
    await this.audit.record(manager, session.actor, {
      firmId: user.firmId,
      administrationId: null,
      action: "auth.signed_in",
      subjectType: "User",
      subjectId: user.id,
      details: { address: client.address, ...details },
    });
    return session;
  }

  /** The live challenge behind `token` (for enrolment or for a code), or EXPIRED. */
  private async challenge(manager: EntityManager, token: string, enrolment: boolean, lock = false): Promise<SignInChallenge> {
    const query = manager
      .getRepository(SignInChallenge)
      .createQueryBuilder("c")
      .where("c.token_hash = :hash AND c.used_at IS NULL AND c.expires_at > now() AND c.enrolment = :enrolment", { hash: hashSecret(token), enrolment });
    const found = await (lock ? query.setLock("pessimistic_write") : query).getOne();
    if (!found) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["challenge"]);
    return found;
  }

  /** Whose app is set up: the person of the enrolment challenge when one is given, else the signed-in viewer. */
  private async enrollee(manager: EntityManager, viewer: Viewer, challengeToken: string | null, lock: boolean) {
    if (challengeToken) {
      const challenge = await this.challenge(manager, challengeToken, true, lock);
      const user = await manager.getRepository(User).findOneByOrFail({ id: challenge.userId });
      return { user, challenge, actor: userActor(user, null) };
    }
    if (viewer.type === "ANONYMOUS") throw new UnauthenticatedError("Sign in first, or give the sign-in's challenge");
    const actor = requireUser(viewer);
    return { user: await manager.getRepository(User).findOneByOrFail({ id: actor.userId }), challenge: null, actor };
  }

  /** A wrong code: counted on the challenge, which is spent after a few (the count is kept: the transaction commits). */
  private async failed(manager: EntityManager, challenge: SignInChallenge): Promise<null> {
    const failures = challenge.failures + 1;
    await manager.getRepository(SignInChallenge).update({ id: challenge.id }, { failures, ...(failures >= MAX_FAILURES_PER_CHALLENGE ? { usedAt: new Date() } : {}) });
    return null;
  }

  /** Marks the challenge used; the person must still be active. */
  private async spend(manager: EntityManager, challenge: SignInChallenge): Promise<User> {
    await manager.getRepository(SignInChallenge).update({ id: challenge.id }, { usedAt: new Date() });
    const user = await manager.getRepository(User).findOneByOrFail({ id: challenge.userId });
    if (user.status !== UserStatus.ACTIVE) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["challenge"]);
    return user;
  }

  /** After the transaction: a wrong code is refused (its count kept); a right one gives its attempt back. */
  private async succeeded<T>(outcome: T | null, userId: string): Promise<T> {
    if (outcome === null) throw new UserError(UserErrorCode.INVALID_CREDENTIALS, WRONG_CODE, ["code"]);
    await this.twoFactor.codeSucceeded(userId);
    return outcome;
  }
}
