import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { type Column, DataTable, ErrorPanel, LineChart, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { TrendVerdict } from "./trend-verdict.tsx";

/**
 * "Where are we now?" for one indicator: the areas' series as a chart and a table, and each area's
 * trend (the same verdict step 1 gives) beside its change on the previous period, which is never
 * called a trend.
 */
export function IndicatorPage(props: { code: string }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const query = useQuery(trpc.observation.series.queryOptions({ indicatorCode: props.code, areaCodes: [] }));
  const data = query.data;
  usePageTitle(data?.indicator.title ?? props.code);

  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });

  if (query.isPending) return <Skeleton label={t("common.loading")} lines={8} />;
  if (query.isError) {
    return (
      <>
        <p>
          <Link to="/">{t("indicator.back")}</Link>
        </p>
        <ErrorPanel
          title={
            query.error.data?.code === "NOT_FOUND"
              ? t("indicator.notFound", { code: props.code })
              : t("common.errorTitle")
          }
          message={t(errorMessageId(query.error))}
          retryLabel={t("common.retry")}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }

  const { indicator, series, periods } = query.data;
  const valueAt = (areaCode: string, period: string) =>
    series.find((s) => s.areaCode === areaCode)?.points.find((p) => p.period === period);

  const summary = series
    .map((s) => {
      const last = s.points.at(-1);
      if (!last || last.value == null) return t("chart.noData", { area: s.areaName });
      const base = t("chart.latest", { area: s.areaName, value: fmt(last.value), period: last.period });
      if (!s.direction) return base;
      const change = formatNumber(Math.abs(s.direction.change), { maximumFractionDigits: 2 });
      return `${base}, ${t(s.direction.change >= 0 ? "chart.up" : "chart.down", { change })}`;
    })
    .join("; ");

  const columns: Column<string>[] = [
    { key: "period", header: t("table.period"), cell: (p) => p, rowHeader: true },
    ...series.map((s) => ({
      key: s.areaCode,
      header: s.areaName,
      numeric: true,
      cell: (p: string) => fmt(valueAt(s.areaCode, p)?.value),
    })),
  ];

  return (
    <>
      <p>
        <Link to="/">{t("indicator.back")}</Link>
      </p>
      <p className="fs-caption">{indicator.code}</p>
      <h1>{indicator.title}</h1>
      <dl className="fs-summary-list">
        <dt>{t("indicator.definition")}</dt>
        <dd>{indicator.definition || "–"}</dd>
        <dt>{t("indicator.unit")}</dt>
        <dd>{indicator.unit || "–"}</dd>
        <dt>{t("indicator.polarity")}</dt>
        <dd>{t(`polarity.${indicator.polarity}`)}</dd>
        <dt>{t("indicator.source")}</dt>
        <dd>{indicator.source || "–"}</dd>
      </dl>

      <h2>{t("indicator.directionHeading")}</h2>
      {series.length === 0 ? (
        <p>{t("indicator.noData")}</p>
      ) : (
        <ul className="fs-grid" style={{ listStyle: "none", padding: 0 }}>
          {series.map((s) => (
            <li key={s.areaCode} className="fs-card" data-area={s.areaCode}>
              <h3>{s.areaName}</h3>
              <p>
                <TrendVerdict trend={s.trend} />
              </p>
              <p>
                {s.direction
                  ? t(
                      `trend.change.${s.direction.change > 0 ? "up" : s.direction.change < 0 ? "down" : "same"}`,
                      {
                        change: fmt(Math.abs(s.direction.change)),
                        from: s.direction.from,
                        to: s.direction.to,
                        previous: fmt(valueAt(s.areaCode, s.direction.from)?.value),
                        latest: fmt(valueAt(s.areaCode, s.direction.to)?.value),
                      },
                    )
                  : t("indicator.directionUnknown")}
              </p>
            </li>
          ))}
        </ul>
      )}

      <h2>{t("indicator.chartHeading")}</h2>
      <LineChart
        title={indicator.title}
        summary={summary}
        categories={periods}
        yLabel={indicator.unit}
        formatValue={(v) => formatNumber(v, { maximumFractionDigits: 1 })}
        series={series.map((s) => ({
          name: s.areaName,
          values: periods.map((p) => {
            const point = valueAt(s.areaCode, p);
            return { value: point?.value ?? null, lower: point?.lower ?? null, upper: point?.upper ?? null };
          }),
        }))}
      />
      <p className="fs-caption">{summary}.</p>
      <DataTable
        caption={t("table.caption", { title: indicator.title, unit: indicator.unit })}
        columns={columns}
        rows={periods}
        rowKey={(p) => p}
        empty={t("indicator.noData")}
      />
    </>
  );
}
