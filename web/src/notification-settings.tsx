// How each kind of notification reaches the person by mail: at once, in the daily digest, or not
// (it is always in the portal). Every mail's footer links here (#/settings/notifications).
import { useEffect, useState } from "preact/hooks";
import { NotificationDelivery, NotificationPreferencesDocument, UpdateNotificationPreferencesDocument, type NotificationPreferencesQuery } from "@portaldesk/sdk";
import { api } from "./api.js";
import { BusyForm, SubmitButton } from "./busy.js";
import { Alert, useRefusal } from "./forms.js";
import { hasWord, useI18n } from "./i18n.js";

type Preference = NotificationPreferencesQuery["notificationPreferences"][number];

const DELIVERIES = [NotificationDelivery.Immediate, NotificationDelivery.DailyDigest, NotificationDelivery.Off];

export function NotificationSettings() {
  const { t } = useI18n();
  const refusal = useRefusal();
  const [preferences, setPreferences] = useState<Preference[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api()
      .request(NotificationPreferencesDocument)
      .then((r) => setPreferences(r.notificationPreferences));
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setSaved(false);
    // Only what changed: an untouched default stays a default (and follows a later change of it).
    const changed = (preferences ?? []).filter((p) => form.get(p.kind) !== p.delivery).map((p) => ({ kind: p.kind, delivery: form.get(p.kind) as NotificationDelivery }));
    if (changed.length === 0) return setSaved(true);
    const { updateNotificationPreferences } = await api().request(UpdateNotificationPreferencesDocument, { input: { preferences: changed } });
    setError(refusal(updateNotificationPreferences.userErrors[0]));
    if (updateNotificationPreferences.preferences) {
      setPreferences(updateNotificationPreferences.preferences);
      setSaved(true);
    }
  };

  return (
    <section class="account" aria-labelledby="notification-settings-title">
      <h1 id="notification-settings-title">{t("notificationSettings")}</h1>
      <p class="hint">{t("notificationSettingsIntro")}</p>
      {preferences && (
        <BusyForm class="card stack preferences" onSubmit={save} data-testid="notification-settings" onChange={() => setSaved(false)}>
          {preferences.map((p) => {
            const kind = `notifyKind${p.kind}`;
            return (
              <label key={p.kind} class="preference" data-kind={p.kind}>
                <span>{t(hasWord(kind) ? kind : "notifyKindOther")}</span>
                <select name={p.kind} value={p.delivery}>
                  {DELIVERIES.map((d) => (
                    <option key={d} value={d}>
                      {t(`delivery${d}`)}
                    </option>
                  ))}
                </select>
              </label>
            );
          })}
          <Alert text={error} />
          {saved && <p role="status">{t("notificationSettingsSaved")}</p>}
          <SubmitButton>{t("save")}</SubmitButton>
        </BusyForm>
      )}
    </section>
  );
}
