// Every kind of notification and its text in each language. Notifications are written in the
// recipient's language when they are made; mails reuse the same words.
import type { MailLanguage } from "../../mail/layout.js";
import { problemMessage, type ProblemNote } from "../bank-statements/problem-text.js";

export enum NotificationKind {
  INVITATION_ACCEPTED = "INVITATION_ACCEPTED",
  DOCUMENT_RETURNED = "DOCUMENT_RETURNED",
  FILING_APPROVAL_REQUESTED = "FILING_APPROVAL_REQUESTED",
  FILING_APPROVAL_WITHDRAWN = "FILING_APPROVAL_WITHDRAWN",
  FILING_APPROVED = "FILING_APPROVED",
  FILING_REJECTED = "FILING_REJECTED",
  FILING_ACCEPTED = "FILING_ACCEPTED",
  FILING_FAILED = "FILING_FAILED",
  FIGURES_UPDATED = "FIGURES_UPDATED",
  REPORT_PUBLISHED = "REPORT_PUBLISHED",
  REPORT_REPLACED = "REPORT_REPLACED",
  DESK_REMINDER = "DESK_REMINDER",
  BANK_STATEMENT_PROBLEMS = "BANK_STATEMENT_PROBLEMS",
  BANK_ACCOUNT_PROBLEMS = "BANK_ACCOUNT_PROBLEMS",
  FILING_DEADLINE = "FILING_DEADLINE",
  FILING_APPROVAL_REMINDER = "FILING_APPROVAL_REMINDER",
  WEBHOOK_DISABLED = "WEBHOOK_DISABLED",
}

/** What each kind's text is made of. */
export interface NotificationParams {
  [NotificationKind.INVITATION_ACCEPTED]: { name: string; email: string };
  [NotificationKind.DOCUMENT_RETURNED]: { filename: string; reason: string };
  [NotificationKind.FILING_APPROVAL_REQUESTED]: FilingParams & { by: string };
  [NotificationKind.FILING_APPROVAL_WITHDRAWN]: FilingParams & { by: string };
  [NotificationKind.FILING_APPROVED]: FilingParams & { by: string };
  [NotificationKind.FILING_REJECTED]: FilingParams & { by: string };
  [NotificationKind.FILING_ACCEPTED]: FilingParams & { reference: string };
  [NotificationKind.FILING_FAILED]: FilingParams & { reason: string };
  [NotificationKind.FIGURES_UPDATED]: { administration: string; from: string; to: string };
  [NotificationKind.REPORT_PUBLISHED]: { administration: string; title: string };
  [NotificationKind.REPORT_REPLACED]: { administration: string; title: string };
  [NotificationKind.DESK_REMINDER]: { desks: Array<{ administration: string; count: number; oldestDays: number }> };
  [NotificationKind.BANK_STATEMENT_PROBLEMS]: BankProblemParams;
  [NotificationKind.BANK_ACCOUNT_PROBLEMS]: BankProblemParams;
  [NotificationKind.FILING_DEADLINE]: DeadlineParams & { step: "PREPARE" | "SUBMIT" };
  [NotificationKind.FILING_APPROVAL_REMINDER]: DeadlineParams;
  /** `since`: ISO moment of the first failure without a success after it. */
  [NotificationKind.WEBHOOK_DISABLED]: { url: string; since: string };
}

/** New continuity problems of one account, found as a statement file was read. */
export interface BankProblemParams {
  administration: string;
  account: string;
  currency: string;
  problems: ProblemNote[];
}

const problemLines = (language: MailLanguage, p: BankProblemParams) => p.problems.map((problem) => problemMessage(problem, p, language)).join("\n");

export interface FilingParams {
  /** "VAT return" or "ICP declaration" are chosen per language from `filingKind`. */
  filingKind: "VAT_RETURN" | "ICP_DECLARATION";
  period: string;
  administration: string;
  note?: string | null;
}

/** A return coming due: its due date (YYYY-MM-DD) and the days left when the reminder was made (negative: overdue). */
export interface DeadlineParams extends FilingParams {
  dueDate: string;
  daysLeft: number;
}

type Text = { title: string; body: string | null };
type Catalogue = { [K in NotificationKind]: Record<MailLanguage, (p: NotificationParams[K]) => Text> };

const FILING_NAME: Record<MailLanguage, Record<FilingParams["filingKind"], string>> = {
  NL: { VAT_RETURN: "btw-aangifte", ICP_DECLARATION: "ICP-opgaaf" },
  EN: { VAT_RETURN: "VAT return", ICP_DECLARATION: "ICP declaration" },
};

const filing = (language: MailLanguage, p: FilingParams) => `${FILING_NAME[language][p.filingKind]} ${p.period} (${p.administration})`;
const withNote = (language: MailLanguage, p: FilingParams) => (p.note ? `${language === "NL" ? "Toelichting" : "Note"}: ${p.note}` : null);

const formatDay = (language: MailLanguage, date: string) =>
  new Intl.DateTimeFormat(language === "NL" ? "nl-NL" : "en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));

/** "Nog 5 dagen." / "3 dagen te laat." and the English forms. */
function daysLeftText(language: MailLanguage, daysLeft: number): string {
  const n = Math.abs(daysLeft);
  if (language === "NL") {
    if (daysLeft === 0) return "Vandaag is de laatste dag.";
    return daysLeft > 0 ? `Nog ${n} ${n === 1 ? "dag" : "dagen"}.` : `${n} ${n === 1 ? "dag" : "dagen"} te laat.`;
  }
  if (daysLeft === 0) return "Today is the last day.";
  return daysLeft > 0 ? `${n} ${n === 1 ? "day" : "days"} left.` : `${n} ${n === 1 ? "day" : "days"} overdue.`;
}

const DEADLINE_STEP: Record<MailLanguage, Record<"PREPARE" | "SUBMIT", string>> = {
  NL: { PREPARE: "Zet de aangifte klaar en vraag de klant om akkoord.", SUBMIT: "De klant heeft akkoord gegeven: dien de aangifte in." },
  EN: { PREPARE: "Prepare it and ask the client for approval.", SUBMIT: "The client approved it: submit it." },
};

const CATALOGUE: Catalogue = {
  INVITATION_ACCEPTED: {
    NL: (p) => ({ title: `${p.name} heeft de uitnodiging aangenomen`, body: `${p.name} (${p.email}) kan nu inloggen.` }),
    EN: (p) => ({ title: `${p.name} accepted the invitation`, body: `${p.name} (${p.email}) can now sign in.` }),
  },
  DOCUMENT_RETURNED: {
    NL: (p) => ({ title: `"${p.filename}" is teruggezet op uw bureau`, body: p.reason }),
    EN: (p) => ({ title: `"${p.filename}" was returned to your desk`, body: p.reason }),
  },
  FILING_APPROVAL_REQUESTED: {
    NL: (p) => ({ title: `Graag uw akkoord op de ${filing("NL", p)}`, body: withNote("NL", p) ?? `${p.by} vraagt u de aangifte te bekijken en goed te keuren.` }),
    EN: (p) => ({ title: `Please approve the ${filing("EN", p)}`, body: withNote("EN", p) ?? `${p.by} asks you to review and approve it.` }),
  },
  FILING_APPROVAL_WITHDRAWN: {
    NL: (p) => ({ title: `Het verzoek om akkoord op de ${filing("NL", p)} is ingetrokken`, body: withNote("NL", p) }),
    EN: (p) => ({ title: `The approval request for the ${filing("EN", p)} was withdrawn`, body: withNote("EN", p) }),
  },
  FILING_APPROVED: {
    NL: (p) => ({ title: `${p.by} heeft de ${filing("NL", p)} goedgekeurd`, body: withNote("NL", p) }),
    EN: (p) => ({ title: `${p.by} approved the ${filing("EN", p)}`, body: withNote("EN", p) }),
  },
  FILING_REJECTED: {
    NL: (p) => ({ title: `${p.by} heeft de ${filing("NL", p)} afgekeurd`, body: withNote("NL", p) }),
    EN: (p) => ({ title: `${p.by} rejected the ${filing("EN", p)}`, body: withNote("EN", p) }),
  },
  FILING_ACCEPTED: {
    NL: (p) => ({ title: `De ${filing("NL", p)} is afgeleverd bij de Belastingdienst`, body: `Kenmerk: ${p.reference}` }),
    EN: (p) => ({ title: `The ${filing("EN", p)} was delivered to the tax authority`, body: `Reference: ${p.reference}` }),
  },
  FILING_FAILED: {
    NL: (p) => ({ title: `Indienen van de ${filing("NL", p)} is mislukt`, body: p.reason }),
    EN: (p) => ({ title: `Submitting the ${filing("EN", p)} failed`, body: p.reason }),
  },
  FIGURES_UPDATED: {
    NL: (p) => ({
      title: `Nieuwe cijfers voor ${p.administration}`,
      body: p.from === p.to ? `De cijfers van ${p.from} zijn bijgewerkt.` : `De cijfers van ${p.from} tot en met ${p.to} zijn bijgewerkt.`,
    }),
    EN: (p) => ({
      title: `New figures for ${p.administration}`,
      body: p.from === p.to ? `The figures of ${p.from} were updated.` : `The figures of ${p.from} to ${p.to} were updated.`,
    }),
  },
  REPORT_PUBLISHED: {
    NL: (p) => ({ title: `Nieuw rapport: ${p.title}`, body: `Er staat een nieuw rapport voor ${p.administration} voor u klaar.` }),
    EN: (p) => ({ title: `New report: ${p.title}`, body: `A new report for ${p.administration} is ready for you.` }),
  },
  REPORT_REPLACED: {
    NL: (p) => ({ title: `Gecorrigeerd rapport: ${p.title}`, body: `Het rapport voor ${p.administration} is vervangen door een gecorrigeerde versie.` }),
    EN: (p) => ({ title: `Corrected report: ${p.title}`, body: `The report for ${p.administration} was replaced by a corrected version.` }),
  },
  DESK_REMINDER: {
    NL: (p) => ({
      title: `Er ${total(p) === 1 ? "ligt 1 document" : `liggen ${total(p)} documenten`} op uw bureau`,
      body: `${p.desks.map((d) => `${d.administration}: ${d.count}, het oudste ${d.oldestDays} ${d.oldestDays === 1 ? "dag" : "dagen"} oud`).join("\n")}\nZet ze in de juiste bakjes, dan kan uw boekhouder ermee aan de slag.`,
    }),
    EN: (p) => ({
      title: `${total(p) === 1 ? "1 document is" : `${total(p)} documents are`} waiting on your desk`,
      body: `${p.desks.map((d) => `${d.administration}: ${d.count}, the oldest ${d.oldestDays} ${d.oldestDays === 1 ? "day" : "days"} old`).join("\n")}\nFile them into the trays so your accountant can get to work.`,
    }),
  },
  BANK_STATEMENT_PROBLEMS: {
    NL: (p) => ({
      title: `Bankafschriften van ${p.account} zijn niet compleet`,
      body: `${problemLines("NL", p)}\nLever de ontbrekende afschriften aan, dan kan uw boekhouder verder.`,
    }),
    EN: (p) => ({
      title: `Bank statements of ${p.account} are not complete`,
      body: `${problemLines("EN", p)}\nPlease hand in the missing statements so your accountant can carry on.`,
    }),
  },
  BANK_ACCOUNT_PROBLEMS: {
    NL: (p) => ({ title: `Afschriften van ${p.account} (${p.administration}) sluiten niet aan`, body: problemLines("NL", p) }),
    EN: (p) => ({ title: `Statements of ${p.account} (${p.administration}) do not join up`, body: problemLines("EN", p) }),
  },
  FILING_DEADLINE: {
    NL: (p) => ({ title: `De ${filing("NL", p)} moet uiterlijk ${formatDay("NL", p.dueDate)} binnen zijn`, body: `${daysLeftText("NL", p.daysLeft)} ${DEADLINE_STEP.NL[p.step]}` }),
    EN: (p) => ({ title: `The ${filing("EN", p)} is due by ${formatDay("EN", p.dueDate)}`, body: `${daysLeftText("EN", p.daysLeft)} ${DEADLINE_STEP.EN[p.step]}` }),
  },
  FILING_APPROVAL_REMINDER: {
    NL: (p) => ({
      title: `De ${filing("NL", p)} wacht op uw akkoord`,
      body: `Uw boekhouder kan de aangifte pas indienen als u akkoord geeft; ze moet uiterlijk ${formatDay("NL", p.dueDate)} binnen zijn. ${daysLeftText("NL", p.daysLeft)}`,
    }),
    EN: (p) => ({
      title: `The ${filing("EN", p)} awaits your approval`,
      body: `Your accountant can only submit it once you approve; it is due by ${formatDay("EN", p.dueDate)}. ${daysLeftText("EN", p.daysLeft)}`,
    }),
  },
  WEBHOOK_DISABLED: {
    NL: (p) => ({
      title: `Webhook ${p.url} staat uit`,
      body: `Het adres geeft sinds ${formatDay("NL", p.since.slice(0, 10))} geen goed antwoord meer. Berichten blijven bewaard: zet de webhook weer aan op de kantoorpagina zodra het adres werkt.`,
    }),
    EN: (p) => ({
      title: `Webhook ${p.url} was disabled`,
      body: `The endpoint has not answered successfully since ${formatDay("EN", p.since.slice(0, 10))}. Messages are kept: enable the webhook again on the firm page once it works.`,
    }),
  },
};

function total(p: NotificationParams[NotificationKind.DESK_REMINDER]): number {
  return p.desks.reduce((sum, d) => sum + d.count, 0);
}

export function notificationText<K extends NotificationKind>(kind: K, language: MailLanguage, params: NotificationParams[K]): Text {
  return CATALOGUE[kind][language](params);
}

/** Who receives each kind: the preferences screen lists only a person's own kinds. */
export const NOTIFICATION_AUDIENCE: Record<NotificationKind, "CLIENT" | "STAFF"> = {
  INVITATION_ACCEPTED: "STAFF",
  DOCUMENT_RETURNED: "CLIENT",
  FILING_APPROVAL_REQUESTED: "CLIENT",
  FILING_APPROVAL_WITHDRAWN: "CLIENT",
  FILING_APPROVED: "STAFF",
  FILING_REJECTED: "STAFF",
  FILING_ACCEPTED: "STAFF",
  FILING_FAILED: "STAFF",
  FIGURES_UPDATED: "CLIENT",
  REPORT_PUBLISHED: "CLIENT",
  REPORT_REPLACED: "CLIENT",
  DESK_REMINDER: "CLIENT",
  BANK_STATEMENT_PROBLEMS: "CLIENT",
  BANK_ACCOUNT_PROBLEMS: "STAFF",
  FILING_DEADLINE: "STAFF",
  FILING_APPROVAL_REMINDER: "CLIENT",
  WEBHOOK_DISABLED: "STAFF",
};
