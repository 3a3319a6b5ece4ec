import type { RouterOutputs } from "@fivestep/api";
import {
  type Column,
  DataTable,
  EmptyState,
  ErrorPanel,
  SelectField,
  Skeleton,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../trpc.ts";

type Report = RouterOutputs["quality"]["report"];
type Point = Report["outOfRange"][number];
type Outlier = Report["outliers"][number];
type Stale = Report["stale"][number];

/** Values outside the valid range, outliers against their series (flagged, not blocked), stale indicators. */
export function QualityPage() {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const indicators = useQuery(trpc.indicator.list.queryOptions());
  const [indicatorCode, setIndicatorCode] = useState("");
  const [asOf, setAsOf] = useState("");
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const report = useQuery(
    trpc.quality.report.queryOptions(
      { ...(indicatorCode ? { indicatorCode } : {}), ...(validDate ? { asOf } : {}) },
      { placeholderData: (previous) => previous },
    ),
  );
  useEffect(() => {
    document.title = `${t("quality.title")} – ${t("app.title")}`;
  }, [t]);

  const n = (x: number) => formatNumber(x, { maximumFractionDigits: 3 });
  const where: Column<Point>[] = [
    { key: "indicator", header: t("catalogue.code"), cell: (p) => p.indicatorCode, rowHeader: true },
    { key: "area", header: t("areas.name"), cell: (p) => `${p.areaName} (${p.areaCode})` },
    { key: "breakdown", header: t("importField.breakdown"), cell: (p) => p.breakdown || "–" },
    { key: "period", header: t("importField.period"), cell: (p) => p.period },
    { key: "value", header: t("importField.value"), cell: (p) => n(p.value), numeric: true },
  ];
  const outlierColumns: Column<Outlier>[] = [
    ...where,
    { key: "median", header: t("quality.median"), cell: (o) => n(o.median), numeric: true },
    {
      key: "z",
      header: t("quality.z"),
      cell: (o) => formatNumber(o.z, { maximumFractionDigits: 1 }),
      numeric: true,
    },
  ];
  const staleColumns: Column<Stale>[] = [
    { key: "code", header: t("catalogue.code"), cell: (s) => s.indicatorCode, rowHeader: true },
    { key: "title", header: t("catalogue.indicator"), cell: (s) => s.title },
    { key: "latest", header: t("quality.latest"), cell: (s) => s.latestPeriod ?? t("quality.noValues") },
    { key: "expected", header: t("quality.expected"), cell: (s) => s.expectedPeriod ?? "–" },
    { key: "due", header: t("quality.dueSince"), cell: (s) => (s.dueSince ? formatDate(s.dueSince) : "–") },
  ];

  return (
    <>
      <h1>{t("quality.title")}</h1>
      <p className="fs-lead">{t("quality.lead")}</p>
      <fieldset className="fs-filters">
        <legend className="fs-visually-hidden">{t("quality.filters")}</legend>
        <SelectField
          name="indicatorCode"
          label={t("catalogue.indicator")}
          value={indicatorCode}
          onChange={setIndicatorCode}
          options={[
            { value: "", label: t("quality.allIndicators") },
            ...(indicators.data ?? []).map((i) => ({ value: i.code, label: `${i.code} – ${i.title}` })),
          ]}
        />
        <TextField name="asOf" type="date" label={t("quality.asOf")} value={asOf} onChange={setAsOf} />
      </fieldset>
      {report.isPending ? (
        <Skeleton label={t("common.loading")} lines={6} />
      ) : report.isError ? (
        <ErrorPanel
          title={t("common.errorTitle")}
          message={report.error.message}
          retryLabel={t("common.retry")}
          onRetry={() => void report.refetch()}
        />
      ) : (
        <>
          <h2>{t("quality.outOfRange")}</h2>
          <p className="fs-hint">{t("quality.outOfRangeHint")}</p>
          {report.data.outOfRange.length === 0 ? (
            <EmptyState title={t("quality.outOfRangeNone")}>{t("quality.outOfRangeNoneHint")}</EmptyState>
          ) : (
            <DataTable
              caption={t("quality.outOfRangeCaption", { count: report.data.outOfRange.length })}
              columns={where}
              rows={report.data.outOfRange}
              rowKey={(p) => `${p.indicatorCode}|${p.areaCode}|${p.breakdown}|${p.period}`}
              empty="–"
            />
          )}
          <h2>{t("quality.outliers")}</h2>
          <p className="fs-hint">{t("quality.outliersHint")}</p>
          {report.data.outliers.length === 0 ? (
            <EmptyState title={t("quality.outliersNone")}>{t("quality.outliersNoneHint")}</EmptyState>
          ) : (
            <DataTable
              caption={t("quality.outliersCaption", { count: report.data.outliers.length })}
              columns={outlierColumns}
              rows={report.data.outliers}
              rowKey={(p) => `${p.indicatorCode}|${p.areaCode}|${p.breakdown}|${p.period}`}
              empty="–"
            />
          )}
          <h2>{t("quality.stale")}</h2>
          <p className="fs-hint">{t("quality.staleHint")}</p>
          {report.data.stale.length === 0 ? (
            <EmptyState title={t("quality.staleNone")}>{t("quality.staleNoneHint")}</EmptyState>
          ) : (
            <DataTable
              caption={t("quality.staleCaption", { count: report.data.stale.length })}
              columns={staleColumns}
              rows={report.data.stale}
              rowKey={(s) => s.indicatorCode}
              empty="–"
            />
          )}
        </>
      )}
    </>
  );
}
