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
  forgotPassword: { nl: "Wachtwoord vergeten?", en: "Forgot your password?" },
  forgotIntro: {
    nl: "Vul je e-mailadres in. Heb je een account, dan krijg je een mail met een link om een nieuw wachtwoord te kiezen.",
    en: "Enter your email address. If you have an account, you get a mail with a link to choose a new password.",
  },
  sendResetLink: { nl: "Stuur de link", en: "Send the link" },
  resetMailSent: {
    nl: "Als er een account bij dit adres hoort, is de mail onderweg. De link werkt een uur en één keer.",
    en: "If this address has an account, the mail is on its way. The link works for an hour, once.",
  },
  backToSignIn: { nl: "Terug naar inloggen", en: "Back to sign in" },
  chooseNewPassword: { nl: "Kies een nieuw wachtwoord", en: "Choose a new password" },
  newPassword: { nl: "Nieuw wachtwoord", en: "New password" },
  repeatPassword: { nl: "Nog een keer", en: "Once more" },
  passwordHint: {
    nl: "Minstens 10 tekens en niet makkelijk te raden: een paar losse woorden werkt goed.",
    en: "At least 10 characters and not easy to guess: a few unrelated words work well.",
  },
  passwordsDiffer: { nl: "De twee wachtwoorden zijn niet gelijk", en: "The two passwords differ" },
  passwordResetDone: {
    nl: "Je wachtwoord is veranderd en je bent overal uitgelogd. Log opnieuw in.",
    en: "Your password is changed and you are signed out everywhere. Sign in again.",
  },
  linkExpired: { nl: "Deze link is verlopen of al gebruikt; vraag een nieuwe aan.", en: "This link has expired or was used already; ask for a new one." },
  tooManyAttempts: { nl: "Te vaak geprobeerd. Probeer het later nog eens.", en: "Too many attempts. Try again later." },
  wrongCurrentPassword: { nl: "Het huidige wachtwoord klopt niet", en: "The current password is not correct" },
  twoStepSignIn: { nl: "Inloggen in twee stappen", en: "Two-step sign-in" },
  enterCodeIntro: {
    nl: "Vul de code van zes cijfers in die je authenticator-app nu laat zien. Geen app bij de hand? Gebruik een van je herstelcodes.",
    en: "Enter the six-digit code your authenticator app shows now. No app at hand? Use one of your recovery codes.",
  },
  authenticatorCode: { nl: "Code uit de app", en: "Code from the app" },
  codeOrRecoveryCode: { nl: "Code uit de app of herstelcode", en: "Code from the app, or a recovery code" },
  wrongCode: { nl: "Deze code klopt niet. Kijk of de tijd op je telefoon goed staat.", en: "This code is not correct. Check that your phone's clock is right." },
  signInExpired: { nl: "Deze inlogpoging is verlopen. Log opnieuw in met je wachtwoord.", en: "This sign-in has expired. Sign in with your password again." },
  setUpTwoStep: { nl: "Inloggen in twee stappen instellen", en: "Set up two-step sign-in" },
  firmRequiresTwoStep: {
    nl: "Je kantoor vraagt om inloggen in twee stappen. Stel het nu in; daarna kun je verder.",
    en: "Your firm requires two-step sign-in. Set it up now; then you can go on.",
  },
  installApp: {
    nl: "Installeer een authenticator-app op je telefoon, bijvoorbeeld Microsoft Authenticator, Google Authenticator of 2FAS.",
    en: "Install an authenticator app on your phone, e.g. Microsoft Authenticator, Google Authenticator or 2FAS.",
  },
  scanQr: { nl: "Scan deze QR-code met de app.", en: "Scan this QR code with the app." },
  qrAlt: { nl: "QR-code voor je authenticator-app", en: "QR code for your authenticator app" },
  orTypeSecret: { nl: "Of typ deze sleutel over:", en: "Or type in this key:" },
  enterCodeFromApp: { nl: "Vul de code in die de app laat zien.", en: "Enter the code the app shows." },
  turnOn: { nl: "Aanzetten", en: "Turn on" },
  turnOff: { nl: "Uitzetten", en: "Turn off" },
  recoveryCodes: { nl: "Herstelcodes", en: "Recovery codes" },
  recoveryCodesIntro: {
    nl: "Bewaar deze codes op een veilige plek. Ben je je telefoon kwijt, dan log je met een ervan in; elke code werkt één keer. Je ziet ze alleen nu.",
    en: "Keep these codes somewhere safe. If you lose your phone, sign in with one of them; each works once. You see them only now.",
  },
  downloadCodes: { nl: "Download als tekstbestand", en: "Download as a text file" },
  codesSaved: { nl: "Ik heb de codes bewaard", en: "I have saved the codes" },
  continue: { nl: "Verder", en: "Continue" },
  twoStepOn: {
    nl: "Aan sinds {since}: bij het inloggen vragen we een code uit je app. Nog {left} herstelcodes over.",
    en: "On since {since}: signing in asks for a code from your app. {left} recovery codes left.",
  },
  twoStepOff: {
    nl: "Uit. Met een tweede stap kan niemand inloggen met alleen je wachtwoord.",
    en: "Off. With a second step, nobody can sign in with your password alone.",
  },
  twoStepRequired: { nl: "Je kantoor vereist het.", en: "Your firm requires it." },
  newRecoveryCodes: { nl: "Nieuwe herstelcodes", en: "New recovery codes" },
  confirmWithCode: {
    nl: "Bevestig je besluit met de code die je authenticator-app nu laat zien.",
    en: "Confirm your decision with the code your authenticator app shows now.",
  },
  confirmedWithApp: { nl: "Bevestigd met de authenticator-app van de klant.", en: "Confirmed with the client's authenticator app." },
  notConfirmed: { nl: "Zonder tweede stap besloten.", en: "Decided without a second step." },
  downloadProof: { nl: "Download het bewijs (JSON)", en: "Download the proof (JSON)" },
  logo: { nl: "Logo", en: "Logo" },
  noLogo: { nl: "Nog geen logo: de naam van het kantoor staat bovenaan.", en: "No logo yet: the firm's name is shown at the top." },
  chooseLogo: { nl: "Kies een logo (PNG of SVG)", en: "Choose a logo (PNG or SVG)" },
  logoHint: {
    nl: "Hoogstens 1 MB. Het staat bovenaan het portaal, ook op de inlogpagina, en in de mails.",
    en: "At most 1 MB. It appears at the top of the portal, on the sign-in page too, and in the mails.",
  },
  removeLogo: { nl: "Logo verwijderen", en: "Remove the logo" },
  passkeys: { nl: "Passkeys", en: "Passkeys" },
  passkeysIntro: {
    nl: "Met een passkey log je in met je vingerafdruk, gezicht of pincode van dit apparaat, zonder wachtwoord. Na je wachtwoord telt hij ook als tweede stap.",
    en: "With a passkey you sign in with this device's fingerprint, face or PIN, without a password. After your password it also counts as the second step.",
  },
  passkeyName: { nl: "Naam van de passkey", en: "Name of the passkey" },
  passkeyNameExample: { nl: "bijv. Laptop", en: "e.g. Laptop" },
  addPasskey: { nl: "Passkey toevoegen", en: "Add a passkey" },
  addedOn: { nl: "toegevoegd", en: "added" },
  remove: { nl: "Verwijderen", en: "Remove" },
  signInWithPasskey: { nl: "Inloggen met een passkey", en: "Sign in with a passkey" },
  usePasskey: { nl: "Gebruik je passkey", en: "Use your passkey" },
  passkeyCancelled: {
    nl: "Er is geen passkey gebruikt (afgebroken, of dit apparaat heeft er geen voor deze site).",
    en: "No passkey was used (cancelled, or this device has none for this site).",
  },
  passkeyRefused: { nl: "Deze passkey is hier niet bekend of klopt niet.", en: "This passkey is not known here or did not check out." },
  requireTwoStepStaff: { nl: "Medewerkers loggen in twee stappen in", en: "Staff sign in in two steps" },
  requireTwoStepClients: { nl: "Klanten loggen in twee stappen in", en: "Clients sign in in two steps" },
  requireTwoStepHint: {
    nl: "Wie nog geen tweede stap heeft, wordt uitgelogd en stelt die bij de volgende keer inloggen in.",
    en: "Those without a second step yet are signed out and set it up at their next sign-in.",
  },
  welcome: { nl: "Welkom bij PortalDesk", en: "Welcome to PortalDesk" },
  invitationIntro: { nl: "Je bent uitgenodigd. Kies een wachtwoord om je account te gebruiken.", en: "You are invited. Choose a password to start using your account." },
  yourName: { nl: "Je naam (als die anders moet)", en: "Your name (if it should differ)" },
  acceptInvitation: { nl: "Account aanmaken", en: "Create my account" },
  account: { nl: "Account", en: "Account" },
  changePassword: { nl: "Wachtwoord wijzigen", en: "Change password" },
  currentPassword: { nl: "Huidig wachtwoord", en: "Current password" },
  passwordChanged: { nl: "Je wachtwoord is gewijzigd; je andere sessies zijn beëindigd.", en: "Your password is changed; your other sessions have ended." },
  sessions: { nl: "Waar je bent ingelogd", en: "Where you are signed in" },
  sessionsIntro: { nl: "Herken je een sessie niet? Beëindig hem en wijzig je wachtwoord.", en: "Don't recognise a session? End it and change your password." },
  browser: { nl: "Browser", en: "Browser" },
  address: { nl: "Adres", en: "Address" },
  signedInAt: { nl: "Ingelogd", en: "Signed in" },
  lastUsed: { nl: "Laatst gebruikt", en: "Last used" },
  thisSession: { nl: "Deze sessie", en: "This session" },
  end: { nl: "Beëindigen", en: "End" },
  signOutEverywhere: { nl: "Overal uitloggen", en: "Sign out everywhere" },
  unknownBrowser: { nl: "Onbekend", en: "Unknown" },
  firmSettings: { nl: "Kantoorgegevens", en: "Firm settings" },
  firmSettingsIntro: {
    nl: "Zo zien je klanten het kantoor: in het portaal en in elke mail. Laat een veld leeg om het te wissen.",
    en: "This is how your clients see the firm: in the portal and in every mail. Leave a field empty to clear it.",
  },
  firmDisplayName: { nl: "Naam voor klanten", en: "Name clients see" },
  brandColour: { nl: "Huiskleur", en: "Brand colour" },
  mailSenderName: { nl: "Afzender van mails", en: "Mail sender name" },
  replyTo: { nl: "Antwoorden naar", en: "Replies go to" },
  contactPhone: { nl: "Telefoon", en: "Phone" },
  contactEmail: { nl: "E-mail voor contact", en: "Contact email" },
  website: { nl: "Website", en: "Website" },
  saved: { nl: "Opgeslagen", en: "Saved" },
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
