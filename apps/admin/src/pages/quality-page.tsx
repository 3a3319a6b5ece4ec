import type { RouterOutputs } from "@fivestep/api";
import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import {
  type Column,
  DataTable,
  EmptyState,
  ruleTranslator,
  SelectField,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

type Report = RouterOutputs["quality"]["report"];
type Point = Report["outOfRange"][number];
type Outlier = Report["outliers"][number];
type Stale = Report["stale"][number];
type Finding = Report["planRules"][number];

/** The step of the planner where a broken plan rule can be put right. */
function stepOf(f: Finding): number | null {
  const step = /^steps\.(\d+)$/.exec(f.field);
  if (step) return Number(step[1]) + 1;
  if (f.kind === "indicator") return f.field === "indicatorCode" ? 1 : 3;
  if (f.kind === "action") return 5;
  return null;
}

/**
 * Values outside the valid range, outliers against their series (flagged, not blocked), stale
 * indicators, and plan records saved under older rules with the rule each breaks.
 */
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
  usePageTitle(t("quality.title"));

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
  const ruleColumns: Column<Finding>[] = [
    {
      key: "plan",
      header: t("quality.plan"),
      cell: (f) => (
        <a href={`/partnerships/${f.partnershipId}/plans/${f.planId}`}>
          {f.planTitle} ({t("quality.revision", { n: f.revision })})
        </a>
      ),
      rowHeader: true,
    },
    { key: "partnership", header: t("quality.partnership"), cell: (f) => f.partnershipName },
    {
      key: "where",
      header: t("quality.where"),
      cell: (f) => {
        const part = f.kind ? t(`quality.kind.${f.kind}`) : t("quality.kind.steps");
        const step = stepOf(f);
        const text = f.priorityTitle ? `${f.priorityTitle}: ${part}` : part;
        return step && f.priorityId ? (
          <a href={`/partnerships/${f.partnershipId}/priorities/${f.priorityId}/step/${step}`}>{text}</a>
        ) : (
          text
        );
      },
    },
    // The rule in the reader's language, its numbers and dates in their notation.
    {
      key: "rule",
      header: t("quality.rule"),
      cell: (f) => ruleTranslator(t, { formatNumber, formatDate })(`rule.${f.code}`, f.params),
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
      <QueryView query={report} lines={6}>
        {(data) => (
          <>
            <h2>{t("quality.outOfRange")}</h2>
            <p className="fs-hint">{t("quality.outOfRangeHint")}</p>
            {data.outOfRange.length === 0 ? (
              <EmptyState title={t("quality.outOfRangeNone")}>{t("quality.outOfRangeNoneHint")}</EmptyState>
            ) : (
              <DataTable
                caption={t("quality.outOfRangeCaption", { count: data.outOfRange.length })}
                columns={where}
                rows={data.outOfRange}
                rowKey={(p) => `${p.indicatorCode}|${p.areaCode}|${p.breakdown}|${p.period}`}
                empty="–"
              />
            )}
            <h2>{t("quality.outliers")}</h2>
            <p className="fs-hint">{t("quality.outliersHint")}</p>
            {data.outliers.length === 0 ? (
              <EmptyState title={t("quality.outliersNone")}>{t("quality.outliersNoneHint")}</EmptyState>
            ) : (
              <DataTable
                caption={t("quality.outliersCaption", { count: data.outliers.length })}
                columns={outlierColumns}
                rows={data.outliers}
                rowKey={(p) => `${p.indicatorCode}|${p.areaCode}|${p.breakdown}|${p.period}`}
                empty="–"
              />
            )}
            <h2>{t("quality.stale")}</h2>
            <p className="fs-hint">{t("quality.staleHint")}</p>
            {data.stale.length === 0 ? (
              <EmptyState title={t("quality.staleNone")}>{t("quality.staleNoneHint")}</EmptyState>
            ) : (
              <DataTable
                caption={t("quality.staleCaption", { count: data.stale.length })}
                columns={staleColumns}
                rows={data.stale}
                rowKey={(s) => s.indicatorCode}
                empty="–"
              />
            )}
            <h2>{t("quality.planRules")}</h2>
            <p className="fs-hint">{t("quality.planRulesHint")}</p>
            {data.planRules.length === 0 ? (
              <EmptyState title={t("quality.planRulesNone")}>{t("quality.planRulesNoneHint")}</EmptyState>
            ) : (
              <DataTable
                caption={t("quality.planRulesCaption", { count: data.planRules.length })}
                columns={ruleColumns}
                rows={data.planRules}
                rowKey={(f) => `${f.planId}|${f.priorityId}|${f.itemId}|${f.field}|${f.code}`}
                empty="–"
              />
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
