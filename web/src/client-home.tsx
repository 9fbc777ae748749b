// The client's desk: drop or pick files (folders too), see each upload's progress, then file the
// cards into trays or archive folders by dragging them or with the keyboard.
import { useEffect, useState } from "preact/hooks";
import {
  ArchiveRootDocument,
  DeskDocument,
  FileDocumentsDocument,
  MergeDocumentsDocument,
  ReturnDocumentsToDeskDocument,
  TrayKind,
  TraysDocument,
  UploadDocumentsDocument,
  type DeskQuery,
  type TraysQuery,
  type ViewerQuery,
} from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { useI18n, fill } from "./i18n.js";
import { MailInAddress } from "./mail-in.js";
import { filesOfDrop } from "./dropped-files.js";
import { PageEditor } from "./page-editor.js";
import { BankTodos, money } from "./document-data.js";
import { useDocumentViewer } from "./document-viewer.js";
import { Icon } from "./icons.js";
import { ActionButton } from "./busy.js";

type DeskDoc = NonNullable<DeskQuery["administration"]["desk"]>["documents"]["nodes"][number];
type Trays = TraysQuery["administration"]["trays"];
type Folder = { id: string; name: string; viewerAccess: string };

interface Upload {
  key: string;
  name: string;
  /** 0–100; null once failed. */
  percent: number | null;
  error: string | null;
}

const DRAG_TYPE = "application/x-portaldesk-documents";
const TRAYS = [TrayKind.Purchase, TrayKind.Sales, TrayKind.Receipts, TrayKind.BankStatements];

/** A place to file into: a tray, or an archive folder. */
type Destination = { tray: TrayKind; folderId: string | null; label: string };

export function ClientHome({ viewer }: { viewer: ViewerQuery["viewer"] }) {
  const { t, language } = useI18n();
  const administration = viewer.memberships[0]?.administration;
  const [desk, setDesk] = useState<DeskDoc[] | null>(null);
  const [trays, setTrays] = useState<Trays>([]);
  const [folders, setFolders] = useState<Folder[]>([]);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [destination, setDestination] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  /** What was filed last, so it can be undone right away. */
  const [lastFiled, setLastFiled] = useState<string[] | null>(null);
  const documents = useDocumentViewer(false, setMessage);
  const [dragging, setDragging] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  useEffect(() => {
    if (!administration) return;
    const id = administration.id;
    const load = () => {
      void (async () => {
        // The whole desk, a page of 100 at a time.
        const all: DeskDoc[] = [];
        let after: string | null = null;
        for (;;) {
          const result: DeskQuery = await api().request(DeskDocument, { administrationId: id, first: 100, after });
          const page = result.administration.desk?.documents;
          if (!page) break;
          all.push(...page.nodes);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        setDesk(all);
      })();
      void api()
        .request(TraysDocument, { administrationId: id })
        .then((r) => setTrays(r.administration.trays));
      void api()
        .request(ArchiveRootDocument, { administrationId: id })
        .then((r) => setFolders((r.administration.archive?.children ?? []).filter((f) => f.viewerAccess !== "VIEW")));
    };
    return followAdministration(id, load);
  }, [administration?.id]);

  if (!administration) return <p>{t("nothingToDo")}</p>;

  const destinations: Destination[] = [
    ...TRAYS.map((tray) => ({ tray, folderId: null, label: t(tray) })),
    ...folders.map((f) => ({ tray: TrayKind.Archive, folderId: f.id, label: `${t("ARCHIVE")}: ${f.name}` })),
  ];

  const upload = async (files: File[]) => {
    const batch = files.map((file, i) => ({ key: `${Date.now()}-${i}-${file.name}`, name: file.name, percent: 0, error: null }) as Upload);
    setUploads((all) => [...batch, ...all]);
    const update = (key: string, change: Partial<Upload>) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
    // One request per file: each has its own progress, and one refused file keeps the others.
    await Promise.all(
      files.map(async (file, i) => {
        const { key } = batch[i]!;
        try {
          const { uploadDocuments } = await api().requestWithProgress(UploadDocumentsDocument, { input: { administrationId: administration.id, files: [file] } }, (sent, total) =>
            update(key, { percent: Math.min(99, Math.round((sent / Math.max(total, 1)) * 100)) }),
          );
          const problem = uploadDocuments.userErrors[0]?.message;
          update(key, problem ? { percent: null, error: problem } : { percent: 100 });
        } catch (error) {
          update(key, { percent: null, error: (error as Error).message });
        }
      }),
    );
  };

  const fileInto = async (documentIds: string[], target: Destination) => {
    if (documentIds.length === 0) return;
    const { fileDocuments } = await api().request(FileDocumentsDocument, { input: { documentIds, tray: target.tray, folderId: target.folderId } });
    const problem = fileDocuments.userErrors[0]?.message;
    setMessage(problem ?? fill(t, t("filedInto"), { n: documentIds.length, place: target.label }));
    setLastFiled(problem ? null : documentIds);
    setSelected(new Set());
  };

  const undoFiling = async (documentIds: string[]) => {
    const { returnDocumentsToDesk } = await api().request(ReturnDocumentsToDeskDocument, { input: { documentIds } });
    setLastFiled(null);
    setMessage(returnDocumentsToDesk.userErrors[0]?.message ?? fill(t, t("takenBack"), { n: documentIds.length }));
  };

  const dropOnto = (target: Destination) => ({
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer?.types.includes(DRAG_TYPE)) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const ids = e.dataTransfer?.getData(DRAG_TYPE);
      if (!ids) return;
      e.preventDefault();
      void fileInto(JSON.parse(ids) as string[], target);
    },
  });

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div class="client">
      <section
        class={`desk ${dragging ? "dragging" : ""}`}
        aria-labelledby="desk-title"
        data-testid="desk"
        onDragOver={(e) => {
          if (e.dataTransfer?.types.includes("Files")) {
            e.preventDefault();
            setDragging(true);
          }
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={async (e) => {
          if (!e.dataTransfer?.types.includes("Files")) return;
          e.preventDefault();
          setDragging(false);
          await upload(await filesOfDrop(e.dataTransfer));
        }}
      >
        <h1 id="desk-title">
          {t("desk")} — {administration.name}
        </h1>
        <div class="drop-zone">
          <p>{t("dropHere")}</p>
          <label class="button">
            {t("chooseFiles")}
            <input type="file" multiple class="sr-only" onChange={(e) => void upload([...((e.currentTarget as HTMLInputElement).files ?? [])])} />
          </label>
          <label class="button">
            {t("takePhoto")}
            <input type="file" accept="image/*" capture="environment" class="sr-only" onChange={(e) => void upload([...((e.currentTarget as HTMLInputElement).files ?? [])])} />
          </label>
        </div>
        <MailInAddress administrationId={administration.id} staff={false} />
        <BankTodos administrationId={administration.id} />
        {uploads.length > 0 && (
          <ul class="uploads" aria-label={t("uploading")}>
            {uploads.map((u) => (
              <li key={u.key} data-testid="upload">
                <span>{u.name}</span>
                {u.error ? (
                  <span role="alert" class="error">
                    {t("uploadFailed")}: {u.error}
                  </span>
                ) : (
                  <progress max={100} value={u.percent ?? 0} aria-label={u.name} data-percent={u.percent ?? 0}>
                    {u.percent}%
                  </progress>
                )}
              </li>
            ))}
          </ul>
        )}
        {desk && desk.length === 0 && (
          <p class="done" role="status">
            {t("deskEmpty")}
          </p>
        )}
        {desk && desk.length > 0 && (
          <>
            <div class="toolbar">
              <label>
                {t("fileInto")}{" "}
                <select value={destination} onChange={(e) => setDestination(Number((e.currentTarget as HTMLSelectElement).value))} data-testid="destination">
                  {destinations.map((d, i) => (
                    <option key={d.label} value={i}>
                      {d.label}
                    </option>
                  ))}
                </select>
              </label>
              <ActionButton disabled={selected.size === 0} onClick={() => fileInto([...selected], destinations[destination]!)}>
                {t("file")} ({selected.size})
              </ActionButton>
              <ActionButton
                class="secondary"
                disabled={selected.size < 2}
                data-testid="merge"
                onClick={async () => {
                  const { mergeDocuments } = await api().request(MergeDocumentsDocument, { input: { documentIds: [...selected] } });
                  setMessage(mergeDocuments.userErrors[0]?.message ?? null);
                  setLastFiled(null);
                  setSelected(new Set());
                }}
              >
                {t("merge")}
              </ActionButton>
            </div>
            <ul class="cards">
              {desk.map((doc) => (
                <li
                  key={doc.id}
                  class={`doc ${selected.has(doc.id) ? "selected" : ""}`}
                  data-testid="card"
                  data-filename={doc.filename}
                  draggable
                  onDragStart={(e) => {
                    const ids = selected.has(doc.id) ? [...selected] : [doc.id];
                    e.dataTransfer?.setData(DRAG_TYPE, JSON.stringify(ids));
                    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
                  }}
                >
                  {/* The thumbnail opens the viewer for the mouse; the View button is the way for keyboard and screen reader. */}
                  {doc.thumbnailUrl ? (
                    <img src={doc.thumbnailUrl} alt="" loading="lazy" width={120} height={160} onClick={() => documents.open(doc.id)} />
                  ) : (
                    <div class="thumb" onClick={() => documents.open(doc.id)}>
                      {doc.format}
                    </div>
                  )}
                  <label class="name">
                    <input type="checkbox" checked={selected.has(doc.id)} onChange={() => toggle(doc.id)} />
                    <span>{doc.filename}</span>
                  </label>
                  <DataSummary doc={doc} language={language} />
                  <span class="card-actions">
                    <button
                      type="button"
                      class="link"
                      data-testid="open-document"
                      aria-label={fill(t, t("viewDocument"), { name: doc.filename })}
                      onClick={() => documents.open(doc.id)}
                    >
                      {t("view")}
                    </button>
                    <button type="button" class="link" data-testid="edit-pages" onClick={() => setEditing(doc.id)}>
                      {t("editPages")}
                    </button>
                  </span>
                  {doc.suggestedTray && (
                    <ActionButton
                      class="suggested"
                      data-testid="file-suggested"
                      onClick={() => fileInto([doc.id], { tray: doc.suggestedTray!, folderId: null, label: t(doc.suggestedTray!) })}
                    >
                      {t("fileSuggested")} {t(doc.suggestedTray)}
                    </ActionButton>
                  )}
                  {doc.status === "RETURNED" && (
                    <p class="returned">
                      {t("returned")}: {doc.returnReason}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
        {editing && <PageEditor documentId={editing} onDone={() => setEditing(null)} />}
        {documents.element}
        {message && (
          <p role="status" class="message" data-testid="desk-message">
            {message}{" "}
            {lastFiled && (
              <ActionButton class="link" data-testid="undo-filing" onClick={() => undoFiling(lastFiled)}>
                {t("undo")}
              </ActionButton>
            )}
          </p>
        )}
      </section>
      <aside class="trays" aria-labelledby="trays-title">
        <h2 id="trays-title">{t("trays")}</h2>
        <ul>
          {TRAYS.map((kind) => {
            const tray = trays.find((x) => x.kind === kind);
            return (
              <li key={kind} class="tray" data-testid={`tray-${kind}`} {...dropOnto({ tray: kind, folderId: null, label: t(kind) })}>
                <strong>{t(kind)}</strong> <span class="count">{tray?.documentCount ?? 0}</span>
                <ul class="tray-docs">
                  {(tray?.documents.nodes ?? []).map((d) => (
                    <li key={d.id}>
                      <button type="button" class="link" data-testid="tray-document" onClick={() => documents.open(d.id)}>
                        {d.filename}
                      </button>{" "}
                      <span class={`status ${d.status}`}>{t(d.status as "SUBMITTED")}</span>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
          {folders.map((f) => (
            <li key={f.id} class="tray folder" data-testid={`folder-${f.name}`} {...dropOnto({ tray: TrayKind.Archive, folderId: f.id, label: `${t("ARCHIVE")}: ${f.name}` })}>
              <strong>
                {t("folder")}: {f.name}
              </strong>
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}

/** One line on a card saying what was read from the document, or why it could not be. */
function DataSummary({ doc, language }: { doc: DeskDoc; language: "nl" | "en" }) {
  const { t } = useI18n();
  if (doc.dataStatus === "FAILED") {
    return (
      <p class="data error" data-testid="data-summary">
        {t("dataFailed")}
      </p>
    );
  }
  const invoice = doc.invoice;
  if (invoice) {
    const party = invoice.direction === "SALES" ? invoice.customer.name : invoice.supplier.name;
    return (
      <p class="data" data-testid="data-summary">
        {t(invoice.kind === "CREDIT_NOTE" ? "creditNote" : "invoice")} {invoice.number} · {party} · {money(invoice.grossTotal, invoice.currency, language)}
        {invoice.warnings.length > 0 && (
          <span class="badge warning" title={t("invoiceWarnings")}>
            {" "}
            <Icon name="warning" /> {invoice.warnings.length}
            <span class="sr-only"> {t("invoiceWarnings")}</span>
          </span>
        )}
        {doc.duplicateOf && (
          <span class="badge warning">
            {" "}
            {t("duplicateOf")} {doc.duplicateOf.filename}
          </span>
        )}
      </p>
    );
  }
  const statements = doc.bankStatements;
  if (statements.length > 0) {
    const last = statements[statements.length - 1]!;
    return (
      <p class="data" data-testid="data-summary">
        {t("statement")} {statements.length > 1 ? `${statements[0]!.number}–${last.number}` : last.number} · {last.account} · {money(last.closingBalance, last.currency, language)}
      </p>
    );
  }
  return doc.duplicateOf ? (
    <p class="data" data-testid="data-summary">
      <span class="badge warning">
        {t("duplicateOf")} {doc.duplicateOf.filename}
      </span>
    </p>
  ) : null;
}
