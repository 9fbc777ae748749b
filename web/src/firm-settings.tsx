// The firm admin's page for what the firm shows its clients: its name and colour in the portal,
// the sender and reply-to of its mails, its contact details, and whether it requires two-step sign-in.
import { useState } from "preact/hooks";
import { RemoveFirmLogoDocument, SetFirmLogoDocument, UpdateFirmSettingsDocument, type ViewerQuery } from "@portaldesk/sdk";
import { api } from "./api.js";
import { ApiTokensPanel } from "./api-tokens.js";
import { WebhooksPanel } from "./webhooks.js";
import { Alert } from "./forms.js";
import { useI18n, type WordKey } from "./i18n.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

type Firm = NonNullable<ViewerQuery["viewer"]>["firm"];

const FIELDS: Array<{ name: keyof Firm & string; label: WordKey; type?: string; autocomplete?: string }> = [
  { name: "displayName", label: "firmDisplayName" },
  { name: "brandColour", label: "brandColour", type: "color" },
  { name: "mailSenderName", label: "mailSenderName" },
  { name: "replyTo", label: "replyTo", type: "email" },
  { name: "contactPhone", label: "contactPhone", type: "tel" },
  { name: "contactEmail", label: "contactEmail", type: "email" },
  { name: "website", label: "website" },
];

export function FirmSettingsPage({ firm, onSaved }: { firm: Firm; onSaved: () => void }) {
  const { t } = useI18n();
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [logoError, setLogoError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const input = {
      ...Object.fromEntries(FIELDS.map(({ name }) => [name, String(form.get(name) ?? "")])),
      requireTwoFactorForStaff: form.get("requireTwoFactorForStaff") === "on",
      requireTwoFactorForClients: form.get("requireTwoFactorForClients") === "on",
    };
    const { updateFirmSettings } = await api().request(UpdateFirmSettingsDocument, { input });
    setErrors(updateFirmSettings.userErrors.map((e) => e.message));
    setSaved(updateFirmSettings.userErrors.length === 0);
    if (updateFirmSettings.userErrors.length === 0) onSaved();
  };
  const logo = async (file: File | null) => {
    const payload = file ? (await api().request(SetFirmLogoDocument, { input: { logo: file } })).setFirmLogo : (await api().request(RemoveFirmLogoDocument)).removeFirmLogo;
    setLogoError(payload.userErrors[0]?.message ?? null);
    if (payload.userErrors.length === 0) onSaved();
  };
  return (
    <section class="account" aria-labelledby="firm-title">
      <h1 id="firm-title">{t("firmSettings")}</h1>
      <div class="card" data-testid="firm-logo">
        <h2>{t("logo")}</h2>
        {firm.logoUrl ? <img class="logo-preview" src={firm.logoUrl} alt={t("logo")} data-testid="logo-preview" /> : <p class="hint">{t("noLogo")}</p>}
        <label>
          {t("chooseLogo")}
          <input
            type="file"
            name="logo"
            accept="image/png,image/svg+xml"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              void logo(input.files?.[0] ?? null).then(() => (input.value = ""));
            }}
            data-testid="logo-input"
          />
        </label>
        <p class="hint">{t("logoHint")}</p>
        <Alert text={logoError} />
        {firm.logoUrl && (
          <ActionButton class="secondary" confirm={t("removeLogoConfirm")} onClick={() => logo(null)} data-testid="remove-logo">
            {t("removeLogo")}
          </ActionButton>
        )}
      </div>
      <BusyForm class="card" onSubmit={submit} data-testid="firm-settings">
        <p class="hint">{t("firmSettingsIntro")}</p>
        {FIELDS.map(({ name, label, type }) => (
          <label key={name}>
            {t(label)}
            <input name={name} type={type ?? "text"} defaultValue={(firm[name] as string | null) ?? (type === "color" ? "#1f5fbf" : "")} />
          </label>
        ))}
        <fieldset>
          <legend>{t("twoStepSignIn")}</legend>
          <label class="check">
            <input type="checkbox" name="requireTwoFactorForStaff" defaultChecked={firm.requireTwoFactorForStaff} />
            {t("requireTwoStepStaff")}
          </label>
          <label class="check">
            <input type="checkbox" name="requireTwoFactorForClients" defaultChecked={firm.requireTwoFactorForClients} />
            {t("requireTwoStepClients")}
          </label>
          <p class="hint">{t("requireTwoStepHint")}</p>
        </fieldset>
        {errors.length > 0 && (
          <div role="alert">
            <ul class="error">
              {errors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          </div>
        )}
        {saved && <p role="status">{t("saved")}</p>}
        <SubmitButton>{t("save")}</SubmitButton>
      </BusyForm>
      <ApiTokensPanel />
      <WebhooksPanel />
    </section>
  );
}
