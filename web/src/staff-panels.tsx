// The accountant's panels for one administration: publish, schedule and withdraw reports; show or
// hide the figures; who may use each archive folder; prepare a VAT return.
import { useEffect, useState } from "preact/hooks";
import {
  ArchiveFolderAccessDocument,
  ArchiveRootDocument,
  CreateIcpDeclarationDocument,
  CreateVatReturnDocument,
  FolderAccess,
  PublishReportDocument,
  ReportKind,
  ReportsDocument,
  SetArchiveFolderAccessDocument,
  SetFiguresVisibleDocument,
  WithdrawReportDocument,
  type ArchiveFolderAccessQuery,
  type ReportFieldsFragment,
} from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { go } from "./route.js";
import { useI18n } from "./i18n.js";
import { Scrollable } from "./scrollable.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

type Access = Extract<ArchiveFolderAccessQuery["node"], { access: unknown }>["access"];

function Problem({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" class="error">
      {message}
    </p>
  ) : null;
}

export function ReportsPanel({ administrationId }: { administrationId: string }) {
  const { t } = useI18n();
  const [reports, setReports] = useState<ReportFieldsFragment[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const load = () =>
    void api()
      .request(ReportsDocument, { administrationId, first: 50 })
      .then((r) => setReports(r.administration.reports.nodes));
  useEffect(() => followAdministration(administrationId, load), [administrationId]);

  const publish = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) return setProblem(t("chooseFiles"));
    const publishAt = String(data.get("publishAt") ?? "");
    const { publishReport } = await api().request(PublishReportDocument, {
      input: {
        administrationId,
        file,
        title: String(data.get("title")),
        kind: String(data.get("kind")) as ReportKind,
        periodStart: String(data.get("periodStart")),
        periodEnd: String(data.get("periodEnd")),
        publishAt: publishAt ? new Date(publishAt).toISOString() : null,
      },
    });
    setProblem(publishReport.userErrors[0]?.message ?? null);
    if (!publishReport.userErrors.length) form.reset();
    load();
  };

  return (
    <section aria-labelledby="staff-reports-title">
      <h2 id="staff-reports-title">{t("reports")}</h2>
      <BusyForm class="stack" onSubmit={(e) => publish(e)} data-testid="publish-report">
        <label>
          {t("title")} <input name="title" required maxLength={200} />
        </label>
        <label>
          {t("kind")}{" "}
          <select name="kind">
            {Object.values(ReportKind).map((k) => (
              <option key={k} value={k}>
                {t(`reportKind${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("periodFrom")} <input name="periodStart" type="date" required />
        </label>
        <label>
          {t("periodTo")} <input name="periodEnd" type="date" required />
        </label>
        <label>
          {t("publishAt")} <input name="publishAt" type="datetime-local" />
        </label>
        <label>
          PDF <input name="file" type="file" accept="application/pdf" required />
        </label>
        <SubmitButton>{t("publish")}</SubmitButton>
      </BusyForm>
      <Problem message={problem} />
      <ul class="reports">
        {reports.map((r) => (
          <li key={r.id} data-testid="staff-report">
            <a href={r.downloadUrl}>{r.title}</a> {r.withdrawnAt ? `(${t("withdrawn")})` : r.published ? "" : `(${t("scheduled")} ${new Date(r.publishAt).toLocaleString()})`}{" "}
            {!r.withdrawnAt && (
              <ActionButton
                class="secondary"
                confirm={t("withdrawReportConfirm").replace("{title}", r.title)}
                onClick={() =>
                  api()
                    .request(WithdrawReportDocument, { input: { reportId: r.id } })
                    .then(load)
                }
              >
                {t("withdraw")}
              </ActionButton>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function FiguresPanel({ administrationId, visible, onChange }: { administrationId: string; visible: boolean; onChange: (visible: boolean) => void }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="staff-figures-title">
      <h2 id="staff-figures-title">{t("figures")}</h2>
      <label>
        <input
          type="checkbox"
          checked={visible}
          data-testid="figures-visible"
          onChange={async (e) => {
            const next = (e.currentTarget as HTMLInputElement).checked;
            const { setFiguresVisible } = await api().request(SetFiguresVisibleDocument, { input: { administrationId, visible: next } });
            onChange(setFiguresVisible.administration?.figuresVisible ?? visible);
          }}
        />{" "}
        {t("figuresVisible")}
      </label>
    </section>
  );
}

export function FolderAccessPanel({ administrationId }: { administrationId: string }) {
  const { t } = useI18n();
  const [folders, setFolders] = useState<Array<{ id: string; name: string }>>([]);
  const [folderId, setFolderId] = useState<string | null>(null);
  const [access, setAccess] = useState<Access>([]);
  useEffect(() => {
    void api()
      .request(ArchiveRootDocument, { administrationId })
      .then((r) => {
        const root = r.administration.archive;
        if (!root) return;
        setFolders([{ id: root.id, name: root.name }, ...root.children.map((c) => ({ id: c.id, name: `${root.name} / ${c.name}` }))]);
        setFolderId(root.id);
      });
  }, [administrationId]);
  const load = (id: string) =>
    void api()
      .request(ArchiveFolderAccessDocument, { id })
      .then((r) => setAccess((r.node as { access: Access }).access));
  useEffect(() => {
    if (folderId) load(folderId);
  }, [folderId]);
  const set = async (userId: string, value: string) => {
    await api().request(SetArchiveFolderAccessDocument, { input: { folderId: folderId!, userId, access: value ? (value as FolderAccess) : null } });
    load(folderId!);
  };
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">
        {t("archive")}: {t("access")}
      </h2>
      <select value={folderId ?? ""} onChange={(e) => setFolderId((e.currentTarget as HTMLSelectElement).value)} aria-label={t("folder")}>
        {folders.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </select>
      <Scrollable label={t("access")}>
        <table class="queue">
          <tbody>
            {access.map((a) => (
              <tr key={a.user.id}>
                <td>{a.user.name}</td>
                <td>
                  <select
                    value={a.explicit ? a.access : ""}
                    aria-label={`${a.user.name}: ${t(`access${a.access}`)}`}
                    onChange={(e) => void set(a.user.id, (e.currentTarget as HTMLSelectElement).value)}
                  >
                    <option value="">
                      {t("inherited")}: {t(`access${a.access}`)}
                    </option>
                    {Object.values(FolderAccess).map((v) => (
                      <option key={v} value={v}>
                        {t(`access${v}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scrollable>
    </section>
  );
}

/** A new VAT return for a quarter, with the entered boxes; it opens as a draft to check and offer. */
export function NewVatReturn({ administrationId }: { administrationId: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const pairs = ["1a", "1b", "1c", "1d", "2a", "4a", "4b"];
  const singles = ["1e", "3a", "3b", "3c", "5b"];
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const number = (name: string) => Number(data.get(name) || 0);
    const boxes: Record<string, unknown> = {};
    for (const box of pairs) boxes[`box${box}`] = { turnover: number(`${box}-turnover`), vat: number(`${box}-vat`) };
    for (const box of singles) boxes[`box${box}`] = number(box);
    const { createVatReturn } = await api().request(CreateVatReturnDocument, {
      input: { administrationId, period: { year: number("year"), quarter: number("quarter") }, boxes },
    });
    setProblem(createVatReturn.userErrors[0]?.message ?? null);
    if (createVatReturn.vatReturn) go(`filings/${createVatReturn.vatReturn.id}`);
  };
  return (
    <details>
      <summary>+ {t("VAT_RETURN")}</summary>
      <BusyForm class="stack" onSubmit={(e) => submit(e)}>
        <label>
          {t("year")} <input name="year" type="number" min={2000} max={2100} required value={new Date().getFullYear()} />
        </label>
        <label>
          {t("quarter")} <input name="quarter" type="number" min={1} max={4} required />
        </label>
        {pairs.map((box) => (
          <fieldset key={box} class="inline">
            <legend>
              {t("box")} {box}
            </legend>
            <label>
              {t("turnover")} <input name={`${box}-turnover`} type="number" step={1} />
            </label>
            <label>
              {t("vat")} <input name={`${box}-vat`} type="number" step={1} />
            </label>
          </fieldset>
        ))}
        {singles.map((box) => (
          <label key={box}>
            {t("box")} {box} <input name={box} type="number" step={1} />
          </label>
        ))}
        <SubmitButton>{t("create")}</SubmitButton>
        <Problem message={problem} />
      </BusyForm>
    </details>
  );
}

/** A new ICP declaration for a quarter: one line per customer in another EU member state. */
export function NewIcpDeclaration({ administrationId }: { administrationId: string }) {
  const { t } = useI18n();
  const [lines, setLines] = useState(1);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? "").trim();
    const amount = (name: string) => Number(value(name) || 0);
    const { createIcpDeclaration } = await api().request(CreateIcpDeclarationDocument, {
      input: {
        administrationId,
        period: { year: amount("year"), quarter: amount("quarter") },
        lines: Array.from({ length: lines }, (_, i) => ({
          countryCode: value(`country-${i}`),
          vatNumber: value(`vat-${i}`),
          goods: amount(`goods-${i}`),
          services: amount(`services-${i}`),
          triangular: amount(`triangular-${i}`),
        })),
      },
    });
    setProblem(createIcpDeclaration.userErrors.map((e) => e.message).join("; ") || null);
    if (createIcpDeclaration.icpDeclaration) go(`filings/${createIcpDeclaration.icpDeclaration.id}`);
  };
  return (
    <details>
      <summary>+ {t("ICP_DECLARATION")}</summary>
      <BusyForm class="stack" onSubmit={(e) => submit(e)} data-testid="new-icp">
        <label>
          {t("year")} <input name="year" type="number" min={2000} max={2100} required value={new Date().getFullYear()} />
        </label>
        <label>
          {t("quarter")} <input name="quarter" type="number" min={1} max={4} required />
        </label>
        {Array.from({ length: lines }, (_, i) => (
          <fieldset key={i} class="inline">
            <legend>
              {t("customer")} {i + 1}
            </legend>
            <label>
              {t("country")} <input name={`country-${i}`} required maxLength={2} size={3} />
            </label>
            <label>
              {t("vatNumber")} <input name={`vat-${i}`} required />
            </label>
            <label>
              {t("goods")} <input name={`goods-${i}`} type="number" step={1} min={0} />
            </label>
            <label>
              {t("services")} <input name={`services-${i}`} type="number" step={1} min={0} />
            </label>
            <label>
              {t("triangular")} <input name={`triangular-${i}`} type="number" step={1} min={0} />
            </label>
          </fieldset>
        ))}
        <button type="button" class="secondary" onClick={() => setLines(lines + 1)}>
          + {t("customer")}
        </button>
        <SubmitButton>{t("create")}</SubmitButton>
        <Problem message={problem} />
      </BusyForm>
    </details>
  );
}
