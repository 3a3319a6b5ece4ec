import { QueryState, useTRPC } from "@fivestep/client";
import { type Column, DataTable, Link, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

/** A readable comparison of two revisions of a plan: what changed, and why. */
export function PlanComparePage(props: { partnershipId: number; fromPlanId: number; toPlanId: number }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(
    trpc.plan.compare.queryOptions({
      partnershipId: props.partnershipId,
      fromPlanId: props.fromPlanId,
      toPlanId: props.toPlanId,
    }),
  );
  if (!q.isSuccess) return <QueryState query={q} lines={6} />;
  const d = q.data;
  type Target = (typeof d.targets)[number];
  const fmt = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 2 }));
  const columns: Column<Target>[] = [
    { key: "priority", header: t("overview.priority"), cell: (r) => r.priority },
    { key: "indicator", header: t("overview.indicator"), cell: (r) => r.indicatorCode, rowHeader: true },
    { key: "period", header: t("table.period"), cell: (r) => r.period },
    {
      key: "before",
      header: t("compare.before", { n: d.from.revision }),
      cell: (r) => fmt(r.before),
      numeric: true,
    },
    {
      key: "after",
      header: t("compare.after", { n: d.to.revision }),
      cell: (r) => fmt(r.after),
      numeric: true,
    },
    { key: "reason", header: t("compare.reason"), cell: (r) => r.reason || t("compare.noReason") },
  ];
  return (
    <>
      <p>
        <Link to={`/partnerships/${props.partnershipId}/plans/${props.toPlanId}`}>{t("overview.back")}</Link>
      </p>
      <h1>{t("compare.title", { from: d.from.revision, to: d.to.revision })}</h1>
      <h2>{t("compare.fields")}</h2>
      {d.fields.length === 0 ? (
        <p>{t("compare.none")}</p>
      ) : (
        <ul>
          {d.fields.map((f) => (
            <li key={f.field}>
              {t("compare.fieldLine", { field: f.field, before: f.before, after: f.after })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t("compare.priorities")}</h2>
      {d.added.length + d.removed.length === 0 ? <p>{t("compare.none")}</p> : null}
      <ul>
        {d.added.map((p) => (
          <li key={`+${p}`}>{t("compare.added", { title: p })}</li>
        ))}
        {d.removed.map((p) => (
          <li key={`-${p.title}`}>
            {p.reason
              ? t("compare.removedBecause", { title: p.title, reason: p.reason })
              : t("compare.removed", { title: p.title })}
          </li>
        ))}
      </ul>
      <h2>{t("compare.targets")}</h2>
      <DataTable
        caption={t("compare.targetsCaption")}
        captionHidden
        columns={columns}
        rows={d.targets}
        rowKey={(r) => `${r.priority}-${r.indicatorCode}-${r.period}`}
        empty={t("compare.none")}
      />
    </>
  );
}
