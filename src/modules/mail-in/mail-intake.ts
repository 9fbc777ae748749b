// Documents by mail: an SMTP intake (smtp-server) where each administration has an address of its
// own. A member (or the firm's staff) forwards a supplier's mail there; its attachments go onto the
// desk as uploaded by that person, through the same intake as uploads (sniffing, limits,
// duplicates), or straight into a tray with a subject tag ([INK], [VRK], [BON], [BANK]).
//
// Everything is decided while the sender's server is still connected: a mail is taken whole or
// refused with a 5xx reply that says why (its server then tells the sender), so the intake never
// sends mail of its own — no bounces to forged senders, no loops. Automatic mail (Auto-Submitted,
// a null sender) is refused. Nothing in a mail is run or rendered: only attachments are read, as files.
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { MailInSettings } from "../../config/config.js";
import { UserError, UserErrors } from "../../core/errors.js";
import { inTransaction } from "../../db/transaction.js";
import type { Services } from "../../services.js";
import { userActor } from "../auth/sessions.js";
import { TrayKind } from "../documents/document.entity.js";
import { User, UserStatus } from "../users/user.entity.js";
import { keyOfAddress } from "./inbound-address.js";

/** SMTP connections served at once (more wait for their server's retry). */
const MAX_CONNECTIONS = 20;

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
    super(message);
  }
}

/** Subject tags that file straight into a tray (the Dutch names of the trays). */
const TAGS: Record<string, TrayKind> = { INK: TrayKind.PURCHASE, VRK: TrayKind.SALES, BON: TrayKind.RECEIPTS, BANK: TrayKind.BANK_STATEMENTS };

export function trayOfSubject(subject: string): TrayKind | null {
  const tag = /\[(INK|VRK|BON|BANK)\]/i.exec(subject)?.[1];
  return tag ? TAGS[tag.toUpperCase()]! : null;
}

interface Recipient {
  administrationId: string;
  firmId: string;
  sender: User;
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

  const take = async (raw: Buffer, session: SMTPServerSession): Promise<string> => {
    const recipient = recipients.get(session.id);
    if (!recipient) throw new Refusal(503, "5.5.1 No recipient");
    const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    const auto = String(mail.headers.get("auto-submitted") ?? "no").toLowerCase();
    if (auto !== "no") throw new Refusal(550, "5.7.1 Automatic mail (Auto-Submitted) is not taken");
    // Images a signature shows in the text are part of the mail, not documents.
    const attachments = mail.attachments.filter((a) => !a.related);
    if (attachments.length === 0) throw new Refusal(550, "5.7.0 The mail has no attachments: attach the invoices, receipts or statements");
    if (attachments.length > settings.maxAttachments) {
      throw new Refusal(552, `5.3.4 The mail has ${attachments.length} attachments; at most ${settings.maxAttachments} are taken per mail`);
    }
    const subject = (mail.subject ?? "").slice(0, 300);
    const tray = trayOfSubject(subject);
    const actor = userActor(recipient.sender, null);
    let result;
    try {
      result = await services.documents.upload(actor, {
        administrationId: recipient.administrationId,
        tray,
        allOrNothing: true,
        files: attachments.map((a, i) => Promise.resolve({ filename: a.filename || `attachment-${i + 1}`, createReadStream: () => Readable.from(a.content) })),
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
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          subject,
          messageId: mail.messageId ?? null,
          tray,
          documents: result.documents.map((d) => ({ id: d.id, filename: d.filename })),
        },
      }),
    );
    return `2.0.0 Taken: ${result.documents.length} ${result.documents.length === 1 ? "document" : "documents"}`;
  };

  const server = new SMTPServer({
    name: settings.domain,
    banner: "PortalDesk document intake",
    authOptional: true,
    // Plain SMTP behind the firm's MX or a relay; TLS is the relay's (docs/OPERATIONS.md).
    disabledCommands: ["AUTH", "STARTTLS"],
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
          ? ((await services.dataSource.query("SELECT id, firm_id FROM administrations WHERE inbound_email_key = $1", [key])) as Array<{ id: string; firm_id: string }>)
          : [];
        if (!administration) throw new Refusal(550, "5.1.1 No such mailbox");
        const sender = await senderOf(administration.id, administration.firm_id, from);
        if (!sender) throw new Refusal(550, `5.7.1 ${from} may not hand in documents here: send from the address you sign in to the portal with`);
        recipients.set(session.id, { administrationId: administration.id, firmId: administration.firm_id, sender });
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
