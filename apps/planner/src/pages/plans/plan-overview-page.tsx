import type { RouterOutputs } from "@fivestep/api";
import { QueryState, usePageTitle, useTRPC } from "@fivestep/client";
import { type Column, DataTable, Link, StatusTag, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { BenchmarkTag } from "../steps/indicator-analysis.tsx";
import { STATUS_TONE } from "../steps/step3.tsx";
import { trendLabel } from "../trend-verdict.tsx";

type Row = RouterOutputs["plan"]["overview"]["priorities"][number]["indicators"][number] & {
  priority: string;
  priorityId: number;
};

/** Every priority's indicators: latest value, status against the trajectory, trend, benchmark, and the warnings to act on. */
export function PlanOverviewPage(props: { partnershipId: number; planId: number }) {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const query = useQuery(
    trpc.plan.overview.queryOptions({ partnershipId: props.partnershipId, planId: props.planId }),
  );
  usePageTitle(t("overview.title"));
  if (!query.isSuccess) return <QueryState query={query} lines={8} />;
  const o = query.data;
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const rows: Row[] = o.priorities.flatMap((p) =>
    p.indicators.map((i) => ({ ...i, priority: p.priority.fields.title, priorityId: p.priority.id })),
  );
  const columns: Column<Row>[] = [
    {
      key: "priority",
      header: t("overview.priority"),
      cell: (r) => (
        <Link to={`/partnerships/${props.partnershipId}/priorities/${r.priorityId}/step/3`}>
          {r.priority}
        </Link>
      ),
    },
    {
      key: "indicator",
      header: t("overview.indicator"),
      cell: (r) => `${r.code} ${r.title}`,
      rowHeader: true,
    },
    {
      key: "latest",
      header: t("overview.latest"),
      cell: (r) => (r.latest ? `${fmt(r.latest.value)} (${r.latest.period})` : "–"),
      numeric: true,
    },
    { key: "expected", header: t("overview.expected"), cell: (r) => fmt(r.expected), numeric: true },
    {
      key: "status",
      header: t("overview.status"),
      cell: (r) => (
        <StatusTag tone={STATUS_TONE[r.status] ?? "neutral"} label={t(`targetStatus.${r.status}`)} />
      ),
    },
    {
      key: "trend",
      header: t("overview.trend"),
      cell: (r) => trendLabel(t, r.trend),
    },
    {
      key: "benchmark",
      header: t("overview.benchmark"),
      cell: (r) => <BenchmarkTag value={r.benchmark.region} against="" />,
    },
    { key: "actions", header: t("overview.actions"), cell: (r) => formatNumber(r.actions), numeric: true },
  ];
  return (
    <>
      <p>
        <Link to={`/partnerships/${props.partnershipId}/plans/${props.planId}`}>{t("overview.back")}</Link>
      </p>
      <h1>{t("overview.title")}</h1>
      <p className="fs-lead">
        {o.plan.title} · {o.plan.periodLabel}
      </p>
      <ul className="fs-grid" aria-label={t("overview.counts")} style={{ listStyle: "none", padding: 0 }}>
        {(["on-track", "at-risk", "off-track", "no-data"] as const).map((s) => (
          <li key={s} className="fs-card">
            <StatusTag tone={STATUS_TONE[s] ?? "neutral"} label={t(`targetStatus.${s}`)} />
            <p style={{ fontSize: "2rem", margin: 0 }}>{formatNumber(o.counts[s])}</p>
          </li>
        ))}
      </ul>
      <h2>{t("overview.warnings")}</h2>
      {o.warnings.length === 0 ? (
        <p>{t("overview.noWarnings")}</p>
      ) : (
        <ul className="fs-warning-list">
          {o.warnings.map((w) => (
            <li key={`${w.kind}-${w.itemId}`}>
              <strong>{t(`warning.${w.kind}`)}:</strong>{" "}
              {t(`warningText.${w.kind}`, {
                ...w.params,
                ...(typeof w.params.dueBy === "string" && w.params.dueBy
                  ? { dueBy: formatDate(w.params.dueBy) }
                  : {}),
              })}
              {w.reason ? ` ${t(`realismReason.${w.reason.code}`, w.reason.params)}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h2>{t("overview.indicators")}</h2>
      <DataTable
        caption={t("overview.caption")}
        columns={columns}
        rows={rows}
        rowKey={(r) => String(r.itemId)}
        empty={t("overview.empty")}
      />
    </>
  );
}
