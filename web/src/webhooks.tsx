// The firm admin's webhooks: where events go, which ones, whether delivery works; make one (its
// signing secret shown once), test it, rotate its secret, disable, enable or remove it, and look at
// its deliveries (and send one again). Part of the firm page.
import { useEffect, useState } from "preact/hooks";
import {
  CreateWebhookDocument,
  RedeliverWebhookDocument,
  RemoveWebhookDocument,
  RotateWebhookSecretDocument,
  TestWebhookDocument,
  UpdateWebhookDocument,
  WebhookDeliveriesDocument,
  WebhookEvent,
  WebhooksDocument,
  type WebhookDeliveryFieldsFragment,
  type WebhookFieldsFragment,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { Alert } from "./forms.js";
import { formatMoment, hasWord, useI18n, type WordKey } from "./i18n.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

/** In the order a firm thinks of them (the SDK's enum is alphabetical). */
const EVENTS: WebhookEvent[] = [
  WebhookEvent.DocumentAdded,
  WebhookEvent.DocumentFiled,
  WebhookEvent.DocumentWithdrawn,
  WebhookEvent.DocumentReturned,
  WebhookEvent.DocumentProcessed,
  WebhookEvent.DocumentUpdated,
  WebhookEvent.DocumentRemoved,
  WebhookEvent.DocumentRead,
  WebhookEvent.FilingStatusChanged,
  WebhookEvent.ReportPublished,
  WebhookEvent.ReportReplaced,
  WebhookEvent.ReportWithdrawn,
  WebhookEvent.FiguresUpdated,
  WebhookEvent.ArchiveChanged,
];

function Deliveries({ webhook, onChange }: { webhook: WebhookFieldsFragment; onChange: () => void }) {
  const { t, language } = useI18n();
  // "document.filed" is said as the event's name in the list of events ("document in bakje gelegd").
  const eventWords = (type: string) => {
    const key = `webhookEvent${type.toUpperCase().replace(".", "_")}`;
    return hasWord(key) ? t(key) : type;
  };
  const [deliveries, setDeliveries] = useState<WebhookDeliveryFieldsFragment[] | null>(null);
  const load = () =>
    void api()
      .request(WebhookDeliveriesDocument, { id: webhook.id, first: 20 })
      .then((r) => setDeliveries(r.node && "deliveries" in r.node ? r.node.deliveries.nodes : []));
  useEffect(load, [webhook.id]);
  const redeliver = async (delivery: WebhookDeliveryFieldsFragment) => {
    await api().request(RedeliverWebhookDocument, { input: { deliveryId: delivery.id } });
    load();
    onChange();
  };
  if (!deliveries) return null;
  if (deliveries.length === 0) return <p class="hint">{t("noDeliveries")}</p>;
  return (
    <table class="deliveries" data-testid="webhook-deliveries">
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id} class={d.ok ? "ok" : "failed"}>
            <td>{formatMoment(language, d.at)}</td>
            <td>
              <span title={d.type}>{eventWords(d.type)}</span>
              <div class="hint">
                {t("attempt")} {d.attempt} · {t(`delivery${d.messageState}` as WordKey)}
                {d.nextAttemptAt && ` · ${t("nextAttempt")} ${formatMoment(language, d.nextAttemptAt)}`}
              </div>
            </td>
            <td>
              {d.statusCode ?? "—"} · {d.durationMs} ms
              {d.error && <div class="hint">{d.error}</div>}
            </td>
            <td>
              {d.messageState !== "PENDING" && (
                <ActionButton class="secondary" onClick={() => redeliver(d)}>
                  {t("redeliver")}
                </ActionButton>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WebhooksPanel() {
  const { t, language } = useI18n();
  const [webhooks, setWebhooks] = useState<WebhookFieldsFragment[] | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The last test's outcome, worded at render time (in the language shown then).
  const [tested, setTested] = useState<WebhookDeliveryFieldsFragment | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const load = () =>
    void api()
      .request(WebhooksDocument, { first: 100 })
      .then((r) => setWebhooks(r.webhooks.nodes));
  useEffect(load, []);

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const { createWebhook } = await api().request(CreateWebhookDocument, {
      input: { url: String(data.get("url") ?? "").trim(), description: String(data.get("description") ?? ""), events: data.getAll("event") as WebhookEvent[] },
    });
    setProblem(createWebhook.userErrors[0]?.message ?? null);
    if (createWebhook.secret) {
      setSecret(createWebhook.secret);
      form.reset();
      load();
    }
  };

  const test = async (webhook: WebhookFieldsFragment) => {
    const { testWebhook } = await api().request(TestWebhookDocument, { input: { id: webhook.id } });
    const d = testWebhook.delivery;
    setProblem(testWebhook.userErrors[0]?.message ?? null);
    setTested(d ?? null);
    load();
  };

  const rotate = async (webhook: WebhookFieldsFragment) => {
    const { rotateWebhookSecret } = await api().request(RotateWebhookSecretDocument, { input: { id: webhook.id } });
    setProblem(rotateWebhookSecret.userErrors[0]?.message ?? null);
    if (rotateWebhookSecret.secret) setSecret(rotateWebhookSecret.secret);
    load();
  };

  const setEnabled = async (webhook: WebhookFieldsFragment, enabled: boolean) => {
    const { updateWebhook } = await api().request(UpdateWebhookDocument, { input: { id: webhook.id, enabled } });
    setProblem(updateWebhook.userErrors[0]?.message ?? null);
    load();
  };

  const remove = async (webhook: WebhookFieldsFragment) => {
    const { removeWebhook } = await api().request(RemoveWebhookDocument, { input: { id: webhook.id } });
    setProblem(removeWebhook.userErrors[0]?.message ?? null);
    load();
  };

  return (
    <div class="card" data-testid="webhooks">
      <h2>{t("webhooks")}</h2>
      <p class="hint">{t("webhooksIntro")}</p>
      {webhooks && webhooks.length === 0 && <p>{t("noWebhooks")}</p>}
      <ul class="tokens">
        {(webhooks ?? []).map((w) => (
          <li key={w.id} data-testid="webhook" class={w.enabled ? undefined : "revoked"}>
            <strong>{w.description || w.url}</strong> {w.description && <code>{w.url}</code>}
            <div class="hint">{w.events.map((e) => t(`webhookEvent${e}` as WordKey)).join(", ")}</div>
            <div class="hint" data-testid="webhook-state">
              {w.enabled ? t("webhookOn") : `${t("webhookOff")} ${t("since")} ${w.disabledAt ? formatMoment(language, w.disabledAt) : ""}`}
              {w.failingSince && ` · ${t("webhookFailingSince")} ${formatMoment(language, w.failingSince)}`}
              {w.lastSuccessAt && ` · ${t("lastSuccess")}: ${formatMoment(language, w.lastSuccessAt)}`}
              {w.pendingCount > 0 && ` · ${w.pendingCount} ${t("webhookPending")}`}
              {w.previousSecretValidUntil && ` · ${t("previousSecretUntil")} ${formatMoment(language, w.previousSecretValidUntil)}`}
            </div>
            <p class="actions">
              <ActionButton class="secondary" onClick={() => test(w)} data-testid="test-webhook">
                {t("testWebhook")}
              </ActionButton>
              <button type="button" class="secondary" onClick={() => setOpen(open === w.id ? null : w.id)} data-testid="show-deliveries">
                {open === w.id ? t("hideDeliveries") : t("deliveries")}
              </button>
              <ActionButton class="secondary" confirm={t("rotateConfirm")} onClick={() => rotate(w)}>
                {t("rotateSecret")}
              </ActionButton>
              <ActionButton class="secondary" onClick={() => setEnabled(w, !w.enabled)}>
                {w.enabled ? t("disableWebhook") : t("enableWebhook")}
              </ActionButton>
              <ActionButton class="secondary" confirm={t("removeWebhookConfirm").replace("{url}", w.url)} onClick={() => remove(w)}>
                {t("removeWebhook")}
              </ActionButton>
            </p>
            {open === w.id && <Deliveries webhook={w} onChange={load} />}
          </li>
        ))}
      </ul>
      {tested && (
        <p role="status" data-testid="webhook-notice">
          {tested.ok
            ? t("testOk").replace("{status}", String(tested.statusCode)).replace("{ms}", String(tested.durationMs))
            : t("testFailed").replace("{error}", tested.error ?? String(tested.statusCode))}
        </p>
      )}
      {secret && (
        <div class="secret" role="status" data-testid="webhook-secret">
          <p>{t("webhookSecretOnce")}</p>
          <code>{secret}</code>{" "}
          <ActionButton class="secondary" onClick={() => navigator.clipboard?.writeText(secret)}>
            {t("copy")}
          </ActionButton>
        </div>
      )}
      <BusyForm class="stack" onSubmit={(e) => create(e)} data-testid="new-webhook">
        <h3>{t("newWebhook")}</h3>
        <label>
          {t("webhookUrl")} <input name="url" type="url" required maxLength={2000} />
        </label>
        <label>
          {t("webhookDescription")} <input name="description" maxLength={300} />
        </label>
        <fieldset>
          <legend>{t("webhookEvents")}</legend>
          {EVENTS.map((e) => (
            <label class="check" key={e}>
              <input type="checkbox" name="event" value={e} /> {t(`webhookEvent${e}` as WordKey)}
            </label>
          ))}
        </fieldset>
        <Alert text={problem} />
        <SubmitButton>{t("createWebhook")}</SubmitButton>
      </BusyForm>
    </div>
  );
}
