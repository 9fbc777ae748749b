// One layout for every mail: a greeting, some items (title + text), one call to action and a
// footer, as plain text and as HTML (escaped: user-supplied names and notes are never markup).
import type { MailMessage } from "./mailer.js";

export type MailLanguage = "NL" | "EN";

export interface MailItem {
  title: string;
  body?: string | null;
  /** When the item happened, shown in digests. */
  at?: Date | null;
}

export interface MailContent {
  language: MailLanguage;
  recipientName: string;
  subject: string;
  intro: string;
  items: MailItem[];
  action: { label: string; url: string };
  /** Why they get this, and where to change it. */
  footer: string;
  /** The sender firm's contact details, one line, under the footer. */
  contact?: string | null;
  /** The sender firm's look: its name and logo above the mail, its colour on the button. */
  brand?: { name: string; colour: string | null; logoUrl: string | null } | null;
}

const GREETING: Record<MailLanguage, (name: string) => string> = {
  NL: (name) => `Beste ${name},`,
  EN: (name) => `Dear ${name},`,
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function formatTime(at: Date, language: MailLanguage): string {
  return new Intl.DateTimeFormat(language === "NL" ? "nl-NL" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(at);
}

/** The firm's logo (its name as the alternative text) or its name, above the greeting. */
function brandHeader(brand: MailContent["brand"]): string {
  if (!brand) return "";
  const name = escapeHtml(brand.name);
  const colour = brand.colour ?? "#1d2433";
  return brand.logoUrl
    ? `<p><img src="${escapeHtml(brand.logoUrl)}" alt="${name}" style="max-height: 64px; max-width: 240px;"></p>\n`
    : `<p style="font-size: 1.2rem; font-weight: bold; color: ${colour};">${name}</p>\n`;
}

export function renderMail(to: string, content: MailContent): MailMessage {
  const when = (item: MailItem) => (item.at ? `${formatTime(item.at, content.language)} — ` : "");
  const text = [
    GREETING[content.language](content.recipientName),
    "",
    content.intro,
    "",
    ...content.items.flatMap((item) => [`• ${when(item)}${item.title}`, ...(item.body ? [`  ${item.body.replace(/\n/g, "\n  ")}`] : [])]),
    "",
    `${content.action.label}: ${content.action.url}`,
    "",
    "-- ",
    content.footer,
    ...(content.contact ? [content.contact] : []),
  ].join("\n");
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${content.language.toLowerCase()}"><head><meta charset="utf-8"><title>${e(content.subject)}</title></head>
<body style="font-family: system-ui, sans-serif; color: #1d2433; max-width: 36rem; margin: 0 auto; padding: 1rem;">
${brandHeader(content.brand)}<p>${e(GREETING[content.language](content.recipientName))}</p>
<p>${e(content.intro)}</p>
<ul style="padding-left: 1.2rem;">
${content.items
  .map(
    (item) =>
      `<li style="margin-bottom: .6rem;"><strong>${e(when(item) + item.title)}</strong>${item.body ? `<br><span style="white-space: pre-line;">${e(item.body)}</span>` : ""}</li>`,
  )
  .join("\n")}
</ul>
<p><a href="${e(content.action.url)}" style="display: inline-block; background: ${content.brand?.colour ?? "#1f5fbf"}; color: #fff; padding: .6rem 1rem; border-radius: .3rem; text-decoration: none;">${e(content.action.label)}</a></p>
<hr style="border: none; border-top: 1px solid #d6dbe4;">
<p style="font-size: .85rem; color: #5b6475;">${e(content.footer)}</p>
${content.contact ? `<p style="font-size: .85rem; color: #5b6475;">${e(content.contact)}</p>\n` : ""}</body></html>`;
  return { to, subject: content.subject, text, html };
}
