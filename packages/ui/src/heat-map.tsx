import { useId } from "react";
import { ScrollRegion } from "./data-table.tsx";

/** A heat map cell's judgement against the benchmark (England). */
export type HeatJudgement = "better" | "similar" | "worse" | "higher" | "lower" | "not-compared";

/** One row (indicator) of a `HeatMap`. @example const r: HeatRow = { key: "LE-MALE", label: "LE-MALE", cells: [{ judgement: "better", publisher: true }] }; */
export interface HeatRow {
  key: string;
  label: string;
  /** One per column, in the columns' order; null where the column is the benchmark itself. */
  cells: ReadonlyArray<{ judgement: HeatJudgement; publisher: boolean } | null>;
}

/**
 * Each judgement's colour (the spine chart's, so the two read alike) and symbol, so that none
 * is told by colour alone: white text on each dark fill has a contrast of at least 4.5:1.
 *
 * @example HEAT_STYLE.better.symbol // "▲"
 */
export const HEAT_STYLE: Record<HeatJudgement, { fill: string; text: string; symbol: string }> = {
  better: { fill: "#00703c", text: "#ffffff", symbol: "▲" },
  similar: { fill: "#8a6d00", text: "#ffffff", symbol: "●" },
  worse: { fill: "#b3261e", text: "#ffffff", symbol: "▼" },
  higher: { fill: "#1d4f91", text: "#ffffff", symbol: "△" },
  lower: { fill: "#8a4300", text: "#ffffff", symbol: "▽" },
  "not-compared": { fill: "#ffffff", text: "#0b0c0c", symbol: "–" },
};

/**
 * A heat map (Fingertips' "compare areas"): one row per indicator, one column per area, each cell
 * coloured and marked with a symbol by its judgement against the benchmark; the publisher's own
 * judgements carry an asterisk. One image named by `summary`, scrolling sideways inside itself when
 * wider than the page; put a `DataTable` of the same values and words beside it. `labels` words the
 * legend; `titleId` names the scroll region.
 *
 * @example <HeatMap titleId="hm" summary="…" columns={[{ key: "E08000009", label: "Trafford" }]} rows={rows} labels={{ judgements: { better: "Better", … }, publisher: "* the publisher's judgement", benchmark: "England" }} />
 */
export function HeatMap(props: {
  titleId: string;
  summary: string;
  columns: ReadonlyArray<{ key: string; label: string; benchmark?: boolean }>;
  rows: readonly HeatRow[];
  labels: { judgements: Record<HeatJudgement, string>; publisher: string };
}) {
  const legendId = useId();
  const shown = new Set(props.rows.flatMap((r) => r.cells.flatMap((c) => (c ? [c.judgement] : []))));
  const anyPublisher = props.rows.some((r) => r.cells.some((c) => c?.publisher));
  return (
    <figure className="fs-heatmap">
      <ScrollRegion labelledBy={props.titleId}>
        <div
          role="img"
          aria-label={props.summary}
          aria-describedby={legendId}
          className="fs-heatmap__grid"
          style={{ gridTemplateColumns: `minmax(7rem, 12rem) repeat(${props.columns.length}, 2rem)` }}
        >
          <span className="fs-heatmap__corner" aria-hidden="true" />
          {props.columns.map((c) => (
            <span
              key={c.key}
              className={`fs-heatmap__head${c.benchmark ? " fs-heatmap__head--benchmark" : ""}`}
              aria-hidden="true"
            >
              {c.label}
            </span>
          ))}
          {props.rows.map((r) => (
            <div key={r.key} className="fs-heatmap__row" data-indicator={r.key} aria-hidden="true">
              <span className="fs-heatmap__label">{r.label}</span>
              {r.cells.map((cell, i) => {
                const column = props.columns[i];
                if (!cell)
                  return (
                    <span key={column?.key ?? i} className="fs-heatmap__cell fs-heatmap__cell--benchmark" />
                  );
                const style = HEAT_STYLE[cell.judgement];
                return (
                  <span
                    key={column?.key ?? i}
                    className="fs-heatmap__cell"
                    data-judgement={cell.judgement}
                    style={{ background: style.fill, color: style.text }}
                  >
                    {style.symbol}
                    {cell.publisher ? "*" : ""}
                  </span>
                );
              })}
            </div>
          ))}
        </div>
      </ScrollRegion>
      <figcaption id={legendId}>
        <ul className="fs-legend">
          {[...shown].map((j) => (
            <li key={j}>
              <span
                className="fs-heatmap__cell fs-heatmap__key"
                aria-hidden="true"
                style={{ background: HEAT_STYLE[j].fill, color: HEAT_STYLE[j].text }}
              >
                {HEAT_STYLE[j].symbol}
              </span>
              {props.labels.judgements[j]}
            </li>
          ))}
          {anyPublisher ? <li>{props.labels.publisher}</li> : null}
        </ul>
      </figcaption>
    </figure>
  );
}
