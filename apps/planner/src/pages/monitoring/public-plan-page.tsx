import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, useTRPC } from "@fivestep/client";
import { type Column, DataTable, ErrorPanel, Skeleton, StatusTag, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { STATUS_TONE } from "../steps/step3.tsx";

type Indicator = RouterOutputs["monitoring"]["publicPlan"]["priorities"][number]["indicators"][number];

/** The public community view of a published plan: no sign-in, no personal data. */
export function PublicPlanPage(props: { planId: number }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.monitoring.publicPlan.queryOptions({ planId: props.planId }, { retry: false }));
  useEffect(() => {
    document.title = `${q.data?.plan.title ?? t("public.title")} – Fivestep`;
  }, [q.data, t]);
  if (q.isPending) return <Skeleton label={t("common.loading")} lines={6} />;
  if (q.isError) return <ErrorPanel title={t("public.notPublished")} message={t(errorMessageId(q.error))} />;
  const d = q.data;
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const columns: Column<Indicator>[] = [
    { key: "indicator", header: t("overview.indicator"), cell: (i) => i.title, rowHeader: true },
    {
      key: "latest",
      header: t("overview.latest"),
      cell: (i) => (i.latest ? `${fmt(i.latest.value)} (${i.latest.period})` : "–"),
      numeric: true,
    },
    { key: "expected", header: t("public.aim"), cell: (i) => fmt(i.expected), numeric: true },
    {
      key: "status",
      header: t("overview.status"),
      cell: (i) => (
        <StatusTag tone={STATUS_TONE[i.status] ?? "neutral"} label={t(`targetStatus.${i.status}`)} />
      ),
    },
  ];
  return (
    // data-report-ready: the PDF renderer of the public pack waits for it.
    <div data-report-ready="">
      <p className="fs-caption">
        {t("public.by", { partnership: d.partnership.name, area: d.partnership.areaName })}
      </p>
      <h1>{d.plan.title}</h1>
      <p className="fs-lead">{d.plan.vision}</p>
      <p>{t("public.lead", { period: d.plan.periodLabel })}</p>
      {d.priorities.map((p) => (
        <section key={p.title} aria-labelledby={`pp-${p.title}`}>
          <h2 id={`pp-${p.title}`}>{p.title}</h2>
          <DataTable
            caption={t("public.caption", { title: p.title })}
            captionHidden
            columns={columns}
            rows={p.indicators}
            rowKey={(i) => i.code}
            empty={t("public.noIndicators")}
          />
        </section>
      ))}
    </div>
  );
}
