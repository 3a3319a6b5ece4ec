import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import { useId } from "react";

/** Where an area falls against a funnel's control limits. @example const p: FunnelPlace = "within"; */
export type FunnelPlace = "high-99.8" | "high-95" | "within" | "low-95" | "low-99.8";

/** One area on a `FunnelPlot`. @example const a: FunnelPlotArea = { key: "E08000009", label: "Trafford", denominator: 2450, value: 23.1, own: true, place: "within" }; */
export interface FunnelPlotArea {
  key: string;
  label: string;
  denominator: number;
  value: number;
  /** The partnership's own area: drawn larger, in colour, and named on the plot. */
  own: boolean;
  place: FunnelPlace;
}

/** The control limits at one population. @example const l: FunnelPlotLimit = { population: 100, lower95: 60, upper95: 78, lower998: 55, upper998: 82 }; */
export interface FunnelPlotLimit {
  population: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}

const W = 720;
const H = 360;
const M = { top: 24, right: 24, bottom: 52, left: 60 };
const OWN = "#0072B2";
const OTHER = "#505a5f";

/** The marker's shape says where the area falls: a triangle up above the limits, down below them, a circle within. */
function Mark(props: { place: FunnelPlace; x: number; y: number; own: boolean }) {
  const { x, y, own } = props;
  const r = own ? 7 : 4.5;
  const fill = own ? OWN : "#ffffff";
  const stroke = own ? "#0b0c0c" : OTHER;
  if (props.place === "high-99.8" || props.place === "high-95")
    return (
      <path
        d={`M${x},${y - r}L${x + r},${y + r * 0.8}L${x - r},${y + r * 0.8}Z`}
        fill={fill}
        stroke={stroke}
      />
    );
  if (props.place === "low-99.8" || props.place === "low-95")
    return (
      <path
        d={`M${x},${y + r}L${x + r},${y - r * 0.8}L${x - r},${y - r * 0.8}Z`}
        fill={fill}
        stroke={stroke}
      />
    );
  return <circle cx={x} cy={y} r={r} fill={fill} stroke={stroke} strokeWidth={1.5} />;
}

/**
 * The y-range a funnel plot shows: the areas' values and the limits from half the smallest area's
 * denominator on (the limits at the smallest populations run to 0 and 100 and would flatten the
 * plot; they are clipped), padded by a twentieth.
 *
 * @example funnelValueRange([{ value: 20, denominator: 100 }], [{ population: 50, lower95: 10, upper95: 30, lower998: 5, upper998: 35 }], 20) // [3.5, 36.5]
 */
export function funnelValueRange(
  areas: ReadonlyArray<{ value: number; denominator: number }>,
  limits: readonly FunnelPlotLimit[],
  baseline: number,
): [number, number] {
  const from = Math.min(...areas.map((a) => a.denominator)) / 2;
  const values = [
    baseline,
    ...areas.map((a) => a.value),
    ...limits.filter((l) => l.population >= from).flatMap((l) => [l.lower998, l.upper998]),
  ].filter(Number.isFinite);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) / 20 || Math.abs(hi) / 10 || 1;
  return [lo - pad, hi + pad];
}

/**
 * A funnel plot (PHE's funnel for proportions): each area's value against its denominator, with
 * the group's average as a line and the 95% (dashed) and 99.8% (solid) control limits narrowing as
 * the denominator grows. Drawn with d3-scale and d3-shape; the SVG is one image named by its title
 * and text `summary`; put a `DataTable` of the same numbers beside it. The area's marker shape says
 * where it falls (above, within, below), so nothing depends on colour.
 *
 * @example <FunnelPlot title="Excess weight, 2023/24" summary="Trafford 21.9%: within…" baseline={22.1} limits={funnel.points} areas={areas} xLabel="Children measured" yLabel="%" formatValue={(v) => v.toFixed(1)} formatCount={(v) => v.toLocaleString()} labels={{ baseline: "Average", limits95: "95% limits", limits998: "99.8% limits", own: "Trafford", others: "Other areas", above: "Above the 95% limit", below: "Below the 95% limit" }} />
 */
export function FunnelPlot(props: {
  title: string;
  summary: string;
  baseline: number;
  limits: readonly FunnelPlotLimit[];
  areas: readonly FunnelPlotArea[];
  xLabel: string;
  yLabel: string;
  formatValue(value: number): string;
  formatCount(value: number): string;
  labels: {
    baseline: string;
    limits95: string;
    limits998: string;
    own: string;
    others: string;
    above: string;
    below: string;
  };
}) {
  const clip = `fs-funnel-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const maxX = Math.max(...props.limits.map((l) => l.population), ...props.areas.map((a) => a.denominator));
  const x = scaleLinear()
    .domain([0, maxX])
    .range([M.left, W - M.right])
    .nice(6);
  const y = scaleLinear()
    .domain(funnelValueRange(props.areas, props.limits, props.baseline))
    .range([H - M.bottom, M.top])
    .nice(6);
  const limitLine = (pick: (l: FunnelPlotLimit) => number) =>
    line<FunnelPlotLimit>()
      .x((l) => x(l.population))
      .y((l) => y(pick(l)))(props.limits as FunnelPlotLimit[]) ?? "";
  const [y0, y1] = y.range() as [number, number];
  const own = props.areas.filter((a) => a.own);
  return (
    <figure className="fs-chart fs-funnel">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title}. ${props.summary}`}>
        <title>{props.title}</title>
        <defs>
          <clipPath id={clip}>
            <rect x={M.left} y={y1} width={W - M.left - M.right} height={y0 - y1} />
          </clipPath>
        </defs>
        {y.ticks(6).map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="fs-chart__grid" />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="fs-chart__tick">
              {props.formatValue(t)}
            </text>
          </g>
        ))}
        {x.ticks(6).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.bottom + 18} textAnchor="middle" className="fs-chart__tick">
            {props.formatCount(t)}
          </text>
        ))}
        <text x={(M.left + W - M.right) / 2} y={H - 8} textAnchor="middle" className="fs-chart__tick">
          {props.xLabel}
        </text>
        <text x={M.left} y={M.top - 8} textAnchor="start" className="fs-chart__tick">
          {props.yLabel}
        </text>
        <g clipPath={`url(#${clip})`} fill="none">
          <line
            x1={M.left}
            x2={W - M.right}
            y1={y(props.baseline)}
            y2={y(props.baseline)}
            stroke="#0b0c0c"
            strokeWidth={2}
          />
          <path d={limitLine((l) => l.lower95)} stroke="#6f777b" strokeWidth={1.5} strokeDasharray="6 4" />
          <path d={limitLine((l) => l.upper95)} stroke="#6f777b" strokeWidth={1.5} strokeDasharray="6 4" />
          <path d={limitLine((l) => l.lower998)} stroke="#6f777b" strokeWidth={1.5} />
          <path d={limitLine((l) => l.upper998)} stroke="#6f777b" strokeWidth={1.5} />
        </g>
        {props.areas
          .filter((a) => !a.own)
          .map((a) => (
            <Mark key={a.key} place={a.place} x={x(a.denominator)} y={y(a.value)} own={false} />
          ))}
        {own.map((a) => (
          <g key={a.key}>
            <Mark place={a.place} x={x(a.denominator)} y={y(a.value)} own />
            <text
              x={x(a.denominator) + (x(a.denominator) > W - 160 ? -12 : 12)}
              y={y(a.value) - 10}
              textAnchor={x(a.denominator) > W - 160 ? "end" : "start"}
              className="fs-funnel__label"
            >
              {a.label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="fs-legend">
          <li>
            <svg width="22" height="12" aria-hidden="true">
              <line x1="0" x2="22" y1="6" y2="6" stroke="#0b0c0c" strokeWidth="2" />
            </svg>
            {props.labels.baseline}
          </li>
          <li>
            <svg width="22" height="12" aria-hidden="true">
              <line x1="0" x2="22" y1="6" y2="6" stroke="#6f777b" strokeWidth="1.5" strokeDasharray="6 4" />
            </svg>
            {props.labels.limits95}
          </li>
          <li>
            <svg width="22" height="12" aria-hidden="true">
              <line x1="0" x2="22" y1="6" y2="6" stroke="#6f777b" strokeWidth="1.5" />
            </svg>
            {props.labels.limits998}
          </li>
          <li>
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
              <Mark place="within" x={9} y={9} own />
            </svg>
            {props.labels.own}
          </li>
          <li>
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
              <Mark place="within" x={9} y={9} own={false} />
            </svg>
            {props.labels.others}
          </li>
          <li>
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
              <Mark place="high-95" x={9} y={9} own={false} />
            </svg>
            {props.labels.above}
          </li>
          <li>
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
              <Mark place="low-95" x={9} y={9} own={false} />
            </svg>
            {props.labels.below}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
