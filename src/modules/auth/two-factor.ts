// The second factor of a person's sign-in: an authenticator app (TOTP) and ten one-time recovery
// codes. Turning it on takes a code from the app (so a mistyped secret cannot lock anyone out);
// turning it off takes the password, and is refused where the firm requires a second factor.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { type Actor, requireUser, type UserActor, userIdOf, type Viewer } from "../../core/actor.js";
import { UserRole } from "../../core/roles.js";
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { inTransaction } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import { Firm, firmDisplayName } from "../firms/firm.entity.js";
import { User, UserStatus } from "../users/user.entity.js";
import { revokeSessions } from "./sessions.js";
import type { EventBus } from "../../events/bus.js";
import { emailProblem, normaliseEmail } from "../../core/validation.js";
import type { PasswordService } from "./passwords.js";
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from "./recovery-codes.js";
import type { SignInThrottle } from "./sign-in-throttle.js";
import { newTotpSecret, qrCodeSvg, totpUri, verifyTotp } from "./totp.js";
import { RecoveryCode, TotpCredential } from "./two-factor.entity.js";

/** What a typed code can be. */
export type CodeMethod = "TOTP" | "RECOVERY_CODE";
export type SecondFactorMethod = CodeMethod | "PASSKEY";

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** The firm requires a second factor for this person's role. */
  required: boolean;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrCodeSvg: string;
}

/** Whether the firm requires a second factor of people with this role. */
export function twoFactorRequired(firm: Pick<Firm, "requireTwoFactorStaff" | "requireTwoFactorClients">, role: UserRole): boolean {
  return role === UserRole.CLIENT ? firm.requireTwoFactorClients : firm.requireTwoFactorStaff;
}

export const WRONG_CODE: Localized = { en: "The code is not correct", nl: "De code klopt niet" };

export class TwoFactorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly passwords: PasswordService,
    private readonly throttle: SignInThrottle,
    private readonly bus: EventBus,
  ) {}

  /** A person's second factor: only their own (null for anyone else). One statement. */
  async status(viewer: Viewer, userId: string): Promise<TwoFactorStatus | null> {
    if (userIdOf(viewer) !== userId) return null;
    const [row] = (await this.dataSource.query(
      `SELECT t.confirmed_at, u.role, f.require_two_factor_staff, f.require_two_factor_clients,
              (SELECT count(*)::int FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS codes_left
         FROM users u JOIN firms f ON f.id = u.firm_id
         LEFT JOIN totp_credentials t ON t.user_id = u.id AND t.confirmed_at IS NOT NULL
        WHERE u.id = $1`,
      [userId],
    )) as Array<{ confirmed_at: Date | null; role: UserRole; require_two_factor_staff: boolean; require_two_factor_clients: boolean; codes_left: number }>;
    if (!row) return null;
    return {
      enabled: row.confirmed_at !== null,
      enabledAt: row.confirmed_at,
      recoveryCodesLeft: row.confirmed_at ? row.codes_left : 0,
      required: twoFactorRequired({ requireTwoFactorStaff: row.require_two_factor_staff, requireTwoFactorClients: row.require_two_factor_clients }, row.role),
    };
  }

  /** Whether the person has any second factor: an authenticator app or a passkey. */
  async hasSecondFactor(manager: EntityManager, userId: string): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 WHERE EXISTS (SELECT 1 FROM totp_credentials WHERE user_id = $1 AND confirmed_at IS NOT NULL) OR EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1)`,
      [userId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Whether the person has an authenticator app turned on. */
  async isEnabled(manager: EntityManager, userId: string): Promise<boolean> {
    const rows = (await manager.query("SELECT 1 FROM totp_credentials WHERE user_id = $1 AND confirmed_at IS NOT NULL", [userId])) as unknown[];
    return rows.length > 0;
  }

  /** A new secret for the person's app (replacing one not yet confirmed): its QR code and the secret to type in. */
  async startEnrolment(manager: EntityManager, user: User): Promise<TotpEnrolment> {
    if (await this.isEnabled(manager, user.id)) {
      throw new UserError(UserErrorCode.WRONG_STATE, {
        en: "Two-step sign-in is on already; turn it off first to set up another app",
        nl: "Inloggen in twee stappen staat al aan; zet het eerst uit om een andere app in te stellen",
      });
    }
    const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
    const secret = newTotpSecret();
    await manager.query(
      `INSERT INTO totp_credentials (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now(), confirmed_at = NULL, last_time_step = NULL`,
      [user.id, secret],
    );
    const uri = totpUri(secret, firmDisplayName(firm), user.email);
    return { secret, uri, qrCodeSvg: await qrCodeSvg(uri) };
  }

  /**
   * Turns the app on once `code` matches the secret being set up; returns the new recovery codes
   * (shown once), or null when the code is wrong. `actor` is the person (during sign-in, without a session yet).
   */
  async confirmEnrolment(manager: EntityManager, actor: UserActor, user: User, code: string): Promise<string[] | null> {
    const pending = await manager
      .getRepository(TotpCredential)
      .createQueryBuilder("t")
      .addSelect("t.secret")
      .setLock("pessimistic_write")
      .where("t.user_id = :id", { id: user.id })
      .getOne();
    if (!pending)
      throw new UserError(UserErrorCode.WRONG_STATE, { en: "Start setting up the authenticator app first", nl: "Begin eerst met het instellen van de authenticator-app" }, [
        "code",
      ]);
    if (pending.confirmedAt) throw new UserError(UserErrorCode.WRONG_STATE, { en: "Two-step sign-in is on already", nl: "Inloggen in twee stappen staat al aan" }, ["code"]);
    const step = await verifyTotp(pending.secret, code, null);
    if (step === null) return null;
    await manager.getRepository(TotpCredential).update({ userId: user.id }, { confirmedAt: new Date(), lastTimeStep: String(step) });
    const codes = await this.replaceRecoveryCodes(manager, user.id);
    await this.audit.record(manager, actor, {
      firmId: user.firmId,
      administrationId: null,
      action: "auth.two_factor_enabled",
      subjectType: "User",
      subjectId: user.id,
      details: { method: "TOTP" },
    });
    return codes;
  }

  /**
   * Checks a second-step code: an authenticator code (newer than the last one used) or an unused
   * recovery code, which is then spent. Returns how it matched, or null. Run in the transaction that
   * acts on it, so that two requests cannot both use one code.
   */
  async verify(manager: EntityManager, userId: string, code: string): Promise<CodeMethod | null> {
    const credential = await manager
      .getRepository(TotpCredential)
      .createQueryBuilder("t")
      .addSelect("t.secret")
      .setLock("pessimistic_write")
      .where("t.user_id = :id AND t.confirmed_at IS NOT NULL", { id: userId })
      .getOne();
    if (!credential) return null;
    const step = await verifyTotp(credential.secret, code, credential.lastTimeStep === null ? null : Number(credential.lastTimeStep));
    if (step !== null) {
      await manager.getRepository(TotpCredential).update({ userId }, { lastTimeStep: String(step) });
      return "TOTP";
    }
    const recovery = normaliseRecoveryCode(code);
    if (!recovery) return null;
    const [spent] = (await manager.query("UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id", [
      userId,
      hashRecoveryCode(recovery),
    ])) as [unknown[], number];
    return spent.length > 0 ? "RECOVERY_CODE" : null;
  }

  /**
   * A fresh confirmation of a step by its actor (approving a filing): null when they have no second
   * factor (nothing to confirm with); else their code must match, or CONFIRMATION_REQUIRED /
   * INVALID_CREDENTIALS on `field`. Wrong codes count as in sign-in. Run in the step's transaction.
   */
  async confirm(manager: EntityManager, actor: Actor, code: string | null | undefined, field: string[]): Promise<CodeMethod | null> {
    const userId = userIdOf(actor);
    if (!userId || !(await this.isEnabled(manager, userId))) return null;
    if (!code?.trim())
      throw new UserError(
        UserErrorCode.CONFIRMATION_REQUIRED,
        { en: "Confirm with the code your authenticator app shows now", nl: "Bevestig met de code die uw authenticator-app nu laat zien" },
        field,
      );
    await this.countCodeAttempt(userId, field);
    const method = await this.verify(manager, userId, code);
    if (!method) throw new UserError(UserErrorCode.INVALID_CREDENTIALS, WRONG_CODE, field);
    await this.codeSucceeded(userId);
    return method;
  }

  /** Turns the second factor off (the password confirms it is the person); refused where the firm requires one. */
  async disable(viewer: Viewer, password: string, address: string): Promise<void> {
    const actor = requireUser(viewer);
    const user = await this.passwords.confirmCurrent(actor, password, address, "password");
    await inTransaction(this.dataSource, async (manager) => {
      const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
      if (twoFactorRequired(firm, user.role)) {
        throw new UserError(UserErrorCode.WRONG_STATE, {
          en: "Your firm requires two-step sign-in; it cannot be turned off",
          nl: "Uw kantoor verplicht inloggen in twee stappen; u kunt het niet uitzetten",
        });
      }
      if (!(await this.isEnabled(manager, user.id)))
        throw new UserError(UserErrorCode.WRONG_STATE, { en: "Two-step sign-in is off already", nl: "Inloggen in twee stappen staat al uit" });
      await manager.query("DELETE FROM totp_credentials WHERE user_id = $1", [user.id]);
      await manager.query("DELETE FROM recovery_codes WHERE user_id = $1", [user.id]);
      await this.audit.record(manager, actor, { firmId: user.firmId, administrationId: null, action: "auth.two_factor_disabled", subjectType: "User", subjectId: user.id });
    });
  }

  /**
   * The operator's reset (`npm run user:reset-two-factor`) for someone who lost phone, recovery codes
   * and passkeys: every second factor of each active account of `email` goes, and its sessions end.
   */
  async operatorReset(rawEmail: string): Promise<Array<{ user: User; firmName: string; sessionsEnded: number }>> {
    throwIfAny([emailProblem(rawEmail, ["email"])].filter((e): e is UserError => e !== null));
    return inTransaction(this.dataSource, async (manager) => {
      const users = await manager.getRepository(User).find({ where: { email: normaliseEmail(rawEmail), status: UserStatus.ACTIVE } });
      const done = [];
      for (const user of users) {
        await manager.query("DELETE FROM totp_credentials WHERE user_id = $1", [user.id]);
        await manager.query("DELETE FROM recovery_codes WHERE user_id = $1", [user.id]);
        await manager.query("DELETE FROM passkeys WHERE user_id = $1", [user.id]);
        const sessionsEnded = await revokeSessions(manager, this.bus, user.id);
        await this.audit.record(
          manager,
          { type: "SYSTEM", label: "operator" },
          {
            firmId: user.firmId,
            administrationId: null,
            action: "auth.two_factor_reset",
            subjectType: "User",
            subjectId: user.id,
            details: { sessionsEnded },
          },
        );
        const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
        done.push({ user, firmName: firm.name, sessionsEnded });
      }
      return done;
    });
  }

  /** New recovery codes for a person with the app on (the old ones stop working), confirmed by a current code. */
  async regenerateRecoveryCodes(viewer: Viewer, code: string): Promise<string[]> {
    const actor = requireUser(viewer);
    await this.countCodeAttempt(actor.userId, ["code"]);
    const codes = await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.isEnabled(manager, actor.userId)))
        throw new UserError(UserErrorCode.WRONG_STATE, { en: "Turn on two-step sign-in first", nl: "Zet eerst inloggen in twee stappen aan" }, ["code"]);
      const method = await this.verify(manager, actor.userId, code);
      if (method !== "TOTP") return null;
      const fresh = await this.replaceRecoveryCodes(manager, actor.userId);
      await this.audit.record(manager, actor, {
        firmId: actor.firmId,
        administrationId: null,
        action: "auth.recovery_codes_replaced",
        subjectType: "User",
        subjectId: actor.userId,
      });
      return fresh;
    });
    if (!codes)
      throw new UserError(
        UserErrorCode.INVALID_CREDENTIALS,
        { en: `${WRONG_CODE.en}: enter the code your authenticator app shows now`, nl: `${WRONG_CODE.nl}: vul de code in die uw authenticator-app nu laat zien` },
        ["code"],
      );
    await this.codeSucceeded(actor.userId);
    return codes;
  }

  /** Counts an attempt with a code (or passkey answer) for the account, before it is checked; TOO_MANY_ATTEMPTS on `field` past the limit. */
  async countCodeAttempt(userId: string, field: string[]): Promise<void> {
    const wait = await this.throttle.codeAttempt(userId);
    if (wait > 0)
      throw new UserError(
        UserErrorCode.TOO_MANY_ATTEMPTS,
        { en: `Too many wrong codes. Try again in ${wait} seconds.`, nl: `Te veel onjuiste codes. Probeer het over ${wait} seconden opnieuw.` },
        field,
      );
  }

  /** A right answer gives its attempt back. */
  codeSucceeded(userId: string): Promise<void> {
    return this.throttle.codeSuccess(userId);
  }

  /** How many unused recovery codes the person has left. */
  async recoveryCodesLeft(manager: EntityManager, userId: string): Promise<number> {
    const [row] = (await manager.query("SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", [userId])) as Array<{ n: number }>;
    return row?.n ?? 0;
  }

  private async replaceRecoveryCodes(manager: EntityManager, userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    await manager.query("DELETE FROM recovery_codes WHERE user_id = $1", [userId]);
    await manager.getRepository(RecoveryCode).insert(codes.map((code) => ({ id: randomUUID(), userId, codeHash: hashRecoveryCode(normaliseRecoveryCode(code)!), usedAt: null })));
    return codes;
  }
}
