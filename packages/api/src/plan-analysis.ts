import {
  changePoints,
  compareWithBenchmark,
  holtForecast,
  linearForecast,
  mannKendall,
  quantileGroups,
  recentTrend,
  targetRealism,
  targetStatus,
} from "@fivestep/analytics";
import {
  type Database,
  type Executor,
  findAreaByCode,
  findIndicatorByCode,
  listChangePointNotes,
  listComparatorGroups,
  seriesFor,
} from "@fivestep/db";
import {
  type Indicator,
  PriorityIndicatorSchema,
  periodBounds,
  periodFromKey,
  type SeriesPoint,
} from "@fivestep/domain";
import type { Kysely } from "kysely";
import type { z } from "zod";

type PriorityIndicator = z.infer<typeof PriorityIndicatorSchema>;

/** The areas an indicator is read for: the partnership's area, its region and nation, and a comparator group. */
export interface AreaContext {
  area: { code: string; name: string };
  region: { code: string; name: string } | null;
  nation: { code: string; name: string } | null;
  group: { id: number; name: string; areas: Array<{ code: string; name: string }> } | null;
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

const FREQUENCY_MONTHS: Record<string, number> = {
  monthly: 1,
  quarterly: 3,
  annual: 12,
  "multi-year": 36,
  "ad-hoc": 0,
};

/**
 * Whether the latest value is older than the release calendar allows: the next period should have
 * been published by (end of latest period + one period + release lag). Ad-hoc indicators are
 * never stale.
 *
 * @example isStale("2007 Q2", "quarterly", 60, new Date("2026-01-01")) // { stale: true, expectedBy: "2007-11-29" }
 */
export function isStale(
  latestPeriod: string | null,
  frequency: string,
  releaseLagDays: number | null,
  now: Date,
) {
  const months = FREQUENCY_MONTHS[frequency] ?? 0;
  if (!latestPeriod || months === 0) return { stale: false, expectedBy: null };
  const end = new Date(`${periodBounds(periodFromKey(latestPeriod)).end}T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() + months);
  end.setUTCDate(end.getUTCDate() + (releaseLagDays ?? 90));
  const expectedBy = end.toISOString().slice(0, 10);
  return { stale: end.getTime() < now.getTime(), expectedBy };
}

const dayOf = (period: string) => Date.parse(`${periodBounds(periodFromKey(period)).end}T00:00:00Z`);

/**
 * The value the trajectory expects at a period: the path runs from the baseline through each
 * milestone in a straight line between them (by the periods' end dates), and stays at the last
 * milestone after it. Null before the baseline or without milestones.
 *
 * @example expectedAt({ baselinePeriod: "2006", baselineValue: 70, milestones: [{ period: "2008", value: 74, reason: "" }] }, "2007") // 72
 */
export function expectedAt(
  target: {
    baselinePeriod: string | null;
    baselineValue: number | null;
    milestones: ReadonlyArray<{ period: string; value: number }>;
  },
  period: string,
): number | null {
  const path = [
    ...(target.baselinePeriod !== null && target.baselineValue !== null
      ? [{ at: dayOf(target.baselinePeriod), value: target.baselineValue }]
      : []),
    ...target.milestones.map((m) => ({ at: dayOf(m.period), value: m.value })),
  ].sort((a, b) => a.at - b.at);
  if (path.length === 0 || target.milestones.length === 0) return null;
  const t = dayOf(period);
  const first = path[0] as { at: number; value: number };
  if (t < first.at) return null;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1] as { at: number; value: number };
    const b = path[i] as { at: number; value: number };
    if (t <= b.at) return a.value + ((b.value - a.value) * (t - a.at)) / (b.at - a.at || 1);
  }
  return (path.at(-1) as { value: number }).value;
}

const pointValue = (p: SeriesPoint | undefined) =>
  p?.value === null || p?.value === undefined ? null : p.value;

/**
 * Everything steps 1 and 3 show for one of a priority's indicators: the series of the area, its
 * region, nation and comparator group; the benchmark judgements; the recent trend (Fingertips'
 * marker, and Mann–Kendall where limits are missing); rank and quintile in the group; change
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
  const latest = points.at(-1);
  const polarity = indicator.polarity;

  const latestOf = (code: string | undefined) => {
    const s = seriesOf(code);
    return s?.points.find((p) => p.period === latest?.period);
  };
  const bench = (code: string | undefined) => {
    const b = pointValue(latestOf(code));
    if (!latest || b === null || latest.value === null) return null;
    return compareWithBenchmark(
      { value: latest.value, lower: latest.lower, upper: latest.upper },
      b,
      polarity,
    );
  };

  const last5 = points.slice(-5).map((p) => ({
    period: p.period,
    value: p.value,
    lower: p.lower,
    upper: p.upper,
    count: p.numerator ?? null,
    denominator: p.denominator ?? null,
  }));
  const isProportion = indicator.valueType === "percentage" || indicator.valueType === "proportion";
  const haveCounts = last5.every((p) => p.count !== null && p.denominator !== null);
  const trend = recentTrend(last5, {
    valueType: isProportion && haveCounts ? "proportion" : "other",
    polarity,
    multiplier: indicator.valueType === "percentage" ? 100 : 1,
  });
  const values = points.map((p) => p.value as number);
  const mk = values.length >= 3 ? mannKendall(values) : null;

  // Rank and quintile among the comparator group (the area included), on the latest period.
  let rank: { position: number; of: number; quintile: number | null } | null = null;
  if (ctx.group && latest) {
    const members = [...new Set([ctx.area.code, ...ctx.group.areas.map((a) => a.code)])];
    const latestValues = members.map((c) => pointValue(latestOf(c)));
    const known = latestValues.filter((v): v is number => v !== null);
    const mine = latest.value as number;
    const better = known.filter((v) => (polarity === "low-is-good" ? v < mine : v > mine)).length;
    const groups = quantileGroups(latestValues, 5, polarity);
    rank = { position: better + 1, of: known.length, quintile: groups[0] ?? null };
  }

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
    const per = FREQUENCY_MONTHS[indicator.frequency] || 12;
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
  const expectedNow = latest ? expectedAt({ ...data, milestones }, latest.period) : null;
  const status = targetStatus({
    actual: latest?.value ?? null,
    expected: expectedNow,
    polarity,
    tolerance: data.tolerance,
    interval: latest ? { lower: latest.lower, upper: latest.upper } : null,
  });
  const freshness = isStale(
    lastPeriod,
    indicator.frequency,
    indicator.releaseLagDays ?? null,
    input.now ?? new Date(),
  );

  return {
    indicator: {
      code: indicator.code,
      title: indicator.title,
      unit: indicator.unit,
      polarity,
      valueType: indicator.valueType,
      frequency: indicator.frequency,
    },
    context: ctx,
    series,
    latest: latest
      ? { period: latest.period, value: latest.value, lower: latest.lower, upper: latest.upper }
      : null,
    benchmark: { region: bench(ctx.region?.code), nation: bench(ctx.nation?.code) },
    trend: {
      marker: trend.marker,
      judgement: trend.judgement,
      reason: trend.reason,
      mannKendall: mk ? { trend: mk.trend, p: mk.p } : null,
    },
    rank,
    changes,
    target: {
      baselinePeriod: data.baselinePeriod,
      baselineValue: data.baselineValue,
      milestones,
      stretch: data.stretch,
      forecast,
      realism,
      status,
      expected: expectedNow,
      statusPeriod: expectedNow === null ? null : (latest?.period ?? null),
    },
    freshness,
  };
}

/** What `analyseIndicator` returns. @example const a: IndicatorAnalysis = await analyseIndicator(db, input); */
export type IndicatorAnalysis = Awaited<ReturnType<typeof analyseIndicator>>;

/** Reads a stored priority-indicator item's fields (validated when saved). @example const data = parseIndicatorItem(row.data_json); */
export function parseIndicatorItem(json: string): PriorityIndicator {
  return PriorityIndicatorSchema.parse(JSON.parse(json));
}
