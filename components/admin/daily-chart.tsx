import { getTranslations } from "next-intl/server";
import type { DailyCount } from "@/lib/services/overview";

/** Each key is also its words' key, under `admin.overview.metrics` and `admin.overview.chart.bars`. */
const SERIES = [
  { key: "signIns", color: "#4f46e5" },
  { key: "signups", color: "#059669" },
  { key: "failedSignIns", color: "#dc2626" },
] as const;

const WIDTH = 640;
const HEIGHT = 220;
const PADDING = { top: 12, right: 8, bottom: 28, left: 36 };

/** Grouped bars per day, drawn on the server as SVG (no script, no inline style); the same numbers as a table for screen readers. */
export async function DailyChart({ days }: { days: DailyCount[] }) {
  const t = await getTranslations("admin.overview");
  const max = Math.max(1, ...days.flatMap((day) => SERIES.map((series) => day[series.key])));
  const plotWidth = WIDTH - PADDING.left - PADDING.right;
  const plotHeight = HEIGHT - PADDING.top - PADDING.bottom;
  const groupWidth = plotWidth / days.length;
  const barWidth = (groupWidth * 0.8) / SERIES.length;
  const y = (value: number) => PADDING.top + plotHeight - (value / max) * plotHeight;
  const ticks = [0, Math.round(max / 2), max];

  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t("chart.label", { days: days.length })}
        className="h-auto w-full"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PADDING.left} x2={WIDTH - PADDING.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={PADDING.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#64748b">
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => (
          <g key={day.day}>
            {SERIES.map((series, seriesIndex) => {
              const value = day[series.key];
              const x = PADDING.left + index * groupWidth + groupWidth * 0.1 + seriesIndex * barWidth;
              return (
                <rect key={series.key} x={x} y={y(value)} width={barWidth - 2} height={y(0) - y(value)} fill={series.color}>
                  <title>{t(`chart.bars.${series.key}`, { day: day.day, count: value })}</title>
                </rect>
              );
            })}
            <text x={PADDING.left + index * groupWidth + groupWidth / 2} y={HEIGHT - 8} textAnchor="middle" fontSize="11" fill="#475569">
              {day.day.slice(5)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-4 text-xs text-slate-600">
        {SERIES.map((series) => (
          <span key={series.key} className="inline-flex items-center gap-1.5">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={series.color} />
            </svg>
            {t(`metrics.${series.key}`)}
          </span>
        ))}
      </figcaption>
      <table className="sr-only">
        <caption>{t("chart.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("chart.day")}</th>
            {SERIES.map((series) => (
              <th key={series.key} scope="col">
                {t(`metrics.${series.key}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <th scope="row">{day.day}</th>
              {SERIES.map((series) => (
                <td key={series.key}>{day[series.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
