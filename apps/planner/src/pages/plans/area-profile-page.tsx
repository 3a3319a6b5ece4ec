import type { RouterOutputs } from "@fivestep/api";
import { QueryState, usePageTitle, useTRPC } from "@fivestep/client";
import {
  type Column,
  DataTable,
  Link,
  SpineChart,
  type SpineJudgement,
  type SpineRow,
  useI18n,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { BenchmarkTag } from "../steps/indicator-analysis.tsx";
import { trendLabel } from "../trend-verdict.tsx";

type Row = RouterOutputs["priority"]["areaProfile"]["indicators"][number];

/** Every catalogue indicator for the partnership's area against region and nation, to choose priorities from evidence. */
export function AreaProfilePage(props: { partnershipId: number }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.priority.areaProfile.queryOptions({ partnershipId: props.partnershipId }));
  usePageTitle(t("profile.title"));
  if (!q.isSuccess) return <QueryState query={q} lines={8} />;
  const { context, indicators } = q.data;
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const columns: Column<Row>[] = [
    {
      key: "indicator",
      header: t("overview.indicator"),
      cell: (r) => <Link to={`/indicators/${encodeURIComponent(r.code)}`}>{`${r.code} ${r.title}`}</Link>,
      rowHeader: true,
    },
    { key: "period", header: t("table.period"), cell: (r) => r.latest?.period ?? "–" },
    { key: "area", header: context.area.name, cell: (r) => fmt(r.latest?.value), numeric: true },
    {
      key: "region",
      header: context.region?.name ?? t("profile.region"),
      cell: (r) => fmt(r.region),
      numeric: true,
    },
    {
      key: "nation",
      header: context.nation?.name ?? t("profile.nation"),
      cell: (r) => fmt(r.nation),
      numeric: true,
    },
    {
      key: "vsRegion",
      header: t("profile.vsRegion"),
      cell: (r) =>
        r.vsRegion && r.vsRegion !== "not-compared" ? (
          <BenchmarkTag value={r.vsRegion} against="" />
        ) : r.plainVsRegion ? (
          t(`profile.plain.${r.plainVsRegion}`)
        ) : (
          "–"
        ),
    },
    { key: "trend", header: t("overview.trend"), cell: (r) => trendLabel(t, r.trend) },
  ];
  // The spine: Fivestep's own comparison with England where it could be made, otherwise the
  // publisher's (labelled so in the table), otherwise "not compared".
  const COMPARED = ["better", "similar", "worse", "higher", "lower"];
  const judgementOf = (r: Row): { judgement: SpineJudgement; publisher: boolean } =>
    r.vsNation && COMPARED.includes(r.vsNation)
      ? { judgement: r.vsNation as SpineJudgement, publisher: false }
      : r.publisherVsNation && COMPARED.includes(r.publisherVsNation)
        ? { judgement: r.publisherVsNation as SpineJudgement, publisher: true }
        : { judgement: "not-compared", publisher: false };
  // England's value is the spine's centre, so an indicator whose England value is off the districts'
  // scale (a count, England's being the sum of theirs) has no spine; the page names those left out.
  const onScale = (r: Row) =>
    r.spine !== null && r.nation !== null && r.nation >= r.spine.min && r.nation <= r.spine.max;
  const spined = indicators.filter(
    (r): r is Row & { spine: NonNullable<Row["spine"]> } => r.latest !== null && onScale(r),
  );
  const offScale = indicators.filter(
    (r) => r.latest !== null && r.spine !== null && r.nation !== null && !onScale(r),
  );
  const noEngland = indicators.filter((r) => r.latest !== null && r.spine !== null && r.nation === null);
  const spineRows: SpineRow[] = spined.map((r) => ({
    key: r.code,
    label: `${r.code} ${r.title} (${r.latest?.period ?? ""})`,
    value: r.latest?.value ?? null,
    england: r.nation,
    ...r.spine,
    polarity: r.polarity,
    judgement: judgementOf(r).judgement,
  }));
  const england = context.nation?.name ?? t("profile.nation");
  const judgementWords = (r: Row) => {
    const { judgement, publisher } = judgementOf(r);
    const words = t(`spine.judgement.${judgement}`, { area: england });
    return publisher ? t("spine.publisher", { judgement: words }) : words;
  };
  const spineColumns: Column<(typeof spined)[number]>[] = [
    {
      key: "indicator",
      header: t("overview.indicator"),
      cell: (r) => `${r.code} ${r.title}`,
      rowHeader: true,
    },
    { key: "period", header: t("table.period"), cell: (r) => r.latest?.period ?? "–" },
    { key: "area", header: context.area.name, cell: (r) => fmt(r.latest?.value), numeric: true },
    { key: "england", header: england, cell: (r) => fmt(r.nation), numeric: true },
    { key: "min", header: t("spine.min"), cell: (r) => fmt(r.spine.min), numeric: true },
    { key: "q25", header: t("spine.q25"), cell: (r) => fmt(r.spine.q25), numeric: true },
    { key: "median", header: t("spine.median"), cell: (r) => fmt(r.spine.median), numeric: true },
    { key: "q75", header: t("spine.q75"), cell: (r) => fmt(r.spine.q75), numeric: true },
    { key: "max", header: t("spine.max"), cell: (r) => fmt(r.spine.max), numeric: true },
    { key: "n", header: t("spine.n"), cell: (r) => formatNumber(r.spine.n), numeric: true },
    { key: "judgement", header: t("spine.judgement"), cell: judgementWords },
  ];
  const spineSummary = spined
    .map((r) =>
      t("spine.summaryRow", {
        indicator: r.title,
        area: context.area.name,
        value: fmt(r.latest?.value),
        england: fmt(r.nation),
        min: fmt(r.spine.min),
        max: fmt(r.spine.max),
        judgement: judgementWords(r),
      }),
    )
    .join("; ");
  return (
    <>
      <p>
        <Link to={`/partnerships/${props.partnershipId}`}>{t("plan.back")}</Link>
      </p>
      <h1>{t("profile.heading", { area: context.area.name })}</h1>
      <p className="fs-lead">{t("profile.lead")}</p>
      <DataTable
        caption={t("profile.caption", { area: context.area.name })}
        columns={columns}
        rows={indicators}
        rowKey={(r) => r.code}
        empty={t("profile.empty")}
      />
      <h2>{t("spine.heading", { area: context.area.name })}</h2>
      {spined.length === 0 ? (
        <p>
          {t("spine.none")}
          {noEngland.length > 0
            ? ` ${t("spine.noEngland", { codes: noEngland.map((r) => r.code).join(", ") })}`
            : ""}
        </p>
      ) : (
        <>
          <p>{t("spine.lead", { area: context.area.name })}</p>
          <SpineChart
            summary={`${t("spine.heading", { area: context.area.name })}. ${spineSummary}.`}
            rows={spineRows}
            labels={{
              worst: t("spine.worst"),
              best: t("spine.best"),
              range: t("spine.range"),
              middle: t("spine.middle"),
              england,
              judgements: {
                better: t("spine.judgement.better", { area: england }),
                similar: t("spine.judgement.similar", { area: england }),
                worse: t("spine.judgement.worse", { area: england }),
                higher: t("spine.judgement.higher", { area: england }),
                lower: t("spine.judgement.lower", { area: england }),
                "not-compared": t("spine.judgement.not-compared", { area: england }),
              },
            }}
          />
          <DataTable
            caption={t("spine.caption", { area: context.area.name })}
            columns={spineColumns}
            rows={spined}
            rowKey={(r) => r.code}
            empty={t("spine.none")}
          />
          {offScale.length > 0 ? (
            <p>{t("spine.offScale", { codes: offScale.map((r) => r.code).join(", ") })}</p>
          ) : null}
          {noEngland.length > 0 ? (
            <p>{t("spine.noEngland", { codes: noEngland.map((r) => r.code).join(", ") })}</p>
          ) : null}
        </>
      )}
    </>
  );
}
