// An administration's mail-in address: shown on the client's desk and to staff, with a copy button;
// staff can replace it (the old one then takes nothing). Nothing shows when the server takes no mail.
import { useEffect, useState } from "preact/hooks";
import { InboundEmailAddressDocument, RotateInboundEmailAddressDocument } from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n } from "./i18n.js";

export function MailInAddress({ administrationId, staff }: { administrationId: string; staff: boolean }) {
  const { t } = useI18n();
  const [address, setAddress] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    void api()
      .request(InboundEmailAddressDocument, { administrationId })
      .then((r) => setAddress(r.administration.inboundEmailAddress ?? null));
  }, [administrationId]);
  if (!address) return null;
  const copy = async () => {
    await navigator.clipboard?.writeText(address);
    setCopied(true);
  };
  const rotate = async () => {
    if (!confirm(t("mailInRotateConfirm"))) return;
    const { rotateInboundEmailAddress } = await api().request(RotateInboundEmailAddressDocument, { input: { administrationId } });
    setAddress(rotateInboundEmailAddress.administration?.inboundEmailAddress ?? address);
    setCopied(false);
  };
  return (
    <div class="mail-in" data-testid="mail-in">
      <p>
        {t("mailInIntro")} <code data-testid="mail-in-address">{address}</code>{" "}
        <button type="button" class="secondary" onClick={() => void copy()}>
          {copied ? t("copied") : t("copy")}
        </button>
        {staff && (
          <button type="button" class="secondary" onClick={() => void rotate()} data-testid="mail-in-rotate">
            {t("mailInRotate")}
          </button>
        )}
      </p>
      <p class="hint">{t("mailInHint")}</p>
    </div>
  );
}
