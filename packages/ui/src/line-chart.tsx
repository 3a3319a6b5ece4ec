import { niceTicks, scaleLinear } from "./scale.ts";

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
 * A line chart of indicator series over shared periods, with confidence-interval whiskers where
 * limits are known. The SVG is one image with a text summary; put a `DataTable` of the same
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
  const ticks = niceTicks(min, max, 5);
  const y = scaleLinear([ticks[0] ?? min, ticks.at(-1) ?? max], [H - M.bottom, M.top]);
  const n = props.categories.length;
  const x = (i: number) =>
    n <= 1 ? (M.left + W - M.right) / 2 : M.left + (i * (W - M.left - M.right)) / (n - 1);
  const every = Math.max(1, Math.ceil(n / 8));

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
          i % every === 0 || i === n - 1 ? (
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
          const segments: string[] = [];
          let d = "";
          s.values.forEach((v, i) => {
            if (v.value === null) {
              if (d) segments.push(d);
              d = "";
              return;
            }
            d += `${d ? "L" : "M"}${x(i).toFixed(1)},${y(v.value).toFixed(1)}`;
          });
          if (d) segments.push(d);
          const bandPoints = s.band
            ? s.values.flatMap((v, i) =>
                v.lower != null && v.upper != null ? [{ i, lower: v.lower, upper: v.upper }] : [],
              )
            : [];
          const bandPath =
            bandPoints.length > 1
              ? `M${bandPoints.map((p) => `${x(p.i).toFixed(1)},${y(p.upper).toFixed(1)}`).join("L")}L${[
                  ...bandPoints,
                ]
                  .reverse()
                  .map((p) => `${x(p.i).toFixed(1)},${y(p.lower).toFixed(1)}`)
                  .join("L")}Z`
              : null;
          return (
            <g key={s.name}>
              {bandPath ? <path d={bandPath} fill={style.colour} fillOpacity={0.15} stroke="none" /> : null}
              {s.values.map((v, i) =>
                !s.band && v.lower != null && v.upper != null ? (
                  <line
                    key={`ci${props.categories[i]}`}
                    x1={x(i)}
                    x2={x(i)}
                    y1={y(v.lower)}
                    y2={y(v.upper)}
                    stroke={style.colour}
                    strokeWidth={1.5}
                  />
                ) : null,
              )}
              {segments.map((seg) => (
                <path
                  key={seg}
                  d={seg}
                  fill="none"
                  stroke={style.colour}
                  strokeWidth={2.5}
                  strokeDasharray={s.dashed ? "8 5" : s.band ? "2 4" : undefined}
                />
              ))}
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
