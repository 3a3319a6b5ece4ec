import type { RouterOutputs } from "@fivestep/api";
import { QueryState, useTRPC } from "@fivestep/client";
import { type Column, DataTable, niceTicks, scaleLinear, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

type Breakdown = RouterOutputs["priority"]["breakdowns"]["breakdowns"][number];

const W = 400;
const ROW = 42;
const LEFT = 8;

/**
 * Step 1's breakdowns of one of a priority's indicators (by sex, age band or deprivation decile
 * where the data has them): each breakdown's latest value with its interval as a small dot chart
 * and a table, and the gap between the highest and lowest with its interval in words; or "no
 * breakdowns in the data".
 *
 * @example <Breakdowns partnershipId={1} itemId={7} area="Trafford" />
 */
export function Breakdowns(props: { partnershipId: number; itemId: number; area: string }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(
    trpc.priority.breakdowns.queryOptions({ partnershipId: props.partnershipId, itemId: props.itemId }),
  );
  if (!q.isSuccess) return <QueryState query={q} lines={2} />;
  const b = q.data;
  const fmt = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 2 }));
  const heading = <h3>{t("breakdowns.heading")}</h3>;
  if (b.kind === null)
    return (
      <div className="fs-breakdowns">
        {heading}
        <p>{t("breakdowns.none")}</p>
      </div>
    );
  const gapWords = b.gap
    ? `${t("breakdowns.gap", {
        higher: b.gap.higher,
        lower: b.gap.lower,
        gap: fmt(b.gap.gap),
        unit: b.indicator.unit,
        period: b.gap.period,
      })}; ${
        b.gap.gapLower !== null && b.gap.gapUpper !== null
          ? t("breakdowns.gapInterval", {
              from: fmt(b.gap.gapLower),
              to: fmt(b.gap.gapUpper),
              significant: String(b.gap.significant === true),
            })
          : t("breakdowns.gapNoInterval")
      }.`
    : t("breakdowns.noGap");
  const summary = `${t("breakdowns.summary", {
    title: b.indicator.title,
    area: props.area,
    values: b.breakdowns
      .map((x) =>
        t("breakdowns.summaryValue", { label: x.label, value: fmt(x.value), period: x.period ?? "–" }),
      )
      .join(", "),
  })} ${gapWords}`;
  const all = b.breakdowns.flatMap((x) => [x.value, x.lower, x.upper]).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.min(...all), Math.max(...all), 4);
  const lo = ticks[0] ?? 0;
  const hi = ticks.at(-1) ?? 1;
  const x = scaleLinear([lo, hi], [LEFT + 4, W - 12]);
  const height = b.breakdowns.length * ROW + 24;
  const columns: Column<Breakdown>[] = [
    { key: "breakdown", header: t("breakdowns.breakdown"), cell: (r) => r.label, rowHeader: true },
    { key: "period", header: t("table.period"), cell: (r) => r.period ?? "–" },
    { key: "value", header: t("breakdowns.value"), cell: (r) => fmt(r.value), numeric: true },
    {
      key: "interval",
      header: t("breakdowns.interval"),
      cell: (r) =>
        r.lower !== null && r.upper !== null ? `${fmt(r.lower)}–${fmt(r.upper)}` : t("breakdowns.noInterval"),
    },
  ];
  return (
    <div className="fs-breakdowns">
      {heading}
      {b.kind === "indicator" ? (
        <p>{t("breakdowns.family", { list: b.breakdowns.map((x) => x.indicatorCode).join(", ") })}</p>
      ) : null}
      <p className="fs-breakdowns__gap">{gapWords}</p>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={summary}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={x(v)} x2={x(v)} y1={16} y2={height - 18} stroke="#dcdcdc" />
            <text x={x(v)} y={height - 4} fontSize="12" textAnchor="middle" fill="#505a5f">
              {formatNumber(v)}
            </text>
          </g>
        ))}
        {b.breakdowns.map((r, i) => {
          // Each breakdown's name on its own line above its value and interval, so names stay
          // whole at a phone's width.
          const y = i * ROW;
          return (
            <g key={r.label}>
              <text x={LEFT} y={y + 13} fontSize="12" fill="#0b0c0c">
                {r.label.length > 60 ? `${r.label.slice(0, 59)}…` : r.label}
              </text>
              {r.lower !== null && r.upper !== null ? (
                <g stroke="#0b0c0c" strokeWidth={2}>
                  <line x1={x(r.lower)} x2={x(r.upper)} y1={y + 28} y2={y + 28} />
                  <line x1={x(r.lower)} x2={x(r.lower)} y1={y + 22} y2={y + 34} />
                  <line x1={x(r.upper)} x2={x(r.upper)} y1={y + 22} y2={y + 34} />
                </g>
              ) : null}
              {r.value === null ? null : (
                <circle cx={x(r.value)} cy={y + 28} r={6} fill="#1d4f91" stroke="#0b0c0c" />
              )}
            </g>
          );
        })}
      </svg>
      <DataTable
        caption={t("breakdowns.caption", { title: b.indicator.title, area: props.area })}
        columns={columns}
        rows={b.breakdowns}
        rowKey={(r) => `${r.indicatorCode}|${r.breakdown}`}
        empty={t("breakdowns.none")}
      />
    </div>
  );
}
