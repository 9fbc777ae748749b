// Passkeys in the portal: adding and removing them on the Account page, signing in with one alone,
// and using one as the second step (@simplewebauthn/browser talks to the browser's WebAuthn).
import { useState } from "preact/hooks";
import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import {
  CompletePasskeySignInDocument,
  CompleteSignInDocument,
  FinishPasskeyRegistrationDocument,
  RemovePasskeyDocument,
  StartPasskeyRegistrationDocument,
  StartPasskeySignInDocument,
  type PasskeyFieldsFragment,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { Alert, useRefusal } from "./forms.js";
import { useI18n } from "./i18n.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

/** The browser's answer, or null when the person cancelled or the browser has no passkey for this site. */
async function askBrowser<T>(ask: () => Promise<T>): Promise<T | null> {
  try {
    return await ask();
  } catch {
    return null;
  }
}

/** The browser's signature over `options` (PublicKeyCredentialRequestOptionsJSON), or null when none was given. */
export async function signWithPasskey(options: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  const response = await askBrowser(() => startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON }));
  return response as unknown as Record<string, unknown> | null;
}

const PASSKEY_WORDS = { INVALID_CREDENTIALS: "passkeyRefused", EXPIRED: "signInExpired" } as const;

/** "Sign in with a passkey" on the sign-in page: no password. */
export function PasskeySignIn({ onToken }: { onToken: (token: string) => void }) {
  const { t } = useI18n();
  const refusal = useRefusal(PASSKEY_WORDS);
  const [error, setError] = useState<string | null>(null);
  const signIn = async () => {
    setError(null);
    const { startPasskeySignIn } = await api().request(StartPasskeySignInDocument);
    if (!startPasskeySignIn.token) return setError(refusal(startPasskeySignIn.userErrors[0]));
    const response = await askBrowser(() => startAuthentication({ optionsJSON: startPasskeySignIn.options as unknown as PublicKeyCredentialRequestOptionsJSON }));
    if (!response) return setError(t("passkeyCancelled"));
    const { completePasskeySignIn } = await api().request(CompletePasskeySignInDocument, {
      input: { token: startPasskeySignIn.token, response: response as unknown as Record<string, unknown> },
    });
    if (completePasskeySignIn.token) return onToken(completePasskeySignIn.token);
    setError(refusal(completePasskeySignIn.userErrors[0]));
  };
  return (
    <>
      <ActionButton class="secondary" onClick={() => signIn()} data-testid="passkey-sign-in">
        {t("signInWithPasskey")}
      </ActionButton>
      <Alert text={error} />
    </>
  );
}

/** The second step with a passkey instead of a code. */
export function PasskeySecondStep({ challenge, options, onToken }: { challenge: string; options: Record<string, unknown>; onToken: (token: string) => void }) {
  const { t } = useI18n();
  const refusal = useRefusal(PASSKEY_WORDS);
  const [error, setError] = useState<string | null>(null);
  const use = async () => {
    const response = await signWithPasskey(options);
    if (!response) return setError(t("passkeyCancelled"));
    const { completeSignIn } = await api().request(CompleteSignInDocument, { input: { challenge, passkey: response } });
    if (completeSignIn.token) return onToken(completeSignIn.token);
    setError(refusal(completeSignIn.userErrors[0]));
  };
  return (
    <>
      <ActionButton class="secondary" onClick={() => use()} data-testid="passkey-second-step">
        {t("usePasskey")}
      </ActionButton>
      <Alert text={error} />
    </>
  );
}

/** The Account page's passkeys: the list, adding one (named) and removing one. */
export function PasskeysCard({ passkeys, reload }: { passkeys: PasskeyFieldsFragment[]; reload: () => Promise<void> }) {
  const { t, language } = useI18n();
  const refusal = useRefusal();
  const [error, setError] = useState<string | null>(null);
  const when = (at: string | null) => (at ? new Date(at).toLocaleDateString(language === "nl" ? "nl-NL" : "en-GB", { dateStyle: "medium" }) : "—");

  const add = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get("name") ?? "").trim();
    setError(null);
    const { startPasskeyRegistration } = await api().request(StartPasskeyRegistrationDocument);
    if (!startPasskeyRegistration.token) return setError(refusal(startPasskeyRegistration.userErrors[0]));
    const response = await askBrowser(() => startRegistration({ optionsJSON: startPasskeyRegistration.options as unknown as PublicKeyCredentialCreationOptionsJSON }));
    if (!response) return setError(t("passkeyCancelled"));
    const { finishPasskeyRegistration } = await api().request(FinishPasskeyRegistrationDocument, {
      input: { token: startPasskeyRegistration.token, response: response as unknown as Record<string, unknown>, name },
    });
    if (finishPasskeyRegistration.userErrors.length) return setError(refusal(finishPasskeyRegistration.userErrors[0]));
    form.reset();
    await reload();
  };
  const remove = async (id: string) => {
    await api().request(RemovePasskeyDocument, { input: { passkeyId: id } });
    await reload();
  };
  return (
    <div class="card" data-testid="passkeys">
      <h2>{t("passkeys")}</h2>
      <p class="hint">{t("passkeysIntro")}</p>
      {passkeys.length > 0 && (
        <ul class="passkeys">
          {passkeys.map((p) => (
            <li key={p.id} data-testid="passkey">
              <strong>{p.name}</strong> — {t("addedOn")} {when(p.createdAt)}, {t("lastUsed").toLowerCase()} {when(p.lastUsedAt)}{" "}
              <ActionButton class="link" confirm={t("removePasskeyConfirm").replace("{name}", p.name)} onClick={() => remove(p.id)} data-testid="remove-passkey">
                {t("remove")}
              </ActionButton>
            </li>
          ))}
        </ul>
      )}
      <BusyForm onSubmit={add}>
        <label>
          {t("passkeyName")}
          <input name="name" maxLength={100} required placeholder={t("passkeyNameExample")} />
        </label>
        <Alert text={error} />
        <SubmitButton data-testid="add-passkey">{t("addPasskey")}</SubmitButton>
      </BusyForm>
    </div>
  );
}
