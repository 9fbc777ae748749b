// Page editing for one document: see every page, drop pages, start a new document at any page
// (split), turn each resulting document; one EditDocumentPages call does it all. For a scan that
// holds several documents, the proposed cuts (suggestedSplits) are set already, each saying why,
// for the person to check and save.
import { useEffect, useState } from "preact/hooks";
import { DocumentPagesDocument, EditDocumentPagesDocument, type DocumentPagesQuery } from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n, type WordKey } from "./i18n.js";
import { Icon } from "./icons.js";
import { ActionButton } from "./busy.js";

type Pages = Extract<DocumentPagesQuery["node"], { pageImageUrls: unknown }>;

interface PageState {
  page: number;
  keep: boolean;
  /** A new document starts at this page. */
  split: boolean;
  /** Why PortalDesk proposes to cut here or drop this page (a reason code), if it does. */
  proposed: string | null;
}

/** The pages with the proposed cuts applied: a cut where a document starts, blank pages and separator sheets dropped. */
function withProposals(count: number, splits: Pages["suggestedSplits"]): PageState[] {
  return Array.from({ length: count }, (_, i) => {
    const page = i + 1;
    const cut = splits.find((s) => s.beforePage === page);
    const dropped = splits.find((s) => s.dropPages.includes(page));
    return { page, keep: !dropped, split: Boolean(cut), proposed: cut?.reason ?? dropped?.reason ?? null };
  });
}

export function PageEditor({ documentId, onDone }: { documentId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [document, setDocument] = useState<Pages | null>(null);
  const [pages, setPages] = useState<PageState[]>([]);
  const [rotation, setRotation] = useState<Record<number, number>>({});
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void api()
      .request(DocumentPagesDocument, { id: documentId })
      .then((r) => {
        const found = r.node as Pages;
        setDocument(found);
        setPages(withProposals(found.pageImageUrls.length, found.suggestedSplits));
      });
  }, [documentId]);
  if (!document) return null;

  // The documents the edit makes: kept pages, cut where a page starts a new one.
  const outputs: number[][] = [];
  for (const p of pages) {
    if (p.split || outputs.length === 0) outputs.push([]);
    if (p.keep) outputs[outputs.length - 1]!.push(p.page);
  }
  const nonEmpty = outputs.map((o, i) => ({ pages: o, index: i })).filter((o) => o.pages.length > 0);
  const change = (page: number, patch: Partial<PageState>) => setPages((all) => all.map((p) => (p.page === page ? { ...p, ...patch } : p)));

  const save = async () => {
    const { editDocumentPages } = await api().request(EditDocumentPagesDocument, {
      input: { documentId, outputs: nonEmpty.map((o) => ({ pages: o.pages, rotate: rotation[o.index] ?? 0 })) },
    });
    if (editDocumentPages.userErrors.length) setProblem(editDocumentPages.userErrors[0]!.message);
    else onDone();
  };

  return (
    <div class="page-editor" role="dialog" aria-labelledby="pages-title" data-testid="page-editor">
      <h2 id="pages-title">
        {t("pages")}: {document.filename}
      </h2>
      {document.suggestedSplits.length > 0 && (
        <div class="proposals" role="status" data-testid="proposed-cuts">
          <strong>{t("proposedCuts")}</strong> {t("proposedCutsIntro")}{" "}
          <button type="button" class="secondary" data-testid="clear-proposals" onClick={() => setPages(withProposals(pages.length, []))}>
            {t("clearProposals")}
          </button>
        </div>
      )}
      <ol class="pages">
        {pages.map((p, i) => (
          <li key={p.page} class={`${p.keep ? "" : "dropped"} ${p.proposed ? "proposed" : ""}`} data-testid="page">
            {p.proposed && (
              <span class="proposal" data-testid="proposal">
                <Icon name="scissors" /> {t(`reason${p.proposed}` as WordKey)}
              </span>
            )}
            <img src={document.pageImageUrls[i]} alt={`${t("page")} ${p.page}`} loading="lazy" width={120} />
            <label>
              <input type="checkbox" checked={p.keep} onChange={() => change(p.page, { keep: !p.keep })} /> {t("keepPage")}
            </label>
            {i > 0 && (
              <label>
                <input type="checkbox" checked={p.split} data-testid="split" onChange={() => change(p.page, { split: !p.split })} /> {t("splitHere")}
              </label>
            )}
          </li>
        ))}
      </ol>
      <ul class="outputs">
        {nonEmpty.map((o, n) => (
          <li key={o.index}>
            {t("newDocument")} {n + 1}: {t("pages")} {o.pages.join(", ")}{" "}
            <label>
              {t("rotate")}{" "}
              <select
                data-testid="rotate"
                value={rotation[o.index] ?? 0}
                onChange={(e) => setRotation({ ...rotation, [o.index]: Number((e.currentTarget as HTMLSelectElement).value) })}
              >
                {[0, 90, 180, 270].map((deg) => (
                  <option key={deg} value={deg}>
                    {deg}°
                  </option>
                ))}
              </select>
            </label>
          </li>
        ))}
      </ul>
      {problem && (
        <p role="alert" class="error">
          {problem}
        </p>
      )}
      <ActionButton onClick={() => save()} disabled={nonEmpty.length === 0} data-testid="save-pages">
        {t("save")}
      </ActionButton>{" "}
      <button type="button" class="secondary" onClick={onDone}>
        {t("cancel")}
      </button>
    </div>
  );
}
