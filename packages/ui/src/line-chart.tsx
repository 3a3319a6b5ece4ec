import { periodBounds, periodFromKey } from "@fivestep/domain";
import { scaleLinear, scaleUtc } from "d3-scale";
import { area, line } from "d3-shape";

/** One line of a `LineChart`: values by category index, null where missing. */
export interface ChartSeries {
  name: string;
  values: ReadonlyArray<{ value: number | null; lower?: number | null; upper?: number | null }>;
  /** Drawn dashed, e.g. a target trajectory. */
  dashed?: boolean;
  /** Drawn as a shaded band between each value's lower and upper (a forecast's prediction band) around a dotted centre line. */
  band?: boolean;
}

/**
 * Colour-blind-safe colours (Okabe–Ito), paired with a marker shape so no line depends on colour
 * alone.
 *
 * @example SERIES_STYLES[0] // { colour: "#0072B2", marker: "circle" }
 */
export const SERIES_STYLES = [
  { colour: "#0072B2", marker: "circle" },
  { colour: "#B34700", marker: "square" },
  { colour: "#007A5A", marker: "triangle" },
  { colour: "#9C4A7A", marker: "diamond" },
  { colour: "#6B5800", marker: "circle" },
  { colour: "#1F6F9A", marker: "square" },
] as const;

const W = 720;
const H = 320;
const M = { top: 20, right: 44, bottom: 44, left: 56 };
const DAY = 86_400_000;

/**
 * Where each category sits on the x-axis, and which categories start a new piece of line. When
 * every category is a period key ("2007 Q2", "2015-2017", "2023-03") the axis is time, to scale by
 * each period's start date, and a category further from the one before than 1.5 × the shortest step
 * starts a new piece (a gap in the data is drawn as a gap: 2007 Q2 → 2008 Q4 is six quarters wide
 * and not joined). Otherwise the categories are evenly spaced and never broken.
 *
 * @example chartPositions(["2007 Q1", "2007 Q2", "2008 Q4"], [0, 600]) // { x: [0, 84.5…, 600], breakBefore: [false, false, true], time: true }
 */
export function chartPositions(
  categories: readonly string[],
  range: [number, number],
): { x: number[]; breakBefore: boolean[]; time: boolean } {
  const n = categories.length;
  const middle = (range[0] + range[1]) / 2;
  let starts: number[] | null = [];
  for (const c of categories) {
    try {
      starts.push(Date.parse(`${periodBounds(periodFromKey(c)).start}T00:00:00Z`));
    } catch {
      starts = null;
      break;
    }
  }
  if (!starts || starts.some((t) => Number.isNaN(t))) {
    const x = scaleLinear()
      .domain([0, Math.max(1, n - 1)])
      .range(range);
    return {
      x: categories.map((_, i) => (n <= 1 ? middle : x(i))),
      breakBefore: categories.map(() => false),
      time: false,
    };
  }
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  const x = scaleUtc()
    .domain([new Date(first), new Date(last)])
    .range(range);
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < n; i++) {
    const d = starts[i]! - starts[i - 1]!;
    if (d > DAY) step = Math.min(step, d);
  }
  return {
    x: starts.map((t) => (first === last ? middle : x(new Date(t)))),
    breakBefore: starts.map((t, i) => i > 0 && t - starts[i - 1]! > 1.5 * step),
    time: true,
  };
}

/**
 * The categories to label on the axis so that no two labels overlap: the latest always, then
 * each earlier one that leaves room (labels are about `charWidth` per character).
 *
 * @example labelledCategories(["2007 Q1", "2007 Q2"], [0, 10]) // [false, true]
 */
export function labelledCategories(
  categories: readonly string[],
  x: readonly number[],
  charWidth = 7,
): boolean[] {
  const shown = categories.map(() => false);
  let leftEdge = Number.POSITIVE_INFINITY;
  for (let i = categories.length - 1; i >= 0; i--) {
    const half = ((categories[i]?.length ?? 0) * charWidth) / 2 + 6;
    const xi = x[i] ?? 0;
    if (xi + half <= leftEdge) {
      shown[i] = true;
      leftEdge = xi - half;
    }
  }
  return shown;
}

type Placed = { x: number; value: number | null; lower: number | null; upper: number | null; gap: boolean };

function Marker(props: { shape: string; x: number; y: number; colour: string }) {
  const { x, y, colour } = props;
  switch (props.shape) {
    case "square":
      return <rect x={x - 4} y={y - 4} width={8} height={8} fill={colour} />;
    case "triangle":
      return <path d={`M${x},${y - 5} L${x + 5},${y + 4} L${x - 5},${y + 4} Z`} fill={colour} />;
    case "diamond":
      return <path d={`M${x},${y - 5} L${x + 5},${y} L${x},${y + 5} L${x - 5},${y} Z`} fill={colour} />;
    default:
      return <circle cx={x} cy={y} r={4} fill={colour} />;
  }
}

/**
 * A line chart of indicator series over shared periods, drawn with d3-scale and d3-shape: periods
 * sit on a time axis to scale (see `chartPositions`), gaps in the periods or the values are gaps in
 * the line, and confidence intervals are whiskers (or a shaded band for a `band` series). The SVG is one image with a text summary; put a `DataTable` of the same
 * numbers beside it.
 *
 * @example
 * <LineChart title="Employment rate" summary="Coventry 72.4% in 2007 Q2…" categories={["2007 Q1", "2007 Q2"]}
 *   series={[{ name: "Coventry", values: [{ value: 73 }, { value: 72.4 }] }]} formatValue={(v) => v.toFixed(1)} />
 */
export function LineChart(props: {
  title: string;
  summary: string;
  categories: readonly string[];
  series: readonly ChartSeries[];
  formatValue(value: number): string;
  yLabel?: string;
}) {
  const all = props.series.flatMap((s) =>
    s.values.flatMap((v) => [v.value, v.lower, v.upper]).filter((v): v is number => typeof v === "number"),
  );
  const min = all.length ? Math.min(...all) : 0;
  const max = all.length ? Math.max(...all) : 1;
  const pad = min === max ? Math.abs(min) * 0.1 || 1 : 0;
  const y = scaleLinear()
    .domain([min - pad, max + pad])
    .range([H - M.bottom, M.top])
    .nice(5);
  const ticks = y.ticks(5);
  const n = props.categories.length;
  const positions = chartPositions(props.categories, [M.left, W - M.right]);
  const x = (i: number) => positions.x[i] ?? M.left;
  const labelled = labelledCategories(props.categories, positions.x);
  // A gap in the periods ends one piece of line and starts the next; so does a missing value.
  const placed = (s: ChartSeries): Placed[] =>
    s.values.flatMap((v, i) => {
      const point = { x: x(i), value: v.value, lower: v.lower ?? null, upper: v.upper ?? null, gap: false };
      return positions.breakBefore[i]
        ? [{ x: 0, value: null, lower: null, upper: null, gap: true }, point]
        : [point];
    });
  const linePath = line<Placed>()
    .defined((p) => p.value !== null)
    .x((p) => p.x)
    .y((p) => y(p.value as number));
  const bandPath = area<Placed>()
    .defined((p) => p.lower !== null && p.upper !== null)
    .x((p) => p.x)
    .y0((p) => y(p.lower as number))
    .y1((p) => y(p.upper as number));

  return (
    <figure className="fs-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title}. ${props.summary}`}>
        <title>{props.title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="fs-chart__grid" />
            <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="fs-chart__tick">
              {props.formatValue(t)}
            </text>
          </g>
        ))}
        {props.categories.map((c, i) =>
          labelled[i] ? (
            <text key={c} x={x(i)} y={H - M.bottom + 18} textAnchor="middle" className="fs-chart__tick">
              {c}
            </text>
          ) : null,
        )}
        {props.yLabel ? (
          <text x={M.left} y={M.top - 4} className="fs-chart__tick" textAnchor="start">
            {props.yLabel}
          </text>
        ) : null}
        {props.series.map((s, si) => {
          const style = SERIES_STYLES[si % SERIES_STYLES.length] ?? SERIES_STYLES[0];
          const points = placed(s);
          const linePathD = linePath(points);
          const bandD = s.band ? bandPath(points) : null;
          return (
            <g key={s.name}>
              {bandD ? <path d={bandD} fill={style.colour} fillOpacity={0.15} stroke="none" /> : null}
              {s.values.map((v, i) =>
                !s.band && v.lower != null && v.upper != null ? (
                  <path
                    key={`ci${props.categories[i]}`}
                    className="fs-chart__whisker"
                    d={`M${x(i) - 4},${y(v.upper)}H${x(i) + 4}M${x(i)},${y(v.upper)}V${y(v.lower)}M${x(i) - 4},${y(v.lower)}H${x(i) + 4}`}
                    fill="none"
                    stroke={style.colour}
                    strokeWidth={1.5}
                  />
                ) : null,
              )}
              {linePathD ? (
                <path
                  d={linePathD}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth={2.5}
                  strokeDasharray={s.dashed ? "8 5" : s.band ? "2 4" : undefined}
                />
              ) : null}
              {s.values.map((v, i) =>
                v.value === null ? null : (
                  <Marker
                    key={`m${props.categories[i]}`}
                    shape={style.marker}
                    x={x(i)}
                    y={y(v.value)}
                    colour={style.colour}
                  />
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="fs-legend">
          {props.series.map((s, si) => {
            const style = SERIES_STYLES[si % SERIES_STYLES.length] ?? SERIES_STYLES[0];
            return (
              <li key={s.name}>
                <svg width="22" height="12" aria-hidden="true">
                  {s.band ? (
                    <rect x="0" y="1" width="22" height="10" fill={style.colour} fillOpacity={0.15} />
                  ) : null}
                  <line
                    x1="0"
                    x2="22"
                    y1="6"
                    y2="6"
                    stroke={style.colour}
                    strokeWidth="2.5"
                    strokeDasharray={s.dashed ? "6 3" : s.band ? "2 3" : undefined}
                  />
                  <Marker shape={style.marker} x={11} y={6} colour={style.colour} />
                </svg>
                {s.name}
              </li>
            );
          })}
        </ul>
      </figcaption>
    </figure>
  );
}
