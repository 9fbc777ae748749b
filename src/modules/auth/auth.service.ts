// Sign-in, sessions, invitations and API tokens.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, isFirmAdmin, requireActor, requireUser, SYSTEM, type UserActor, type Viewer } from "../../core/actor.js";
import type { ApiScope } from "../../core/api-scopes.js";
import { ForbiddenError, NotFoundError, throwIfAny, UnauthenticatedError, UserError, UserErrorCode } from "../../core/errors.js";
import { emailProblem, normaliseEmail, requiredText } from "../../core/validation.js";
import { passwordProblem, personalWords } from "./password-rule.js";
import { type PageArgs, paginate } from "../../db/pagination.js";
import { inTransaction, isUniqueViolation } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import { Administration } from "../administrations/administration.entity.js";
import { Membership } from "../administrations/membership.entity.js";
import type { AuditService } from "../audit/audit.service.js";
import { Firm, firmDisplayName } from "../firms/firm.entity.js";
import type { MailOutbox } from "../notifications/mail-outbox.js";
import { NotificationKind, type NotificationService } from "../notifications/notification.service.js";
import { Language, User, UserStatus } from "../users/user.entity.js";
import { UserRole } from "../../core/roles.js";
import { findVisibleAdministration } from "../administrations/administration.policy.js";
import { assertMayInvite } from "../users/user.policy.js";
import { ApiToken } from "./api-token.entity.js";
import { Invitation } from "./invitation.entity.js";
import { hashPassword, verifyPassword } from "./password.js";
import { Session } from "./session.entity.js";
import type { SignInThrottle } from "./sign-in-throttle.js";
import { type SessionClient, userActor } from "./sessions.js";
import type { SignInOutcome, SignInSteps } from "./sign-in-steps.js";
import { hashSecret, newApiToken, newSecret, TOKEN_PREFIX } from "./tokens.js";

const LAST_USED_EVERY = "5 minutes";

export interface AuthSettings {
  invitationTtlSeconds: number;
  maxPageSize: number;
}

export interface InviteUserInput {
  email: string;
  name: string;
  role: UserRole;
  language?: Language | null;
  /** For client users: the administration they get access to. */
  administrationId?: string | null;
  canApproveFilings?: boolean | null;
}

export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly outbox: MailOutbox,
    private readonly throttle: SignInThrottle,
    private readonly steps: SignInSteps,
    private readonly settings: AuthSettings,
  ) {}

  /** The actor a bearer token stands for; UnauthenticatedError when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Actor> {
    return (await this.credential(token)).actor;
  }

  /** The actor a bearer token stands for and until when (null: no expiry), for long-lived connections. */
  async credential(token: string): Promise<{ actor: Actor; expiresAt: Date | null }> {
    const hash = hashSecret(token);
    if (token.startsWith(TOKEN_PREFIX.session)) {
      const row = (await this.dataSource.query(
        `SELECT s.id AS session_id, s.expires_at, s.last_used_at < now() - interval '${LAST_USED_EVERY}' AS stale, u.id, u.firm_id, u.role, u.email, u.status, u.language
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [hash],
      )) as Array<{
        session_id: string;
        expires_at: Date;
        stale: boolean | null;
        id: string;
        firm_id: string;
        role: UserRole;
        email: string;
        status: UserStatus;
        language: "NL" | "EN";
      }>;
      const found = row[0];
      if (!found || found.status !== UserStatus.ACTIVE) throw new UnauthenticatedError("The token is expired, revoked or unknown: sign in again");
      // "Last used" is noted at most every few minutes, not written on every request.
      if (found.stale !== false) await this.dataSource.query("UPDATE sessions SET last_used_at = now() WHERE id = $1", [found.session_id]);
      return {
        actor: { type: "USER", userId: found.id, firmId: found.firm_id, role: found.role, label: found.email, sessionId: found.session_id, language: found.language },
        expiresAt: new Date(found.expires_at),
      };
    }
    if (token.startsWith(TOKEN_PREFIX.apiToken)) {
      // One statement: find the token and note its use.
      const rows = (await this.dataSource.query(
        `UPDATE api_tokens SET last_used_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
          RETURNING id, firm_id, name, expires_at, scopes, administration_ids`,
        [hash],
      )) as [Array<{ id: string; firm_id: string; name: string; expires_at: Date | null; scopes: ApiScope[] | null; administration_ids: string[] | null }>, number];
      const found = rows[0]?.[0];
      if (!found) throw new UnauthenticatedError("The API token is expired, revoked or unknown");
      return {
        actor: {
          type: "API_TOKEN",
          tokenId: found.id,
          firmId: found.firm_id,
          label: `API token "${found.name}"`,
          scopes: found.scopes,
          administrationIds: found.administration_ids,
        },
        expiresAt: found.expires_at ? new Date(found.expires_at) : null,
      };
    }
    throw new UnauthenticatedError("The token is not a PortalDesk token");
  }

  /** The password step: a session, or the second step to take first (sign-in-steps.ts). */
  async signIn(input: { email: string; password: string; firmId?: string | null }, client: SessionClient): Promise<SignInOutcome> {
    const { address } = client;
    const email = normaliseEmail(input.email);
    const wait = await this.throttle.attempt(email, address);
    if (wait > 0) {
      throw new UserError(
        UserErrorCode.TOO_MANY_ATTEMPTS,
        { en: `Too many failed sign-ins. Try again in ${wait} seconds.`, nl: `Te veel mislukte inlogpogingen. Probeer het over ${wait} seconden opnieuw.` },
        ["email"],
      );
    }
    // An address is unique per firm: a person may have an account at more than one firm.
    const candidates = await this.dataSource
      .getRepository(User)
      .createQueryBuilder("u")
      .addSelect("u.passwordHash")
      .where("u.email = :email", { email })
      .andWhere(input.firmId ? "u.firm_id = :firmId" : "true", { firmId: input.firmId })
      .getMany();
    // Without any account the password is still hashed once; with several, the hashes run side by
    // side (libuv's thread pool), so the answer takes about as long whatever the number of accounts.
    const checked = await Promise.all(
      (candidates.length ? candidates : [null]).map(async (candidate) =>
        (await verifyPassword(candidate?.status === UserStatus.ACTIVE ? candidate.passwordHash : null, input.password)) ? candidate : null,
      ),
    );
    const matches = checked.filter((candidate): candidate is User => candidate !== null);
    if (matches.length === 0)
      throw new UserError(UserErrorCode.INVALID_CREDENTIALS, { en: "The email or password is not correct", nl: "Het e-mailadres of het wachtwoord klopt niet" }, ["password"]);
    if (matches.length > 1) {
      throw new UserError(
        UserErrorCode.INVALID,
        {
          en: "This email address has an account at more than one firm: sign in through your firm's portal (firmId)",
          nl: "Dit e-mailadres heeft een account bij meer dan één kantoor: log in via het portaal van uw kantoor (firmId)",
        },
        ["firmId"],
      );
    }
    const user = matches[0]!;
    await this.throttle.recordSuccess(email, address);
    return inTransaction(this.dataSource, (manager) => this.steps.afterPassword(manager, user, client));
  }

  /** Revokes the session behind the current token; its subscriptions are closed too. */
  async signOut(viewer: Viewer): Promise<void> {
    const actor = requireUser(viewer);
    if (!actor.sessionId) return;
    const sessionId = actor.sessionId;
    await inTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(Session).update({ id: sessionId }, { revokedAt: new Date() });
      await this.audit.record(manager, actor, { firmId: actor.firmId, administrationId: null, action: "auth.signed_out", subjectType: "User", subjectId: actor.userId });
      await this.bus.publish(manager, { topic: "session.revoked", sessionId });
    });
  }

  /** Firm admins invite anyone of their firm; accountants invite client users. */
  async inviteUser(viewer: Viewer, input: InviteUserInput): Promise<{ user: User; invitationToken: string; expiresAt: Date }> {
    const actor = requireUser(viewer);
    assertMayInvite(actor, input.role);
    const email = normaliseEmail(input.email);
    throwIfAny(
      [
        emailProblem(input.email, ["email"]),
        requiredText(input.name, ["name"], { en: "Name", nl: "De naam" }, 200),
        input.role === UserRole.CLIENT && !input.administrationId
          ? new UserError(UserErrorCode.INVALID, { en: "A client user is invited to an administration", nl: "Een klantgebruiker wordt voor een administratie uitgenodigd" }, [
              "administrationId",
            ])
          : null,
        input.role !== UserRole.CLIENT && input.administrationId
          ? new UserError(
              UserErrorCode.INVALID,
              {
                en: "Staff see every administration of the firm; leave administrationId empty",
                nl: "Medewerkers zien elke administratie van het kantoor; laat administrationId leeg",
              },
              ["administrationId"],
            )
          : null,
      ].filter((e): e is UserError => e !== null),
    );
    return inTransaction(this.dataSource, async (manager) => {
      let administration: Administration | null = null;
      if (input.administrationId) {
        administration = await findVisibleAdministration(manager, actor, input.administrationId).catch((error: unknown) => {
          if (error instanceof NotFoundError)
            throw new UserError(UserErrorCode.NOT_FOUND, { en: "That administration does not exist", nl: "Die administratie bestaat niet" }, ["administrationId"]);
          throw error;
        });
      }
      const inviter = await manager.getRepository(User).findOneByOrFail({ id: actor.userId });
      const firm = await manager.getRepository(Firm).findOneByOrFail({ id: actor.firmId });
      return this.invite(manager, actor, { ...input, email, firm, inviter, administration });
    });
  }

  /** The first admin of a new firm, invited by the operator (`npm run firm:create`): no inviting user. */
  inviteFirmAdmin(manager: EntityManager, firm: Firm, input: { email: string; name: string; language?: Language | null }) {
    throwIfAny([emailProblem(input.email, ["adminEmail"]), requiredText(input.name, ["adminName"], { en: "Name", nl: "De naam" }, 200)].filter((e): e is UserError => e !== null));
    return this.invite(manager, SYSTEM, { ...input, email: normaliseEmail(input.email), role: UserRole.FIRM_ADMIN, firm, inviter: null, administration: null });
  }

  /** Makes the invited account, its membership and one-time invitation, audits it and queues the mail. */
  private async invite(
    manager: EntityManager,
    actor: UserActor | typeof SYSTEM,
    input: Omit<InviteUserInput, "administrationId"> & { firm: Firm; inviter: User | null; administration: Administration | null },
  ): Promise<{ user: User; invitationToken: string; expiresAt: Date }> {
    const { email, firm, inviter, administration } = input;
    const user = manager.getRepository(User).create({
      id: randomUUID(),
      firmId: firm.id,
      email,
      name: input.name.trim(),
      role: input.role,
      status: UserStatus.INVITED,
      language: input.language ?? Language.NL,
      passwordHash: null,
    });
    try {
      await manager.getRepository(User).insert(user);
    } catch (error) {
      if (isUniqueViolation(error, "users_firm_email_key")) {
        throw new UserError(UserErrorCode.ALREADY_EXISTS, { en: `There is already an account for ${email}`, nl: `Er is al een account voor ${email}` }, ["email"]);
      }
      throw error;
    }
    if (administration) {
      await manager.getRepository(Membership).insert({
        id: randomUUID(),
        userId: user.id,
        administrationId: administration.id,
        canApproveFilings: input.canApproveFilings ?? false,
      });
    }
    const invitationToken = newSecret(TOKEN_PREFIX.invitation);
    const expiresAt = new Date(Date.now() + this.settings.invitationTtlSeconds * 1000);
    await manager
      .getRepository(Invitation)
      .insert({ id: randomUUID(), userId: user.id, invitedByUserId: inviter?.id ?? null, tokenHash: hashSecret(invitationToken), expiresAt, acceptedAt: null });
    await this.audit.record(manager, actor, {
      firmId: firm.id,
      administrationId: administration?.id ?? null,
      action: "user.invited",
      subjectType: "User",
      subjectId: user.id,
      details: { email, role: input.role, canApproveFilings: administration ? (input.canApproveFilings ?? false) : undefined },
    });
    await this.outbox.queueInvitation(manager, user, {
      administrationId: administration?.id ?? null,
      by: inviter?.name ?? null,
      firm: firmDisplayName(firm),
      token: invitationToken,
      expiresAt,
    });
    return { user: await manager.getRepository(User).findOneByOrFail({ id: user.id }), invitationToken, expiresAt };
  }

  /** Sets the invited user's password, activates them and signs them in. */
  async acceptInvitation(input: { token: string; password: string; name?: string | null }, client: SessionClient): Promise<SignInOutcome> {
    // Only a live invitation is worth an Argon2 hash (which costs real CPU and memory).
    const live = await this.dataSource
      .getRepository(Invitation)
      .createQueryBuilder("i")
      .where("i.token_hash = :hash AND i.accepted_at IS NULL AND i.expires_at > now()", { hash: hashSecret(input.token) })
      .getOne();
    if (!live)
      throw new UserError(
        UserErrorCode.EXPIRED,
        { en: "This invitation has expired or was used already; ask for a new one", nl: "Deze uitnodiging is verlopen of al gebruikt; vraag een nieuwe aan" },
        ["token"],
      );
    const invited = await this.dataSource.getRepository(User).findOneByOrFail({ id: live.userId });
    const firm = await this.dataSource.getRepository(Firm).findOneByOrFail({ id: invited.firmId });
    throwIfAny(
      [passwordProblem(input.password, ["password"], personalWords({ email: invited.email, name: input.name?.trim() || invited.name }, firm.name))].filter(
        (e): e is UserError => e !== null,
      ),
    );
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.dataSource, async (manager) => {
      const invitation = await manager
        .getRepository(Invitation)
        .createQueryBuilder("i")
        .setLock("pessimistic_write")
        .where("i.token_hash = :hash", { hash: hashSecret(input.token) })
        .getOne();
      if (!invitation || invitation.acceptedAt || invitation.expiresAt.getTime() <= Date.now()) {
        throw new UserError(
          UserErrorCode.EXPIRED,
          { en: "This invitation has expired or was used already; ask for a new one", nl: "Deze uitnodiging is verlopen of al gebruikt; vraag een nieuwe aan" },
          ["token"],
        );
      }
      const users = manager.getRepository(User);
      const user = await users.findOneByOrFail({ id: invitation.userId });
      if (user.status === UserStatus.DISABLED) throw new UserError(UserErrorCode.EXPIRED, { en: "This account is disabled", nl: "Dit account is uitgeschakeld" }, ["token"]);
      const name = input.name?.trim();
      if (name !== undefined && name !== "") {
        throwIfAny([requiredText(name, ["name"], { en: "Name", nl: "De naam" }, 200)].filter((e): e is UserError => e !== null));
      }
      await users.update({ id: user.id }, { passwordHash, status: UserStatus.ACTIVE, ...(name ? { name } : {}) });
      await manager.getRepository(Invitation).update({ id: invitation.id }, { acceptedAt: new Date() });
      const activated = await users.findOneByOrFail({ id: user.id });
      const memberships = await manager.getRepository(Membership).findBy({ userId: user.id });
      await this.audit.record(manager, userActor(activated, null), {
        firmId: user.firmId,
        administrationId: memberships[0]?.administrationId ?? null,
        action: "user.invitation_accepted",
        subjectType: "User",
        subjectId: user.id,
      });
      // The inviter and the firm's admins hear that the invitation was taken up.
      const admins = await users.findBy({ firmId: user.firmId, role: UserRole.FIRM_ADMIN, status: UserStatus.ACTIVE });
      await this.notifications.notify(manager, {
        recipientUserIds: [...new Set([invitation.invitedByUserId, ...admins.map((a) => a.id)])].filter((id): id is string => id !== null && id !== user.id),
        firmId: user.firmId,
        administrationId: memberships[0]?.administrationId ?? null,
        kind: NotificationKind.INVITATION_ACCEPTED,
        params: { name: activated.name, email: activated.email },
        subject: { type: "User", id: user.id },
      });
      // Signed in at once, unless the firm requires a second factor: then its enrolment comes first.
      return this.steps.afterPassword(manager, activated, client);
    });
  }

  async createApiToken(
    viewer: Viewer,
    input: { name: string; expiresAt?: Date | null; scopes?: ApiScope[] | null; administrationIds?: string[] | null },
  ): Promise<{ apiToken: ApiToken; token: string }> {
    const actor = requireUser(viewer);
    if (!isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can create API tokens");
    const scopes = input.scopes ? [...new Set(input.scopes)] : null;
    const administrationIds = input.administrationIds ? [...new Set(input.administrationIds)] : null;
    const known = administrationIds?.length
      ? ((await this.dataSource.query("SELECT id FROM administrations WHERE firm_id = $1 AND id = ANY($2)", [actor.firmId, administrationIds])) as Array<{ id: string }>).length
      : 0;
    throwIfAny(
      [
        requiredText(input.name, ["name"], { en: "Name", nl: "De naam" }, 100),
        input.expiresAt && input.expiresAt.getTime() <= Date.now()
          ? new UserError(UserErrorCode.INVALID, { en: "The expiry must be in the future", nl: "De verloopdatum moet in de toekomst liggen" }, ["expiresAt"])
          : null,
        scopes?.length === 0
          ? new UserError(
              UserErrorCode.INVALID,
              { en: "Give at least one scope, or none at all for every scope", nl: "Geef ten minste één recht op, of geen enkel recht voor alle rechten" },
              ["scopes"],
            )
          : null,
        administrationIds?.length === 0
          ? new UserError(
              UserErrorCode.INVALID,
              { en: "Give at least one administration, or none at all for every one", nl: "Geef ten minste één administratie op, of geen enkele voor alle administraties" },
              ["administrationIds"],
            )
          : null,
        administrationIds && known !== administrationIds.length
          ? new UserError(UserErrorCode.NOT_FOUND, { en: "Not every administration given is one of the firm's", nl: "Niet elke opgegeven administratie hoort bij het kantoor" }, [
              "administrationIds",
            ])
          : null,
      ].filter((e): e is UserError => e !== null),
    );
    const { token, publicPrefix } = newApiToken();
    return inTransaction(this.dataSource, async (manager) => {
      const id = randomUUID();
      await manager.getRepository(ApiToken).insert({
        id,
        firmId: actor.firmId,
        name: input.name.trim(),
        tokenPrefix: publicPrefix,
        tokenHash: hashSecret(token),
        createdByUserId: actor.userId,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        lastUsedAt: null,
        scopes,
        administrationIds,
      });
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "api_token.created",
        subjectType: "ApiToken",
        subjectId: id,
        details: { name: input.name.trim(), scopes, administrationIds },
      });
      return { apiToken: await manager.getRepository(ApiToken).findOneByOrFail({ id }), token };
    });
  }

  async revokeApiToken(viewer: Viewer, id: string): Promise<ApiToken> {
    const actor = requireUser(viewer);
    if (!isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can revoke API tokens");
    return inTransaction(this.dataSource, async (manager) => {
      const repository = manager.getRepository(ApiToken);
      const token = await repository.findOneBy({ id, firmId: actor.firmId });
      if (!token) throw new NotFoundError("ApiToken");
      if (token.revokedAt) throw new UserError(UserErrorCode.WRONG_STATE, { en: "This token was revoked already", nl: "Deze API-sleutel is al ingetrokken" }, ["id"]);
      await repository.update({ id }, { revokedAt: new Date() });
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "api_token.revoked",
        subjectType: "ApiToken",
        subjectId: id,
        details: { name: token.name },
      });
      await this.bus.publish(manager, { topic: "api_token.revoked", tokenId: id });
      return repository.findOneByOrFail({ id });
    });
  }

  listApiTokens(viewer: Viewer, page: PageArgs) {
    const actor = requireActor(viewer);
    if (!isFirmAdmin(actor)) throw new ForbiddenError("Only a firm admin can list API tokens");
    const qb = this.dataSource.getRepository(ApiToken).createQueryBuilder("t").where("t.firm_id = :firmId", { firmId: actor.firmId });
    return paginate(qb, page, { expr: "t.created_at", type: "timestamptz", direction: "DESC", idExpr: "t.id" }, this.settings.maxPageSize);
  }

  async findApiToken(actor: Actor, id: string): Promise<ApiToken> {
    if (!isFirmAdmin(actor)) throw new NotFoundError("ApiToken");
    const token = await this.dataSource.getRepository(ApiToken).findOneBy({ id, firmId: actor.firmId });
    if (!token) throw new NotFoundError("ApiToken");
    return token;
  }
}
