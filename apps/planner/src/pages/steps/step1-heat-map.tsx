import type { RouterOutputs } from "@fivestep/api";
import { QueryState, useTRPC } from "@fivestep/client";
import { type Column, DataTable, type HeatJudgement, HeatMap, Link, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";

type HeatMapData = RouterOutputs["priority"]["heatMap"];
type Row = HeatMapData["rows"][number];
type Cell = Row["cells"][number];

/**
 * Step 1's heat map: the priority's indicators × its area, the comparator areas and England, each
 * cell judged against England in colour, symbol and (in the table beside it) words; with a link to
 * the area profile's spine chart of every indicator.
 *
 * @example <Step1HeatMap partnershipId={1} priorityId={4} />
 */
export function Step1HeatMap(props: { partnershipId: number; priorityId: number }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const titleId = useId();
  const q = useQuery(
    trpc.priority.heatMap.queryOptions({ partnershipId: props.partnershipId, priorityId: props.priorityId }),
  );
  if (!q.isSuccess) return <QueryState query={q} lines={6} />;
  const map = q.data;
  const england = map.nation?.name ?? "";
  const fmt = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 2 }));
  const word = (c: Cell) => {
    if (c.judgement === "not-compared") return t(`heatmap.whyNot.${c.whyNot ?? "no-interval"}`);
    const w = t(`heatmap.word.${c.judgement}`);
    return c.source === "publisher" ? t("heatmap.word.publisher", { judgement: w }) : w;
  };
  const nationIndex = map.areas.findIndex((a) => a.code === map.nation?.code);
  const counts = { better: 0, similar: 0, worse: 0, other: 0 };
  for (const r of map.rows)
    r.cells.forEach((c, i) => {
      if (i === nationIndex) return;
      if (c.judgement === "better" || c.judgement === "similar" || c.judgement === "worse")
        counts[c.judgement]++;
      else counts.other++;
    });
  const summary = t("heatmap.summary", {
    indicators: map.rows.length,
    areas: map.areas.length - (nationIndex >= 0 ? 1 : 0),
    ...counts,
    rows: map.rows
      .map((r) =>
        t("heatmap.summaryRow", {
          indicator: r.title,
          area: map.area.name,
          judgement: r.cells[0] ? word(r.cells[0]) : "–",
        }),
      )
      .join("; "),
  });
  const columns: Column<Row>[] = [
    {
      key: "indicator",
      header: t("heatmap.indicator"),
      cell: (r) => `${r.code} ${r.title}`,
      rowHeader: true,
    },
    { key: "period", header: t("heatmap.period"), cell: (r) => r.period ?? "–" },
    ...map.areas.map((a, i) => ({
      key: a.code,
      header: a.name,
      cell: (r: Row) => {
        const c = r.cells[i];
        if (!c) return "–";
        return i === nationIndex ? fmt(c.value) : `${fmt(c.value)} · ${word(c)}`;
      },
    })),
  ];
  return (
    <section className="fs-section fs-heatmap-section">
      <h2 id={titleId}>{t("heatmap.heading", { area: map.area.name })}</h2>
      {map.rows.length === 0 ? (
        <p>{t("heatmap.none")}</p>
      ) : (
        <>
          <p>{t("heatmap.lead")}</p>
          <HeatMap
            titleId={titleId}
            summary={summary}
            columns={map.areas.map((a, i) => ({ key: a.code, label: a.name, benchmark: i === nationIndex }))}
            rows={map.rows.map((r) => ({
              key: r.code,
              label: r.code,
              cells: r.cells.map((c, i) =>
                i === nationIndex
                  ? null
                  : { judgement: c.judgement as HeatJudgement, publisher: c.source === "publisher" },
              ),
            }))}
            labels={{
              judgements: {
                better: t("spine.judgement.better", { area: england }),
                similar: t("spine.judgement.similar", { area: england }),
                worse: t("spine.judgement.worse", { area: england }),
                higher: t("spine.judgement.higher", { area: england }),
                lower: t("spine.judgement.lower", { area: england }),
                "not-compared": t("spine.judgement.not-compared", { area: england }),
              },
              publisher: t("heatmap.publisher"),
            }}
          />
          <DataTable
            caption={t("heatmap.caption", { area: map.area.name })}
            columns={columns}
            rows={map.rows}
            rowKey={(r) => r.code}
            empty={t("heatmap.none")}
          />
        </>
      )}
      <p>
        <Link to={`/partnerships/${props.partnershipId}/profile`}>
          {t("heatmap.spineLink", { area: map.area.name })}
        </Link>
      </p>
    </section>
  );
}
