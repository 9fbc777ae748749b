// Outgoing mail: queued in the transaction of the change it reports (so it exists only if that
// commits), sent by the `mail.send` job with the queue's retries and backoff, never inside a
// request. Each sent mail is recorded in the audit trail of what it was about: to whom, when, for
// which step. The daily digest gathers a user's digest notifications into one mail.
import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import type { SystemActor } from "../../core/actor.js";
import { inTransaction } from "../../db/transaction.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import { type MailContent, type MailLanguage, renderMail } from "../../mail/layout.js";
import type { Mailer } from "../../mail/mailer.js";
import type { PortalLinks } from "../../mail/portal-links.js";
import type { AuditService } from "../audit/audit.service.js";
import type { User } from "../users/user.entity.js";
import { Firm, firmContactLine, firmDisplayName, firmLogoUrl } from "../firms/firm.entity.js";
import { Notification } from "./notification.entity.js";
import { OutgoingMail, OutgoingMailKind } from "./outgoing-mail.entity.js";

const MAIL_ACTOR: SystemActor = { type: "SYSTEM", label: "mail" };

const WORDS: Record<
  MailLanguage,
  {
    intro: string;
    digestSubject: (n: number) => string;
    digestIntro: string;
    open: string;
    footer: string;
    inviteSubject: (firm: string) => string;
    inviteIntro: (by: string, firm: string, until: string) => string;
    adminInviteIntro: (firm: string, until: string) => string;
    accept: string;
    inviteFooter: string;
    resetSubject: (firm: string) => string;
    resetIntro: (firm: string, until: string) => string;
    resetAction: string;
    resetFooter: string;
    emailChangeSubject: (firm: string) => string;
    emailChangeIntro: (firm: string, until: string) => string;
    emailChangeAction: string;
    emailChangeFooter: string;
    emailChangedSubject: (firm: string) => string;
    emailChangedIntro: (firm: string, to: string) => string;
    emailChangedAction: string;
    emailChangedFooter: string;
  }
> = {
  NL: {
    intro: "Er is nieuws voor u in PortalDesk:",
    digestSubject: (n) => `Uw overzicht van vandaag: ${n} ${n === 1 ? "melding" : "meldingen"}`,
    digestIntro: "Dit gebeurde er sinds uw vorige overzicht:",
    open: "Bekijk in PortalDesk",
    footer: "U krijgt deze mail door uw meldingsinstellingen in PortalDesk; daar kiest u per soort melding: direct, dagelijks overzicht of niet.",
    inviteSubject: (firm) => `Uitnodiging voor het klantportaal van ${firm}`,
    inviteIntro: (by, firm, until) => `${by} nodigt u uit voor PortalDesk, het klantportaal van ${firm}. Kies een wachtwoord via de knop hieronder; de link werkt tot ${until}.`,
    adminInviteIntro: (firm, until) =>
      `${firm} is aangemaakt in PortalDesk, met u als beheerder. Kies een wachtwoord via de knop hieronder; daarna nodigt u uw collega's en klanten uit. De link werkt tot ${until}.`,
    accept: "Uitnodiging aannemen",
    inviteFooter: "Verwachtte u deze uitnodiging niet? Dan kunt u deze mail negeren.",
    resetSubject: (firm) => `Nieuw wachtwoord voor het klantportaal van ${firm}`,
    resetIntro: (firm, until) =>
      `Er is gevraagd om een nieuw wachtwoord voor uw account bij ${firm}. Kies het via de knop hieronder; de link werkt één keer, tot ${until}. Daarna bent u overal afgemeld.`,
    resetAction: "Nieuw wachtwoord kiezen",
    resetFooter: "Vroeg u dit niet aan? Dan kunt u deze mail negeren: uw wachtwoord blijft wat het was.",
    emailChangeSubject: (firm) => `Bevestig uw nieuwe e-mailadres voor het klantportaal van ${firm}`,
    emailChangeIntro: (firm, until) => `U wilt dit adres gebruiken voor uw account bij ${firm}. Bevestig het met de knop hieronder; de link werkt één keer, tot ${until}.`,
    emailChangeAction: "E-mailadres bevestigen",
    emailChangeFooter: "Vroeg u dit niet aan? Dan kunt u deze mail negeren: er verandert niets.",
    emailChangedSubject: (firm) => `Uw e-mailadres bij ${firm} is veranderd`,
    emailChangedIntro: (firm, to) => `Uw account bij ${firm} gebruikt vanaf nu ${to}. Deed u dit niet? Neem dan meteen contact op met ${firm}.`,
    emailChangedAction: "Naar uw account",
    emailChangedFooter: "U krijgt deze mail op uw oude adres, zodat u weet dat het is veranderd.",
  },
  EN: {
    intro: "There is news for you in PortalDesk:",
    digestSubject: (n) => `Your daily summary: ${n} ${n === 1 ? "notification" : "notifications"}`,
    digestIntro: "This happened since your previous summary:",
    open: "Open in PortalDesk",
    footer: "You get this mail because of your notification settings in PortalDesk; there you choose per kind of notification: at once, daily summary, or not at all.",
    inviteSubject: (firm) => `Invitation to the client portal of ${firm}`,
    inviteIntro: (by, firm, until) => `${by} invites you to PortalDesk, the client portal of ${firm}. Choose a password with the button below; the link works until ${until}.`,
    adminInviteIntro: (firm, until) =>
      `${firm} has been set up in PortalDesk, with you as its administrator. Choose a password with the button below; then invite your colleagues and clients. The link works until ${until}.`,
    accept: "Accept the invitation",
    inviteFooter: "Not expecting this invitation? Then you can ignore this mail.",
    resetSubject: (firm) => `A new password for the client portal of ${firm}`,
    resetIntro: (firm, until) =>
      `Someone asked for a new password for your account at ${firm}. Choose it with the button below; the link works once, until ${until}. You are then signed out everywhere.`,
    resetAction: "Choose a new password",
    resetFooter: "Did not ask for this? Then you can ignore this mail: your password stays as it was.",
    emailChangeSubject: (firm) => `Confirm your new email address for the client portal of ${firm}`,
    emailChangeIntro: (firm, until) => `You want to use this address for your account at ${firm}. Confirm it with the button below; the link works once, until ${until}.`,
    emailChangeAction: "Confirm the email address",
    emailChangeFooter: "Did not ask for this? Then you can ignore this mail: nothing changes.",
    emailChangedSubject: (firm) => `Your email address at ${firm} has changed`,
    emailChangedIntro: (firm, to) => `Your account at ${firm} now uses ${to}. Was this not you? Then contact ${firm} at once.`,
    emailChangedAction: "Go to your account",
    emailChangedFooter: "You get this mail at your old address, so that you know it changed.",
  },
};

/** A link's end, as the recipient reads dates (Dutch time). */
function formatUntil(language: MailLanguage, at: Date): string {
  return new Intl.DateTimeFormat(language === "NL" ? "nl-NL" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(at);
}

type Recipient = Pick<User, "id" | "email" | "name" | "language" | "firmId">;

export class MailOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    private readonly links: PortalLinks,
  ) {}

  /** A mail for one notification, queued in the caller's transaction. */
  async queueNotification(manager: EntityManager, recipient: Recipient, notification: Notification): Promise<void> {
    const words = WORDS[recipient.language];
    await this.queue(manager, recipient, {
      kind: OutgoingMailKind.NOTIFICATION,
      administrationId: notification.administrationId,
      subjectType: notification.subjectType,
      subjectId: notification.subjectId,
      notificationKind: notification.kind,
      notificationIds: [notification.id],
      content: {
        language: recipient.language,
        recipientName: recipient.name,
        subject: notification.title,
        intro: words.intro,
        items: [{ title: notification.title, body: notification.body }],
        action: { label: words.open, url: this.links.forSubject(notification.subjectType, notification.subjectId) },
        footer: `${words.footer} ${this.links.preferences()}`,
      },
    });
  }

  /** The invitation mail; its link is a secret, so the stored copy is dropped once sent. */
  async queueInvitation(
    manager: EntityManager,
    recipient: Recipient,
    /** `by`: the inviting person's name; null when the operator made the firm. */
    invite: { administrationId: string | null; by: string | null; firm: string; token: string; expiresAt: Date },
  ): Promise<void> {
    const words = WORDS[recipient.language];
    const until = formatUntil(recipient.language, invite.expiresAt);
    await this.queueAccountMail(manager, recipient, OutgoingMailKind.INVITATION, invite.administrationId, {
      subject: words.inviteSubject(invite.firm),
      intro: invite.by ? words.inviteIntro(invite.by, invite.firm, until) : words.adminInviteIntro(invite.firm, until),
      action: { label: words.accept, url: this.links.invitation(invite.token, recipient.firmId) },
      footer: words.inviteFooter,
    });
  }

  /** The one-time link to choose a new password, queued in the caller's transaction. */
  async queuePasswordReset(manager: EntityManager, recipient: Recipient, reset: { firm: string; token: string; expiresAt: Date }): Promise<void> {
    const words = WORDS[recipient.language];
    await this.queueAccountMail(manager, recipient, OutgoingMailKind.PASSWORD_RESET, null, {
      subject: words.resetSubject(reset.firm),
      intro: words.resetIntro(reset.firm, formatUntil(recipient.language, reset.expiresAt)),
      action: { label: words.resetAction, url: this.links.passwordReset(reset.token, recipient.firmId) },
      footer: words.resetFooter,
    });
  }

  /** The link confirming a new address, mailed to that address (`recipient.email` is the new one). */
  async queueEmailChange(manager: EntityManager, recipient: Recipient, change: { firm: string; token: string; expiresAt: Date }): Promise<void> {
    const words = WORDS[recipient.language];
    await this.queueAccountMail(manager, recipient, OutgoingMailKind.EMAIL_CHANGE, null, {
      subject: words.emailChangeSubject(change.firm),
      intro: words.emailChangeIntro(change.firm, formatUntil(recipient.language, change.expiresAt)),
      action: { label: words.emailChangeAction, url: this.links.emailChange(change.token, recipient.firmId) },
      footer: words.emailChangeFooter,
    });
  }

  /** The notice to the old address once the change is done (`recipient.email` is the old one). */
  async queueEmailChanged(manager: EntityManager, recipient: Recipient, change: { firm: string; to: string }): Promise<void> {
    const words = WORDS[recipient.language];
    await this.queueAccountMail(manager, recipient, OutgoingMailKind.EMAIL_CHANGE, null, {
      subject: words.emailChangedSubject(change.firm),
      intro: words.emailChangedIntro(change.firm, change.to),
      action: { label: words.emailChangedAction, url: this.links.account() },
      footer: words.emailChangedFooter,
    });
  }

  /** A mail about the recipient's own account with one link (invitation, reset): no items, no notification. */
  private queueAccountMail(
    manager: EntityManager,
    recipient: Recipient,
    kind: OutgoingMailKind,
    administrationId: string | null,
    text: Pick<MailContent, "subject" | "intro" | "action" | "footer">,
  ): Promise<void> {
    return this.queue(manager, recipient, {
      kind,
      administrationId,
      subjectType: "User",
      subjectId: recipient.id,
      notificationKind: null,
      notificationIds: [],
      content: { language: recipient.language, recipientName: recipient.name, items: [], ...text },
    });
  }

  private async queue(
    manager: EntityManager,
    recipient: Recipient,
    mail: Pick<OutgoingMail, "kind" | "administrationId" | "subjectType" | "subjectId" | "notificationKind" | "notificationIds"> & { content: MailContent },
  ): Promise<void> {
    // Mail speaks for the recipient's firm: its name as the sender, its reply-to, its contact details.
    const firm = await manager.getRepository(Firm).findOneByOrFail({ id: recipient.firmId });
    const message = renderMail(recipient.email, {
      ...mail.content,
      contact: firmContactLine(firm),
      brand: { name: firmDisplayName(firm), colour: firm.brandColour, logoUrl: firmLogoUrl(this.links.origin(), firm) },
    });
    const id = randomUUID();
    const { content: _content, ...fields } = mail;
    await manager.getRepository(OutgoingMail).insert({
      id,
      firmId: recipient.firmId,
      recipientUserId: recipient.id,
      toAddress: recipient.email,
      ...fields,
      subject: message.subject.slice(0, 300),
      textBody: message.text,
      htmlBody: message.html,
      fromName: (firm.mailSenderName ?? firmDisplayName(firm)).slice(0, 200),
      replyTo: firm.replyTo,
      sentAt: null,
      messageId: null,
      attempts: 0,
      lastError: null,
    });
    await this.jobs.send(manager, "mail.send", { mailId: id });
  }

  /**
   * Sends one queued mail (the `mail.send` job). No transaction is held while the SMTP server
   * answers (a slow server must not tie up database connections); the queue runs one job per mail
   * at a time, and the sent mark is set under a row lock, so a mail is marked and audited once. A
   * failure is noted on the mail and rethrown, so the queue retries later.
   */
  async deliver(mailId: string): Promise<void> {
    const mail = await this.dataSource.getRepository(OutgoingMail).findOneBy({ id: mailId });
    if (!mail || mail.sentAt) return;
    let messageId: string;
    try {
      ({ messageId } = await this.mailer.send({
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody ?? "",
        html: mail.htmlBody ?? "",
        fromName: mail.fromName,
        replyTo: mail.replyTo,
      }));
    } catch (error) {
      await this.dataSource.query("UPDATE outgoing_mails SET attempts = attempts + 1, last_error = $2 WHERE id = $1", [
        mailId,
        String((error as Error).message ?? error).slice(0, 1000),
      ]);
      throw error;
    }
    await inTransaction(this.dataSource, async (manager) => {
      const locked = await manager
        .getRepository(OutgoingMail)
        .createQueryBuilder("m")
        .where("m.id = :mailId AND m.sent_at IS NULL", { mailId })
        .setLock("pessimistic_write")
        .getOne();
      if (!locked) return;
      // A mail that carries a one-time link keeps no copy of it once sent.
      const secret = locked.kind === OutgoingMailKind.INVITATION || locked.kind === OutgoingMailKind.PASSWORD_RESET || locked.kind === OutgoingMailKind.EMAIL_CHANGE;
      await manager
        .getRepository(OutgoingMail)
        .update(
          { id: locked.id },
          { sentAt: new Date(), messageId: messageId.slice(0, 300), attempts: locked.attempts + 1, lastError: null, ...(secret ? { textBody: null, htmlBody: null } : {}) },
        );
      await this.recordSent(manager, locked, messageId);
    });
  }

  /** One audit link per chain and subject the mail reported on (a digest may span several). */
  private async recordSent(manager: EntityManager, mail: OutgoingMail, messageId: string): Promise<void> {
    type About = Pick<Notification, "administrationId" | "subjectType" | "subjectId"> & { kind: string | null; id: string | null };
    const about: About[] = mail.notificationIds.length
      ? await manager.getRepository(Notification).createQueryBuilder("n").where("n.id IN (:...ids)", { ids: mail.notificationIds }).getMany()
      : [{ administrationId: mail.administrationId, subjectType: mail.subjectType, subjectId: mail.subjectId, kind: mail.notificationKind, id: null }];
    const groups = new Map<string, About[]>();
    for (const n of about) {
      const key = `${n.administrationId}|${n.subjectType}|${n.subjectId}`;
      groups.set(key, [...(groups.get(key) ?? []), n]);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      await this.audit.record(manager, MAIL_ACTOR, {
        firmId: mail.firmId,
        administrationId: first.administrationId,
        action: "mail.sent",
        subjectType: first.subjectType,
        subjectId: first.subjectId,
        details: {
          mailId: mail.id,
          to: mail.toAddress,
          recipientUserId: mail.recipientUserId,
          mailKind: mail.kind,
          steps: [...new Set(group.map((n) => n.kind).filter(Boolean))],
          notificationIds: group.map((n) => n.id).filter(Boolean),
          subject: mail.subject,
          messageId,
        },
      });
    }
  }

  /**
   * Sends each user one mail with their digest notifications made before `before` (the daily
   * `mail.digest` job). Notifications are claimed with the mail in one transaction: with several
   * instances running the job, each notification is mailed once.
   */
  async sendDigests(before: Date = new Date()): Promise<number> {
    const users = (await this.dataSource.query(
      `SELECT DISTINCT n.recipient_user_id AS id FROM notifications n
        WHERE n.mail_delivery = 'DAILY_DIGEST' AND n.mailed_at IS NULL AND n.created_at < $1`,
      [before],
    )) as Array<{ id: string }>;
    let sent = 0;
    for (const { id } of users) {
      const mailed = await inTransaction(this.dataSource, async (manager) => {
        const [recipient] = (await manager.query("SELECT id, email, name, language, firm_id AS \"firmId\" FROM users WHERE id = $1 AND status = 'ACTIVE'", [id])) as Recipient[];
        // TypeORM returns [rows, count] for an UPDATE … RETURNING.
        const [claimed] = (await manager.query(
          `UPDATE notifications SET mailed_at = now()
            WHERE recipient_user_id = $1 AND mail_delivery = 'DAILY_DIGEST' AND mailed_at IS NULL AND created_at < $2
            RETURNING id, administration_id AS "administrationId", title, body, created_at AS "createdAt"`,
          [id, before],
        )) as [Array<Pick<Notification, "id" | "administrationId" | "title" | "body" | "createdAt">>, number];
        if (!recipient || claimed.length === 0) return false;
        claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
        const words = WORDS[recipient.language];
        const administrations = new Set(claimed.map((n) => n.administrationId));
        await this.queue(manager, recipient, {
          kind: OutgoingMailKind.DIGEST,
          administrationId: administrations.size === 1 ? claimed[0]!.administrationId : null,
          subjectType: null,
          subjectId: null,
          notificationKind: null,
          notificationIds: claimed.map((n) => n.id),
          content: {
            language: recipient.language,
            recipientName: recipient.name,
            subject: words.digestSubject(claimed.length),
            intro: words.digestIntro,
            items: claimed.map((n) => ({ title: n.title, body: n.body, at: n.createdAt })),
            action: { label: words.open, url: this.links.notifications() },
            footer: `${words.footer} ${this.links.preferences()}`,
          },
        });
        return true;
      });
      if (mailed) sent += 1;
    }
    return sent;
  }
}
