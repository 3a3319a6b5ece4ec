import { type BenchmarkComparison, compareWithBenchmark, gapBetween } from "@fivestep/analytics";
import { breakdownsOf, type Database, findIndicatorByCode, listIndicators, seriesFor } from "@fivestep/db";
import type { Indicator, SeriesPoint } from "@fivestep/domain";
import type { Kysely } from "kysely";
import { type AreaContext, areaContext } from "./plan-analysis.ts";

/** Where a heat map cell's judgement comes from: Fivestep's own comparison or the publisher's. */
export type JudgementSource = "fivestep" | "publisher";

/**
 * Why a cell has no judgement: no value of the area, no England value for the period, or no
 * confidence interval around the value (and no judgement from the publisher either).
 */
export type NotComparedReason = "no-data" | "no-benchmark-value" | "no-interval";

/**
 * One cell: the area's value for the indicator's period and how it compares with England. Kept
 * small on purpose (a plan's 10 indicators × 16 areas stay well under 100 KB).
 */
export interface HeatMapCell {
  /** The value, or null where the area has none for the period. */
  value: number | null;
  judgement: BenchmarkComparison;
  /** Set when `judgement` was made: Fivestep's own comparison, or the publisher's (labelled so). */
  source: JudgementSource | null;
  /** Set when `judgement` is "not-compared". */
  whyNot: NotComparedReason | null;
}

const pointValue = (p: SeriesPoint | undefined) =>
  p?.value === null || p?.value === undefined ? null : p.value;
const PUBLISHED = new Set<string>(["better", "similar", "worse", "higher", "lower"]);

/**
 * A cell's judgement against England: Fivestep's confidence-interval comparison where the value
 * has limits, else the publisher's own judgement (Fingertips' compared_to_England), else "not
 * compared" with its reason.
 *
 * @example judgeCell({ period: "2023", value: 8.9, lower: 7.2, upper: 10.6 } as SeriesPoint, 11.6, "low-is-good") // { value: 8.9, judgement: "better", source: "fivestep", whyNot: null }
 */
export function judgeCell(
  point: SeriesPoint | undefined,
  england: number | null,
  polarity: Indicator["polarity"],
): HeatMapCell {
  const value = pointValue(point);
  if (value === null) return { value, judgement: "not-compared", source: null, whyNot: "no-data" };
  if (england !== null && point?.lower != null && point.upper != null) {
    const judgement = compareWithBenchmark(
      { value, lower: point.lower, upper: point.upper },
      england,
      polarity,
    );
    return { value, judgement, source: "fivestep", whyNot: null };
  }
  if (point?.publisherJudgement && PUBLISHED.has(point.publisherJudgement))
    return {
      value,
      judgement: point.publisherJudgement as BenchmarkComparison,
      source: "publisher",
      whyNot: null,
    };
  return {
    value,
    judgement: "not-compared",
    source: null,
    whyNot: england === null ? "no-benchmark-value" : "no-interval",
  };
}

/**
 * The heat map of a priority's indicators (rows) × the partnership's area, its comparator group's
 * areas and England (columns): for each indicator the area's latest period, each area's value in
 * that period and its judgement against England (`judgeCell`). Only what the map and its table
 * show is sent: no series, no forecasts.
 *
 * @example const map = await heatMap(db, "E08000009", [{ indicatorCode: "LE-MALE", comparatorGroupId: 3 }]); map.rows[0]?.cells.length
 */
export async function heatMap(
  db: Kysely<Database>,
  areaCode: string,
  items: ReadonlyArray<{ indicatorCode: string; comparatorGroupId: number | null }>,
) {
  const contexts = new Map<number | null, Promise<AreaContext>>();
  const contextOf = (groupId: number | null) => {
    let pending = contexts.get(groupId);
    if (!pending) {
      pending = areaContext(db, areaCode, groupId);
      contexts.set(groupId, pending);
    }
    return pending;
  };
  const base = await contextOf(null);
  // Columns: the area, then every comparator area of the priority's indicators (in their groups'
  // order, each once), then England.
  const areas: Array<{ code: string; name: string }> = [base.area];
  const seen = new Set([base.area.code]);
  const groups: Array<{ id: number; name: string }> = [];
  for (const item of items) {
    const ctx = await contextOf(item.comparatorGroupId);
    if (ctx.group && !groups.some((g) => g.id === ctx.group?.id))
      groups.push({ id: ctx.group.id, name: ctx.group.name });
    for (const a of ctx.group?.areas ?? []) {
      if (seen.has(a.code)) continue;
      seen.add(a.code);
      areas.push(a);
    }
  }
  const nation = base.nation;
  if (nation && !seen.has(nation.code)) areas.push(nation);
  const codes = areas.map((a) => a.code);

  const rows = [];
  const done = new Set<string>();
  for (const item of items) {
    if (done.has(item.indicatorCode)) continue;
    done.add(item.indicatorCode);
    const indicator = await findIndicatorByCode(db, item.indicatorCode);
    if (!indicator) continue;
    const series = await seriesFor(db, { indicatorCode: indicator.code, areaCodes: codes });
    const pointsOf = (code: string) => series.find((s) => s.areaCode === code)?.points ?? [];
    const own = pointsOf(base.area.code).filter((p) => p.value !== null);
    const period = own.at(-1)?.period ?? null;
    const at = (code: string) =>
      period === null ? undefined : pointsOf(code).find((p) => p.period === period);
    const england = nation ? pointValue(at(nation.code)) : null;
    rows.push({
      code: indicator.code,
      title: indicator.title,
      unit: indicator.unit,
      polarity: indicator.polarity,
      period,
      cells: codes.map((code) =>
        code === nation?.code
          ? { value: england, judgement: "not-compared" as const, source: null, whyNot: null }
          : judgeCell(at(code), england, indicator.polarity),
      ),
    });
  }
  return {
    area: base.area,
    nation,
    groups,
    areas,
    rows,
  };
}

/** What `heatMap` returns. @example const map: HeatMap = await heatMap(db, areaCode, items); */
export type HeatMap = Awaited<ReturnType<typeof heatMap>>;

/**
 * The indicators the catalogue keeps as one per breakdown of the same published measure: the
 * same source, unit, value type and period type (life expectancy at birth, male and female, are
 * two indicators because a target is for one series). Gives `indicator`'s siblings with it,
 * ordered by code, or just it when it has none.
 *
 * @example const family = await measureFamily(db, "LE-MALE"); family.map((i) => i.code) // ["LE-FEMALE", "LE-MALE"]
 */
export async function measureFamily(db: Kysely<Database>, code: string) {
  const indicator = await findIndicatorByCode(db, code);
  if (!indicator) return [];
  if (!indicator.source) return [indicator];
  const all = await listIndicators(db);
  return all.filter(
    (i) =>
      i.code === indicator.code ||
      (i.status !== "retired" &&
        i.derivation === null &&
        i.source === indicator.source &&
        i.unit === indicator.unit &&
        i.valueType === indicator.valueType &&
        i.periodType === indicator.periodType),
  );
}

/**
 * Step 1's breakdowns of one indicator for the area: each breakdown's latest value with its
 * interval, and the gap between the highest and lowest of them in their common latest period with
 * its 95% interval (`gapBetween`). Breakdowns are the indicator's own (by sex, age band or
 * deprivation decile, as imported) or, where it has none, the catalogue's indicators of the same
 * measure (`measureFamily`). `kind` is null when the data has no breakdowns.
 *
 * @example const b = await indicatorBreakdowns(db, "E08000009", "LE-MALE"); b.gap?.gap // 4.0 (female − male)
 */
export async function indicatorBreakdowns(db: Kysely<Database>, areaCode: string, indicatorCode: string) {
  const indicator = await findIndicatorByCode(db, indicatorCode);
  if (!indicator) throw new Error(`Unknown indicator ${indicatorCode}`);
  type Breakdown = {
    label: string;
    indicatorCode: string;
    breakdown: string;
    points: SeriesPoint[];
  };
  let kind: "breakdown" | "indicator" | null = null;
  let parts: Breakdown[] = [];
  const own = (await breakdownsOf(db, indicator.code)).filter((b) => b !== "");
  if (own.length >= 2) {
    kind = "breakdown";
    for (const breakdown of own) {
      const [s] = await seriesFor(db, { indicatorCode: indicator.code, areaCodes: [areaCode], breakdown });
      parts.push({ label: breakdown, indicatorCode: indicator.code, breakdown, points: s?.points ?? [] });
    }
  } else {
    const family = await measureFamily(db, indicator.code);
    if (family.length >= 2) {
      kind = "indicator";
      for (const member of family) {
        const [s] = await seriesFor(db, { indicatorCode: member.code, areaCodes: [areaCode] });
        parts.push({
          label: member.title,
          indicatorCode: member.code,
          breakdown: "",
          points: s?.points ?? [],
        });
      }
    }
  }
  parts = parts.filter((p) => p.points.some((q) => q.value !== null));
  const latestOf = (p: Breakdown) => p.points.filter((q) => q.value !== null).at(-1) ?? null;
  const breakdowns = parts.map((p) => {
    const l = latestOf(p);
    return {
      label: p.label,
      indicatorCode: p.indicatorCode,
      breakdown: p.breakdown,
      period: l?.period ?? null,
      value: l?.value ?? null,
      lower: l?.lower ?? null,
      upper: l?.upper ?? null,
    };
  });
  // The gap: in the newest period every breakdown has a value, highest minus lowest.
  let gap: {
    period: string;
    higher: string;
    lower: string;
    gap: number;
    gapLower: number | null;
    gapUpper: number | null;
    significant: boolean | null;
  } | null = null;
  if (parts.length >= 2) {
    const periods = (parts[0]?.points ?? []).map((p) => p.period).reverse();
    for (const period of periods) {
      const values = parts.map((p) => p.points.find((q) => q.period === period));
      if (values.some((v) => pointValue(v) === null)) continue;
      const ranked = values
        .map((v, i) => ({ v: v as SeriesPoint, label: parts[i]?.label ?? "" }))
        .sort((a, b) => (b.v.value as number) - (a.v.value as number));
      const hi = ranked[0];
      const lo = ranked.at(-1);
      if (!hi || !lo) break;
      const g = gapBetween(
        { value: hi.v.value as number, lower: hi.v.lower, upper: hi.v.upper },
        { value: lo.v.value as number, lower: lo.v.lower, upper: lo.v.upper },
      );
      gap = {
        period,
        higher: hi.label,
        lower: lo.label,
        gap: g.gap,
        gapLower: g.lower,
        gapUpper: g.upper,
        significant: g.significant,
      };
      break;
    }
  }
  return {
    indicator: { code: indicator.code, title: indicator.title, unit: indicator.unit },
    kind: parts.length >= 2 ? kind : null,
    breakdowns: parts.length >= 2 ? breakdowns : [],
    gap,
  };
}

/** What `indicatorBreakdowns` returns. @example const b: IndicatorBreakdowns = await indicatorBreakdowns(db, area, code); */
export type IndicatorBreakdowns = Awaited<ReturnType<typeof indicatorBreakdowns>>;
