// A change of a person's email address (their sign-in name), confirmed from the new address: the
// password confirms the request, a one-time link (24 hours, newest only) goes to the new address,
// and once it is used the old address is told. Whether the new address is taken at the firm shows
// only at confirmation, to the holder of that mailbox.
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { requireUser, type Viewer } from "../../core/actor.js";
import { throwIfAny, UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";
import { emailProblem, normaliseEmail } from "../../core/validation.js";
import { inTransaction, isUniqueViolation } from "../../db/transaction.js";
import type { AuditService } from "../audit/audit.service.js";
import { Firm, firmDisplayName } from "../firms/firm.entity.js";
import type { MailOutbox } from "../notifications/mail-outbox.js";
import { User, UserStatus } from "../users/user.entity.js";
import type { PasswordService } from "./passwords.js";
import { hashSecret, newSecret, TOKEN_PREFIX } from "./tokens.js";

const TTL_SECONDS = 24 * 3600;
const EXPIRED: Localized = {
  en: "This link has expired or was used already; ask for the change again",
  nl: "Deze link is verlopen of al gebruikt; vraag de wijziging opnieuw aan",
};

export class EmailChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly passwords: PasswordService,
  ) {}

  /** Mails a confirmation link to `newEmail`; earlier unconfirmed changes stop working. */
  async request(viewer: Viewer, input: { newEmail: string; password: string }, address: string): Promise<void> {
    const actor = requireUser(viewer);
    throwIfAny([emailProblem(input.newEmail, ["newEmail"])].filter((e): e is UserError => e !== null));
    const user = await this.passwords.confirmCurrent(actor, input.password, address, "password");
    const newEmail = normaliseEmail(input.newEmail);
    if (newEmail === user.email) throw new UserError(UserErrorCode.INVALID, { en: "That is your current address", nl: "Dat is uw huidige adres" }, ["newEmail"]);
    const token = newSecret(TOKEN_PREFIX.emailChange);
    const expiresAt = new Date(Date.now() + TTL_SECONDS * 1000);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.query("UPDATE email_changes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", [user.id]);
      await manager.query("INSERT INTO email_changes (id, user_id, new_email, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)", [
        randomUUID(),
        user.id,
        newEmail,
        hashSecret(token),
        expiresAt,
      ]);
      const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
      await this.outbox.queueEmailChange(manager, { ...user, email: newEmail }, { firm: firmDisplayName(firm), token, expiresAt });
      await this.audit.record(manager, actor, {
        firmId: user.firmId,
        administrationId: null,
        action: "user.email_change_requested",
        subjectType: "User",
        subjectId: user.id,
        details: { to: newEmail },
      });
    });
  }

  /** Takes the new address from its link (no sign-in needed: the link is the proof); the old address is told. */
  async confirm(token: string): Promise<User> {
    return inTransaction(this.dataSource, async (manager) => {
      const [change] = (await manager.query(
        `UPDATE email_changes SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id, new_email`,
        [hashSecret(String(token))],
      )) as [Array<{ user_id: string; new_email: string }>, number];
      const found = change[0];
      if (!found) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["token"]);
      const users = manager.getRepository(User);
      const user = await users.findOneByOrFail({ id: found.user_id });
      if (user.status !== UserStatus.ACTIVE) throw new UserError(UserErrorCode.EXPIRED, EXPIRED, ["token"]);
      try {
        // A taken address aborts the transaction: the link stays unused.
        await users.update({ id: user.id }, { email: found.new_email });
      } catch (error) {
        if (isUniqueViolation(error, "users_firm_email_key")) {
          throw new UserError(
            UserErrorCode.ALREADY_EXISTS,
            { en: `There is already an account for ${found.new_email} at this firm`, nl: `Er is bij dit kantoor al een account voor ${found.new_email}` },
            ["token"],
          );
        }
        throw error;
      }
      const firm = await manager.getRepository(Firm).findOneByOrFail({ id: user.firmId });
      await this.outbox.queueEmailChanged(manager, user, { firm: firmDisplayName(firm), to: found.new_email });
      await this.audit.record(
        manager,
        { type: "SYSTEM", label: "email confirmation" },
        {
          firmId: user.firmId,
          administrationId: null,
          action: "user.email_changed",
          subjectType: "User",
          subjectId: user.id,
          details: { from: user.email, to: found.new_email },
        },
      );
      return users.findOneByOrFail({ id: user.id });
    });
  }
}
