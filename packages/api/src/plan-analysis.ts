import {
  changePoints,
  compareWithBenchmark,
  FREQUENCY_MONTHS,
  holtForecast,
  type IndicatorTrend,
  indicatorTrend,
  judgeTarget,
  linearForecast,
  quantileGroups,
  rescaleInterval,
  type TargetJudgement,
  targetRealism,
} from "@fivestep/analytics";
import {
  type Database,
  districtValuesInPeriod,
  type Executor,
  findAreaByCode,
  findIndicatorByCode,
  latestAuditId,
  listChangePointNotes,
  listComparatorGroups,
  seriesFor,
} from "@fivestep/db";
import {
  type Indicator,
  type Polarity,
  PriorityIndicatorFieldsSchema,
  periodBounds,
  periodFromKey,
  type SeriesPoint,
} from "@fivestep/domain";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { funnelOfGroup } from "./funnel-analysis.ts";

type PriorityIndicator = z.infer<typeof PriorityIndicatorFieldsSchema>;

/** The areas an indicator is read for: the partnership's area, its region and nation, and a comparator group. */
export interface AreaContext {
  area: { code: string; name: string };
  region: { code: string; name: string } | null;
  nation: { code: string; name: string } | null;
  group: { id: number; name: string; areas: Array<{ code: string; name: string }> } | null;
}

/** Fewer values than this give no rank or quintile (Fingertips' rule for quintiles). */
const MIN_RANKED = 5;

/**
 * The area's rank (1 = best by polarity; ties share the better rank) and quintile among values
 * that include its own, or null below MIN_RANKED values.
 */
function rankAmong(
  mine: number,
  values: readonly (number | null)[],
  polarity: Polarity,
): { position: number; of: number; quintile: number | null } | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < MIN_RANKED) return null;
  const better = known.filter((v) => (polarity === "low-is-good" ? v < mine : v > mine)).length;
  // The area's own value first, so its group is the first answer.
  const others = [...known];
  const at = others.indexOf(mine);
  if (at >= 0) others.splice(at, 1);
  const groups = quantileGroups([mine, ...others], 5, polarity);
  return { position: better + 1, of: known.length, quintile: groups[0] ?? null };
}

/**
 * The partnership's area with its region and nation (its parent and the top of its chain).
 *
 * @example const ctx = await areaContext(db, "E08000026", null); ctx.region?.name // "West Midlands"
 */
export async function areaContext(
  db: Executor,
  areaCode: string,
  comparatorGroupId: number | null,
): Promise<AreaContext> {
  const area = await findAreaByCode(db, areaCode);
  if (!area) throw new Error(`Unknown area ${areaCode}`);
  const chain: Array<{ code: string; name: string }> = [];
  let parent = area.parentCode;
  for (let i = 0; parent && i < 10; i++) {
    const next = await findAreaByCode(db, parent);
    if (!next) break;
    chain.push({ code: next.code, name: next.name });
    parent = next.parentCode;
  }
  const [group] = comparatorGroupId === null ? [] : await listComparatorGroups(db, [comparatorGroupId]);
  return {
    area: { code: area.code, name: area.name },
    region: chain[0] ?? null,
    nation: chain.length > 1 ? (chain.at(-1) ?? null) : null,
    group: group
      ? { id: group.id, name: group.name, areas: group.areas.map((a) => ({ code: a.code, name: a.name })) }
      : null,
  };
}

/**
 * Judges a stored target with the one judge, `judgeTarget` from @fivestep/analytics, from its
 * fields, its indicator's polarity and release calendar, and the area's own series. Every reader of
 * a target's status comes through here: step 3's analysis (and so the plan overview, the report,
 * the dashboard and the public view) and `recomputeStatuses`, which stores it.
 *
 * @example const judged = judgeStoredTarget(data, indicator, own?.points ?? [], new Date()); judged.status // "off-track"
 */
export function judgeStoredTarget(
  data: Pick<PriorityIndicator, "baselinePeriod" | "baselineValue" | "milestones" | "tolerance">,
  indicator: Pick<Indicator, "polarity" | "frequency"> & { releaseLagDays?: number | null },
  points: readonly SeriesPoint[],
  asOf: Date | string,
): TargetJudgement {
  return judgeTarget({
    series: points,
    baselinePeriod: data.baselinePeriod,
    baselineValue: data.baselineValue,
    milestones: data.milestones,
    tolerance: data.tolerance,
    polarity: indicator.polarity,
    frequency: indicator.frequency,
    releaseLagDays: indicator.releaseLagDays ?? null,
    asOf,
  });
}

/**
 * The one trend of an area's series of an indicator, as every page shows it (step 1, the indicator
 * page, the area profile, the overview and the report): Fingertips' chi-square test for trend when
 * the indicator is a proportion with counts, otherwise Mann–Kendall (see `indicatorTrend`).
 *
 * @example seriesTrend({ valueType: "percentage", polarity: "high-is-good" }, own.points).marker // "no-significant-change"
 */
export function seriesTrend(
  indicator: Pick<Indicator, "valueType" | "polarity">,
  points: readonly SeriesPoint[],
): {
  marker: IndicatorTrend["verdict"];
  judgement: IndicatorTrend["judgement"];
  method: IndicatorTrend["method"];
  p: number | null;
  points: number;
  reason: IndicatorTrend["reason"];
} {
  const t = indicatorTrend(
    points.map((p) => ({
      period: p.period,
      value: p.value,
      lower: p.lower,
      upper: p.upper,
      count: p.numerator ?? null,
      denominator: p.denominator ?? null,
    })),
    {
      proportion: indicator.valueType === "percentage" || indicator.valueType === "proportion",
      polarity: indicator.polarity,
      multiplier: indicator.valueType === "percentage" ? 100 : 1,
    },
  );
  return {
    marker: t.verdict,
    judgement: t.judgement,
    method: t.method,
    p: t.p,
    points: t.points,
    reason: t.reason,
  };
}

const pointValue = (p: SeriesPoint | undefined) =>
  p?.value === null || p?.value === undefined ? null : p.value;

/**
 * Everything steps 1 and 3 show for one of a priority's indicators: the series of the area, its
 * region, nation and comparator group; the benchmark judgements; the trend (`seriesTrend`: Fingertips'
 * chi-square test for trend on proportions with counts, else Mann–Kendall); rank and quintile in the group; change
 * points with their notes; and the target: trajectory, the "do nothing" forecast with its
 * prediction band, realism, and the latest value's status against its milestone.
 *
 * @example const analysis = await analyseIndicator(db, { areaCode: "E08000026", itemId: 7, data });
 */
export async function analyseIndicator(
  db: Kysely<Database>,
  input: {
    areaCode: string;
    itemId: number;
    data: PriorityIndicator;
    now?: Date;
    /** Compute the "do nothing" forecast (step 3's chart); the overview leaves it out. Default true. */
    forecast?: boolean;
    /** Area contexts already read, by comparator group id, shared across a plan's indicators. */
    contexts?: Map<number | null, Promise<AreaContext>>;
  },
) {
  const { data } = input;
  const indicator = (await findIndicatorByCode(db, data.indicatorCode)) as
    | (Indicator & { releaseLagDays?: number | null })
    | undefined;
  if (!indicator) throw new Error(`Unknown indicator ${data.indicatorCode}`);
  let pending = input.contexts?.get(data.comparatorGroupId);
  if (!pending) {
    pending = areaContext(db, input.areaCode, data.comparatorGroupId);
    input.contexts?.set(data.comparatorGroupId, pending);
  }
  const ctx = await pending;
  const codes = [
    ctx.area.code,
    ctx.region?.code,
    ctx.nation?.code,
    ...(ctx.group?.areas.map((a) => a.code) ?? []),
  ].filter((c): c is string => typeof c === "string");
  const series = await seriesFor(db, { indicatorCode: data.indicatorCode, areaCodes: [...new Set(codes)] });
  const seriesOf = (code: string | undefined) => series.find((s) => s.areaCode === code);
  const own = seriesOf(ctx.area.code);
  const points = (own?.points ?? []).filter((p) => p.value !== null);
  // The one judge picks the latest value; the benchmark, rank and forecast read the same one.
  const judged = judgeStoredTarget(data, indicator, points, input.now ?? new Date());
  const latest = points.find((p) => p.period === judged.period);
  const polarity = indicator.polarity;

  const latestOf = (code: string | undefined) => {
    const s = seriesOf(code);
    return s?.points.find((p) => p.period === latest?.period);
  };
  const bench = (code: string | undefined, level: 0.95 | 0.998 = 0.95) => {
    const b = pointValue(latestOf(code));
    if (!latest || b === null || latest.value === null) return null;
    // Stored limits are 95%; the 99.8% ones are scaled from them (see rescaleInterval).
    const interval = { value: latest.value, lower: latest.lower, upper: latest.upper };
    return compareWithBenchmark(
      level === 0.95 ? interval : rescaleInterval(interval, 0.95, 0.998),
      b,
      polarity,
    );
  };
  // Why a comparison could not be made, for the page to say: no value of the area yet, no value of
  // the benchmark for the latest period, or no confidence interval around the area's value.
  const whyNot = (
    code: string | undefined,
  ): "no-data" | "no-benchmark-area" | "no-benchmark-value" | "no-interval" | null => {
    if (!latest || latest.value === null) return "no-data";
    if (code === undefined) return "no-benchmark-area";
    if (pointValue(latestOf(code)) === null) return "no-benchmark-value";
    if (latest.lower === null || latest.upper === null) return "no-interval";
    return null;
  };

  const trend = seriesTrend(indicator, points);
  const values = points.map((p) => p.value as number);

  // Rank and quintile among the comparator group (the area included), on the latest period: shown
  // only with at least MIN_RANKED values, saying how many of the group have none.
  let rank: { position: number; of: number; quintile: number | null; missing: number } | null = null;
  let rankTooFew: { count: number; size: number } | null = null;
  if (ctx.group && latest) {
    const members = [...new Set([ctx.area.code, ...ctx.group.areas.map((a) => a.code)])];
    const latestValues = members.map((c) => pointValue(latestOf(c)));
    const ranked = rankAmong(latest.value as number, latestValues, polarity);
    if (ranked) rank = { ...ranked, missing: members.length - ranked.of };
    else rankTooFew = { count: latestValues.filter((v) => v !== null).length, size: members.length };
  }
  // Rank and quintile among every English district and unitary authority (the spine's areas), when
  // the area is one of them.
  const sameType = /^E0[6-9]/.test(ctx.area.code);
  const nationalRank =
    latest && sameType
      ? rankAmong(
          latest.value as number,
          await districtValuesInPeriod(db, { indicatorCode: data.indicatorCode, period: latest.period }),
          polarity,
        )
      : null;

  const notes = await listChangePointNotes(db, [input.itemId]);
  const cps = values.length >= 6 ? changePoints(values) : [];
  // Detected change points, and any period someone has already explained (a note stays visible
  // even when new data moves the detected point).
  const changeIndices = new Set(cps);
  for (const n of notes) {
    const i = points.findIndex((p) => p.period === n.period);
    if (i > 0) changeIndices.add(i);
  }
  const changes = [...changeIndices]
    .sort((a, b) => a - b)
    .map((i) => {
      const period = points[i]?.period ?? "";
      const note = notes.find((n) => n.period === period)?.note ?? "";
      return { period, from: points[i - 1]?.period ?? null, note, detected: cps.includes(i) };
    });

  // Step 3: trajectory, forecast, realism, status.
  const milestones = [...data.milestones].sort((a, b) =>
    periodBounds(periodFromKey(a.period)).start.localeCompare(periodBounds(periodFromKey(b.period)).start),
  );
  const finalMilestone = milestones.at(-1);
  const lastPeriod = latest?.period ?? null;
  let forecast: Array<{ period: string; value: number; lower: number; upper: number }> = [];
  let realism: ReturnType<typeof targetRealism> | null = null;
  const stepsTo = (period: string) => {
    if (!lastPeriod) return 0;
    // Whole periods of this indicator's type between the latest value and `period`.
    const from = periodBounds(periodFromKey(lastPeriod)).end;
    const to = periodBounds(periodFromKey(period)).end;
    const months =
      (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
      (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
    const per = FREQUENCY_MONTHS[indicator.frequency] ?? 12;
    return Math.max(0, Math.round(months / per));
  };
  if (finalMilestone && values.length >= 3) {
    const horizon = stepsTo(finalMilestone.period);
    if (horizon > 0 && input.forecast !== false) {
      const fit =
        values.length >= 4
          ? holtForecast(values, horizon, { confidence: 0.8 })
          : linearForecast(values, horizon, { confidence: 0.8 });
      const fc = fit.length ? fit : linearForecast(values, horizon, { confidence: 0.8 });
      forecast = fc.map((f) => ({ period: `+${f.step}`, value: f.value, lower: f.lower, upper: f.upper }));
      // Forecast steps land on the milestones' periods when the milestone frequency matches.
      for (const m of milestones) {
        const k = stepsTo(m.period);
        const f = fc[k - 1];
        if (f) forecast[k - 1] = { period: m.period, value: f.value, lower: f.lower, upper: f.upper };
      }
    }
    const peers = (ctx.group?.areas ?? [])
      .filter((a) => a.code !== ctx.area.code)
      .map((a) => (seriesOf(a.code)?.points ?? []).map((p) => p.value));
    const baseline = data.baselineValue ?? (latest?.value as number);
    const steps = Math.max(1, stepsTo(finalMilestone.period) || milestones.length);
    realism = targetRealism({ history: values, baseline, target: finalMilestone.value, steps, peers });
  }

  return {
    indicator: {
      code: indicator.code,
      title: indicator.title,
      unit: indicator.unit,
      polarity,
      valueType: indicator.valueType,
      frequency: indicator.frequency,
      decimalPlaces: indicator.decimalPlaces,
      // The valid range, for the step-3 form's value rules.
      validMin: indicator.validMin,
      validMax: indicator.validMax,
    },
    context: ctx,
    series,
    latest: latest
      ? {
          period: latest.period,
          value: latest.value,
          lower: latest.lower,
          upper: latest.upper,
          intervalMethod: latest.intervalMethod ?? null,
        }
      : null,
    benchmark: { region: bench(ctx.region?.code), nation: bench(ctx.nation?.code) },
    /** The same comparisons at 99.8%, the limits scaled from the stored 95% ones (normal approximation). */
    benchmark998: { region: bench(ctx.region?.code, 0.998), nation: bench(ctx.nation?.code, 0.998) },
    /** Why each comparison was not made (null when it was). */
    benchmarkWhyNot: { region: whyNot(ctx.region?.code), nation: whyNot(ctx.nation?.code) },
    /**
     * The publisher's own judgement of the latest value against the nation (Fingertips'
     * compared_to_England), with its source; shown labelled as the publisher's, never as Fivestep's.
     */
    publisherJudgement:
      latest?.publisherJudgement && ctx.nation
        ? {
            judgement: latest.publisherJudgement,
            source: latest.judgementSource ?? "",
            against: ctx.nation.name,
          }
        : null,
    /** The one trend verdict, with the test that gave it and its p-value. */
    trend,
    /** Rank and quintile in the comparator group, with how many of it have no value. */
    rank,
    /** Why there is no rank: no comparator group chosen, no value of the area yet, or fewer than 5 values in the group. */
    rankWhyNot: rank
      ? null
      : !ctx.group
        ? ("no-group" as const)
        : !latest
          ? ("no-data" as const)
          : ("too-few" as const),
    /** With "too-few": how many of the group have a value, of how many areas. */
    rankTooFew,
    /** Rank and quintile among England's districts and unitary authorities (null when not one, or fewer than 5 values). */
    nationalRank,
    /** The funnel plot of the latest period in the comparator group (`view`), or why there is none (`whyNot`). */
    funnel: funnelOfGroup({
      valueType: indicator.valueType,
      area: ctx.area,
      group: ctx.group,
      series,
      period: latest?.period ?? null,
    }),
    changes,
    target: {
      baselinePeriod: data.baselinePeriod,
      baselineValue: data.baselineValue,
      milestones,
      stretch: data.stretch,
      forecast,
      realism,
      status: judged.status,
      expected: judged.expected,
      statusPeriod: judged.expected === null ? null : judged.period,
    },
    freshness: judged.freshness,
  };
}

/** What `analyseIndicator` returns. @example const a: IndicatorAnalysis = await analyseIndicator(db, input); */
export type IndicatorAnalysis = Awaited<ReturnType<typeof analyseIndicator>>;

// One cache per database: item ids and audit counters are only unique within one (tests open many
// in one process, and their counters run in step).
const analysisCaches = new WeakMap<Kysely<Database>, Map<string, Promise<IndicatorAnalysis>>>();
const ANALYSIS_CACHE_SIZE = 500;

/**
 * Step 1's analysis of a partnership's stored target, remembered until anything changes, as the
 * plan overview is: every change Fivestep makes (an import, an edit of the target, a note, a
 * comparator group, the partnership's area) is audited in its own transaction, so the newest audit
 * entry's id is a change counter that every server instance reads from the shared database, and an
 * analysis remembered under an older one is never served. The key is the partnership, the item,
 * that counter and the day (data goes stale by the calendar); `load` — which reads the item, checks
 * it is the partnership's and analyses it — runs only when the key is new, so a remembered answer
 * costs one indexed read besides the caller's access checks. `load` throwing (no such item in this
 * partnership) is never remembered. Callers get the same object for the same key and must not
 * change it. On a national data set (10M observations) an analysis reads 18 areas × 50 periods
 * and runs the trend tests and the forecast: about 10 ms of one thread (docs/benchmarks.md,
 * "National data set").
 *
 * @example const analysis = await cachedAnalyseIndicator(db, { partnershipId: 1, itemId: 7 }, () => analyseIndicator(db, input));
 */
export async function cachedAnalyseIndicator(
  db: Kysely<Database>,
  target: { partnershipId: number; itemId: number },
  load: () => Promise<IndicatorAnalysis>,
): Promise<IndicatorAnalysis> {
  const key = `${target.partnershipId}|${target.itemId}|${await latestAuditId(db)}|${new Date().toISOString().slice(0, 10)}`;
  const cache = analysisCaches.get(db) ?? new Map<string, Promise<IndicatorAnalysis>>();
  analysisCaches.set(db, cache);
  let pending = cache.get(key);
  if (pending) {
    // Most recently used last, so the oldest entry is evicted first.
    cache.delete(key);
  } else {
    pending = load();
    pending.catch(() => cache.delete(key));
    if (cache.size >= ANALYSIS_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, pending);
  return pending;
}

/**
 * Reads a stored priority-indicator item's fields by their shape only (a target saved under older
 * rules still opens). @example const data = parseIndicatorItem(row.data_json);
 */
export function parseIndicatorItem(json: string): PriorityIndicator {
  return PriorityIndicatorFieldsSchema.parse(JSON.parse(json));
}
