import {
  type FunnelSignificance,
  funnelAverage,
  proportionFunnelLimits,
  proportionFunnelSignificance,
} from "@fivestep/analytics";
import type { AreaSeries, ValueType } from "@fivestep/domain";

/** Fewer areas with counts than this make no funnel: there is nothing to compare with. */
export const FUNNEL_MIN_AREAS = 3;

/** One area on the funnel plot. @example const a: FunnelArea = funnel.areas[0]; */
export type FunnelArea = {
  code: string;
  name: string;
  numerator: number;
  denominator: number;
  /** numerator / denominator on the indicator's scale (×100 for a percentage). */
  value: number;
  significance: FunnelSignificance;
  /** The partnership's own area. */
  own: boolean;
};

/** A funnel plot of the latest period, ready to draw. @example const f: FunnelView = analysis.funnel.view; */
export type FunnelView = {
  period: string;
  /** The average of the areas, Σx/Σn on the indicator's scale. */
  baseline: number;
  multiplier: number;
  /** The control limits at 100 populations across the axis (`proportionFunnelLimits`). */
  points: ReturnType<typeof proportionFunnelLimits>["points"];
  areas: FunnelArea[];
  /** Areas of the group left out for want of a count and denominator in the period. */
  withoutCounts: number;
};

/**
 * Why there is no funnel plot: the indicator is not a proportion, no comparator group is chosen,
 * the area has no value yet, the area's latest value has no count and denominator, or fewer than
 * `FUNNEL_MIN_AREAS` areas have them.
 *
 * @example const w: FunnelWhyNot = "no-counts";
 */
export type FunnelWhyNot = "not-proportion" | "no-group" | "no-data" | "no-counts" | "too-few-areas";

/**
 * The funnel plot of an indicator's latest period for the area and its comparator group: each
 * area's count over its denominator against the group's average and its 95% and 99.8% control
 * limits (PHEindicatormethods' funnel for proportions, through `@fivestep/analytics`). Only
 * percentages and proportions with counts and denominators have one; otherwise `whyNot` says why.
 *
 * @example const { view, whyNot } = funnelOfGroup({ valueType: "percentage", area, group, series, period: "2023" });
 */
export function funnelOfGroup(input: {
  valueType: ValueType;
  area: { code: string; name: string };
  group: { areas: ReadonlyArray<{ code: string; name: string }> } | null;
  series: readonly AreaSeries[];
  period: string | null;
}): { view: FunnelView | null; whyNot: FunnelWhyNot | null } {
  const none = (whyNot: FunnelWhyNot) => ({ view: null, whyNot });
  if (input.valueType !== "percentage" && input.valueType !== "proportion") return none("not-proportion");
  if (!input.group) return none("no-group");
  if (input.period === null) return none("no-data");
  const multiplier = input.valueType === "percentage" ? 100 : 1;
  const members = new Map<string, string>([[input.area.code, input.area.name]]);
  for (const a of input.group.areas) if (!members.has(a.code)) members.set(a.code, a.name);
  const counted: Array<{ code: string; name: string; numerator: number; denominator: number }> = [];
  let withoutCounts = 0;
  for (const [code, name] of members) {
    const p = input.series.find((s) => s.areaCode === code)?.points.find((q) => q.period === input.period);
    const x = p?.numerator;
    const n = p?.denominator;
    if (typeof x === "number" && typeof n === "number" && n > 0 && x >= 0 && x <= n) {
      counted.push({ code, name, numerator: x, denominator: n });
    } else withoutCounts += 1;
  }
  if (!counted.some((c) => c.code === input.area.code)) return none("no-counts");
  if (counted.length < FUNNEL_MIN_AREAS) return none("too-few-areas");
  const average = funnelAverage(counted);
  const significance = proportionFunnelSignificance(counted, average);
  const outline = proportionFunnelLimits(counted, { multiplier });
  return {
    view: {
      period: input.period,
      baseline: outline.baseline,
      multiplier,
      points: outline.points,
      areas: counted.map((c, i) => ({
        ...c,
        value: (c.numerator / c.denominator) * multiplier,
        significance: significance[i] as FunnelSignificance,
        own: c.code === input.area.code,
      })),
      withoutCounts,
    },
    whyNot: null,
  };
}
