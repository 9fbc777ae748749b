// Filings: the list of an administration's VAT returns and ICP declarations, and one filing with
// all its figures, its warnings, its history, and the actions the viewer may take on it now.
import { useEffect, useState } from "preact/hooks";
import {
  ApproveFilingDocument,
  DecisionPasskeyOptionsDocument,
  FilingApprovalProofDocument,
  FilingDocument,
  FilingHistoryDocument,
  FilingsDocument,
  RejectFilingDocument,
  DeleteFilingDocument,
  ReopenFilingDocument,
  RequestFilingApprovalDocument,
  SubmitFilingDocument,
  UpdateVatReturnDocument,
  WithdrawApprovalRequestDocument,
  type FilingFieldsFragment,
  type FilingHistoryQuery,
} from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { go } from "./route.js";
import { useRefusal } from "./forms.js";
import { signWithPasskey } from "./passkeys.js";
import { formatDay, periodInWords, type WordKey, useI18n, fill } from "./i18n.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";
import { auditHistory, EventHistory } from "./event-history.js";
import { euros, VatHeadline, VatReturnEditor, VatReturnForm } from "./vat-return.js";

type HistoryPage = Extract<FilingHistoryQuery["node"], { events: unknown }>["events"];
type History = HistoryPage["nodes"];

/** A filing's whole log, a page of 100 at a time (a filing's log is short; it is read whole). */
async function filingHistory(id: string): Promise<History> {
  const all: History = [];
  for (let after: string | null = null; ;) {
    const result: FilingHistoryQuery = await api().request(FilingHistoryDocument, { id, first: 100, after });
    const page = (result.node as { events?: HistoryPage } | null)?.events;
    if (!page) break;
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return all;
}

export function FilingList({ administrationId }: { administrationId: string }) {
  const { t, language } = useI18n();
  const [filings, setFilings] = useState<FilingFieldsFragment[] | null>(null);
  useEffect(
    () =>
      followAdministration(administrationId, () => {
        void api()
          .request(FilingsDocument, { administrationId, first: 50 })
          .then((r) => setFilings(r.administration.filings.nodes));
      }),
    [administrationId],
  );
  return (
    <section aria-labelledby="filings-title">
      <h1 id="filings-title">{t("filings")}</h1>
      {filings && filings.length === 0 && <p>{t("nothingToDo")}</p>}
      <ul class="filings">
        {(filings ?? []).map((f) => (
          <li key={f.id} data-testid="filing">
            <a href={`#/filings/${f.id}`}>
              {t(f.kind)} {periodInWords(language, f.period)}
            </a>{" "}
            <span class={`status ${f.status}`}>{t(f.status as WordKey)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function FilingView({ id, administrationId, staff }: { id: string; administrationId: string; staff: boolean }) {
  const { t, language } = useI18n();
  const [filing, setFiling] = useState<FilingFieldsFragment | null>(null);
  const [history, setHistory] = useState<History>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [code, setCode] = useState("");
  // Shown once the decision needs a confirmation: a code from the app, or the approver's passkey.
  const [confirm, setConfirm] = useState<"code" | "passkey" | null>(null);
  const refusal = useRefusal({ CONFIRMATION_REQUIRED: "confirmWithCode", INVALID_CREDENTIALS: "wrongCode", TOO_MANY_ATTEMPTS: "tooManyAttempts" });
  const passkeyRefusal = useRefusal({ CONFIRMATION_REQUIRED: "confirmWithPasskey", INVALID_CREDENTIALS: "passkeyRefused" });

  useEffect(
    () =>
      followAdministration(administrationId, () => {
        void api()
          .request(FilingDocument, { id })
          .then((r) => setFiling(r.node as FilingFieldsFragment));
        void filingHistory(id).then(setHistory);
      }),
    // The server words the checks and warnings in the portal's language: fetch again when it changes.
    [id, administrationId, language],
  );
  // A refusal shown was worded in the language before.
  useEffect(() => setMessage(null), [language]);
  if (!filing) return null;

  const act = async (run: () => Promise<{ userErrors: Array<{ message: string }> }>) => {
    const result = await run();
    setMessage(result.userErrors[0]?.message ?? null);
  };
  const decide = async (approve: boolean, passkey: Record<string, unknown> | null = null) => {
    const input = { filingId: filing.id, version: filing.version, note: note || null, confirmationCode: passkey ? null : code, confirmationPasskey: passkey };
    const result = approve ? (await api().request(ApproveFilingDocument, { input })).approveFiling : (await api().request(RejectFilingDocument, { input })).rejectFiling;
    const error = result.userErrors[0];
    const aboutPasskey = Boolean(error?.field?.includes("confirmationPasskey"));
    if (error?.code === "CONFIRMATION_REQUIRED") setConfirm(aboutPasskey ? "passkey" : "code");
    setMessage(aboutPasskey ? passkeyRefusal(error) : refusal(error));
  };
  // The device signs exactly this decision on exactly this content.
  const decideWithPasskey = async (approve: boolean) => {
    const { decisionPasskeyOptions } = await api().request(DecisionPasskeyOptionsDocument, { input: { filingId: filing.id, approve } });
    if (!decisionPasskeyOptions.options) return setMessage(refusal(decisionPasskeyOptions.userErrors[0]));
    const response = await signWithPasskey(decisionPasskeyOptions.options);
    if (!response) return setMessage(t("passkeyCancelled"));
    await decide(approve, response);
  };
  const downloadProof = async () => {
    const { node } = await api().request(FilingApprovalProofDocument, { id: filing.id });
    const proof = (node as { approvalProof: string | null } | null)?.approvalProof;
    if (!proof) return;
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(new Blob([proof], { type: "application/json" })),
      download: `approval-proof-${filing.period.label}-v${filing.version}.json`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <section aria-labelledby="filing-title" data-testid="filing-view">
      <a href="#/filings">← {t("filings")}</a>
      <h1 id="filing-title">
        {t(filing.kind)} {periodInWords(language, filing.period)}
      </h1>
      <p>
        {t("status")}:{" "}
        <strong data-testid="filing-status" data-status={filing.status}>
          {t(filing.status as WordKey)}
        </strong>
        {/* A rejection's reason stands out below, once. */}
        {filing.approval && filing.status !== "REJECTED" && ` — ${filing.approval.byLabel}${filing.approval.note ? `: “${filing.approval.note}”` : ""}`}
      </p>
      {filing.status !== "SUBMITTED" && filing.status !== "ACCEPTED" && (
        <p data-testid="filing-due">
          {t("filingDueDate")} {formatDay(language, filing.period.dueDate)}
        </p>
      )}
      {filing.status === "REJECTED" && filing.approval?.note && (
        <p class="warning" data-testid="rejected-because">
          {fill(t, t("rejectedBecause"), { by: filing.approval.byLabel, note: filing.approval.note })}
        </p>
      )}
      {filing.__typename === "VatReturn" && (
        <>
          <VatHeadline boxes={filing.boxes} />
          <VatReturnForm boxes={filing.boxes} />
          {staff && filing.status === "DRAFT" && <VatReturnEditor filing={filing} onDone={setMessage} />}
        </>
      )}
      {filing.__typename === "IcpDeclaration" && (
        <table class="boxes">
          <thead>
            <tr>
              <th scope="col">{t("vatNumber")}</th>
              <th scope="col">{t("goods")}</th>
              <th scope="col">{t("services")}</th>
              <th scope="col">{t("triangular")}</th>
            </tr>
          </thead>
          <tbody>
            {filing.lines.map((l) => (
              <tr key={l.vatNumber}>
                <th scope="row">{l.vatNumber}</th>
                <td>{euros(language, l.goods)}</td>
                <td>{euros(language, l.services)}</td>
                <td>{euros(language, l.triangular)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {filing.warnings.map((w) => (
        <p key={w.message} class="warning">
          {w.message}
        </p>
      ))}
      {filing.__typename === "VatReturn" && filing.icpDifferenceReason && (
        <p class="explained" data-testid="icp-difference-reason">
          <strong>{t("icpDifferenceReason")}:</strong> {filing.icpDifferenceReason}
        </p>
      )}
      {staff && <Preflight filing={filing} act={act} />}
      {filing.viewerCanDecide && (
        <div class="decide">
          <label>
            {t("note")} <span class="hint">{t("rejectReason")}</span>
            <textarea name="note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          {confirm === "passkey" && (
            <p class="actions">
              <ActionButton onClick={() => decideWithPasskey(true)} data-testid="approve-with-passkey">
                {t("approveWithPasskey")}
              </ActionButton>
              <ActionButton class="secondary" onClick={() => decideWithPasskey(false)} data-testid="reject-with-passkey">
                {t("rejectWithPasskey")}
              </ActionButton>
            </p>
          )}
          {confirm === "code" && (
            <label>
              {t("authenticatorCode")}
              <input
                name="code"
                autocomplete="one-time-code"
                inputMode="numeric"
                value={code}
                onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
                data-testid="confirmation-code"
              />
            </label>
          )}
          {confirm !== "passkey" && (
            <>
              <ActionButton onClick={() => decide(true)} data-testid="approve">
                {t("approve")}
              </ActionButton>{" "}
              <ActionButton
                class="secondary"
                onClick={() => (note.trim() ? decide(false) : setMessage(t("rejectNeedsReason")))}
                confirm={note.trim() ? t("rejectConfirm") : undefined}
                data-testid="reject"
              >
                {t("reject")}
              </ActionButton>
            </>
          )}
        </div>
      )}
      {staff && <StaffActions filing={filing} act={act} />}
      {staff && filing.approval && (
        <p class="proof">
          {filing.approval.confirmation === "PASSKEY" ? t("confirmedWithPasskey") : filing.approval.confirmation ? t("confirmedWithApp") : t("notConfirmed")}{" "}
          <ActionButton class="link" onClick={() => downloadProof()} data-testid="download-proof">
            {t("downloadProof")}
          </ActionButton>
        </p>
      )}
      {filing.submission?.taxonomyRelease && (
        <p class="taxonomy" data-testid="taxonomy">
          {t("sentWithTaxonomy")} {filing.submission.taxonomyRelease}
          {filing.submission.suppletie && `, ${t("sentAsSuppletie")}`}
        </p>
      )}
      {filing.submission && (
        <ul class="statuses">
          {filing.submission.statuses.map((s) => (
            <li key={`${s.code}${s.at}`}>
              {s.code} {s.description}
            </li>
          ))}
        </ul>
      )}
      {message && (
        <p role="alert" class="error">
          {message}
        </p>
      )}
      <h2>{t("history")}</h2>
      <EventHistory entries={auditHistory(t, history)} language={language} />
    </section>
  );
}

/** What the firm can do with the filing in its current state. */
/** What keeps the filing from being filed, for the firm; a box 3b / ICP difference can be explained here. */
function Preflight({ filing, act }: { filing: FilingFieldsFragment; act: (run: () => Promise<{ userErrors: Array<{ message: string }> }>) => Promise<void> }) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  if (filing.preflight.ok || (filing.status !== "DRAFT" && filing.status !== "APPROVED")) return null;
  const explainable = filing.__typename === "VatReturn" && filing.status === "DRAFT" && filing.preflight.problems.some((p) => p.code === "ICP_MISMATCH");
  return (
    <section class="preflight" data-testid="preflight">
      <h2>{t("notReadyToFile")}</h2>
      <ul>
        {filing.preflight.problems.map((p) => (
          <li key={p.message} data-code={p.code}>
            {p.message}
          </li>
        ))}
      </ul>
      {explainable && (
        <BusyForm
          onSubmit={(e) => {
            e.preventDefault();
            return act(
              async () =>
                (await api().request(UpdateVatReturnDocument, { input: { filingId: filing.id, version: filing.version, boxes: {}, icpDifferenceReason: reason } })).updateVatReturn,
            );
          }}
        >
          <label>
            {t("icpDifferenceReason")}
            <textarea name="icp-difference-reason" rows={2} required maxLength={1000} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <SubmitButton>{t("recordReason")}</SubmitButton>
        </BusyForm>
      )}
    </section>
  );
}

/** What the firm can do with the filing in its state: ask approval (with a message), withdraw the request, reopen, delete, submit. */
function StaffActions({ filing, act }: { filing: FilingFieldsFragment; act: (run: () => Promise<{ userErrors: Array<{ message: string }> }>) => Promise<void> }) {
  const { t } = useI18n();
  const [note, setNote] = useState("");
  const input = { filingId: filing.id, note: note.trim() || null };
  // A draft or a rejected return the firm will not offer; back to the administration after.
  const remove = (
    <ActionButton
      class="secondary"
      data-testid="delete-filing"
      confirm={t("deleteFilingConfirm")}
      onClick={() =>
        act(async () => {
          const { deleteFiling } = await api().request(DeleteFilingDocument, { input });
          if (deleteFiling.deletedFilingId) go("");
          return deleteFiling;
        })
      }
    >
      {t("deleteFiling")}
    </ActionButton>
  );
  if (filing.status === "DRAFT") {
    return (
      <>
        <BusyForm
          class="note-form"
          data-testid="request-approval-form"
          onSubmit={(e) => {
            e.preventDefault();
            return act(async () => (await api().request(RequestFilingApprovalDocument, { input })).requestFilingApproval);
          }}
        >
          <label>
            {t("approvalNote")}
            <textarea name="note" rows={2} maxLength={2000} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <SubmitButton data-testid="request-approval">{t("requestApproval")}</SubmitButton>
        </BusyForm>
        <p class="actions">{remove}</p>
      </>
    );
  }
  const reopen = (
    <ActionButton
      class="secondary"
      data-testid="reopen"
      confirm={t("reopenConfirm")}
      onClick={() => act(async () => (await api().request(ReopenFilingDocument, { input })).reopenFiling)}
    >
      {t("reopen")}
    </ActionButton>
  );
  if (filing.status === "AWAITING_APPROVAL") {
    return (
      <ActionButton
        class="secondary"
        data-testid="withdraw-request"
        confirm={t("withdrawRequestConfirm")}
        onClick={() => act(async () => (await api().request(WithdrawApprovalRequestDocument, { input })).withdrawApprovalRequest)}
      >
        {t("withdrawRequest")}
      </ActionButton>
    );
  }
  if (filing.status === "APPROVED") {
    return (
      <p class="actions">
        <ActionButton data-testid="submit-filing" onClick={() => act(async () => (await api().request(SubmitFilingDocument, { input: { filingId: filing.id } })).submitFiling)}>
          {t("submit")}
        </ActionButton>{" "}
        {reopen}
      </p>
    );
  }
  if (filing.status === "REJECTED") {
    return (
      <p class="actions">
        {reopen} {remove}
      </p>
    );
  }
  return null;
}
