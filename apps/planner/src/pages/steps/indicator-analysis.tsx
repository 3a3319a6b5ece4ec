import type { RouterOutputs } from "@fivestep/api";
import { QueryState, useTRPC } from "@fivestep/client";
import { type Column, DataTable, LineChart, StatusTag, type Tone, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { TrendVerdict } from "../trend-verdict.tsx";

/** One indicator's analysis (steps 1 and 3), fetched once and shared by both steps. */
export type Analysis = RouterOutputs["priority"]["analysis"];

/** @example const analysis = useAnalysis(partnershipId, itemId); */
export function useAnalysis(partnershipId: number, itemId: number) {
  const trpc = useTRPC();
  return useQuery(trpc.priority.analysis.queryOptions({ partnershipId, itemId }));
}

const BENCH_TONE: Record<string, Tone> = {
  better: "good",
  worse: "bad",
  similar: "neutral",
  higher: "higher",
  lower: "lower",
  "not-compared": "neutral",
};

/**
 * A benchmark judgement in words with its tag. With `level`, it is Fivestep's own comparison and
 * says its confidence ("95" or "99.8"); where none was made, `whyNot` (when given) says why.
 */
export function BenchmarkTag(props: {
  value: string | null;
  against: string;
  whyNot?: string | null;
  level?: "95" | "99.8";
}) {
  const { t } = useI18n();
  if (props.whyNot && (!props.value || props.value === "not-compared"))
    return <span>{t(`analysis.whyNot.${props.whyNot}`)}</span>;
  if (!props.value) return <span>{t("analysis.noBenchmark")}</span>;
  const words = t(`benchmark.${props.value}`, { area: props.against });
  return (
    <StatusTag
      tone={BENCH_TONE[props.value] ?? "neutral"}
      label={
        props.level && props.value !== "not-compared"
          ? t(props.level === "95" ? "benchmark.level" : "benchmark.level998", { judgement: words })
          : words
      }
    />
  );
}

/** The series of an indicator for the area, its region, nation and comparator group: chart, table and judgements. */
export function IndicatorSeries(props: { analysis: Analysis }) {
  const { t, formatNumber } = useI18n();
  const a = props.analysis;
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const shown = a.series.filter((s) => s.points.length > 0).slice(0, 6);
  const periods = [...new Set(shown.flatMap((s) => s.points.map((p) => p.period)))];
  const ordered = shown[0]
    ? [
        ...shown[0].points.map((p) => p.period),
        ...periods.filter((p) => !shown[0]?.points.some((q) => q.period === p)),
      ]
    : periods;
  const at = (code: string, period: string) =>
    a.series.find((s) => s.areaCode === code)?.points.find((p) => p.period === period);
  const summary = a.latest
    ? t("analysis.summary", {
        area: a.context.area.name,
        value: fmt(a.latest.value),
        period: a.latest.period,
        region: a.context.region?.name ?? "–",
        regionValue: fmt(a.context.region ? at(a.context.region.code, a.latest.period)?.value : null),
      })
    : t("analysis.noData");
  const columns: Column<string>[] = [
    { key: "period", header: t("table.period"), cell: (p) => p, rowHeader: true },
    ...shown.map((s) => ({
      key: s.areaCode,
      header: s.areaName,
      numeric: true,
      cell: (p: string) => {
        const point = at(s.areaCode, p);
        if (!point || point.value == null) return "–";
        return point.lower != null && point.upper != null
          ? `${fmt(point.value)} (${fmt(point.lower)}–${fmt(point.upper)})`
          : fmt(point.value);
      },
    })),
  ];
  return (
    <>
      <dl className="fs-summary-list">
        <dt>{t("analysis.latest")}</dt>
        <dd>
          {a.latest ? `${fmt(a.latest.value)} (${a.latest.period})` : t("analysis.noData")}
          {a.latest?.lower != null && a.latest.upper != null
            ? ` · ${t("analysis.interval", { lower: fmt(a.latest.lower), upper: fmt(a.latest.upper) })}${a.latest.intervalMethod ? ` ${t(`analysis.intervalMethod.${a.latest.intervalMethod}`)}` : ""}`
            : ""}
        </dd>
        <dt>{t("analysis.vsRegion", { area: a.context.region?.name ?? "–" })}</dt>
        <dd>
          <BenchmarkTag
            value={a.benchmark.region}
            against={a.context.region?.name ?? ""}
            whyNot={a.benchmarkWhyNot.region}
            level="95"
          />
          {a.benchmark998.region && a.benchmark998.region !== "not-compared" ? (
            <>
              {" "}
              <BenchmarkTag
                value={a.benchmark998.region}
                against={a.context.region?.name ?? ""}
                level="99.8"
              />
            </>
          ) : null}
        </dd>
        <dt>{t("analysis.vsNation", { area: a.context.nation?.name ?? "–" })}</dt>
        <dd>
          <BenchmarkTag
            value={a.benchmark.nation}
            against={a.context.nation?.name ?? ""}
            whyNot={a.benchmarkWhyNot.nation}
            level="95"
          />
          {a.benchmark998.nation && a.benchmark998.nation !== "not-compared" ? (
            <>
              {" "}
              <BenchmarkTag
                value={a.benchmark998.nation}
                against={a.context.nation?.name ?? ""}
                level="99.8"
              />
            </>
          ) : null}
        </dd>
        {a.publisherJudgement ? (
          <>
            <dt>{t("analysis.publisher")}</dt>
            <dd>
              <StatusTag
                tone={BENCH_TONE[a.publisherJudgement.judgement] ?? "neutral"}
                label={t("analysis.publisherValue", {
                  judgement: t(`benchmark.${a.publisherJudgement.judgement}`, {
                    area: a.publisherJudgement.against,
                  }),
                  source: a.publisherJudgement.source,
                })}
              />
            </dd>
          </>
        ) : null}
        <dt>{t("analysis.trend")}</dt>
        <dd>
          <TrendVerdict trend={a.trend} />
        </dd>
        <dt>{t("analysis.rank")}</dt>
        <dd>
          {a.rank ? (
            <>
              {t("analysis.rankValue", {
                position: a.rank.position,
                of: a.rank.of,
                group: a.context.group?.name ?? "",
                quintile: a.rank.quintile ?? "–",
              })}
              {a.rank.missing > 0
                ? ` ${t("analysis.rankMissing", { missing: a.rank.missing, size: a.rank.of + a.rank.missing })}`
                : ""}
            </>
          ) : a.rankWhyNot === "too-few" && a.rankTooFew ? (
            t("analysis.rankWhyNot.too-few", { count: a.rankTooFew.count, size: a.rankTooFew.size })
          ) : (
            t(`analysis.rankWhyNot.${a.rankWhyNot ?? "no-group"}`)
          )}
        </dd>
        {a.nationalRank ? (
          <>
            <dt>{t("analysis.nationalRank")}</dt>
            <dd>
              {t("analysis.nationalRankValue", {
                position: a.nationalRank.position,
                of: a.nationalRank.of,
                quintile: a.nationalRank.quintile ?? "–",
              })}
            </dd>
          </>
        ) : null}
      </dl>
      <LineChart
        title={`${a.indicator.title} (${a.indicator.unit})`}
        summary={summary}
        categories={ordered}
        yLabel={a.indicator.unit}
        formatValue={(v) => formatNumber(v, { maximumFractionDigits: 1 })}
        series={shown.map((s) => ({
          name: s.areaName,
          values: ordered.map((p) => {
            const point = at(s.areaCode, p);
            return { value: point?.value ?? null, lower: point?.lower ?? null, upper: point?.upper ?? null };
          }),
        }))}
      />
      <p className="fs-caption">{summary}</p>
      <DataTable
        caption={t("analysis.tableCaption", { title: a.indicator.title })}
        columns={columns}
        rows={ordered}
        rowKey={(p) => p}
        empty={t("analysis.noData")}
      />
    </>
  );
}

/** Loads an indicator's analysis and renders its children with it. */
export function WithAnalysis(props: {
  partnershipId: number;
  itemId: number;
  children: (a: Analysis) => React.ReactNode;
}) {
  const q = useAnalysis(props.partnershipId, props.itemId);
  if (!q.isSuccess) return <QueryState query={q} lines={6} />;
  return <>{props.children(q.data)}</>;
}
