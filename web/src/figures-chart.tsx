// Revenue, costs and result per month (or quarter) as an SVG bar chart, with last year beside it.
import { useEffect, useState } from "preact/hooks";
import { FiguresDocument, FiguresGranularity, type FiguresQuery } from "@portaldesk/sdk";
import { api } from "./api.js";
import { useI18n } from "./i18n.js";
import { onNotification } from "./notifications.js";

type Period = FiguresQuery["administration"]["figures"]["periods"][number];

function lastMonths(count: number): { from: string; to: string } {
  const now = new Date();
  const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
  return { from: month(-count), to: month(-1) };
}

export function FiguresView({ administrationId }: { administrationId: string }) {
  const { t } = useI18n();
  const [periods, setPeriods] = useState<Period[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      void api()
        .request(FiguresDocument, { administrationId, ...lastMonths(12), granularity: FiguresGranularity.Month })
        .then((r) => {
          setPeriods(r.administration.figures.periods);
          setError(null);
        })
        .catch((e: Error) => setError(e.message));
    load();
    return onNotification(["FIGURES_UPDATED"], load);
  }, [administrationId]);
  if (error) return <p>{error}</p>;
  if (!periods) return null;
  const values = periods.flatMap((p) => [p.revenue, p.costs, p.previousYear.revenue, p.previousYear.costs]).map((v) => Math.abs(Number(v ?? 0)));
  const max = Math.max(1, ...values);
  const width = 720;
  const height = 260;
  const slot = width / periods.length;
  const bar = (value: string | null, index: number, offset: number, cls: string, label: string) => {
    if (value === null) return null;
    const h = (Math.abs(Number(value)) / max) * (height - 40);
    return (
      <rect class={cls} x={index * slot + offset} y={height - 20 - h} width={slot / 5} height={h}>
        <title>{label}</title>
      </rect>
    );
  };
  return (
    <section aria-labelledby="figures-title">
      <h1 id="figures-title">{t("figures")}</h1>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${t("revenue")}, ${t("costs")}, ${t("result")}`} class="chart" data-testid="chart">
        {periods.map((p, i) => (
          <g key={p.label}>
            {bar(p.previousYear.revenue, i, slot * 0.1, "revenue last-year", `${p.label} ${t("revenue")} (${t("lastYear")}): ${p.previousYear.revenue}`)}
            {bar(p.revenue, i, slot * 0.3, "revenue", `${p.label} ${t("revenue")}: ${p.revenue ?? t("missing")}`)}
            {bar(p.costs, i, slot * 0.5, "costs", `${p.label} ${t("costs")}: ${p.costs ?? t("missing")}`)}
            <text x={i * slot + slot / 2} y={height - 4} text-anchor="middle" class="axis">
              {p.label.slice(2)}
            </text>
          </g>
        ))}
      </svg>
      <table class="figures">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t("revenue")}</th>
            <th scope="col">{t("costs")}</th>
            <th scope="col">{t("result")}</th>
            <th scope="col">
              {t("result")} ({t("lastYear")})
            </th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{p.revenue ?? t("missing")}</td>
              <td>{p.costs ?? t("missing")}</td>
              <td>{p.result ?? t("missing")}</td>
              <td>{p.previousYear.result ?? t("missing")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
