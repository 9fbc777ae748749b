// Documents by mail: an SMTP intake (smtp-server) where each administration has an address of its
// own. A member (or the firm's staff) forwards a supplier's mail there; its attachments go onto the
// desk as uploaded by that person, through the same intake as uploads (sniffing, limits,
// duplicates), or straight into a tray with a subject tag ([INK], [VRK], [BON], [BANK]). Mail from
// anyone else (or, behind a relay that checks SPF/DKIM/DMARC, mail whose sender it could not
// confirm) waits in the administration's quarantine for staff, or is refused, as the firm chose.
//
// Everything is decided while the sender's server is still connected: a mail is taken whole or
// refused with a 5xx reply that says why (its server then tells the sender), so the intake never
// sends mail of its own — no bounces to forged senders, no loops. Automatic mail (Auto-Submitted,
// a null sender) is refused. Nothing in a mail is run or rendered: attachments are read as files,
// and a mail's text is only drawn into a PDF when the administration asks for that (mail-files.ts).
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { MailInSettings } from "../../config/config.js";
import { UserError, UserErrors } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import type { Services } from "../../services.js";
import { userActor } from "../auth/sessions.js";
import { StrangerMail } from "../administrations/administration.entity.js";
import { SNIFF_BYTES, sniffFormat } from "../files/file-format.js";
import { User, UserStatus } from "../users/user.entity.js";
import { keyOfAddress } from "./inbound-address.js";
import { filesOfMail, type MailFile, MailProblem, parseMail, subjectOf } from "./mail-files.js";
import { senderConfirmed } from "./sender-check.js";
import { trayOfSubject } from "./mail-tags.js";
import { QuarantineReason } from "./quarantined-mail.entity.js";

/** SMTP connections served at once (more wait for their server's retry). */
const MAX_CONNECTIONS = 20;

const mayNotSend = (from: string) => `5.7.1 ${from} may not hand in documents here: send from the address you sign in to the portal with`;

export interface MailIntake {
  port: number;
  stop(): Promise<void>;
}

/** A refusal with its SMTP reply code (smtp-server sends `responseCode` and the message). */
class Refusal extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    // One reply line: a file name from the mail must not break the SMTP dialogue into more.
    super(message.replace(/[\u0000-\u001f\u007f]+/g, " "));
  }
}

interface Recipient {
  administrationId: string;
  firmId: string;
  /** Null for a stranger (their mail can only go to the quarantine). */
  sender: User | null;
  strangers: StrangerMail;
  bodyAsPdf: boolean;
}

export async function startMailIntake(services: Services, settings: MailInSettings, log: (level: "info" | "warn", message: string, extra?: object) => void): Promise<MailIntake> {
  const recipients = new Map<string, Recipient>();
  const megabytes = Math.floor(settings.maxSize / 1024 ** 2);

  /** The person the mail is from, if they may hand in documents to this administration: a member, or the firm's staff. */
  const senderOf = async (administrationId: string, firmId: string, address: string): Promise<User | null> => {
    const [row] = (await services.dataSource.query(
      `SELECT u.id FROM users u WHERE u.email = $1 AND u.status = $4 AND u.firm_id = $3
          AND (u.role IN ('FIRM_ADMIN', 'ACCOUNTANT') OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.administration_id = $2))`,
      [address.toLowerCase(), administrationId, firmId, UserStatus.ACTIVE],
    )) as Array<{ id: string }>;
    return row ? services.dataSource.getRepository(User).findOneByOrFail({ id: row.id }) : null;
  };

  const quarantine = async (recipient: Recipient, reason: QuarantineReason, raw: Buffer, mail: ParsedMail, files: MailFile[], from: string): Promise<string> => {
    if (recipient.strangers === StrangerMail.REFUSE) {
      throw new Refusal(550, reason === QuarantineReason.UNKNOWN_SENDER ? mayNotSend(from) : `5.7.1 The mail could not be confirmed as sent by ${from} (SPF/DKIM/DMARC)`);
    }
    // Only documents wait for staff: junk is refused at once, not kept for review.
    for (const file of files) {
      if (!(await sniffFormat(file.content.subarray(0, SNIFF_BYTES))))
        throw new Refusal(550, `5.7.0 Not taken, nothing was kept: ${file.filename} is not a document PortalDesk takes`);
    }
    if (!(await services.mailQuarantine.hasRoom(recipient.administrationId))) throw new Refusal(452, "4.2.2 Too much mail is waiting for review here; try again later");
    await services.mailQuarantine.keep({
      administrationId: recipient.administrationId,
      firmId: recipient.firmId,
      reason,
      sender: from,
      raw,
      mail,
      files,
      bodyAsPdf: recipient.bodyAsPdf,
    });
    return "2.0.0 Kept for the firm to review";
  };

  const take = async (raw: Buffer, session: SMTPServerSession): Promise<string> => {
    const recipient = recipients.get(session.id);
    if (!recipient) throw new Refusal(503, "5.5.1 No recipient");
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
    const mail = await parseMail(raw);
    let files: MailFile[];
    try {
      files = await filesOfMail(mail, { bodyAsPdf: recipient.bodyAsPdf, maxAttachments: settings.maxAttachments });
    } catch (error) {
      throw error instanceof MailProblem ? new Refusal(error.responseCode, error.message) : error;
    }
    if (!recipient.sender) return quarantine(recipient, QuarantineReason.UNKNOWN_SENDER, raw, mail, files, from);
    if (settings.authservId && !senderConfirmed(mail, settings.authservId)) return quarantine(recipient, QuarantineReason.UNVERIFIED_SENDER, raw, mail, files, from);
    const subject = subjectOf(mail);
    const tray = trayOfSubject(subject);
    const actor = userActor(recipient.sender, null);
    let result;
    try {
      result = await services.documents.upload(actor, {
        administrationId: recipient.administrationId,
        tray,
        allOrNothing: true,
        files: files.map((f) => Promise.resolve({ filename: f.filename, createReadStream: () => Readable.from(f.content) })),
      });
    } catch (error) {
      if (error instanceof UserErrors || error instanceof UserError) {
        const messages = error instanceof UserErrors ? error.errors.map((e) => e.message) : [error.message];
        throw new Refusal(550, `5.7.0 Not taken, nothing was kept: ${messages.join("; ")}`.slice(0, 500));
      }
      throw error;
    }
    await inTransaction(services.dataSource, (manager) =>
      services.audit.record(manager, actor, {
        firmId: recipient.firmId,
        administrationId: recipient.administrationId,
        action: "mail.received",
        subjectType: "Administration",
        subjectId: recipient.administrationId,
        details: {
          from,
          tls: session.secure,
          subject,
          messageId: mail.messageId ?? null,
          tray,
          documents: result.documents.map((d) => ({ id: d.id, filename: d.filename })),
        },
      }),
    );
    return `2.0.0 Taken: ${result.documents.length} ${result.documents.length === 1 ? "document" : "documents"}`;
  };

  // Read now, so a missing or unreadable file stops the start with its name.
  const tls = settings.tls ? { key: await readFile(settings.tls.keyFile), cert: await readFile(settings.tls.certFile) } : null;
  const server = new SMTPServer({
    name: settings.domain,
    banner: "PortalDesk document intake",
    authOptional: true,
    // STARTTLS with the configured certificate; without one, plain SMTP behind the firm's MX or a
    // relay that holds the TLS (docs/OPERATIONS.md).
    disabledCommands: tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    ...(tls ? { key: tls.key, cert: tls.cert, minVersion: "TLSv1.2" as const } : {}),
    size: settings.maxSize,
    // Each connection may hold up to maxSize while its mail is read: their number bounds memory.
    maxClients: MAX_CONNECTIONS,
    socketTimeout: 60_000,
    // A graceful stop waits this long for connections under way, then closes them.
    closeTimeout: 5_000,
    logger: false,
    onMailFrom(address, session, callback) {
      recipients.delete(session.id);
      if (!address.address) return callback(new Refusal(550, "5.7.1 Mail without a sender (a bounce) is not taken"));
      callback();
    },
    onRcptTo(address, session, callback) {
      // One administration per mail: its attachments are taken or refused as one.
      if (recipients.has(session.id)) return callback(new Refusal(452, "4.5.3 One recipient per mail; send again for the next"));
      const key = keyOfAddress(address.address, settings.domain);
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
      void (async () => {
        const [administration] = key
          ? ((await services.dataSource.query("SELECT id, firm_id, mail_from_strangers, mail_body_as_pdf FROM administrations WHERE inbound_email_key = $1", [key])) as Array<{
              id: string;
              firm_id: string;
              mail_from_strangers: StrangerMail;
              mail_body_as_pdf: boolean;
            }>)
          : [];
        if (!administration) throw new Refusal(550, "5.1.1 No such mailbox");
        const sender = await senderOf(administration.id, administration.firm_id, from);
        if (!sender && administration.mail_from_strangers === StrangerMail.REFUSE) throw new Refusal(550, mayNotSend(from));
        recipients.set(session.id, {
          administrationId: administration.id,
          firmId: administration.firm_id,
          sender,
          strangers: administration.mail_from_strangers,
          bodyAsPdf: administration.mail_body_as_pdf,
        });
      })().then(
        () => callback(),
        (error: unknown) => callback(error instanceof Refusal ? error : new Refusal(451, "4.3.0 Try again later")),
      );
    },
    onData(stream, session, callback) {
      // Kept in memory up to the limit only; beyond it the rest is read and dropped.
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= settings.maxSize) chunks.push(chunk);
      });
      stream.on("end", () => {
        if (stream.sizeExceeded || size > settings.maxSize) {
          callback(new Refusal(552, `5.3.4 The mail is larger than ${megabytes} MB`));
          return;
        }
        take(Buffer.concat(chunks), session).then(
          (reply) => callback(null, reply),
          (error: unknown) => {
            if (!(error instanceof Refusal)) log("warn", "a mail could not be taken", { error: String(error) });
            callback(error instanceof Refusal ? error : new Refusal(451, "4.3.0 Try again later"));
          },
        );
      });
    },
    onClose(session) {
      recipients.delete(session.id);
    },
  });
  server.on("error", (error) => log("warn", "mail intake error", { error: error.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  log("info", "mail intake listening", { port, domain: settings.domain });
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
