// What a received mail hands in: its attachments, or a PDF of its text when it has none and the
// administration wants that. One reading for the SMTP intake and for a release from quarantine, so
// a mail is judged the same way whenever it is taken. Nothing is rendered: an HTML-only mail is
// turned into text (html-to-text, inside mailparser), and only that text is drawn.
import { PDFDocument, StandardFonts } from "pdf-lib";
import { type ParsedMail, simpleParser } from "mailparser";
import { drawable, PdfTextWriter } from "../files/pdf-text-writer.js";
import type { Localized } from "../../core/language.js";

/**
 * Why a mail cannot be taken, with its SMTP reply code and enhanced status code (the message, for
 * the SMTP reply, is `${status} ${text.en}`); the quarantine's release words `text` as a user error.
 */
export class MailProblem extends Error {
  constructor(
    readonly responseCode: number,
    status: string,
    readonly text: Localized,
  ) {
    super(`${status} ${text.en}`);
  }
}

export interface MailFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** Longest text drawn into a mail's PDF (the rest is cut, and the PDF says so). */
const MAX_BODY_CHARS = 200_000;

export function parseMail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
}

export const subjectOf = (mail: ParsedMail) => (mail.subject ?? "").slice(0, 300);
export const fromHeaderOf = (mail: ParsedMail) => (mail.from?.text ?? "").slice(0, 500);

/** Whether a mail was sent by a machine on its own (an out-of-office reply, a delivery report): such mail is never taken. */
export function isAutomatic(mail: ParsedMail): boolean {
  return String(mail.headers.get("auto-submitted") ?? "no").toLowerCase() !== "no";
}

/** The files a mail hands in; throws MailProblem when it hands in none or too many. */
export async function filesOfMail(mail: ParsedMail, options: { bodyAsPdf: boolean; maxAttachments: number }): Promise<MailFile[]> {
  if (isAutomatic(mail))
    throw new MailProblem(550, "5.7.1", { en: "Automatic mail (Auto-Submitted) is not taken", nl: "Automatische mail (Auto-Submitted) wordt niet aangenomen" });
  // Images a signature shows in the text are part of the mail, not documents.
  const attachments = mail.attachments.filter((a) => !a.related);
  if (attachments.length > options.maxAttachments) {
    throw new MailProblem(552, "5.3.4", {
      en: `The mail has ${attachments.length} attachments; at most ${options.maxAttachments} are taken per mail`,
      nl: `De mail heeft ${attachments.length} bijlagen; per mail worden er hoogstens ${options.maxAttachments} aangenomen`,
    });
  }
  if (attachments.length > 0) {
    return attachments.map((a, i) => ({ filename: a.filename || `attachment-${i + 1}`, contentType: a.contentType, content: a.content }));
  }
  const text = (mail.text ?? "").trim();
  if (!options.bodyAsPdf || !text)
    throw new MailProblem(550, "5.7.0", {
      en: "The mail has no attachments: attach the invoices, receipts or statements",
      nl: "De mail heeft geen bijlagen: voeg de facturen, bonnen of afschriften als bijlage toe",
    });
  return [{ filename: `${pdfNameOf(subjectOf(mail))}.pdf`, contentType: "application/pdf", content: await pdfOfMail(mail, text) }];
}

function pdfNameOf(subject: string): string {
  const name = subject
    .replace(/\[(INK|VRK|BON|BANK)\]/gi, "")
    .replace(/^\s*((fwd?|fw|re|doorst|antw)\s*:\s*)+/i, "")
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return name || "e-mail";
}

const amsterdam = new Intl.DateTimeFormat("nl-NL", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Amsterdam" });

/** A PDF of the mail's header lines and text, labelled in Dutch and English like PortalDesk's other renditions. */
async function pdfOfMail(mail: ParsedMail, text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const subject = subjectOf(mail);
  pdf.setTitle(drawable(subject || "E-mail"));
  pdf.setProducer("PortalDesk");
  // Dated by the mail, so the same mail sent twice makes the same bytes (and is caught as a duplicate).
  pdf.setCreationDate(mail.date ?? new Date(0));
  pdf.setModificationDate(mail.date ?? new Date(0));
  const w = new PdfTextWriter(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold));
  const m = 48;
  w.text(m, subject || "E-mail", { bold: true, size: 14 });
  w.down(2);
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : (mail.to?.text ?? "");
  for (const [name, value] of [
    ["Van / From", fromHeaderOf(mail)],
    ["Aan / To", to],
    ["Datum / Date", mail.date ? amsterdam.format(mail.date) : ""],
    ["Onderwerp / Subject", subject],
  ] as const) {
    if (!value) continue;
    w.text(m, name, { grey: true });
    w.text(m + 110, value);
    w.down();
  }
  w.down();
  w.paragraph(m, text.slice(0, MAX_BODY_CHARS));
  if (text.length > MAX_BODY_CHARS) {
    w.down();
    w.text(m, "De rest van de tekst is weggelaten / The rest of the text was left out", { grey: true });
  }
  w.down();
  w.need(1);
  w.text(m, "De tekst van een e-mail zonder bijlagen, vastgelegd door PortalDesk / The text of a mail without attachments, recorded by PortalDesk", { grey: true, size: 7 });
  return Buffer.from(await pdf.save());
}
