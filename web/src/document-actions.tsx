// The firm's two answers to a filed document, in the work queue and in the viewer alike: booked
// (processed), or back to the client's desk with a reason the client reads.
import { useState } from "preact/hooks";
import { MarkDocumentsProcessedDocument, ReturnDocumentDocument } from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n } from "./i18n.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

/** `onDone` gets the server's refusal, or null when it worked. */
type Done = (problem: string | null) => void;

export function MarkProcessedButton({ documentId, onDone }: { documentId: string; onDone: Done }) {
  const { t } = useI18n();
  return (
    <ActionButton
      data-testid="mark-processed"
      onClick={async () => {
        const { markDocumentsProcessed } = await api().request(MarkDocumentsProcessedDocument, { input: { documentIds: [documentId] } });
        onDone(markDocumentsProcessed.userErrors[0]?.message ?? null);
      }}
    >
      {t("markProcessed")}
    </ActionButton>
  );
}

/** A button that opens a short form for the reason; sent, the document is on the client's desk again. */
export function ReturnToClient({ documentId, onDone }: { documentId: string; onDone: Done }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="return-to-client">
        {t("returnToClient")}
      </button>
    );
  }
  const send = async (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get("reason") ?? "").trim();
    const { returnDocument } = await api().request(ReturnDocumentDocument, { input: { documentId, reason } });
    const problem = returnDocument.userErrors[0]?.message ?? null;
    if (!problem) setOpen(false);
    onDone(problem);
  };
  return (
    <BusyForm class="inline" onSubmit={(e) => send(e)} data-testid="return-form">
      <label>
        {t("returnReason")} <input name="reason" required maxLength={2000} />
      </label>
      <SubmitButton>{t("send")}</SubmitButton>
      <button type="button" onClick={() => setOpen(false)}>
        {t("cancel")}
      </button>
    </BusyForm>
  );
}
