// Passwords a person can get back and change: a reset link by mail (one hour, once), a change while
// signed in, and the operator's reset. Asking for a reset answers the same, in about the same time,
// whether or not the address has an account: the request only queues a job; the job looks the
// address up and mails each of its accounts (an address may have one at several firms).
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { requireUser, type UserActor, type Viewer } from "../../core/actor.js";
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { emailProblem, normaliseEmail } from "../../core/validation.js";
import { inTransaction } from "../../db/transaction.js";
import type { EventBus } from "../../events/bus.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import type { AuditService } from "../audit/audit.service.js";
import { Firm, firmDisplayName } from "../firms/firm.entity.js";
import type { MailOutbox } from "../notifications/mail-outbox.js";
import { User, UserStatus } from "../users/user.entity.js";
import { hashPassword, verifyPassword } from "./password.js";
import { PasswordReset } from "./password-reset.entity.js";
import type { PasswordResetThrottle } from "./password-reset-throttle.js";
import { passwordProblem, personalWords } from "./password-rule.js";
import { revokeSessions } from "./sessions.js";
import type { SignInThrottle } from "./sign-in-throttle.js";
import { hashSecret, newSecret, TOKEN_PREFIX } from "./tokens.js";

export const PASSWORD_RESET_QUEUE = "auth.password_reset";

const EXPIRED: Localized = { en: "This link has expired or was used already; ask for a new one", nl: "Deze link is verlopen of al gebruikt; vraag een nieuwe aan" };

export class PasswordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly jobs: JobQueue,
    private readonly bus: EventBus,
    private readonly resetThrottle: PasswordResetThrottle,
    private readonly signInThrottle: SignInThrottle,
    private readonly resetTtlSeconds: number,
  ) {}

  /** Asks for reset mails to `email` (the answer says nothing about whether it has an account). */
  async requestReset(rawEmail: string, address: string): Promise<void> {
    throwIfAny([emailProblem(rawEmail, ["email"])].filter((e): e is UserError => e !== null));
    const email = normaliseEmail(rawEmail);
    const { wait, mail } = await this.resetThrottle.attempt(email, address);
    if (wait > 0)
      throw new UserError(
        UserErrorCode.TOO_MANY_ATTEMPTS,
        { en: `Too many requests from here. Try again in ${wait} seconds.`, nl: `Te veel aanvragen vanaf hier. Probeer het over ${wait} seconden opnieuw.` },
        ["email"],
      );
    // The same work for every address: one job queued. Past the per-address mail limit, none.
    if (mail) await inTransaction(this.dataSource, (manager) => this.jobs.send(manager, PASSWORD_RESET_QUEUE, { email }));
  }

  /** The job: a reset link for each active or invited account of `email`, by mail in its language. */
  async mailResets(email: string): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const users = await manager.getRepository(User).find({ where: { email, status: UserStatus.ACTIVE } });
      for (const user of users) {
        const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
        const { token, expiresAt } = await this.createReset(manager, user, "mail");
        await this.outbox.queuePasswordReset(manager, user, { firm: firmDisplayName(firm), token, expiresAt });
      }
      return users.length;
    });
  }

  /** A one-time reset link's token for `user`, audited; earlier unused links of theirs stop working. */
  async createReset(manager: EntityManager, user: User, via: "mail" | "operator"): Promise<{ token: string; expiresAt: Date }> {
    await manager.query("UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", [user.id]);
    const token = newSecret(TOKEN_PREFIX.passwordReset);
    const expiresAt = new Date(Date.now() + this.resetTtlSeconds * 1000);
    await manager.getRepository(PasswordReset).insert({ id: randomUUID(), userId: user.id, tokenHash: hashSecret(token), expiresAt, usedAt: null });
    await this.audit.record(
      manager,
      { type: "SYSTEM", label: via === "mail" ? "password reset" : "operator" },
      {
        firmId: user.firmId,
        administrationId: null,
        action: "auth.password_reset_requested",
        subjectType: "User",
        subjectId: user.id,
        details: { via },
      },
    );
    return { token, expiresAt };
  }

  /** Sets a new password from a reset link; every session of the person ends. */
  async reset(input: { token: string; password: string }): Promise<User> {
    const hash = hashSecret(input.token);
    const live = () =>
      this.dataSource.getRepository(PasswordReset).createQueryBuilder("r").where("r.token_hash = :hash AND r.used_at IS NULL AND r.expires_at > now()", { hash }).getOne();
    const found = await live();
    if (!found) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["token"]);
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: found.userId });
    const firm = await this.dataSource.getRepository(Firm).findOneByOrFail({ id: user.firmId });
    throwIfAny([passwordProblem(input.password, ["password"], personalWords(user, firm.name))].filter((e): e is UserError => e !== null));
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.dataSource, async (manager) => {
      const reset = await manager
        .getRepository(PasswordReset)
        .createQueryBuilder("r")
        .setLock("pessimistic_write")
        .where("r.id = :id AND r.used_at IS NULL AND r.expires_at > now()", { id: found.id })
        .getOne();
      if (!reset) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["token"]);
      const current = await manager.getRepository(User).findOneByOrFail({ id: reset.userId });
      if (current.status !== UserStatus.ACTIVE) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["token"]);
      await manager.getRepository(PasswordReset).update({ id: reset.id }, { usedAt: new Date() });
      await manager.getRepository(User).update({ id: current.id }, { passwordHash });
      const ended = await revokeSessions(manager, this.bus, current.id);
      await this.audit.record(
        manager,
        { type: "SYSTEM", label: "password reset" },
        {
          firmId: current.firmId,
          administrationId: null,
          action: "auth.password_reset",
          subjectType: "User",
          subjectId: current.id,
          details: { sessionsEnded: ended },
        },
      );
      return current;
    });
  }

  /** A signed-in person changes their password (knowing the current one); their other sessions end. */
  async change(viewer: Viewer, input: { currentPassword: string; newPassword: string }, address: string): Promise<void> {
    const actor = requireUser(viewer);
    const user = await this.confirmCurrent(actor, input.currentPassword, address, "currentPassword");
    const firm = await this.dataSource.getRepository(Firm).findOneByOrFail({ id: user.firmId });
    throwIfAny(
      [
        passwordProblem(input.newPassword, ["newPassword"], personalWords(user, firm.name)),
        input.newPassword === input.currentPassword
          ? new UserError(UserErrorCode.INVALID, { en: "The new password is the current one", nl: "Het nieuwe wachtwoord is hetzelfde als het huidige" }, ["newPassword"])
          : null,
      ].filter((e): e is UserError => e !== null),
    );
    const passwordHash = await hashPassword(input.newPassword);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { passwordHash });
      const ended = await revokeSessions(manager, this.bus, user.id, actor.sessionId);
      await this.audit.record(manager, actor, {
        firmId: user.firmId,
        administrationId: null,
        action: "auth.password_changed",
        subjectType: "User",
        subjectId: user.id,
        details: { otherSessionsEnded: ended },
      });
    });
  }

  /**
   * Checks a signed-in person's current password before a sensitive change (a new password, turning
   * off the second factor). Guessing it here is guessing a sign-in: the same limits count it.
   */
  async confirmCurrent(actor: UserActor, password: string, address: string, field: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).createQueryBuilder("u").addSelect("u.passwordHash").where("u.id = :id", { id: actor.userId }).getOneOrFail();
    const wait = await this.signInThrottle.attempt(user.email, address);
    if (wait > 0)
      throw new UserError(
        UserErrorCode.TOO_MANY_ATTEMPTS,
        { en: `Too many failed attempts. Try again in ${wait} seconds.`, nl: `Te veel mislukte pogingen. Probeer het over ${wait} seconden opnieuw.` },
        [field],
      );
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw new UserError(UserErrorCode.INVALID_CREDENTIALS, { en: "The current password is not correct", nl: "Het huidige wachtwoord klopt niet" }, [field]);
    }
    await this.signInThrottle.recordSuccess(user.email, address);
    return user;
  }

  /** The operator's reset (`npm run user:reset-password`): a link for each active account of `email`, for the operator to hand over. */
  async operatorReset(rawEmail: string): Promise<Array<{ user: User; firm: Firm; token: string; expiresAt: Date }>> {
    throwIfAny([emailProblem(rawEmail, ["email"])].filter((e): e is UserError => e !== null));
    return inTransaction(this.dataSource, async (manager) => {
      const users = await manager.getRepository(User).find({ where: { email: normaliseEmail(rawEmail), status: UserStatus.ACTIVE } });
      const links = [];
      for (const user of users) {
        const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
        links.push({ user, firm, ...(await this.createReset(manager, user, "operator")) });
      }
      return links;
    });
  }
}
