// Documents by mail in the portal: the administration's address on the client's desk and for
// staff (copy; staff can replace it); for staff the mail that waits for review (from strangers, or
// unconfirmed senders): who sent what, put it on the desk or discard it; for firm admins what
// strangers' mail does and whether a mail without attachments becomes a PDF of its text.
import { useEffect, useState } from "preact/hooks";
import {
  DiscardQuarantinedMailDocument,
  InboundEmailAddressDocument,
  QuarantinedMailsDocument,
  ReleaseQuarantinedMailDocument,
  RotateInboundEmailAddressDocument,
  StrangerMail,
  UpdateAdministrationDocument,
  type InboundEmailAddressQuery,
  type QuarantinedMailsQuery,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { Alert, useRefusal } from "./forms.js";
import { formatMoment, useI18n, type WordKey } from "./i18n.js";
import { ActionButton } from "./busy.js";

type Settings = InboundEmailAddressQuery["administration"];
type WaitingMail = QuarantinedMailsQuery["administration"]["quarantinedMails"]["nodes"][number];

export function MailInAddress({ administrationId, staff, firmAdmin = false }: { administrationId: string; staff: boolean; firmAdmin?: boolean }) {
  const { t } = useI18n();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    void api()
      .request(InboundEmailAddressDocument, { administrationId })
      .then((r) => setSettings(r.administration));
  }, [administrationId]);
  const address = settings?.inboundEmailAddress;
  if (!settings || !address) return null;
  const copy = async () => {
    await navigator.clipboard?.writeText(address);
    setCopied(true);
  };
  const rotate = async () => {
    const { rotateInboundEmailAddress } = await api().request(RotateInboundEmailAddressDocument, { input: { administrationId } });
    setSettings({ ...settings, inboundEmailAddress: rotateInboundEmailAddress.administration?.inboundEmailAddress ?? address });
    setCopied(false);
  };
  return (
    <div class="mail-in" data-testid="mail-in">
      <p>
        {t("mailInIntro")} <code data-testid="mail-in-address">{address}</code>{" "}
        <ActionButton class="secondary" onClick={() => copy()}>
          {copied ? t("copied") : t("copy")}
        </ActionButton>
        {staff && (
          <ActionButton class="secondary" confirm={t("mailInRotateConfirm")} onClick={() => rotate()} data-testid="mail-in-rotate">
            {t("mailInRotate")}
          </ActionButton>
        )}
      </p>
      <p class="hint">{t(settings.mailBodyAsPdf ? "mailInHintWithText" : "mailInHint")}</p>
      {firmAdmin && <MailInSettings administrationId={administrationId} settings={settings} onSaved={(change) => setSettings((now) => now && { ...now, ...change })} />}
      {staff && <MailQuarantine administrationId={administrationId} />}
    </div>
  );
}

type SettingsChange = { mailFromStrangers?: StrangerMail; mailBodyAsPdf?: boolean };

function MailInSettings({ administrationId, settings, onSaved }: { administrationId: string; settings: Settings; onSaved: (change: SettingsChange) => void }) {
  const { t } = useI18n();
  const refusal = useRefusal();
  const [error, setError] = useState<string | null>(null);
  const save = async (change: SettingsChange) => {
    const { updateAdministration } = await api().request(UpdateAdministrationDocument, { input: { id: administrationId, ...change } });
    setError(refusal(updateAdministration.userErrors[0]));
    if (updateAdministration.administration) onSaved(change);
  };
  return (
    <fieldset class="mail-in-settings" data-testid="mail-in-settings">
      <legend>{t("mailInSettings")}</legend>
      <label>
        {t("mailInStrangers")}{" "}
        <select
          value={settings.mailFromStrangers}
          onChange={(e) => void save({ mailFromStrangers: (e.target as HTMLSelectElement).value as StrangerMail })}
          data-testid="mail-in-strangers"
        >
          <option value={StrangerMail.Quarantine}>{t("mailInStrangersQUARANTINE")}</option>
          <option value={StrangerMail.Refuse}>{t("mailInStrangersREFUSE")}</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={settings.mailBodyAsPdf}
          onChange={(e) => void save({ mailBodyAsPdf: (e.target as HTMLInputElement).checked })}
          data-testid="mail-in-body-pdf"
        />{" "}
        {t("mailInBodyAsPdf")}
      </label>
      <Alert text={error} />
    </fieldset>
  );
}

/** Sizes as people read them: "820 B", "14 kB", "2,3 MB". */
function formatSize(language: string, bytes: number): string {
  const number = (value: number) => value.toLocaleString(language === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 1 });
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${number(bytes / 1000)} kB`;
  return `${number(bytes / 1_000_000)} MB`;
}

function MailQuarantine({ administrationId }: { administrationId: string }) {
  const { t, language } = useI18n();
  const refusal = useRefusal();
  const [mails, setMails] = useState<{ nodes: WaitingMail[]; totalCount: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = () =>
    void api()
      .request(QuarantinedMailsDocument, { administrationId, first: 50 })
      .then((r) => setMails(r.administration.quarantinedMails));
  useEffect(load, [administrationId]);
  if (!mails || mails.totalCount === 0) return null;
  const release = async (mail: WaitingMail) => {
    const { releaseQuarantinedMail } = await api().request(ReleaseQuarantinedMailDocument, { input: { id: mail.id } });
    setError(refusal(releaseQuarantinedMail.userErrors[0]));
    const count = releaseQuarantinedMail.documents?.length;
    setDone(count ? t("mailReleased").replace("{count}", String(count)) : null);
    load();
  };
  const discard = async (mail: WaitingMail) => {
    const { discardQuarantinedMail } = await api().request(DiscardQuarantinedMailDocument, { input: { id: mail.id } });
    setError(refusal(discardQuarantinedMail.userErrors[0]));
    setDone(null);
    load();
  };
  return (
    <section class="mail-quarantine" data-testid="mail-quarantine" aria-labelledby="mail-quarantine-title">
      <h3 id="mail-quarantine-title">
        {t("mailQuarantine")} ({mails.totalCount})
      </h3>
      <p class="hint">{t("mailQuarantineIntro")}</p>
      <Alert text={error} />
      {done && (
        <p role="status" class="notice">
          {done}
        </p>
      )}
      <ul>
        {mails.nodes.map((mail) => (
          <li key={mail.id} data-testid="quarantined-mail">
            <div>
              <strong>{mail.subject || t("noSubject")}</strong>
            </div>
            <div class="hint">
              {mail.from || mail.sender} · {formatMoment(language, mail.receivedAt)} · {t(`quarantine${mail.reason}` as WordKey)}
            </div>
            <ul class="attachments">
              {mail.attachments.map((a) => (
                <li key={a.filename}>
                  {a.filename} <span class="hint">({formatSize(language, a.size)})</span>
                </li>
              ))}
            </ul>
            <p class="actions">
              <ActionButton onClick={() => release(mail)} data-testid="release-mail">
                {t("mailRelease")}
              </ActionButton>{" "}
              <ActionButton class="secondary" confirm={t("mailDiscardConfirm").replace("{from}", mail.sender)} onClick={() => discard(mail)} data-testid="discard-mail">
                {t("mailDiscard")}
              </ActionButton>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
