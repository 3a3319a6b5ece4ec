import type { Polarity } from "@fivestep/domain";
import { scaleLinear } from "d3-scale";

/** The marker's judgement on a spine chart: better, similar or worse than England, or not compared. */
export type SpineJudgement = "better" | "similar" | "worse" | "higher" | "lower" | "not-compared";

/** One indicator on a `SpineChart`. @example const r: SpineRow = { key: "LE-MALE", label: "Life expectancy (male)", value: 80.1, england: 79.7, min: 73.9, q25: 78.4, median: 79.3, q75: 80.4, max: 84.1, polarity: "high-is-good", judgement: "similar" }; */
export interface SpineRow {
  key: string;
  label: string;
  value: number | null;
  /** England's value: the centre line. The median stands in when it is missing. */
  england: number | null;
  min: number;
  q25: number;
  median: number;
  q75: number;
  max: number;
  polarity: Polarity;
  judgement: SpineJudgement;
}

const COLOUR: Record<SpineJudgement, string> = {
  better: "#00703c",
  similar: "#8a6d00",
  worse: "#b3261e",
  higher: "#1d4f91",
  lower: "#8a4300",
  "not-compared": "#ffffff",
};

/**
 * Where a value sits on a spine, 0 (worst, or lowest without a polarity) to 1, with England at 0.5
 * and the further of the range's ends at 0 or 1 (Fingertips' area profile).
 *
 * @example spinePosition(79, { england: 80, min: 76, max: 82, polarity: "high-is-good" }) // 0.375
 */
export function spinePosition(
  value: number,
  row: { england: number; min: number; max: number; polarity: Polarity },
): number {
  const half = Math.max(Math.abs(row.england - row.min), Math.abs(row.max - row.england)) || 1;
  const flip = row.polarity === "low-is-good" ? -1 : 1;
  return 0.5 + (flip * (value - row.england)) / (2 * half);
}

/** The marker's shape: a judgement in shape as well as colour. */
function Mark(props: { judgement: SpineJudgement; x: number; y: number }) {
  const { x, y, judgement } = props;
  const fill = COLOUR[judgement];
  const stroke = "#0b0c0c";
  switch (judgement) {
    case "better":
    case "higher":
      return <path d={`M${x},${y - 7}L${x + 7},${y + 6}L${x - 7},${y + 6}Z`} fill={fill} stroke={stroke} />;
    case "worse":
    case "lower":
      return <path d={`M${x},${y + 7}L${x + 7},${y - 6}L${x - 7},${y - 6}Z`} fill={fill} stroke={stroke} />;
    case "not-compared":
      return (
        <path d={`M${x},${y - 7}L${x + 7},${y}L${x},${y + 7}L${x - 7},${y}Z`} fill={fill} stroke={stroke} />
      );
    default:
      return <circle cx={x} cy={y} r={6} fill={fill} stroke={stroke} />;
  }
}

const W = 600;
const ROW = 34;

/**
 * A spine chart (Fingertips' area profile): for each indicator, a bar from the worst to the best
 * value among England's districts and unitary authorities, a darker band over the 25th to 75th
 * percentile, a line at England's value in the middle, and the area's marker, shaped and coloured
 * by its judgement. One image with a text summary as its name; put a `DataTable` of the same
 * numbers beside it. `labels` words the legend.
 *
 * @example <SpineChart summary="Trafford 80.1, England 79.7…" rows={rows} labels={{ worst: "Worst", best: "Best", range: "Range", middle: "25th to 75th percentile", england: "England", judgements: { better: "Better", … } }} />
 */
export function SpineChart(props: {
  summary: string;
  rows: readonly SpineRow[];
  labels: {
    worst: string;
    best: string;
    range: string;
    middle: string;
    england: string;
    judgements: Record<SpineJudgement, string>;
  };
}) {
  const x = scaleLinear()
    .domain([0, 1])
    .range([8, W - 8]);
  const shown = new Set(props.rows.map((r) => r.judgement));
  return (
    <figure className="fs-spine">
      <div role="img" aria-label={props.summary}>
        <p className="fs-spine__ends" aria-hidden="true">
          <span>← {props.labels.worst}</span>
          <span>{props.labels.best} →</span>
        </p>
        {props.rows.map((r) => {
          const england = r.england ?? r.median;
          const at = (v: number) => x(spinePosition(v, { ...r, england }));
          const [left, right] = [at(r.min), at(r.max)].sort((a, b) => a - b) as [number, number];
          const [q1, q3] = [at(r.q25), at(r.q75)].sort((a, b) => a - b) as [number, number];
          return (
            <div key={r.key} className="fs-spine__row" data-indicator={r.key}>
              <span className="fs-spine__label">{r.label}</span>
              <svg viewBox={`0 0 ${W} ${ROW}`} aria-hidden="true" preserveAspectRatio="none">
                <rect x={left} y={9} width={right - left} height={16} fill="#dcdcdc" />
                <rect x={q1} y={9} width={q3 - q1} height={16} fill="#9a9a9a" />
                <line x1={x(0.5)} x2={x(0.5)} y1={3} y2={31} stroke="#b3261e" strokeWidth={3} />
                {r.value === null ? null : <Mark judgement={r.judgement} x={at(r.value)} y={17} />}
              </svg>
            </div>
          );
        })}
      </div>
      <figcaption>
        <ul className="fs-legend">
          <li>
            <svg width="22" height="12" aria-hidden="true">
              <rect width="22" height="12" fill="#dcdcdc" />
            </svg>
            {props.labels.range}
          </li>
          <li>
            <svg width="22" height="12" aria-hidden="true">
              <rect width="22" height="12" fill="#9a9a9a" />
            </svg>
            {props.labels.middle}
          </li>
          <li>
            <svg width="22" height="12" aria-hidden="true">
              <line x1="11" x2="11" y1="0" y2="12" stroke="#b3261e" strokeWidth="3" />
            </svg>
            {props.labels.england}
          </li>
          {[...shown].map((j) => (
            <li key={j}>
              <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
                <Mark judgement={j} x={9} y={9} />
              </svg>
              {props.labels.judgements[j]}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
