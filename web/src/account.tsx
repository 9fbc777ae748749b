// A person's account: taking up an invitation, a forgotten password (ask for a link, choose a new
// one), and, signed in, changing the password and reviewing and ending one's sessions.
import { useEffect, useState } from "preact/hooks";
import {
  AcceptInvitationDocument,
  ChangePasswordDocument,
  ConfirmEmailChangeDocument,
  RequestEmailChangeDocument,
  Language,
  RequestPasswordResetDocument,
  SignUpFirmDocument,
  ResetPasswordDocument,
  RevokeSessionDocument,
  SignOutEverywhereDocument,
  ViewerSessionsDocument,
  type SignInChallengeFieldsFragment,
  type ViewerQuery,
  type ViewerSessionsQuery,
} from "@portaldesk/sdk";
import { api, rememberToken } from "./api.js";
import { Alert, useRefusal } from "./forms.js";
import { formatMoment, useI18n, type WordKey } from "./i18n.js";
import { startSession } from "./sign-in.js";
import { SecondStep, TwoFactorCard } from "./two-factor.js";
import { PasskeysCard } from "./passkeys.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

type Sessions = NonNullable<ViewerSessionsQuery["viewer"]>["sessions"];

/** The token= parameter of the page's hash route (mail links carry it there). */
export function routeToken(): string {
  return new URLSearchParams(location.hash.split("?")[1] ?? "").get("token") ?? "";
}

/** Two password fields that must agree; returns the form's problem in the person's words, or null. */
function passwordsProblem(form: FormData, t: (key: WordKey) => string): string | null {
  return form.get("password") === form.get("repeat") ? null : t("passwordsDiffer");
}

function NewPasswordFields() {
  const { t } = useI18n();
  return (
    <>
      <label>
        {t("newPassword")}
        <input name="password" type="password" autocomplete="new-password" minLength={10} required />
      </label>
      <label>
        {t("repeatPassword")}
        <input name="repeat" type="password" autocomplete="new-password" minLength={10} required />
      </label>
      <p class="hint">{t("passwordHint")}</p>
    </>
  );
}

/** A one-step form before signing in: fields, a submit that answers done or a refusal, then what was done. */
function OneStepForm(props: {
  testid: string;
  title: string;
  done: string;
  submitLabel: string;
  submit: (form: FormData) => Promise<{ done: boolean; error: string | null }>;
  children: preact.ComponentChildren;
}) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const result = await props.submit(new FormData(event.currentTarget as HTMLFormElement));
    setError(result.error);
    setDone(result.done);
  };
  return (
    <BusyForm class="card sign-in" onSubmit={submit} aria-labelledby={`${props.testid}-title`} data-testid={props.testid}>
      <h1 id={`${props.testid}-title`}>{props.title}</h1>
      {done ? (
        <p role="status">{props.done}</p>
      ) : (
        <>
          {props.children}
          <Alert text={error} />
          <SubmitButton>{props.submitLabel}</SubmitButton>
        </>
      )}
      <a href="#/">{t("backToSignIn")}</a>
    </BusyForm>
  );
}

export function ForgotPassword() {
  const { t } = useI18n();
  const refusal = useRefusal();
  const submit = async (form: FormData) => {
    const { requestPasswordReset } = await api().request(RequestPasswordResetDocument, { input: { email: String(form.get("email")) } });
    return { done: requestPasswordReset.accepted, error: refusal(requestPasswordReset.userErrors[0]) };
  };
  return (
    <OneStepForm testid="forgot-password" title={t("forgotPassword")} done={t("resetMailSent")} submitLabel={t("sendResetLink")} submit={submit}>
      <p>{t("forgotIntro")}</p>
      <label>
        {t("email")}
        <input name="email" type="email" autocomplete="username" required />
      </label>
    </OneStepForm>
  );
}

/** Starting a firm (where the server is open for sign-up): the admin's invitation comes by mail. */
export function SignUpFirm() {
  const { t, language } = useI18n();
  const refusal = useRefusal();
  const submit = async (form: FormData) => {
    const { signUpFirm } = await api().request(SignUpFirmDocument, {
      input: {
        name: String(form.get("firm")),
        adminName: String(form.get("name")),
        adminEmail: String(form.get("email")),
        adminLanguage: language === "nl" ? Language.Nl : Language.En,
      },
    });
    return { done: signUpFirm.accepted, error: refusal(signUpFirm.userErrors[0]) };
  };
  return (
    <OneStepForm testid="sign-up" title={t("signUpTitle")} done={t("signUpDone")} submitLabel={t("signUpSubmit")} submit={submit}>
      <p>{t("signUpIntro")}</p>
      <label>
        {t("firmName")}
        <input name="firm" autocomplete="organization" maxLength={200} required />
      </label>
      <label>
        {t("fullName")}
        <input name="name" autocomplete="name" maxLength={200} required />
      </label>
      <label>
        {t("email")}
        <input name="email" type="email" autocomplete="email" required />
      </label>
    </OneStepForm>
  );
}

export function ResetPassword() {
  const { t } = useI18n();
  const refusal = useRefusal();
  const submit = async (form: FormData) => {
    const mismatch = passwordsProblem(form, t);
    if (mismatch) return { done: false, error: mismatch };
    const { resetPassword } = await api().request(ResetPasswordDocument, { input: { token: routeToken(), password: String(form.get("password")) } });
    return { done: resetPassword.changed, error: refusal(resetPassword.userErrors[0]) };
  };
  return (
    <OneStepForm testid="reset-password" title={t("chooseNewPassword")} done={t("passwordResetDone")} submitLabel={t("save")} submit={submit}>
      <NewPasswordFields />
    </OneStepForm>
  );
}

export function AcceptInvitation({ onSignedIn }: { onSignedIn: (viewer: ViewerQuery["viewer"]) => void }) {
  const { t } = useI18n();
  const refusal = useRefusal();
  const [error, setError] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<SignInChallengeFieldsFragment | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const mismatch = passwordsProblem(form, t);
    if (mismatch) return setError(mismatch);
    const name = String(form.get("name") ?? "").trim();
    const { acceptInvitation } = await api().request(AcceptInvitationDocument, { input: { token: routeToken(), password: String(form.get("password")), name: name || null } });
    if (acceptInvitation.challenge) return setChallenge(acceptInvitation.challenge);
    if (!acceptInvitation.token) return setError(refusal(acceptInvitation.userErrors[0]));
    await signedIn(acceptInvitation.token);
  };
  const signedIn = async (token: string) => {
    location.hash = "#/";
    await startSession(token, onSignedIn);
  };
  // The firm requires a second factor: it is set up before the first session.
  if (challenge) return <SecondStep challenge={challenge} onToken={(token) => void signedIn(token)} onRestart={() => (location.hash = "#/")} />;
  return (
    <BusyForm class="card sign-in" onSubmit={submit} aria-labelledby="invitation-title" data-testid="accept-invitation">
      <h1 id="invitation-title">{t("welcome")}</h1>
      <p>{t("invitationIntro")}</p>
      <label>
        {t("yourName")}
        <input name="name" autocomplete="name" />
      </label>
      <NewPasswordFields />
      <Alert text={error} />
      <SubmitButton>{t("acceptInvitation")}</SubmitButton>
    </BusyForm>
  );
}

/** "Firefox on Linux"-like words for a User-Agent, or the header itself. */
function browserOf(userAgent: string | null, t: (key: WordKey) => string): string {
  if (!userAgent) return t("unknownBrowser");
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrome\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const system = /Windows/.test(userAgent)
    ? "Windows"
    : /Android/.test(userAgent)
      ? "Android"
      : /iPhone|iPad/.test(userAgent)
        ? "iOS"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return browser ? `${browser}${system ? ` · ${system}` : ""}` : userAgent.slice(0, 60);
}

/** Confirming a new email address from the link mailed to it. */
export function ConfirmEmail({ onConfirmed }: { onConfirmed: () => void }) {
  const { t } = useI18n();
  const refusal = useRefusal({ ALREADY_EXISTS: "emailTaken" });
  const [result, setResult] = useState<{ email: string | null; error: string | null } | null>(null);
  useEffect(() => {
    void api()
      .request(ConfirmEmailChangeDocument, { input: { token: routeToken() } })
      .then(({ confirmEmailChange }) => {
        setResult({ email: confirmEmailChange.email, error: refusal(confirmEmailChange.userErrors[0]) });
        if (confirmEmailChange.email) onConfirmed();
      });
  }, []);
  return (
    <div class="card sign-in" data-testid="confirm-email">
      <h1>{t("emailAddress")}</h1>
      {result?.email && <p role="status">{t("emailChanged").replace("{email}", result.email)}</p>}
      <Alert text={result?.error ?? null} />
      <a href="#/">{t("continue")}</a>
    </div>
  );
}

/** Using another email address: confirmed from a link mailed to it. */
function EmailCard({ email }: { email: string }) {
  const { t } = useI18n();
  const refusal = useRefusal();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const newEmail = String(data.get("newEmail"));
    const { requestEmailChange } = await api().request(RequestEmailChangeDocument, { input: { newEmail, password: String(data.get("password")) } });
    setError(refusal(requestEmailChange.userErrors[0]));
    if (requestEmailChange.accepted) {
      setSentTo(newEmail);
      form.reset();
    }
  };
  return (
    <BusyForm class="card" onSubmit={submit} data-testid="email-change" aria-labelledby="email-title">
      <h2 id="email-title">{t("emailAddress")}</h2>
      <p>
        {t("currentEmail")} <strong data-testid="current-email">{email}</strong>
      </p>
      <label>
        {t("newEmail")}
        <input name="newEmail" type="email" autocomplete="email" required />
      </label>
      <label>
        {t("currentPassword")}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <Alert text={error} />
      {sentTo && <p role="status">{t("emailLinkSent").replace("{email}", sentTo)}</p>}
      <SubmitButton>{t("changeEmail")}</SubmitButton>
    </BusyForm>
  );
}

export function AccountPage({ email, onSignedOut }: { email: string; onSignedOut: () => void }) {
  const { t, language } = useI18n();
  const refusal = useRefusal();
  // One request for the page's cards: sessions, second factor and passkeys; each card reloads it after a change.
  const [account, setAccount] = useState<ViewerSessionsQuery["viewer"] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async () => setAccount((await api().request(ViewerSessionsDocument)).viewer);
  useEffect(() => void load(), []);
  const sessions: Sessions = account?.sessions ?? [];
  const when = (at: string | null) => (at ? formatMoment(language, at) : "—");

  const change = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    setMessage(null);
    const mismatch = passwordsProblem(form, t);
    if (mismatch) return setError(mismatch);
    const { changePassword } = await api().request(ChangePasswordDocument, {
      input: { currentPassword: String(form.get("current")), newPassword: String(form.get("password")) },
    });
    setError(refusal(changePassword.userErrors[0]));
    if (changePassword.changed) {
      formElement.reset();
      setMessage(t("passwordChanged"));
      await load();
    }
  };
  const end = async (id: string) => {
    await api().request(RevokeSessionDocument, { input: { sessionId: id } });
    await load();
  };
  const everywhere = async () => {
    await api().request(SignOutEverywhereDocument);
    rememberToken(null);
    onSignedOut();
  };

  return (
    <section class="account" aria-labelledby="account-title">
      <h1 id="account-title">{t("account")}</h1>
      <p>
        <a href="#/settings/notifications" data-testid="notification-settings-link">
          {t("notificationSettings")}
        </a>
      </p>
      <BusyForm class="card" onSubmit={change} data-testid="change-password" aria-labelledby="change-title">
        <h2 id="change-title">{t("changePassword")}</h2>
        <label>
          {t("currentPassword")}
          <input name="current" type="password" autocomplete="current-password" required />
        </label>
        <NewPasswordFields />
        <Alert text={error} />
        {message && <p role="status">{message}</p>}
        <SubmitButton>{t("changePassword")}</SubmitButton>
      </BusyForm>
      <EmailCard email={email} />
      {account?.twoFactor && <TwoFactorCard status={account.twoFactor} reload={load} />}
      {account && <PasskeysCard passkeys={account.passkeys} reload={load} />}
      <div class="card" data-testid="sessions">
        <h2>{t("sessions")}</h2>
        <p class="hint">{t("sessionsIntro")}</p>
        <table>
          <thead>
            <tr>
              <th>{t("browser")}</th>
              <th>{t("address")}</th>
              <th>{t("signedInAt")}</th>
              <th>{t("lastUsed")}</th>
              <th>
                <span class="sr-only">{t("end")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-testid="session">
                <td>{browserOf(s.userAgent, t)}</td>
                <td>{s.address ?? "—"}</td>
                <td>{when(s.createdAt)}</td>
                <td>{when(s.lastUsedAt)}</td>
                <td>
                  {s.current ? (
                    <strong>{t("thisSession")}</strong>
                  ) : (
                    <ActionButton class="link" confirm={t("endSessionConfirm").replace("{browser}", browserOf(s.userAgent, t))} onClick={() => end(s.id)} data-testid="end-session">
                      {t("end")}
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ActionButton confirm={t("signOutEverywhereConfirm")} onClick={() => everywhere()} data-testid="sign-out-everywhere">
          {t("signOutEverywhere")}
        </ActionButton>
      </div>
    </section>
  );
}
