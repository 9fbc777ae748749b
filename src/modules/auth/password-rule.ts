// The password rule: at least 10 characters, at most 256, and not easy to guess. Guessability is
// zxcvbn-ts's estimate with its dictionaries shipped in the package (common and breached passwords,
// English and Dutch words and names, keyboard patterns), plus what the person's own email and name
// give away; a score below 3 ("safely unguessable" against an online attack) is refused.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import * as dutch from "@zxcvbn-ts/language-nl-be";
import { UserError, UserErrorCode } from "../../core/errors.js";
import type { Localized } from "../../core/language.js";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | null = null;

type Warning = keyof typeof english.translations.warnings;
type Suggestion = keyof typeof english.translations.suggestions;

// zxcvbn-ts's feedback in Dutch, addressing the person with "u" (its own nl-be wording says "je"),
// as fragments after a colon. The English is the package's own (english.translations).
const DUTCH_WARNINGS: Record<Warning, string> = {
  straightRow: "rechte rijen toetsen op uw toetsenbord zijn makkelijk te raden",
  keyPattern: "korte toetsenbordpatronen zijn makkelijk te raden",
  simpleRepeat: 'herhaalde tekens zoals "aaa" zijn makkelijk te raden',
  extendedRepeat: 'herhaalde tekenpatronen zoals "abcabcabc" zijn makkelijk te raden',
  sequences: 'veelvoorkomende tekenreeksen zoals "abc" zijn makkelijk te raden',
  recentYears: "recente jaartallen zijn makkelijk te raden",
  dates: "datums zijn makkelijk te raden",
  topTen: "dit is een zeer veel gebruikt wachtwoord",
  topHundred: "dit is een vaak gebruikt wachtwoord",
  common: "dit is een veelgebruikt wachtwoord",
  similarToCommon: "dit lijkt op een veelgebruikt wachtwoord",
  wordByItself: "losse woorden zijn makkelijk te raden",
  namesByThemselves: "losse voor- of achternamen zijn makkelijk te raden",
  commonNames: "veelvoorkomende voor- en achternamen zijn makkelijk te raden",
  userInputs: "er horen geen persoonlijke gegevens of gegevens van deze site in te staan",
  pwned: "uw wachtwoord is bij een datalek op internet uitgelekt",
};
const DUTCH_SUGGESTIONS: Record<Suggestion, string> = {
  l33t: "vermijd voorspelbare vervangingen van letters, zoals '@' voor 'a'",
  reverseWords: "vermijd gangbare woorden die achterstevoren zijn gespeld",
  allUppercase: "maak sommige letters hoofdletters, maar niet alle",
  capitalization: "maak meer letters hoofdletters dan alleen de eerste",
  dates: "vermijd datums en jaartallen die met u te maken hebben",
  recentYears: "vermijd recente jaartallen",
  associatedYears: "vermijd jaartallen die met u te maken hebben",
  sequences: "vermijd veelvoorkomende tekenreeksen",
  repeated: "vermijd herhaalde woorden en tekens",
  longerKeyboardPattern: "gebruik langere toetsenbordpatronen en verander meermaals van richting",
  anotherWord: "voeg meer woorden toe die minder gangbaar zijn",
  useWords: "gebruik meerdere woorden, maar vermijd bekende uitdrukkingen",
  noNeed: "u kunt een sterk wachtwoord maken zonder symbolen, cijfers of hoofdletters",
  pwned: "gebruikt u dit wachtwoord ook elders, wijzig het daar dan",
};

/**
 * Built on first use: the dictionaries take a moment and some memory to index. Without translations
 * its feedback is keys (e.g. "wordByItself"), worded in both languages by `feedbackText`.
 */
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary, ...dutch.dictionary },
  });
  return estimator;
}

/** The words a guesser tries first for this person: their address, name and firm. */
export function personalWords(person: { email: string; name: string }, firmName = ""): string[] {
  return [person.email, person.name, firmName];
}

/** A feedback key of zxcvbn-ts, worded: the English without its final full stop, the Dutch fragment. */
function feedbackText(key: string, kind: "warning" | "suggestion"): Localized {
  const [enText, nlText]: [string | undefined, string | undefined] =
    kind === "warning"
      ? [english.translations.warnings[key as Warning], DUTCH_WARNINGS[key as Warning]]
      : [english.translations.suggestions[key as Suggestion], DUTCH_SUGGESTIONS[key as Suggestion]];
  const en = (enText ?? key).replace(/\.$/, "");
  return { en, nl: nlText ?? en };
}

/** Why `value` is not an acceptable password, or null. `personal`: the person's email, name, firm — words a guesser would try first. */
export function passwordProblem(value: string, field: string[], personal: string[] = []): UserError | null {
  if (value.length < PASSWORD_MIN_LENGTH) {
    return new UserError(
      UserErrorCode.INVALID,
      { en: `The password needs at least ${PASSWORD_MIN_LENGTH} characters`, nl: `Het wachtwoord moet ten minste ${PASSWORD_MIN_LENGTH} tekens lang zijn` },
      field,
    );
  }
  if (value.length > PASSWORD_MAX_LENGTH)
    return new UserError(
      UserErrorCode.INVALID,
      { en: `The password is longer than ${PASSWORD_MAX_LENGTH} characters`, nl: `Het wachtwoord is langer dan ${PASSWORD_MAX_LENGTH} tekens` },
      field,
    );
  // Each whole (an email address as typed) and its words (its name, its domain).
  const words = personal.flatMap((text) => [text.toLowerCase(), ...text.toLowerCase().split(/[^\p{L}\p{N}]+/u)]).filter((word) => word.length >= 3);
  const result = strength().check(value, words);
  if (result.score >= MIN_SCORE) return null;
  const warning = result.feedback.warning;
  const suggestion = result.feedback.suggestions[0];
  const why = warning ? feedbackText(warning, "warning") : suggestion ? feedbackText(suggestion, "suggestion") : null;
  return new UserError(
    UserErrorCode.INVALID,
    {
      en: `This password is too easy to guess${why ? `: ${why.en}` : ""}. Use a few unrelated words, or a password manager`,
      nl: `Dit wachtwoord is te makkelijk te raden${why ? `: ${why.nl}` : ""}. Gebruik een paar woorden die niets met elkaar te maken hebben, of een wachtwoordmanager`,
    },
    field,
  );
}
