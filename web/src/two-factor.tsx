// Two-step sign-in in the portal: the code step after the password, setting up an authenticator
// app (QR code, the secret to type, a code to confirm), the recovery codes to save, and the Account
// page's card to turn it on or off and get new recovery codes.
import { useEffect, useState } from "preact/hooks";
import {
  CompleteSignInDocument,
  ConfirmTotpEnrolmentDocument,
  DisableTwoFactorDocument,
  RegenerateRecoveryCodesDocument,
  StartTotpEnrolmentDocument,
  type SignInChallengeFieldsFragment,
  type TwoFactorStatusFieldsFragment,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { Alert, useRefusal } from "./forms.js";
import { useI18n } from "./i18n.js";
import { PasskeySecondStep } from "./passkeys.js";
import { BusyForm, SubmitButton } from "./busy.js";

/** A wrong code and a spent sign-in, in the person's words. */
const CODE_WORDS = { INVALID_CREDENTIALS: "wrongCode", EXPIRED: "signInExpired" } as const;

function CodeField({ name = "code", recovery = false }: { name?: string; recovery?: boolean }) {
  const { t } = useI18n();
  return (
    <label>
      {recovery ? t("codeOrRecoveryCode") : t("authenticatorCode")}
      <input
        name={name}
        autocomplete="one-time-code"
        inputMode={recovery ? "text" : "numeric"}
        pattern={recovery ? undefined : "[0-9 ]{6,7}"}
        maxLength={recovery ? 11 : 7}
        required
        data-testid="code"
      />
    </label>
  );
}

/** The second step of a sign-in (or of accepting an invitation): a code, or setting up the app the firm requires. */
export function SecondStep({ challenge, onToken, onRestart }: { challenge: SignInChallengeFieldsFragment; onToken: (token: string) => void; onRestart: () => void }) {
  const { t } = useI18n();
  const refusal = useRefusal(CODE_WORDS);
  const [error, setError] = useState<string | null>(null);
  if (challenge.enrolmentRequired) {
    return (
      <div class="card sign-in" data-testid="enrolment-required">
        <h1>{t("setUpTwoStep")}</h1>
        <p>{t("firmRequiresTwoStep")}</p>
        <TotpSetup challenge={challenge.token} onDone={(token) => token && onToken(token)} />
        <button type="button" class="link" onClick={onRestart}>
          {t("backToSignIn")}
        </button>
      </div>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget as HTMLFormElement).get("code"));
    const { completeSignIn } = await api().request(CompleteSignInDocument, { input: { challenge: challenge.token, code } });
    if (completeSignIn.token) return onToken(completeSignIn.token);
    setError(refusal(completeSignIn.userErrors[0]));
  };
  return (
    <BusyForm class="card sign-in" onSubmit={submit} aria-labelledby="second-step-title" data-testid="second-step">
      <h1 id="second-step-title">{t("twoStepSignIn")}</h1>
      {challenge.methods.includes("PASSKEY") && challenge.passkeyOptions && <PasskeySecondStep challenge={challenge.token} options={challenge.passkeyOptions} onToken={onToken} />}
      {challenge.methods.includes("TOTP") && (
        <>
          <p>{t("enterCodeIntro")}</p>
          <CodeField recovery />
          <Alert text={error} />
          <SubmitButton>{t("signIn")}</SubmitButton>
        </>
      )}
      <button type="button" class="link" onClick={onRestart}>
        {t("backToSignIn")}
      </button>
    </BusyForm>
  );
}

/** The ten recovery codes, shown once: saved (downloaded or written down) before going on. */
function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState(false);
  const file = `data:text/plain;charset=utf-8,${encodeURIComponent(`${t("recoveryCodes")}\n\n${codes.join("\n")}\n`)}`;
  return (
    <div data-testid="recovery-codes">
      <h2>{t("recoveryCodes")}</h2>
      <p>{t("recoveryCodesIntro")}</p>
      <ol class="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a href={file} download="portaldesk-recovery-codes.txt">
          {t("downloadCodes")}
        </a>
      </p>
      <label class="check">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved((e.currentTarget as HTMLInputElement).checked)} data-testid="codes-saved" />
        {t("codesSaved")}
      </label>
      <button type="button" disabled={!saved} onClick={onContinue} data-testid="codes-continue">
        {t("continue")}
      </button>
    </div>
  );
}

/** Setting up an authenticator app: signed in (no challenge) or as a sign-in's enrolment step. */
export function TotpSetup({ challenge = null, onDone }: { challenge?: string | null; onDone: (token: string | null) => void }) {
  const { t } = useI18n();
  const refusal = useRefusal(CODE_WORDS);
  const [setup, setSetup] = useState<{ secret: string; qrCodeSvg: string } | null>(null);
  const [done, setDone] = useState<{ codes: string[]; token: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api()
      .request(StartTotpEnrolmentDocument, { input: { challenge } })
      .then(({ startTotpEnrolment }) => {
        if (startTotpEnrolment.secret && startTotpEnrolment.qrCodeSvg) setSetup({ secret: startTotpEnrolment.secret, qrCodeSvg: startTotpEnrolment.qrCodeSvg });
        else setError(refusal(startTotpEnrolment.userErrors[0]));
      });
  }, [challenge]);
  if (done) return <RecoveryCodes codes={done.codes} onContinue={() => onDone(done.token)} />;
  const confirm = async (event: Event) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget as HTMLFormElement).get("code"));
    const { confirmTotpEnrolment } = await api().request(ConfirmTotpEnrolmentDocument, { input: { code, challenge } });
    if (confirmTotpEnrolment.recoveryCodes) return setDone({ codes: confirmTotpEnrolment.recoveryCodes, token: confirmTotpEnrolment.token });
    setError(refusal(confirmTotpEnrolment.userErrors[0]));
  };
  return (
    <BusyForm onSubmit={confirm} data-testid="totp-setup">
      <ol class="steps">
        <li>{t("installApp")}</li>
        <li>
          {t("scanQr")}
          {setup && (
            <>
              {/* An image, not inline markup: the SVG cannot run anything in the page. */}
              <img class="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`} alt={t("qrAlt")} width={200} height={200} />
              <p class="hint">
                {t("orTypeSecret")} <code data-testid="totp-secret">{setup.secret.replace(/(.{4})/g, "$1 ").trim()}</code>
              </p>
            </>
          )}
        </li>
        <li>
          {t("enterCodeFromApp")}
          <CodeField />
        </li>
      </ol>
      <Alert text={error} />
      <SubmitButton disabled={!setup}>{t("turnOn")}</SubmitButton>
    </BusyForm>
  );
}

/** The Account page's card: whether two-step sign-in is on, and turning it on or off. */
export function TwoFactorCard({ status, reload }: { status: TwoFactorStatusFieldsFragment; reload: () => Promise<void> }) {
  const { t, language } = useI18n();
  const refusal = useRefusal(CODE_WORDS);
  const passwordRefusal = useRefusal();
  const [mode, setMode] = useState<"view" | "setup" | "off" | "codes">("view");
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const back = async () => {
    setMode("view");
    setCodes(null);
    setError(null);
    await reload();
  };
  const turnOff = async (event: Event) => {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget as HTMLFormElement).get("password"));
    const { disableTwoFactor } = await api().request(DisableTwoFactorDocument, { input: { password } });
    if (disableTwoFactor.userErrors.length) return setError(passwordRefusal(disableTwoFactor.userErrors[0]));
    await back();
  };
  const newCodes = async (event: Event) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget as HTMLFormElement).get("code"));
    const { regenerateRecoveryCodes } = await api().request(RegenerateRecoveryCodesDocument, { input: { code } });
    if (regenerateRecoveryCodes.recoveryCodes) return setCodes(regenerateRecoveryCodes.recoveryCodes);
    setError(refusal(regenerateRecoveryCodes.userErrors[0]));
  };
  const since = status.enabledAt ? new Date(status.enabledAt).toLocaleDateString(language === "nl" ? "nl-NL" : "en-GB", { dateStyle: "medium" }) : "";
  return (
    <div class="card" data-testid="two-factor">
      <h2>{t("twoStepSignIn")}</h2>
      {mode === "setup" ? (
        <TotpSetup onDone={() => void back()} />
      ) : codes ? (
        <RecoveryCodes codes={codes} onContinue={() => void back()} />
      ) : (
        <>
          <p role="status" data-testid="two-factor-status">
            {status.enabled ? t("twoStepOn").replace("{since}", since).replace("{left}", String(status.recoveryCodesLeft)) : t("twoStepOff")}
            {status.required ? ` ${t("twoStepRequired")}` : ""}
          </p>
          {!status.enabled && (
            <button type="button" onClick={() => setMode("setup")} data-testid="two-factor-set-up">
              {t("setUpTwoStep")}
            </button>
          )}
          {status.enabled && mode === "codes" && (
            <BusyForm onSubmit={newCodes}>
              <CodeField />
              <Alert text={error} />
              <SubmitButton>{t("newRecoveryCodes")}</SubmitButton>
            </BusyForm>
          )}
          {status.enabled && mode === "off" && (
            <BusyForm onSubmit={turnOff}>
              <label>
                {t("currentPassword")}
                <input name="password" type="password" autocomplete="current-password" required />
              </label>
              <Alert text={error} />
              <SubmitButton>{t("turnOff")}</SubmitButton>
            </BusyForm>
          )}
          {status.enabled && mode === "view" && (
            <p class="actions">
              <button type="button" onClick={() => setMode("codes")}>
                {t("newRecoveryCodes")}
              </button>
              {!status.required && (
                <button type="button" class="secondary" onClick={() => setMode("off")}>
                  {t("turnOff")}
                </button>
              )}
            </p>
          )}
        </>
      )}
    </div>
  );
}
