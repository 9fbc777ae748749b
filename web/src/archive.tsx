// The archive as the viewer may see it: a folder tree (opened folder by folder) with its
// documents, and search over everything visible. What the viewer may not see is simply not there.
import { useEffect, useState } from "preact/hooks";
import { ArchiveFolderDocument, ArchiveRootDocument, SearchDocument, TrayKind, UploadDocumentsDocument, type ArchiveFolderQuery, type SearchQuery } from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n } from "./i18n.js";
import { Icon } from "./icons.js";
import { useDocumentViewer } from "./document-viewer.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

type Folder = Extract<ArchiveFolderQuery["node"], { path: unknown }>;
type Hit = SearchQuery["search"]["nodes"][number];

/** The client's archive page, or (`staff`) a section of the firm's administration page. */
export function ArchiveView({ administrationId, staff = false }: { administrationId: string; staff?: boolean }) {
  const { t } = useI18n();
  const Heading = staff ? "h2" : "h1";
  const [folder, setFolder] = useState<Folder | null>(null);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const viewer = useDocumentViewer(staff, (message) => {
    setNotice(message);
    if (folder) void open(folder.id);
  });

  const open = async (id: string) => setFolder((await api().request(ArchiveFolderDocument, { id, first: 50 })).node as Folder);
  useEffect(() => {
    void api()
      .request(ArchiveRootDocument, { administrationId })
      .then((r) => r.administration.archive && open(r.administration.archive.id));
  }, [administrationId]);

  /** Straight into the open folder, for those who may contribute to it. */
  const uploadHere = async (files: File[]) => {
    if (!folder || files.length === 0) return;
    const { uploadDocuments } = await api().request(UploadDocumentsDocument, { input: { administrationId, tray: TrayKind.Archive, folderId: folder.id, files } });
    setProblem(uploadDocuments.userErrors.map((e) => e.message).join("; ") || null);
    await open(folder.id);
  };

  const search = async (event: Event) => {
    event.preventDefault();
    const query = String(new FormData(event.currentTarget as HTMLFormElement).get("query") ?? "").trim();
    if (!query) return setHits(null);
    setHits((await api().request(SearchDocument, { input: { administrationId, query }, first: 20 })).search.nodes);
  };

  return (
    <section aria-labelledby="archive-title">
      <Heading id="archive-title">{t("archive")}</Heading>
      <BusyForm role="search" class="inline" onSubmit={(e) => search(e)}>
        <label>
          {t("search")} <input name="query" type="search" data-testid="search" />
        </label>
        <SubmitButton>{t("search")}</SubmitButton>
      </BusyForm>
      {hits && (
        <ul class="hits" data-testid="hits">
          {hits.length === 0 && <li>{t("noResults")}</li>}
          {hits.map((h) => (
            <li key={h.document.id} data-testid="hit">
              <button type="button" class="link" data-testid="open-document" onClick={() => viewer.open(h.document.id)}>
                {h.document.filename}
              </button>
              {h.document.folder && ` — ${h.document.folder.name}`}
              {/* The snippet is escaped by the server; only its <mark> tags are markup. */}
              <p dangerouslySetInnerHTML={{ __html: h.snippet }} />
            </li>
          ))}
        </ul>
      )}
      {folder && (
        <div class="folder" data-testid="folder-view">
          <nav aria-label="path">
            {folder.parent && (
              <ActionButton class="link" onClick={() => open(folder.parent!.id)}>
                ← {folder.parent.name}
              </ActionButton>
            )}{" "}
            <strong>{folder.path.join(" / ")}</strong>
          </nav>
          {(folder.viewerAccess === "CONTRIBUTE" || folder.viewerAccess === "MANAGE") && (
            <label class="button">
              {t("chooseFiles")}
              <input type="file" multiple class="sr-only" data-testid="folder-upload" onChange={(e) => void uploadHere([...((e.currentTarget as HTMLInputElement).files ?? [])])} />
            </label>
          )}
          {problem && (
            <p role="alert" class="error">
              {problem}
            </p>
          )}
          {notice && <p role="status">{notice}</p>}
          <ul class="subfolders">
            {folder.children.map((c) => (
              <li key={c.id}>
                <ActionButton class="link" data-testid="subfolder" onClick={() => open(c.id)}>
                  <Icon name="folder" /> {c.name}
                </ActionButton>{" "}
                <span class="count">{c.documentCount}</span>
              </li>
            ))}
          </ul>
          <ul class="folder-docs">
            {folder.documents.nodes.map((d) => (
              <li key={d.id}>
                <button type="button" class="link" data-testid="open-document" onClick={() => viewer.open(d.id)}>
                  {d.filename}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {viewer.element}
    </section>
  );
}
