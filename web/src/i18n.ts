// Dutch and English: the browser's language first, then the person's own choice (kept locally).
import { useEffect, useState } from "preact/hooks";

export type Language = "nl" | "en";

const WORDS = {
  appName: { nl: "PortalDesk", en: "PortalDesk" },
  language: { nl: "Taal", en: "Language" },
  signIn: { nl: "Inloggen", en: "Sign in" },
  signOut: { nl: "Uitloggen", en: "Sign out" },
  email: { nl: "E-mailadres", en: "Email address" },
  password: { nl: "Wachtwoord", en: "Password" },
  signInFailed: { nl: "Inloggen is niet gelukt", en: "Signing in did not work" },
  desk: { nl: "Bureau", en: "Desk" },
  trays: { nl: "Bakjes", en: "Trays" },
  dropHere: { nl: "Sleep bestanden of mappen hierheen", en: "Drag files or folders here" },
  chooseFiles: { nl: "Bestanden kiezen", en: "Choose files" },
  takePhoto: { nl: "Foto maken", en: "Take a photo" },
  deskEmpty: { nl: "Je bureau is leeg — je bent klaar!", en: "Your desk is empty — you're done!" },
  uploading: { nl: "Uploaden", en: "Uploading" },
  uploaded: { nl: "Klaar", en: "Done" },
  uploadFailed: { nl: "Mislukt", en: "Failed" },
  fileInto: { nl: "Opbergen in", en: "File into" },
  file: { nl: "Opbergen", en: "File" },
  select: { nl: "Selecteren", en: "Select" },
  returned: { nl: "Teruggezet", en: "Returned" },
  reason: { nl: "Reden", en: "Reason" },
  documents: { nl: "documenten", en: "documents" },
  PURCHASE: { nl: "Inkoop", en: "Purchases" },
  SALES: { nl: "Verkoop", en: "Sales" },
  RECEIPTS: { nl: "Bonnetjes", en: "Receipts" },
  BANK_STATEMENTS: { nl: "Bankafschriften", en: "Bank statements" },
  ARCHIVE: { nl: "Archief", en: "Archive" },
  SUBMITTED: { nl: "Ingediend", en: "Submitted" },
  PROCESSED: { nl: "Verwerkt", en: "Processed" },
  RETURNED: { nl: "Teruggezet", en: "Returned" },
  ON_DESK: { nl: "Op het bureau", en: "On the desk" },
  administrations: { nl: "Administraties", en: "Administrations" },
  onDesk: { nl: "op het bureau", en: "on the desk" },
  oldest: { nl: "oudste", en: "oldest" },
  days: { nl: "dagen", en: "days" },
  workQueue: { nl: "Te verwerken", en: "To process" },
  markProcessed: { nl: "Verwerkt", en: "Processed" },
  returnToClient: { nl: "Terugzetten", en: "Return" },
  returnReason: { nl: "Reden voor de klant", en: "Reason for the client" },
  send: { nl: "Versturen", en: "Send" },
  cancel: { nl: "Annuleren", en: "Cancel" },
  nothingToDo: { nl: "Niets te verwerken", en: "Nothing to process" },
  back: { nl: "Terug", en: "Back" },
  notifications: { nl: "Meldingen", en: "Notifications" },
  folder: { nl: "Map", en: "Folder" },
  archive: { nl: "Archief", en: "Archive" },
  filings: { nl: "Aangiften", en: "Filings" },
  reports: { nl: "Rapporten", en: "Reports" },
  figures: { nl: "Cijfers", en: "Figures" },
  search: { nl: "Zoeken", en: "Search" },
  noResults: { nl: "Niets gevonden", en: "Nothing found" },
  approve: { nl: "Goedkeuren", en: "Approve" },
  reject: { nl: "Afkeuren", en: "Reject" },
  note: { nl: "Toelichting (optioneel)", en: "Note (optional)" },
  approved: { nl: "Goedgekeurd", en: "Approved" },
  awaitingApproval: { nl: "Wacht op akkoord", en: "Awaiting approval" },
  requestApproval: { nl: "Akkoord vragen", en: "Ask for approval" },
  submit: { nl: "Indienen", en: "Submit" },
  history: { nl: "Geschiedenis", en: "History" },
  box: { nl: "Rubriek", en: "Box" },
  turnover: { nl: "Omzet", en: "Turnover" },
  vat: { nl: "Btw", en: "VAT" },
  amount: { nl: "Bedrag", en: "Amount" },
  status: { nl: "Status", en: "Status" },
  unread: { nl: "ongelezen", en: "unread" },
  markAllRead: { nl: "Alles gelezen", en: "Mark all read" },
  revenue: { nl: "Omzet", en: "Revenue" },
  costs: { nl: "Kosten", en: "Costs" },
  result: { nl: "Resultaat", en: "Result" },
  lastYear: { nl: "vorig jaar", en: "last year" },
  missing: { nl: "ontbreekt", en: "missing" },
  open: { nl: "Openen", en: "Open" },
  VAT_RETURN: { nl: "Btw-aangifte", en: "VAT return" },
  ICP_DECLARATION: { nl: "ICP-opgaaf", en: "ICP declaration" },
  DRAFT: { nl: "Concept", en: "Draft" },
  AWAITING_APPROVAL: { nl: "Wacht op akkoord", en: "Awaiting approval" },
  APPROVED: { nl: "Goedgekeurd", en: "Approved" },
  REJECTED: { nl: "Afgekeurd", en: "Rejected" },
  ACCEPTED: { nl: "Aanvaard", en: "Accepted" },
  FAILED: { nl: "Mislukt", en: "Failed" },
  title: { nl: "Titel", en: "Title" },
  kind: { nl: "Soort", en: "Kind" },
  periodFrom: { nl: "Van", en: "From" },
  periodTo: { nl: "Tot en met", en: "To" },
  publishAt: { nl: "Publiceren op (leeg: meteen)", en: "Publish at (empty: now)" },
  publish: { nl: "Publiceren", en: "Publish" },
  withdraw: { nl: "Intrekken", en: "Withdraw" },
  withdrawn: { nl: "ingetrokken", en: "withdrawn" },
  scheduled: { nl: "gepland", en: "scheduled" },
  year: { nl: "Jaar", en: "Year" },
  quarter: { nl: "Kwartaal", en: "Quarter" },
  create: { nl: "Aanmaken", en: "Create" },
  figuresVisible: { nl: "De klant ziet de cijfers", en: "The client sees the figures" },
  access: { nl: "Toegang", en: "Access" },
  inherited: { nl: "geërfd", en: "inherited" },
  pages: { nl: "Pagina's", en: "Pages" },
  page: { nl: "Pagina", en: "Page" },
  editPages: { nl: "Pagina's bewerken", en: "Edit pages" },
  keepPage: { nl: "Houden", en: "Keep" },
  splitHere: { nl: "Hier splitsen", en: "Split here" },
  newDocument: { nl: "Document", en: "Document" },
  rotate: { nl: "Draaien", en: "Rotate" },
  save: { nl: "Opslaan", en: "Save" },
  merge: { nl: "Samenvoegen", en: "Merge" },
  customer: { nl: "Afnemer", en: "Customer" },
  country: { nl: "Land", en: "Country" },
  vatNumber: { nl: "Btw-nummer", en: "VAT number" },
  goods: { nl: "Goederen", en: "Goods" },
  services: { nl: "Diensten", en: "Services" },
  triangular: { nl: "Driehoeksverkeer", en: "Triangular" },
} as const;

export type WordKey = keyof typeof WORDS;

const STORAGE_KEY = "portaldesk.language";
const listeners = new Set<(language: Language) => void>();

function initial(): Language {
  const chosen = typeof localStorage !== "undefined" ? localStorage.getItem(STORAGE_KEY) : null;
  if (chosen === "nl" || chosen === "en") return chosen;
  return typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("nl") ? "nl" : "en";
}

let current: Language = initial();

export function setLanguage(language: Language): void {
  current = language;
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
}

/** The current language and a translator; re-renders the component when the language changes. */
export function useI18n(): { language: Language; t: (key: WordKey) => string } {
  const [language, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return { language, t: (key) => WORDS[key][language] };
}

export function languageNow(): Language {
  return current;
}
