// The accountant's screens: the firm's administrations with what waits on each desk, and per
// administration the trays as work queues (mark processed, return with a reason), live.
import { useEffect, useState } from "preact/hooks";
import { DeskSummariesDocument, DocumentStatus, TrayDocumentsDocument, type DeskSummariesQuery, type TrayDocumentsQuery } from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { FilingList, FilingView } from "./filings.js";
import { FilingCalendarPanel, FilingsDuePanel } from "./deadlines.js";
import { MailInAddress } from "./mail-in.js";
import { FiguresPanel, FolderAccessPanel, NewIcpDeclaration, NewVatReturn, ReportsPanel } from "./staff-panels.js";
import { useRoute } from "./route.js";
import { useI18n } from "./i18n.js";
import { BankTodos } from "./document-data.js";
import { useDocumentViewer } from "./document-viewer.js";
import { MarkProcessedButton, ReturnToClient } from "./document-actions.js";
import { ArchiveView } from "./archive.js";
import { Scrollable } from "./scrollable.js";

type Administration = DeskSummariesQuery["administrations"]["nodes"][number];
type QueueDoc = TrayDocumentsQuery["administration"]["documents"]["nodes"][number];

export function StaffHome({ firmAdmin }: { firmAdmin: boolean }) {
  const { t } = useI18n();
  const [administrations, setAdministrations] = useState<Administration[] | null>(null);
  const [open, setOpen] = useState<Administration | null>(null);
  const [page, filingId] = useRoute();
  // A link to a filing (from a mail) opens its administration first.
  useEffect(() => {
    if (page === "filings" && filingId && !open && administrations?.length === 1) setOpen(administrations[0]!);
  }, [page, filingId, administrations]);

  useEffect(() => {
    if (open) return;
    void api()
      .request(DeskSummariesDocument, { first: 100 })
      .then((r) => setAdministrations(r.administrations.nodes));
  }, [open]);

  if (open && page === "filings" && filingId) return <FilingView id={filingId} administrationId={open.id} staff />;
  if (open) {
    return (
      <>
        <WorkQueue administration={open} onBack={() => setOpen(null)} />
        <div class="panels">
          <div>
            <FilingCalendarPanel administrationId={open.id} staff />
          </div>
          <div>
            <FilingList administrationId={open.id} />
            <NewVatReturn administrationId={open.id} />
            <NewIcpDeclaration administrationId={open.id} />
          </div>
          <MailInAddress administrationId={open.id} staff firmAdmin={firmAdmin} />
          <ReportsPanel administrationId={open.id} />
          <FiguresPanel administrationId={open.id} visible={open.figuresVisible} onChange={(figuresVisible) => setOpen({ ...open, figuresVisible })} />
          <FolderAccessPanel administrationId={open.id} />
        </div>
        <ArchiveView administrationId={open.id} staff />
      </>
    );
  }
  return (
    <section aria-labelledby="administrations-title">
      <h1 id="administrations-title">{t("administrations")}</h1>
      <FilingsDuePanel onOpen={(id) => setOpen(administrations?.find((a) => a.id === id) ?? null)} />
      <ul class="administrations">
        {(administrations ?? []).map((a) => (
          <li key={a.id}>
            <button type="button" class="link" onClick={() => setOpen(a)} data-testid="administration">
              {a.name}
            </button>{" "}
            <span class="summary">
              {a.deskSummary.documentCount} {t("onDesk")}
              {a.deskSummary.oldestAgeDays !== null && ` (${t("oldest")} ${a.deskSummary.oldestAgeDays} ${t("days")})`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function WorkQueue({ administration, onBack }: { administration: Administration; onBack: () => void }) {
  const { t } = useI18n();
  const [documents, setDocuments] = useState<QueueDoc[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const viewer = useDocumentViewer(true, setNotice);

  useEffect(
    () =>
      followAdministration(administration.id, () => {
        void api()
          .request(TrayDocumentsDocument, { administrationId: administration.id, first: 100, filter: { status: DocumentStatus.Submitted } })
          // Archive filings need no processing: the queue is the booking trays.
          .then((r) => setDocuments(r.administration.documents.nodes.filter((d) => d.tray !== "ARCHIVE")));
      }),
    [administration.id],
  );

  return (
    <section aria-labelledby="queue-title">
      <button type="button" class="link" onClick={onBack}>
        ← {t("back")}
      </button>
      <h1 id="queue-title">
        {t("workQueue")} — {administration.name}
      </h1>
      <BankTodos administrationId={administration.id} />
      {documents && documents.length === 0 && <p role="status">{t("nothingToDo")}</p>}
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <Scrollable label={t("workQueue")}>
        <table class="queue">
          <tbody>
            {(documents ?? []).map((d) => (
              <tr key={d.id} data-testid="queue-row" data-filename={d.filename}>
                <td>
                  <button type="button" class="link" data-testid="open-document" onClick={() => viewer.open(d.id)}>
                    {d.filename}
                  </button>
                </td>
                <td>{d.tray ? t(d.tray as "PURCHASE") : ""}</td>
                <td>{d.uploadedBy?.name}</td>
                <td>
                  <MarkProcessedButton documentId={d.id} onDone={setProblem} /> <ReturnToClient documentId={d.id} onDone={setProblem} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scrollable>
      {viewer.element}
    </section>
  );
}
