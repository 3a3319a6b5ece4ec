import type { RouterOutputs } from "@fivestep/api";
import { type Column, DataTable, EmptyState, type I18n, localRuleParams, useI18n } from "@fivestep/ui";

type Check = RouterOutputs["imports"]["preview"];
type Problem = Check["problems"][number];
type Unknown = Check["unknownIndicators"][number];
type UnknownArea = Check["unknownAreas"][number];
type Found = Check["indicators"][number];
type Locked = Check["lockedChanges"][number];

/**
 * Why a row was refused, in the reader's language: the broken rule's message (`rule.<code>`) with
 * its numbers in the locale's notation; the server's English text when the code has no message.
 */
export function problemReason(p: Problem, i18n: Pick<I18n, "t" | "formatNumber" | "formatDate">): string {
  const id = `rule.${p.code}`;
  // A range's ends come as text ("0", "100", "" for none): numbers, so they too are written locally.
  const params = Object.fromEntries(
    Object.entries(p.params).map(([name, value]) => [
      name,
      (name === "min" || name === "max") && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : value,
    ]),
  );
  const text = i18n.t(id, localRuleParams(params, i18n));
  return text === id ? p.reason : text;
}

/** What a preview found: counts, each problem (row, column, value, reason), unknown codes, indicators. */
export function ImportCheck(props: { check: Omit<Check, "fileId">; heading: string; id?: string }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const c = props.check;
  const id = props.id ?? "check";
  const problemColumns: Column<Problem>[] = [
    { key: "row", header: t("check.row"), cell: (p) => formatNumber(p.row), rowHeader: true, numeric: true },
    { key: "column", header: t("check.column"), cell: (p) => p.column },
    { key: "value", header: t("check.value"), cell: (p) => (p.value === "" ? t("check.blank") : p.value) },
    { key: "reason", header: t("check.reason"), cell: (p) => problemReason(p, i18n) },
  ];
  const unknownColumns = (header: string): Column<Unknown>[] => [
    { key: "value", header, cell: (u) => u.value, rowHeader: true },
    { key: "rows", header: t("check.rows"), cell: (u) => formatNumber(u.rows), numeric: true },
    { key: "first", header: t("check.firstRow"), cell: (u) => formatNumber(u.firstRow), numeric: true },
  ];
  const areaColumns: Column<UnknownArea>[] = [
    ...(unknownColumns(t("check.areaCode")) as Column<UnknownArea>[]),
    { key: "name", header: t("check.nameInFile"), cell: (u) => u.name ?? "–" },
  ];
  const foundColumns: Column<Found>[] = [
    { key: "code", header: t("catalogue.code"), cell: (f) => f.code, rowHeader: true },
    { key: "rows", header: t("check.rows"), cell: (f) => formatNumber(f.rows), numeric: true },
    { key: "from", header: t("check.firstPeriod"), cell: (f) => f.firstPeriod },
    { key: "to", header: t("check.lastPeriod"), cell: (f) => f.lastPeriod },
  ];
  const lockedColumns: Column<Locked>[] = [
    { key: "row", header: t("check.row"), cell: (l) => formatNumber(l.row), rowHeader: true, numeric: true },
    { key: "indicator", header: t("catalogue.code"), cell: (l) => l.indicator },
    { key: "area", header: t("check.areaCode"), cell: (l) => l.area },
    {
      key: "period",
      header: t("check.period"),
      cell: (l) => (l.breakdown ? `${l.period} (${l.breakdown})` : l.period),
    },
    {
      key: "current",
      header: t("check.currentValue"),
      cell: (l) => (l.current === null ? "–" : formatNumber(l.current)),
      numeric: true,
    },
    { key: "value", header: t("check.newValue"), cell: (l) => formatNumber(l.value), numeric: true },
  ];
  const unknownCodes = c.unknownIndicators.length + c.unknownAreas.length > 0;
  return (
    <section aria-labelledby={`${id}-title`} className="fs-section">
      <h2 id={`${id}-title`}>{props.heading}</h2>
      <dl className="fs-summary-list">
        <dt>{t("check.totalRows")}</dt>
        <dd>{formatNumber(c.totalRows)}</dd>
        <dt>{t("check.accepted")}</dt>
        <dd>{formatNumber(c.accepted)}</dd>
        <dt>{t("check.skipped")}</dt>
        <dd>{formatNumber(c.skipped)}</dd>
        {c.filtered > 0 ? (
          <>
            <dt>{t("check.filtered")}</dt>
            <dd>{formatNumber(c.filtered)}</dd>
          </>
        ) : null}
        <dt>{t("check.rejected")}</dt>
        <dd>{formatNumber(c.rejected)}</dd>
      </dl>
      {c.problemCount === 0 ? (
        <EmptyState title={t("check.noProblems")}>{t("check.noProblemsHint")}</EmptyState>
      ) : (
        <>
          <p>{t("check.problemsIntro")}</p>
          {unknownCodes ? <p>{t("check.unknownOnce")}</p> : null}
          {c.problems.length < c.problemCount ? (
            <p>
              {t("check.problemsTruncated", {
                count: c.problemCount,
                shown: c.problems.length,
              })}
            </p>
          ) : null}
          <DataTable
            caption={t("check.problemsCaption", { count: formatNumber(c.problemCount) })}
            columns={problemColumns}
            rows={c.problems}
            rowKey={(p) => `${p.row}|${p.column}|${p.code}|${p.reason}`}
            empty={t("check.noProblems")}
          />
        </>
      )}
      {c.unknownIndicators.length > 0 ? (
        <DataTable
          caption={t("check.unknownIndicators")}
          columns={unknownColumns(t("check.indicatorText"))}
          rows={c.unknownIndicators}
          rowKey={(u) => u.value}
          empty="–"
        />
      ) : null}
      {c.unknownAreas.length > 0 ? (
        <DataTable
          caption={t("check.unknownAreas")}
          columns={areaColumns}
          rows={c.unknownAreas}
          rowKey={(u) => u.value}
          empty="–"
        />
      ) : null}
      {c.lockedChangeCount > 0 ? (
        <>
          <p>{t("check.lockedIntro", { count: formatNumber(c.lockedChangeCount) })}</p>
          {c.lockedChanges.length < c.lockedChangeCount ? (
            <p>
              {t("check.lockedTruncated", {
                count: formatNumber(c.lockedChangeCount),
                shown: formatNumber(c.lockedChanges.length),
              })}
            </p>
          ) : null}
          <DataTable
            caption={t("check.lockedCaption", { count: formatNumber(c.lockedChangeCount) })}
            columns={lockedColumns}
            rows={c.lockedChanges}
            rowKey={(l) => String(l.row)}
            empty="–"
          />
        </>
      ) : null}
      <DataTable
        caption={t("check.indicators")}
        columns={foundColumns}
        rows={c.indicators}
        rowKey={(f) => f.code}
        empty={t("check.noIndicators")}
      />
    </section>
  );
}
