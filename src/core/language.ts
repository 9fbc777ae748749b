// The two languages PortalDesk speaks, and which one a request is answered in.
import Negotiator from "negotiator";

export type Language = "nl" | "en";

/** A sentence for a person, in both languages: each is written, neither is a machine translation. */
export interface Localized {
  en: string;
  nl: string;
}

/**
 * The language a request asked for by name in Accept-Language (q order; "nl-NL" counts as nl), or
 * null when it names neither ("*", "de", none): then the person's own setting decides.
 */
export function requestedLanguage(acceptLanguage: string | null | undefined): Language | null {
  if (!acceptLanguage) return null;
  for (const tag of new Negotiator({ headers: { "accept-language": acceptLanguage } }).languages()) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "nl" || primary === "en") return primary;
  }
  return null;
}

/**
 * The request's language: what it named (the portal sends the language on its screen, so the
 * server's sentences match it), else the signed-in person's setting, else English (API tokens).
 */
export function answerLanguage(acceptLanguage: string | null | undefined, setting: "NL" | "EN" | null): Language {
  return requestedLanguage(acceptLanguage) ?? (setting === "NL" ? "nl" : "en");
}
