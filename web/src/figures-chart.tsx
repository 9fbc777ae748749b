// Revenue, costs and result per month as an SVG chart: bars for revenue (last year's beside it) and
// costs, a line for the result, a scale in euros, a legend; each bar and point says its value on
// hover and on keyboard focus. The table below gives the same figures in the reader's number format.
import { useEffect, useState } from "preact/hooks";
import { FiguresDocument, FiguresGranularity, type FiguresQuery } from "@portaldesk/sdk";
import { api } from "./api.js";
import { formatMoney, monthInWords, useI18n, type Language } from "./i18n.js";
import { onNotification } from "./notifications.js";
import { Scrollable } from "./scrollable.js";

type Period = FiguresQuery["administration"]["figures"]["periods"][number];

function lastMonths(count: number): { from: string; to: string } {
  const now = new Date();
  const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
  return { from: month(-count), to: month(-1) };
}

/** Round steps for the scale (1, 2 or 5 times a power of ten), about four of them over the range. */
export function scaleTicks(low: number, high: number): number[] {
  const range = Math.max(high - low, 1);
  const rough = range / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const ticks: number[] = [];
  for (let v = Math.floor(low / step) * step; v <= Math.ceil(high / step) * step + step / 2; v += step) ticks.push(v);
  return ticks;
}

const money = (language: Language, value: string | null, missing: string) => (value === null ? missing : formatMoney(language, Number(value)));

const WIDTH = 720;
const HEIGHT = 300;
const LEFT = 84;
const BOTTOM = 28;
const TOP = 12;

export function FiguresView({ administrationId }: { administrationId: string }) {
  const { t, language } = useI18n();
  const [periods, setPeriods] = useState<Period[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
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

  const numbers = periods
    .flatMap((p) => [p.revenue, p.costs, p.result, p.previousYear.revenue])
    .filter((v): v is string => v !== null)
    .map(Number);
  const ticks = scaleTicks(Math.min(0, ...numbers), Math.max(1, ...numbers));
  const low = ticks[0]!;
  const high = ticks[ticks.length - 1]!;
  const y = (value: number) => TOP + ((high - value) / (high - low)) * (HEIGHT - TOP - BOTTOM);
  const slot = (WIDTH - LEFT) / periods.length;
  const centre = (i: number) => LEFT + i * slot + slot / 2;
  const say = (p: Period, what: string, value: string | null) => `${monthInWords(language, p.label)}, ${what}: ${money(language, value, t("missing"))}`;
  // A figure's mark: focusable, and saying its value where the pointer or the keyboard is.
  const mark = (label: string) => ({
    tabIndex: 0,
    role: "img" as const,
    "aria-label": label,
    onFocus: () => setShown(label),
    onMouseEnter: () => setShown(label),
  });
  const bar = (p: Period, i: number, value: string | null, offset: number, cls: string, what: string) => {
    if (value === null) return null;
    const top = y(Math.max(0, Number(value)));
    return (
      <rect class={cls} x={LEFT + i * slot + offset} y={top} width={slot * 0.22} height={Math.abs(y(Number(value)) - y(0))} {...mark(say(p, what, value))}>
        <title>{say(p, what, value)}</title>
      </rect>
    );
  };
  const results = periods.map((p, i) => ({ p, i })).filter(({ p }) => p.result !== null);
  const lastYearRevenue = `${t("revenue")} (${t("lastYear")})`;

  return (
    <section aria-labelledby="figures-title">
      <h1 id="figures-title">{t("figures")}</h1>
      <ul class="legend" data-testid="chart-legend">
        <li>
          <span class="swatch revenue" aria-hidden="true" /> {t("revenue")}
        </li>
        <li>
          <span class="swatch revenue last-year" aria-hidden="true" /> {lastYearRevenue}
        </li>
        <li>
          <span class="swatch costs" aria-hidden="true" /> {t("costs")}
        </li>
        <li>
          <span class="swatch result" aria-hidden="true" /> {t("result")}
        </li>
      </ul>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="group"
        aria-label={`${t("revenue")}, ${t("costs")}, ${t("result")}`}
        class="chart"
        data-testid="chart"
        onMouseLeave={() => setShown(null)}
      >
        {ticks.map((v) => (
          <g key={v} class="tick">
            <line x1={LEFT} x2={WIDTH} y1={y(v)} y2={y(v)} class={v === 0 ? "zero" : "grid"} />
            <text x={LEFT - 6} y={y(v) + 4} text-anchor="end" class="axis">
              {formatMoney(language, v, false)}
            </text>
          </g>
        ))}
        {periods.map((p, i) => (
          <g key={p.label}>
            {bar(p, i, p.previousYear.revenue, slot * 0.1, "revenue last-year", lastYearRevenue)}
            {bar(p, i, p.revenue, slot * 0.32, "revenue", t("revenue"))}
            {bar(p, i, p.costs, slot * 0.54, "costs", t("costs"))}
            <text x={centre(i)} y={HEIGHT - 8} text-anchor="middle" class="axis">
              {monthInWords(language, p.label, true)}
            </text>
          </g>
        ))}
        <polyline class="result-line" points={results.map(({ p, i }) => `${centre(i)},${y(Number(p.result))}`).join(" ")} />
        {results.map(({ p, i }) => (
          <circle key={p.label} class="result" cx={centre(i)} cy={y(Number(p.result))} r={5} {...mark(say(p, t("result"), p.result))}>
            <title>{say(p, t("result"), p.result)}</title>
          </circle>
        ))}
      </svg>
      <p class="chart-value" data-testid="chart-value" aria-live="polite">
        {shown ?? "\u00a0"}
      </p>
      <Scrollable label={t("figures")}>
        <table class="figures">
          <thead>
            <tr>
              <th scope="col">{t("month")}</th>
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
                <th scope="row">{monthInWords(language, p.label)}</th>
                <td>{money(language, p.revenue, t("missing"))}</td>
                <td>{money(language, p.costs, t("missing"))}</td>
                <td>{money(language, p.result, t("missing"))}</td>
                <td>{money(language, p.previousYear.result, t("missing"))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scrollable>
    </section>
  );
}
