// A real SMTP server for tests (smtp-server), keeping every message it receives, parsed.
import { type AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { eventually } from "./harness.js";

export interface CapturedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  language: string | null;
  replyTo: string | null;
}

export class MailCapture {
  readonly messages: CapturedMail[] = [];
  private failures = { left: 0, address: "", subject: "" };

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(): Promise<MailCapture> {
    let capture: MailCapture | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        simpleParser(stream)
          .then((parsed) => {
            const failing = capture?.failures;
            if (failing && failing.left > 0 && recipients.includes(failing.address) && (parsed.subject ?? "").includes(failing.subject)) {
              failing.left -= 1;
              callback(Object.assign(new Error("Mailbox temporarily unavailable"), { responseCode: 451 }));
              return;
            }
            capture!.messages.push({
              to: recipients,
              from: parsed.from?.text ?? "",
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              replyTo: parsed.replyTo?.text ?? null,
              language: /<html lang="(\w+)"/.exec(typeof parsed.html === "string" ? parsed.html : "")?.[1] ?? null,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as AddressInfo;
    capture = new MailCapture(server, `smtp://127.0.0.1:${port}`);
    return capture;
  }

  /** The next `count` messages to `address` (whose subject holds `subject`) are refused with a temporary error (451), as a busy server would. */
  failNext(address: string, count: number, subject = ""): void {
    this.failures = { left: count, address, subject };
  }

  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  /** Waits until `address` has received `count` messages; returns them. */
  async waitFor(address: string, count = 1, ms = 15_000): Promise<CapturedMail[]> {
    return eventually(async () => (this.to(address).length >= count ? this.to(address) : null), ms);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
