// Passkeys (WebAuthn, by @simplewebauthn/server): a person registers one while signed in, then signs
// in with it alone (it is two factors: the device and its unlock) or uses it as the second step
// after the password. Each ceremony's WebAuthn challenge is derived from a one-time token (its
// SHA-256), so the token is all the server keeps — as a hash, used once, for five minutes. User
// verification (PIN, fingerprint, face) is required.
import { createHash, randomUUID } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { DataSource, EntityManager } from "typeorm";
import { requireUser, userIdOf, type Viewer } from "../../core/actor.js";
import { NotFoundError, throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { requiredText } from "../../core/validation.js";
import { inTransaction } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import { Firm, firmDisplayName } from "../firms/firm.entity.js";
import { User, UserStatus } from "../users/user.entity.js";
import { hashSecret, newSecret, TOKEN_PREFIX } from "./tokens.js";
import { Passkey } from "./two-factor.entity.js";
import type { HourlyLimit } from "./hourly-limit.js";
import { twoFactorRequired, type TwoFactorService } from "./two-factor.js";

const CEREMONY_SECONDS = 300;
const NOT_VERIFIED: Localized = { en: "The passkey could not be verified", nl: "De passkey kon niet worden gecontroleerd" };
const EXPIRED: Localized = {
  en: "This passkey request has expired or was used already: start again",
  nl: "Dit verzoek voor een passkey is verlopen of al gebruikt: begin opnieuw",
};

export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

/** The relying party of a server at `publicUrl`: its host. Browsers take no IP address as RP ID, so loopback is "localhost". */
export function relyingParty(publicUrl: string, name: string): RelyingParty {
  const url = new URL(publicUrl);
  const host = url.hostname === "127.0.0.1" || url.hostname === "[::1]" ? "localhost" : url.hostname;
  return { id: host, name, origin: `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}` };
}

/** The WebAuthn challenge of a token (a ceremony's, or a sign-in challenge's): derived, never stored. */
export function webauthnChallenge(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(`webauthn:${token}`).digest());
}
const expected = (token: string) => Buffer.from(webauthnChallenge(token)).toString("base64url");

export interface Ceremony<O> {
  token: string;
  options: O;
}

export class PasskeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly twoFactor: TwoFactorService,
    private readonly publicUrl: () => string,
    /** Passwordless sign-ins started per client address and hour. */
    private readonly signInStarts: HourlyLimit,
  ) {}

  private rp(name = "PortalDesk"): RelyingParty {
    return relyingParty(this.publicUrl(), name);
  }

  /** The viewer's own passkeys, newest first (empty for anyone else's). */
  async list(viewer: Viewer, userId: string): Promise<Passkey[]> {
    if (userIdOf(viewer) !== userId) return [];
    return this.dataSource.getRepository(Passkey).find({ where: { userId }, order: { createdAt: "DESC" } });
  }

  async hasAny(manager: EntityManager, userId: string): Promise<boolean> {
    return (await manager.getRepository(Passkey).countBy({ userId })) > 0;
  }

  /** Options for the browser to make a passkey for the signed-in viewer. */
  async startRegistration(viewer: Viewer): Promise<Ceremony<PublicKeyCredentialCreationOptionsJSON>> {
    const actor = requireUser(viewer);
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: actor.userId });
    const firm = await this.dataSource.getRepository(Firm).findOneByOrFail({ id: user.firmId });
    const existing = await this.dataSource.getRepository(Passkey).findBy({ userId: user.id });
    const token = await this.ceremony("REGISTER", user.id);
    const options = await generateRegistrationOptions({
      rpName: firmDisplayName(firm),
      rpID: this.rp().id,
      userName: user.email,
      userDisplayName: user.name,
      userID: new TextEncoder().encode(user.id),
      challenge: webauthnChallenge(token),
      attestationType: "none",
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    return { token, options };
  }

  /** Keeps the passkey the browser made (checked against the ceremony's challenge, origin and RP). */
  async finishRegistration(viewer: Viewer, input: { token: string; response: RegistrationResponseJSON; name: string }): Promise<Passkey> {
    const actor = requireUser(viewer);
    throwIfAny([requiredText(input.name, ["name"], { en: "Name", nl: "De naam" }, 100)].filter((e): e is UserError => e !== null));
    return inTransaction(this.dataSource, async (manager) => {
      await this.consume(manager, input.token, "REGISTER", actor.userId);
      const rp = this.rp();
      const verified = await verifyRegistrationResponse({
        response: input.response,
        expectedChallenge: expected(input.token),
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: true,
      }).catch((error: unknown) => {
        throw new UserError(UserErrorCode.INVALID, { en: `${NOT_VERIFIED.en}: ${(error as Error).message}`, nl: `${NOT_VERIFIED.nl}: ${(error as Error).message}` }, ["response"]);
      });
      if (!verified.verified) throw new UserError(UserErrorCode.INVALID, NOT_VERIFIED, ["response"]);
      const { credential, credentialBackedUp } = verified.registrationInfo;
      const id = randomUUID();
      await manager.getRepository(Passkey).insert({
        id,
        userId: actor.userId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? input.response.response.transports ?? [],
        name: input.name.trim(),
        backedUp: credentialBackedUp,
        lastUsedAt: null,
      });
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "auth.passkey_added",
        subjectType: "User",
        subjectId: actor.userId,
        details: { passkeyId: id, name: input.name.trim() },
      });
      return manager.getRepository(Passkey).findOneByOrFail({ id });
    });
  }

  /** Options for a passwordless sign-in: any passkey of this site the browser holds. Anyone may ask: limited per address. */
  async startSignIn(address: string): Promise<Ceremony<PublicKeyCredentialRequestOptionsJSON>> {
    const wait = await this.signInStarts.attemptFrom(address);
    if (wait > 0)
      throw new UserError(UserErrorCode.TOO_MANY_ATTEMPTS, {
        en: `Too many passkey sign-ins from here. Try again in ${wait} seconds.`,
        nl: `Te veel inlogpogingen met een passkey vanaf hier. Probeer het over ${wait} seconden opnieuw.`,
      });
    const token = await this.ceremony("SIGN_IN", null);
    return { token, options: await generateAuthenticationOptions({ rpID: this.rp().id, challenge: webauthnChallenge(token), userVerification: "required" }) };
  }

  /** Options for the second step of a sign-in with `challengeToken`: the person's own passkeys. */
  async secondStepOptions(manager: EntityManager, userId: string, challengeToken: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = await manager.getRepository(Passkey).findBy({ userId });
    return generateAuthenticationOptions({
      rpID: this.rp().id,
      challenge: webauthnChallenge(challengeToken),
      userVerification: "required",
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
  }

  /** Spends a passwordless sign-in's token (EXPIRED when it is not live). */
  consumeSignIn(manager: EntityManager, token: string): Promise<void> {
    return this.consume(manager, token, "SIGN_IN", null);
  }

  /**
   * Checks an assertion against the challenge derived from `token`; with `userId`, only that
   * person's passkeys count. Returns the person (active) and notes the passkey's use.
   */
  async verifyAssertion(manager: EntityManager, token: string, response: AuthenticationResponseJSON, userId: string | null): Promise<User> {
    return (await this.verifyChallenge(manager, webauthnChallenge(token), response, userId)).user;
  }

  /** Options for confirming a step (a decision on a filing) whose challenge is `challenge`: the person's own passkeys. */
  async confirmationOptions(userId: string, challenge: Uint8Array<ArrayBuffer>): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = await this.dataSource.getRepository(Passkey).findBy({ userId });
    if (passkeys.length === 0)
      throw new UserError(UserErrorCode.WRONG_STATE, { en: "You have no passkey: add one on your Account page", nl: "U heeft geen passkey: voeg er een toe op uw pagina Account" });
    return generateAuthenticationOptions({
      rpID: this.rp().id,
      challenge,
      userVerification: "required",
      allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
  }

  /**
   * Checks an assertion over `challenge`; with `userId`, only that person's passkeys count. Returns
   * the person (active), the passkey with its public key, and the site it was checked for.
   */
  async verifyChallenge(
    manager: EntityManager,
    challenge: Uint8Array<ArrayBuffer>,
    response: AuthenticationResponseJSON,
    userId: string | null,
    field: string[] = ["passkey"],
  ): Promise<{ user: User; passkey: Passkey; rp: RelyingParty }> {
    const passkey = await manager
      .getRepository(Passkey)
      .createQueryBuilder("p")
      .addSelect("p.publicKey")
      .setLock("pessimistic_write")
      .where("p.credential_id = :id", { id: String(response?.id ?? "") })
      .getOne();
    if (!passkey || (userId && passkey.userId !== userId))
      throw new UserError(UserErrorCode.INVALID_CREDENTIALS, { en: "This passkey is not known here", nl: "Deze passkey is hier niet bekend" }, field);
    const rp = this.rp();
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: Buffer.from(challenge).toString("base64url"),
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    }).catch((error: unknown) => {
      throw new UserError(
        UserErrorCode.INVALID_CREDENTIALS,
        { en: `${NOT_VERIFIED.en}: ${(error as Error).message}`, nl: `${NOT_VERIFIED.nl}: ${(error as Error).message}` },
        field,
      );
    });
    if (!verified.verified) throw new UserError(UserErrorCode.INVALID_CREDENTIALS, NOT_VERIFIED, field);
    await manager.getRepository(Passkey).update({ id: passkey.id }, { counter: verified.authenticationInfo.newCounter, lastUsedAt: new Date() });
    const user = await manager.getRepository(User).findOneByOrFail({ id: passkey.userId });
    if (user.status !== UserStatus.ACTIVE) throw new UserError(UserErrorCode.INVALID_CREDENTIALS, { en: "This account is not active", nl: "Dit account is niet actief" }, field);
    return { user, passkey, rp };
  }

  /** Removes one of the viewer's passkeys; audited. */
  async remove(viewer: Viewer, passkeyId: string): Promise<void> {
    const actor = requireUser(viewer);
    await inTransaction(this.dataSource, async (manager) => {
      const passkey = await manager.getRepository(Passkey).findOneBy({ id: passkeyId, userId: actor.userId });
      if (!passkey) throw new NotFoundError("Passkey");
      await manager.getRepository(Passkey).delete({ id: passkey.id });
      // Where the firm requires a second factor, the last one cannot go.
      const firm = await manager.getRepository(Firm).findOneByOrFail({ id: actor.firmId });
      if (twoFactorRequired(firm, actor.role) && !(await this.twoFactor.hasSecondFactor(manager, actor.userId))) {
        throw new UserError(
          UserErrorCode.WRONG_STATE,
          {
            en: "Your firm requires two-step sign-in: add another passkey or an authenticator app first",
            nl: "Uw kantoor verplicht inloggen in twee stappen: voeg eerst een andere passkey of een authenticator-app toe",
          },
          ["passkeyId"],
        );
      }
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "auth.passkey_removed",
        subjectType: "User",
        subjectId: actor.userId,
        details: { passkeyId: passkey.id, name: passkey.name },
      });
    });
  }

  private async ceremony(purpose: "REGISTER" | "SIGN_IN", userId: string | null): Promise<string> {
    // Spent and expired requests are of no use to anyone: each new one clears them out.
    await this.dataSource.query("DELETE FROM webauthn_challenges WHERE expires_at < now()");
    const token = newSecret(TOKEN_PREFIX.webauthn);
    await this.dataSource.query("INSERT INTO webauthn_challenges (token_hash, purpose, user_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))", [
      hashSecret(token),
      purpose,
      userId,
      CEREMONY_SECONDS,
    ]);
    return token;
  }

  private async consume(manager: EntityManager, token: string, purpose: "REGISTER" | "SIGN_IN", userId: string | null): Promise<void> {
    const [rows] = (await manager.query(
      `UPDATE webauthn_challenges SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() AND ($3::uuid IS NULL OR user_id = $3)
        RETURNING 1`,
      [hashSecret(String(token)), purpose, userId],
    )) as [unknown[], number];
    if (rows.length === 0) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["token"]);
  }
}
