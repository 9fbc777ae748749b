// Reports the firm published: newest first, unread ones marked; opening one records the reading.
import { useEffect, useState } from "preact/hooks";
import { MarkReportReadDocument, ReportLinkDocument, ReportsDocument, type ReportFieldsFragment } from "@portaldesk/sdk";
import { api, followAdministration } from "./api.js";
import { formatDay, useI18n, fill } from "./i18n.js";
import { onNotification } from "./notifications.js";
import { ActionButton } from "./busy.js";

export function ReportsView({ administrationId }: { administrationId: string }) {
  const { t, language } = useI18n();
  const [reports, setReports] = useState<ReportFieldsFragment[] | null>(null);
  const load = () =>
    void api()
      .request(ReportsDocument, { administrationId, first: 50 })
      .then((r) => setReports(r.administration.reports.nodes));
  useEffect(() => {
    const stopFollowing = followAdministration(administrationId, load);
    // A report appears for clients at its moment, announced by a notification.
    const stopListening = onNotification(["REPORT_PUBLISHED", "REPORT_REPLACED"], load);
    return () => {
      stopFollowing();
      stopListening();
    };
  }, [administrationId]);
  // The link is asked for at the click: one loaded with the page may have expired since.
  const open = async (report: ReportFieldsFragment) => {
    const { node } = await api().request(ReportLinkDocument, { id: report.id });
    if (node && "downloadUrl" in node) window.open(node.downloadUrl, "_blank", "noopener");
    await api().request(MarkReportReadDocument, { input: { reportId: report.id } });
    load();
  };
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t("reports")}</h1>
      {reports && reports.length === 0 && <p>{t("nothingToDo")}</p>}
      <ul class="reports">
        {(reports ?? []).map((r) => (
          <li key={r.id} class={r.readAt ? "read" : "unread"} data-testid="report">
            <ActionButton class="link" onClick={() => open(r)}>
              {r.title}
            </ActionButton>{" "}
            <span class="period">
              {t(`reportKind${r.kind}`)}, {formatDay(language, r.periodStart)} – {formatDay(language, r.periodEnd)}
            </span>{" "}
            {r.readAt ? <span class="hint">{fill(t, t("readOn"), { date: formatDay(language, r.readAt.slice(0, 10)) })}</span> : <span class="badge">{t("unread")}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
