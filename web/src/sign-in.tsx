import { useEffect, useState } from "preact/hooks";
import { SignInDocument, SignUpOpenDocument, ViewerDocument, type SignInChallengeFieldsFragment, type ViewerQuery } from "@portaldesk/sdk";
import { api, rememberToken } from "./api.js";
import { useI18n } from "./i18n.js";
import { SecondStep } from "./two-factor.js";
import { PasskeySignIn } from "./passkeys.js";
import { BusyForm, SubmitButton } from "./busy.js";

/** Keeps the new session's token and tells the app who signed in. */
export async function startSession(token: string, onSignedIn: (viewer: ViewerQuery["viewer"]) => void): Promise<void> {
  rememberToken(token);
  onSignedIn((await api().request(ViewerDocument)).viewer);
}

export function SignIn({ onSignedIn }: { onSignedIn: (viewer: ViewerQuery["viewer"]) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<SignInChallengeFieldsFragment | null>(null);
  const [signUpOpen, setSignUpOpen] = useState(false);
  useEffect(() => {
    void api()
      .request(SignUpOpenDocument)
      .then((r) => setSignUpOpen(r.signUpOpen))
      .catch(() => undefined);
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setError(null);
    try {
      const { signIn } = await api().request(SignInDocument, { input: { email: String(form.get("email")), password: String(form.get("password")) } });
      if (signIn.challenge) return setChallenge(signIn.challenge);
      if (!signIn.token) return setError(signIn.userErrors[0]?.message ?? t("signInFailed"));
      await startSession(signIn.token, onSignedIn);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (challenge) return <SecondStep challenge={challenge} onToken={(token) => void startSession(token, onSignedIn)} onRestart={() => setChallenge(null)} />;
  return (
    <BusyForm class="card sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t("signIn")}</h1>
      <label>
        {t("email")}
        <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        {t("password")}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <SubmitButton>{t("signIn")}</SubmitButton>
      <PasskeySignIn onToken={(token) => void startSession(token, onSignedIn)} />
      <a href="#/forgot-password" data-testid="forgot-link">
        {t("forgotPassword")}
      </a>
      {signUpOpen && (
        <a href="#/sign-up" data-testid="sign-up-link">
          {t("signUpLink")}
        </a>
      )}
    </BusyForm>
  );
}
