// Sends one mail message: over SMTP when SMTP_URL is set, otherwise into a folder under the data
// folder as .eml files (the demo shows its mail there). nodemailer builds the MIME either way.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { measured } from "../core/outcomes.js";
import nodemailer from "nodemailer";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The sender's name (the firm); the address is always MAIL_FROM's, so SPF and DKIM hold. */
  fromName?: string | null;
  replyTo?: string | null;
}

/** The envelope fields of `message` for nodemailer: MAIL_FROM's address under the firm's name. */
function sender(message: MailMessage, from: string) {
  const { fromName, replyTo, ...rest } = message;
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return { ...rest, from: fromName ? { name: fromName, address } : from, ...(replyTo ? { replyTo } : {}) };
}

export interface Mailer {
  /** Where mail goes, for the start-up log: an SMTP host or a folder. */
  readonly destination: string;
  /** Sends the message; resolves with the Message-ID once the server (or the folder) has it. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export interface MailerOptions {
  smtpUrl: string | null;
  from: string;
  /** Where mail is written without SMTP. */
  folder: string;
}

export function createMailer(options: MailerOptions): Mailer {
  const mailer = options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : folderMailer(options.folder, options.from);
  const transport = options.smtpUrl ? "smtp" : "folder";
  return { ...mailer, send: (message) => measured("mail", transport, () => mailer.send(message)) };
}

function smtpMailer(url: string, from: string): Mailer {
  // Short timeouts: a job that hangs on a dead server blocks its worker; failing lets the queue retry.
  const settings = new URL(url);
  for (const [name, value] of Object.entries({ connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" })) {
    if (!settings.searchParams.has(name)) settings.searchParams.set(name, value);
  }
  const transport = nodemailer.createTransport(settings.toString());
  return {
    destination: new URL(url).host,
    async send(message) {
      const info = await transport.sendMail(sender(message, from));
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

function folderMailer(folder: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    destination: folder,
    async send(message) {
      const info = await transport.sendMail(sender(message, from));
      await fs.mkdir(folder, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.eml`;
      // Written whole under a temporary name, then renamed: a reader never sees half a message.
      const target = path.join(folder, name);
      await fs.writeFile(`${target}.tmp`, info.message as Buffer);
      await fs.rename(`${target}.tmp`, target);
      return { messageId: info.messageId };
    },
    close: () => undefined,
  };
}
