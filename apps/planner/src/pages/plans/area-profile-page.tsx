import type { RouterOutputs } from "@fivestep/api";
import { type Column, DataTable, ErrorPanel, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "../../trpc.ts";
import { BenchmarkTag } from "../steps/indicator-analysis.tsx";
import { trendLabel } from "../trend-verdict.tsx";

type Row = RouterOutputs["priority"]["areaProfile"]["indicators"][number];

/** Every catalogue indicator for the partnership's area against region and nation, to choose priorities from evidence. */
export function AreaProfilePage(props: { partnershipId: number }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.priority.areaProfile.queryOptions({ partnershipId: props.partnershipId }));
  useEffect(() => {
    document.title = `${t("profile.title")} – ${t("app.title")}`;
  }, [t]);
  if (q.isPending) return <Skeleton label={t("common.loading")} lines={8} />;
  if (q.isError) return <ErrorPanel title={t("common.errorTitle")} message={q.error.message} />;
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
    </>
  );
}
