// Pieces the portal's forms share: a refusal in the person's words, and the alert that shows it.
import { useI18n, type WordKey } from "./i18n.js";

export type UserError = { code: string; message: string };

/**
 * What to show for a refusal: our own words for the codes a person meets on this form (`words`
 * overrides the defaults), else the server's text.
 */
export function useRefusal(words: Partial<Record<string, WordKey>> = {}): (error: UserError | undefined) => string | null {
  const { t } = useI18n();
  const known: Partial<Record<string, WordKey>> = { EXPIRED: "linkExpired", TOO_MANY_ATTEMPTS: "tooManyAttempts", INVALID_CREDENTIALS: "wrongCurrentPassword", ...words };
  return (error) => {
    if (!error) return null;
    const word = known[error.code];
    return word ? t(word) : error.message;
  };
}

export function Alert({ text }: { text: string | null }) {
  return text ? (
    <p role="alert" class="error">
      {text}
    </p>
  ) : null;
}
