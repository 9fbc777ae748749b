// One document, for client and staff alike: its pages (zoom), download, its details in words, what
// was read from it, its history, and what the viewer may still do with it (rename, remove, take back
// to the desk; for the firm: processed, return). Signed links are asked for when they are used, and an
// expired page image is renewed without a word, so a page left open for an hour still works.
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  DocumentLinksDocument,
  DocumentViewDocument,
  RemoveDocumentDocument,
  RenameDocumentDocument,
  ReturnDocumentsToDeskDocument,
  SubjectEventsDocument,
  type AuditEventFieldsFragment,
  type DocumentViewQuery,
  type SubjectEventsQuery,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { formatBytes, formatDay, formatMoment, useI18n, type Language, type WordKey, fill } from "./i18n.js";
import { auditHistory, EventHistory, type HistoryEntry } from "./event-history.js";
import { DocumentData } from "./document-data.js";
import { MarkProcessedButton, ReturnToClient } from "./document-actions.js";
import { Scrollable } from "./scrollable.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

export type ViewedDocument = Extract<DocumentViewQuery["node"], { __typename?: "Document"; filename: string }>;
type Translate = (key: WordKey) => string;

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3];

/** Which words say what kind of file it is. */
function formatWord(format: string): WordKey {
  if (format === "PDF") return "formatPDF";
  if (["JPEG", "PNG", "TIFF", "HEIC"].includes(format)) return "formatIMAGE";
  if (format === "UBL" || format === "CII") return "formatEINVOICE";
  if (format === "MT940" || format === "CAMT053") return "formatSTATEMENT";
  return "formatOTHER";
}

function place(t: Translate, doc: ViewedDocument): string {
  if (doc.location === "DESK" || !doc.tray) return t("onDeskPlace");
  if (doc.folder) return `${t("ARCHIVE")}: ${doc.folder.path.join(" / ")}`;
  return fill(t, t("trayPlace"), { tray: doc.tray });
}

/** What a client may see of a document's past, from its own dates (the audit log is the firm's). */
function milestones(t: Translate, doc: ViewedDocument): HistoryEntry[] {
  const entries: HistoryEntry[] = [{ key: "uploaded", at: doc.uploadedAt, who: doc.uploadedBy?.name ?? null, what: t("event:document.uploaded"), note: null }];
  if (doc.submittedAt && doc.tray) entries.push({ key: "filed", at: doc.submittedAt, who: null, what: fill(t, t("event:document.filed"), { tray: doc.tray }), note: null });
  if (doc.returnedAt) entries.push({ key: "returned", at: doc.returnedAt, who: null, what: t("event:document.returned"), note: doc.returnReason });
  if (doc.processedAt) entries.push({ key: "processed", at: doc.processedAt, who: null, what: t("event:document.processed"), note: null });
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

async function documentEvents(id: string): Promise<AuditEventFieldsFragment[]> {
  const all: AuditEventFieldsFragment[] = [];
  for (let after: string | null = null; ;) {
    const result: SubjectEventsQuery = await api().request(SubjectEventsDocument, { id, first: 100, after });
    const page = result.node && "events" in result.node ? result.node.events : null;
    if (!page) break;
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || all.length >= 500) break;
    after = page.pageInfo.endCursor;
  }
  return all;
}

/** Follows a fresh signed link: the file downloads, or its PDF view opens in a new tab. */
async function follow(documentId: string, which: "download" | "preview"): Promise<void> {
  const { node } = await api().request(DocumentLinksDocument, { id: documentId });
  if (!node || !("downloadUrl" in node)) return;
  if (which === "preview" && node.previewUrl) {
    window.open(node.previewUrl, "_blank", "noopener");
    return;
  }
  const link = document.createElement("a");
  link.href = node.downloadUrl;
  link.rel = "noopener";
  link.click();
}

/**
 * The pages as images, zoomable. A page that fails to load (its link expired, or the server was
 * briefly away) asks for fresh links and tries once more; a second failure shows the page's name.
 */
function PageImages({ doc, renew, language }: { doc: ViewedDocument; renew: () => Promise<void>; language: Language }) {
  const { t } = useI18n();
  const [zoom, setZoom] = useState(2);
  const [retried, setRetried] = useState<ReadonlySet<number>>(new Set());
  if (doc.pageImageUrls.length === 0) return <p class="hint">{t("noPageImages")}</p>;
  const failed = async (index: number) => {
    if (retried.has(index)) return;
    await renew();
    // A new key mounts a new image: it loads again even when the renewed link is the same one.
    setRetried((done) => new Set(done).add(index));
  };
  return (
    <section class="viewer-pages" aria-label={t("pages")}>
      <div class="toolbar" role="group" aria-label={t("zoomFit")}>
        <button type="button" class="secondary" disabled={zoom === 0} onClick={() => setZoom(zoom - 1)} data-testid="zoom-out">
          {t("zoomOut")}
        </button>
        <button type="button" class="secondary" disabled={zoom === 2} onClick={() => setZoom(2)}>
          {t("zoomFit")}
        </button>
        <button type="button" class="secondary" disabled={zoom === ZOOMS.length - 1} onClick={() => setZoom(zoom + 1)} data-testid="zoom-in">
          {t("zoomIn")}
        </button>
        <output data-testid="zoom">{new Intl.NumberFormat(language === "nl" ? "nl-NL" : "en-GB", { style: "percent" }).format(ZOOMS[zoom]!)}</output>
      </div>
      <Scrollable label={t("pages")}>
        <ol class="page-images">
          {doc.pageImageUrls.map((url, i) => (
            <li key={i} style={{ width: `${ZOOMS[zoom]! * 100}%` }}>
              <img
                key={`${i}-${retried.has(i)}`}
                src={url}
                alt={`${t("page")} ${i + 1} / ${doc.pageImageUrls.length}`}
                loading="lazy"
                data-testid="page-image"
                onError={() => void failed(i)}
              />
            </li>
          ))}
        </ol>
      </Scrollable>
    </section>
  );
}

function Details({ doc, language }: { doc: ViewedDocument; language: Language }) {
  const { t } = useI18n();
  const kind = [doc.dataKind === "INVOICE" ? t("invoice") : doc.dataKind === "BANK_STATEMENT" ? t("statement") : null, t(formatWord(doc.format))].filter(Boolean).join(" · ");
  const rows: [string, string][] = [
    [t("documentKind"), kind],
    [t("pages"), doc.pageCount === null ? "—" : String(doc.pageCount)],
    [t("fileSize"), formatBytes(language, doc.byteSize)],
    [t("uploadedByWhen"), `${formatMoment(language, doc.uploadedAt)}${doc.uploadedBy ? ` ${fill(t, t("byPerson"), { name: doc.uploadedBy.name })}` : ""}`],
    [t("status"), t(doc.status as WordKey)],
    [t("whereNow"), place(t, doc)],
  ];
  if (doc.status === "RETURNED" && doc.returnReason) rows.push([t("returnReason"), doc.returnReason]);
  if (doc.documentDate) rows.push([t("documentDate"), formatDay(language, doc.documentDate)]);
  if (doc.retainUntil) rows.push([t("keepUntil"), formatDay(language, doc.retainUntil)]);
  if (doc.notes) rows.push([t("notes"), doc.notes]);
  return (
    <dl class="details" data-testid="document-details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What the viewer may still do with it; the server decides, so a refusal is shown as it says. */
function Actions({ doc, staff, onChanged, onGone }: { doc: ViewedDocument; staff: boolean; onChanged: (message: string | null) => void; onGone: (message: string) => void }) {
  const { t } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const unprocessed = doc.status !== "PROCESSED" && !doc.replacedAt;
  const mayManage = unprocessed && (!doc.folder || doc.folder.viewerAccess === "MANAGE");
  const rename = async (event: Event) => {
    event.preventDefault();
    const filename = String(new FormData(event.currentTarget as HTMLFormElement).get("filename") ?? "").trim();
    const { renameDocument } = await api().request(RenameDocumentDocument, { input: { documentId: doc.id, filename } });
    if (!renameDocument.userErrors.length) setRenaming(false);
    onChanged(renameDocument.userErrors[0]?.message ?? null);
  };
  return (
    <div class="viewer-actions">
      <ActionButton onClick={() => follow(doc.id, "download")} data-testid="download">
        {t("download")}
      </ActionButton>
      {(doc.format === "PDF" || doc.dataKind === "INVOICE") && (
        <ActionButton class="secondary" onClick={() => follow(doc.id, "preview")} data-testid="open-pdf">
          {t("showPdf")}
        </ActionButton>
      )}
      {mayManage && !renaming && (
        <button type="button" class="secondary" onClick={() => setRenaming(true)} data-testid="rename">
          {t("renameDocument")}
        </button>
      )}
      {!staff && doc.status === "SUBMITTED" && (
        <ActionButton
          class="secondary"
          data-testid="take-back"
          onClick={async () => {
            const { returnDocumentsToDesk } = await api().request(ReturnDocumentsToDeskDocument, { input: { documentIds: [doc.id] } });
            onChanged(returnDocumentsToDesk.userErrors[0]?.message ?? null);
          }}
        >
          {t("takeBack")}
        </ActionButton>
      )}
      {staff && doc.status === "SUBMITTED" && doc.tray !== "ARCHIVE" && (
        <>
          <MarkProcessedButton documentId={doc.id} onDone={onChanged} />
          <ReturnToClient documentId={doc.id} onDone={onChanged} />
        </>
      )}
      {mayManage && (
        <ActionButton
          class="secondary danger"
          data-testid="remove"
          confirm={fill(t, t("removeDocumentConfirm"), { name: doc.filename })}
          onClick={async () => {
            const { removeDocument } = await api().request(RemoveDocumentDocument, { input: { documentId: doc.id } });
            const problem = removeDocument.userErrors[0]?.message;
            if (problem) onChanged(problem);
            else onGone(fill(t, t("documentRemoved"), { name: doc.filename }));
          }}
        >
          {t("removeDocument")}
        </ActionButton>
      )}
      {renaming && (
        <BusyForm class="inline" onSubmit={(e) => rename(e)} data-testid="rename-form">
          <label>
            {t("newName")} <input name="filename" required maxLength={255} defaultValue={doc.filename} />
          </label>
          <SubmitButton>{t("save")}</SubmitButton>
          <button type="button" onClick={() => setRenaming(false)}>
            {t("cancel")}
          </button>
        </BusyForm>
      )}
    </div>
  );
}

/**
 * The viewer, as a modal dialog over the page it was opened from (Esc or Close goes back there).
 * `onGone` is told when the document left the viewer's reach (removed), with the words to show.
 */
export function DocumentViewer({ documentId, staff, onClose, onGone }: { documentId: string; staff: boolean; onClose: () => void; onGone?: (message: string) => void }) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [doc, setDoc] = useState<ViewedDocument | null>(null);
  const [missing, setMissing] = useState(false);
  const [events, setEvents] = useState<AuditEventFieldsFragment[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const load = async () => {
    const { node } = await api().request(DocumentViewDocument, { id: documentId });
    if (node && "filename" in node) setDoc(node as ViewedDocument);
    else setMissing(true);
    if (staff) setEvents(await documentEvents(documentId));
  };
  useEffect(() => {
    void load();
  }, [documentId]);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const changed = (problem: string | null) => {
    setMessage(problem);
    void load();
  };

  return (
    <dialog ref={dialog} class="viewer" aria-labelledby="viewer-title" data-testid="document-viewer" onClose={onClose}>
      <div class="dialog-head">
        <h2 id="viewer-title">{doc?.filename ?? (missing ? t("documentGone") : "…")}</h2>
        <button type="button" class="secondary" onClick={() => dialog.current?.close()} data-testid="close-viewer">
          {t("close")}
        </button>
      </div>
      {message && (
        <p role="alert" class="error">
          {message}
        </p>
      )}
      {doc && (
        <>
          <Actions
            doc={doc}
            staff={staff}
            onChanged={changed}
            onGone={(words) => {
              onGone?.(words);
              dialog.current?.close();
            }}
          />
          <div class="viewer-body">
            <div class="viewer-main">
              <PageImages doc={doc} renew={load} language={language} />
            </div>
            <div class="viewer-side">
              <h3>{t("details")}</h3>
              <Details doc={doc} language={language} />
              <h3>{t("history")}</h3>
              <EventHistory entries={staff ? auditHistory(t, events) : milestones(t, doc)} language={language} />
            </div>
          </div>
          {(doc.dataKind || doc.dataStatus !== "NOTHING_FOUND") && <DocumentData documentId={documentId} />}
        </>
      )}
    </dialog>
  );
}

/** A screen's way to open the viewer: `open(id)` shows it; `element` goes into the screen. */
export function useDocumentViewer(staff: boolean, onGone?: (message: string) => void): { open: (documentId: string) => void; element: JSX.Element | null } {
  const [showing, setShowing] = useState<string | null>(null);
  return {
    open: setShowing,
    element: showing ? <DocumentViewer key={showing} documentId={showing} staff={staff} onClose={() => setShowing(null)} onGone={onGone} /> : null,
  };
}
