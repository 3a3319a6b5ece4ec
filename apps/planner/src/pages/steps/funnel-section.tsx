import { type Column, DataTable, FunnelPlot, useI18n } from "@fivestep/ui";
import type { Analysis } from "./indicator-analysis.tsx";

type FunnelArea = NonNullable<Analysis["funnel"]["view"]>["areas"][number];

/**
 * Step 1's funnel plot of an indicator's latest period: each area of the comparator group (the
 * partnership's own area named) against the group's average and its 95% and 99.8% control limits,
 * with a table of the same numbers beside it; or, where there is none, why (not a percentage, no
 * group, no counts and denominators…).
 *
 * @example <FunnelSection analysis={a} />
 */
export function FunnelSection(props: { analysis: Analysis }) {
  const { t, formatNumber } = useI18n();
  const a = props.analysis;
  const { view, whyNot } = a.funnel;
  const headingId = `funnel-${a.indicator.code.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const value = (v: number) => formatNumber(v, { maximumFractionDigits: 1 });
  const count = (v: number) => formatNumber(v, { maximumFractionDigits: 0 });
  if (!view) {
    return (
      <>
        <h3 id={headingId}>{t("funnel.title")}</h3>
        <p>{t(`funnel.whyNot.${whyNot ?? "no-data"}`)}</p>
      </>
    );
  }
  const own = view.areas.find((x) => x.own);
  const average = value(view.baseline);
  const above = view.areas.filter((x) => x.significance === "high-99.8").length;
  const below = view.areas.filter((x) => x.significance === "low-99.8").length;
  const summary = t("funnel.summary", {
    area: own?.name ?? a.context.area.name,
    value: own ? value(own.value) : "–",
    denominator: own ? count(own.denominator) : "–",
    place: own ? t(`funnel.place.${own.significance}`) : "–",
    above,
    below,
    count: view.areas.length,
    average,
  });
  // The own area first, then from the highest value down.
  const rows = [...view.areas].sort((p, q) => Number(q.own) - Number(p.own) || q.value - p.value);
  const columns: Column<FunnelArea>[] = [
    { key: "area", header: t("funnel.area"), cell: (r) => r.name, rowHeader: true },
    {
      key: "value",
      header: `${t("funnel.value")} (${a.indicator.unit})`,
      numeric: true,
      cell: (r) => value(r.value),
    },
    { key: "count", header: t("funnel.count"), numeric: true, cell: (r) => count(r.numerator) },
    { key: "denominator", header: t("funnel.denominator"), numeric: true, cell: (r) => count(r.denominator) },
    { key: "place", header: t("funnel.place"), cell: (r) => t(`funnel.place.${r.significance}`) },
  ];
  return (
    <>
      <h3 id={headingId}>{t("funnel.title")}</h3>
      <p>{t("funnel.lead", { average })}</p>
      <FunnelPlot
        title={t("funnel.chartTitle", { title: a.indicator.title, period: view.period })}
        summary={summary}
        baseline={view.baseline}
        limits={view.points}
        areas={view.areas.map((x) => ({
          key: x.code,
          label: x.name,
          denominator: x.denominator,
          value: x.value,
          own: x.own,
          place: x.significance,
        }))}
        xLabel={t("funnel.xLabel")}
        yLabel={a.indicator.unit}
        formatValue={value}
        formatCount={count}
        labels={{
          baseline: t("funnel.baseline", { average }),
          limits95: t("funnel.limits95"),
          limits998: t("funnel.limits998"),
          own: own?.name ?? a.context.area.name,
          others: t("funnel.others"),
          above: t("funnel.above"),
          below: t("funnel.below"),
        }}
      />
      <p className="fs-caption">{summary}</p>
      {view.withoutCounts > 0 ? (
        <p>{t("funnel.withoutCounts", { count: view.withoutCounts, period: view.period })}</p>
      ) : null}
      <DataTable
        caption={t("funnel.tableCaption", { title: a.indicator.title, period: view.period })}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.code}
        empty={t("analysis.noData")}
      />
    </>
  );
}
