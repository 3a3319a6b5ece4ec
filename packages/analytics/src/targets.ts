import { type Frequency, type Period, type Polarity, periodBounds, periodKey } from "@fivestep/domain";
import { linearForecast } from "./forecast.ts";
import { dataFreshness, type Freshness } from "./freshness.ts";
import { parsePeriod } from "./period.ts";

/** The shape of a path to a target. @example const s: TrajectoryShape = "front-loaded"; */
export type TrajectoryShape = "linear" | "front-loaded" | "back-loaded";

function finiteArg(value: number, name: string, fn: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${name} must be a finite number (got ${String(value)})`);
  }
}

/**
 * The milestones for steps 1…steps on the way from `baseline` to `target` (the baseline itself is
 * step 0 and not included); the last equals the target exactly. With f = k/steps the share of the
 * change done by step k is f ('linear'), 1 − (1 − f)² ('front-loaded': most change early) or f²
 * ('back-loaded': most change late).
 *
 * @example trajectory(70, 74, 4) // [71, 72, 73, 74]
 * @example trajectory(70, 74, 2, "front-loaded") // [73, 74]
 * @throws RangeError naming `baseline`, `target`, `steps` (a whole number ≥ 1) or `shape`.
 */
export function trajectory(
  baseline: number,
  target: number,
  steps: number,
  shape: TrajectoryShape = "linear",
): number[] {
  finiteArg(baseline, "baseline", "trajectory");
  finiteArg(target, "target", "trajectory");
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`trajectory: steps must be a whole number ≥ 1 (got ${steps})`);
  }
  const share =
    shape === "linear"
      ? (f: number) => f
      : shape === "front-loaded"
        ? (f: number) => 1 - (1 - f) ** 2
        : shape === "back-loaded"
          ? (f: number) => f * f
          : null;
  if (share === null) {
    throw new RangeError(
      `trajectory: shape must be "linear", "front-loaded" or "back-loaded" (got ${String(shape)})`,
    );
  }
  const out: number[] = [];
  for (let k = 1; k < steps; k++) out.push(baseline + (target - baseline) * share(k / steps));
  out.push(target);
  return out;
}

/** A target status. @example const s: TargetStatus = "at-risk"; */
export type TargetStatus = "on-track" | "at-risk" | "off-track" | "no-data";

/** Input of `targetStatus`. @example const i: TargetStatusInput = { actual: 71.8, expected: 72, polarity: "high-is-good", tolerance: 0.5 }; */
export type TargetStatusInput = {
  actual: number | null;
  /** The milestone for this period (see `trajectory`). */
  expected: number | null;
  polarity: Polarity;
  /** How far short of the milestone still counts as at risk rather than off track (same units; default 0). */
  tolerance?: number;
  /** The actual value's confidence interval, when known. */
  interval?: { lower: number | null; upper: number | null } | null;
};

/**
 * Whether an actual value is on track for its milestone: 'on-track' when it meets or beats it
 * (by polarity; for "no-judgement", when within the tolerance either side), 'at-risk' when it
 * misses by no more than `tolerance` or when its confidence interval includes the milestone (the
 * miss could be chance), 'off-track' otherwise, 'no-data' when the actual or milestone is missing.
 *
 * @example targetStatus({ actual: 71.8, expected: 72, polarity: "high-is-good", tolerance: 0.5 }) // "at-risk"
 * @example targetStatus({ actual: 70, expected: 72, polarity: "high-is-good", interval: { lower: 68, upper: 73 } }) // "at-risk"
 * @example targetStatus({ actual: 70, expected: 72, polarity: "high-is-good" }) // "off-track"
 * @throws RangeError naming `tolerance` when it is negative, or `polarity`.
 */
export function targetStatus(input: TargetStatusInput): TargetStatus {
  const { actual, expected, polarity, interval } = input;
  const tolerance = input.tolerance ?? 0;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(`targetStatus: tolerance must be a finite number ≥ 0 (got ${tolerance})`);
  }
  if (polarity !== "high-is-good" && polarity !== "low-is-good" && polarity !== "no-judgement") {
    throw new RangeError(`targetStatus: polarity must be "high-is-good", "low-is-good" or "no-judgement"`);
  }
  if (actual === null || expected === null || !Number.isFinite(actual) || !Number.isFinite(expected)) {
    return "no-data";
  }
  const shortfall =
    polarity === "high-is-good"
      ? expected - actual
      : polarity === "low-is-good"
        ? actual - expected
        : Math.abs(actual - expected);
  if (polarity === "no-judgement" ? shortfall <= tolerance : shortfall <= 0) return "on-track";
  if (shortfall <= tolerance) return "at-risk";
  const lower = interval?.lower;
  const upper = interval?.upper;
  if (
    lower !== null &&
    lower !== undefined &&
    upper !== null &&
    upper !== undefined &&
    lower <= expected &&
    expected <= upper
  ) {
    return "at-risk";
  }
  return "off-track";
}

/** Input of `targetRealism`. @example const i: TargetRealismInput = { history: [60, 62, 63, 65], baseline: 65, target: 70, steps: 5, peers: [] }; */
export type TargetRealismInput = {
  /** The area's own values, oldest first, one per period (null where missing). */
  history: ReadonlyArray<number | null>;
  /** The value the target starts from; default the latest value in `history`. */
  baseline?: number;
  target: number;
  /** The periods allowed to reach the target. */
  steps: number;
  /** Comparable areas' histories, each oldest first. */
  peers?: ReadonlyArray<ReadonlyArray<number | null>>;
};

/** The result of `targetRealism`. @example const r: TargetRealism = targetRealism(input); r.rating */
export type TargetRealism = {
  /** The change per period the target needs. */
  requiredChangePerStep: number;
  /** The area's best change per period over any span of `steps` periods (shorter when history is short), in the target's direction; null without 2 values. */
  ownBestChange: number | null;
  /** The share (0–1) of peers whose best change per period over such a span reached the required change; null without peers. */
  peerShareAchieving: number | null;
  /** The straight-line ("do nothing") forecast `steps` periods after the last value of history; null with fewer than 3 values. */
  forecastAtTarget: number | null;
  rating: "realistic" | "stretching" | "unrealistic";
  /** The reasons in English, in order (for logs, exports and callers without a catalogue). */
  reasons: string[];
  /** The same reasons as codes and parameters, in the same order, for a client to word in the reader's language. */
  reasonCodes: RealismReason[];
};

/**
 * One reason behind a realism rating, as a code and its parameters (numbers rounded as the
 * English text shows them; "yes"/"no" and "rise"/"fall" for a message's select). The codes:
 * `no-change` {baseline}; `needs` {target, baseline, steps, direction, change}; `no-history`;
 * `best-own` {periods, allHistory, direction, moved, best, meets}; `no-peers`;
 * `peers` {achieving, counted, percent}; `forecast` {value, meets}.
 *
 * @example const r: RealismReason = { code: "forecast", params: { value: 68.53, meets: "no" } };
 */
export type RealismReason = {
  code: "no-change" | "needs" | "no-history" | "best-own" | "no-peers" | "peers" | "forecast";
  params: Record<string, string | number>;
};

function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 3;
  const text = abs >= 1 || abs === 0 ? x.toFixed(digits) : x.toPrecision(digits);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** The best change per period over spans of `span` periods, in direction `dir` (±1); null when none. */
function bestChange(series: ReadonlyArray<number | null>, span: number, dir: number): number | null {
  let best: number | null = null;
  for (let i = 0; i + span < series.length; i++) {
    const a = series[i];
    const b = series[i + span];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    const change = (b - a) / span;
    if (best === null || dir * change > dir * best) best = change;
  }
  return best;
}

/** The longest span ≤ `steps` over which the series has two values, so short histories still count. */
function usableSpan(series: ReadonlyArray<number | null>, steps: number): number {
  for (let span = Math.min(steps, series.length - 1); span >= 1; span--) {
    if (bestChange(series, span, 1) !== null) return span;
  }
  return 0;
}

/**
 * Whether a target is realistic: the change per period it needs, against the best change the area
 * achieved over a span of the same length, the share of peer areas that achieved it, and the
 * straight-line forecast. 'realistic' when the forecast already reaches the target, or the area has
 * achieved the pace before and (given peers) at least a quarter of peers have; 'unrealistic' when
 * the forecast falls short, the area never achieved the pace and (given peers) fewer than 1 in 10
 * peers have; otherwise 'stretching'. Reasons are in plain words.
 *
 * @example
 * targetRealism({ history: [60, 61, 62, 63, 64], target: 74, steps: 5, peers: [[50, 50.5, 51, 51.5, 52, 52.5]] }).rating // "unrealistic"
 * @throws RangeError naming `steps`, `target`, `baseline` or `history`.
 */
export function targetRealism(input: TargetRealismInput): TargetRealism {
  const fn = "targetRealism";
  const { history, target, steps } = input;
  const peers = input.peers ?? [];
  if (!Array.isArray(history)) throw new RangeError(`${fn}: history must be an array`);
  if (!Number.isInteger(steps) || steps < 1)
    throw new RangeError(`${fn}: steps must be a whole number ≥ 1 (got ${steps})`);
  finiteArg(target, "target", fn);
  const known = history.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const baseline = input.baseline ?? known[known.length - 1];
  if (baseline === undefined) throw new RangeError(`${fn}: baseline is required when history has no values`);
  finiteArg(baseline, "baseline", fn);

  const required = (target - baseline) / steps;
  const dir = Math.sign(required);
  const reasons: string[] = [];
  const reasonCodes: RealismReason[] = [];
  const shown = (x: number) => Number(fmt(x));
  const yes = (b: boolean) => (b ? "yes" : "no");
  const word = dir > 0 ? "rise" : "fall";

  const ownSpan = usableSpan(history, steps);
  const ownBestChange = ownSpan > 0 ? bestChange(history, ownSpan, dir || 1) : null;
  let peerShareAchieving: number | null = null;
  let peersCounted = 0;
  let peersAchieving = 0;
  for (const peer of peers) {
    const span = usableSpan(peer, steps);
    const change = span > 0 ? bestChange(peer, span, dir || 1) : null;
    if (change === null) continue;
    peersCounted++;
    if (dir * change >= Math.abs(required)) peersAchieving++;
  }
  if (peersCounted > 0) peerShareAchieving = peersAchieving / peersCounted;
  const forecastAtTarget = known.length >= 3 ? (linearForecast(known, steps).at(-1)?.value ?? null) : null;

  if (dir === 0) {
    reasons.push(`The target equals the baseline (${fmt(baseline)}), so it needs no change.`);
    reasonCodes.push({ code: "no-change", params: { baseline: shown(baseline) } });
    return {
      requiredChangePerStep: 0,
      ownBestChange,
      peerShareAchieving,
      forecastAtTarget,
      rating: "realistic",
      reasons,
      reasonCodes,
    };
  }

  reasons.push(
    `Reaching ${fmt(target)} from ${fmt(baseline)} in ${steps} period${steps === 1 ? "" : "s"} needs a ${word} of ${fmt(Math.abs(required))} a period.`,
  );
  reasonCodes.push({
    code: "needs",
    params: {
      target: shown(target),
      baseline: shown(baseline),
      steps,
      direction: word,
      change: shown(Math.abs(required)),
    },
  });
  const achievedOwn = ownBestChange !== null && dir * ownBestChange >= Math.abs(required);
  if (ownBestChange === null) {
    reasons.push("The area has too little history to show what pace it can achieve.");
    reasonCodes.push({ code: "no-history", params: {} });
  } else {
    const over =
      ownSpan === steps ? `over ${steps} periods` : `over ${ownSpan} periods (all the history there is)`;
    const best =
      dir * ownBestChange > 0
        ? `a ${word} of ${fmt(Math.abs(ownBestChange))} a period`
        : `no ${word} at all (at best ${fmt(ownBestChange)} a period)`;
    reasons.push(
      `The best the area has managed ${over} is ${best}, ${achievedOwn ? "which meets" : "short of"} the pace needed.`,
    );
    const moved = dir * ownBestChange > 0;
    reasonCodes.push({
      code: "best-own",
      params: {
        periods: ownSpan === steps ? steps : ownSpan,
        allHistory: yes(ownSpan !== steps),
        direction: word,
        moved: yes(moved),
        best: shown(moved ? Math.abs(ownBestChange) : ownBestChange),
        meets: yes(achievedOwn),
      },
    });
  }
  if (peerShareAchieving === null) {
    reasons.push("No peer areas were given to compare with.");
    reasonCodes.push({ code: "no-peers", params: {} });
  } else {
    reasons.push(
      `${peersAchieving} of ${peersCounted} peer areas (${Math.round(peerShareAchieving * 100)}%) have achieved that pace.`,
    );
    reasonCodes.push({
      code: "peers",
      params: {
        achieving: peersAchieving,
        counted: peersCounted,
        percent: Math.round(peerShareAchieving * 100),
      },
    });
  }
  const forecastReaches = forecastAtTarget !== null && dir * (forecastAtTarget - target) >= 0;
  if (forecastAtTarget !== null) {
    reasons.push(
      forecastReaches
        ? `On its current trend the area would reach ${fmt(forecastAtTarget)}, meeting the target without extra effort.`
        : `On its current trend the area would reach ${fmt(forecastAtTarget)}, short of the target.`,
    );
    reasonCodes.push({
      code: "forecast",
      params: { value: shown(forecastAtTarget), meets: yes(forecastReaches) },
    });
  }

  let rating: TargetRealism["rating"];
  if (forecastReaches || (achievedOwn && (peerShareAchieving === null || peerShareAchieving >= 0.25))) {
    rating = "realistic";
  } else if (
    !achievedOwn &&
    (peerShareAchieving === null || peerShareAchieving < 0.1) &&
    (ownBestChange !== null || peerShareAchieving !== null)
  ) {
    rating = "unrealistic";
  } else {
    rating = "stretching";
  }
  return {
    requiredChangePerStep: required,
    ownBestChange,
    peerShareAchieving,
    forecastAtTarget,
    rating,
    reasons,
    reasonCodes,
  };
}

const endDay = (period: Period | string) =>
  Date.parse(`${periodBounds(typeof period === "string" ? parsePeriod(period) : period).end}T00:00:00Z`);

/** A target's path: where it starts and the values it should reach by when. @example const t: TargetPath = { baselinePeriod: "2006", baselineValue: 70, milestones: [{ period: "2008", value: 74 }] }; */
export type TargetPath = {
  baselinePeriod: Period | string | null;
  baselineValue: number | null;
  milestones: ReadonlyArray<{ period: Period | string; value: number }>;
};

/**
 * The value a target's trajectory expects at a period: a straight line from the baseline through
 * each milestone in turn (by the periods' last days, so milestones may come in any order), level at
 * the last milestone after it. Null before the path starts, or when there are no milestones.
 *
 * @example expectedAt({ baselinePeriod: "2006", baselineValue: 70, milestones: [{ period: "2008", value: 74 }] }, "2007") // ≈ 72
 * @example expectedAt({ baselinePeriod: "2006", baselineValue: 70, milestones: [] }, "2007") // null
 * @throws RangeError quoting a period `parsePeriod` cannot read.
 */
export function expectedAt(target: TargetPath, period: Period | string): number | null {
  if (target.milestones.length === 0) return null;
  const path = [
    ...(target.baselinePeriod !== null && target.baselineValue !== null
      ? [{ at: endDay(target.baselinePeriod), value: target.baselineValue }]
      : []),
    ...target.milestones.map((m) => ({ at: endDay(m.period), value: m.value })),
  ].sort((a, b) => a.at - b.at);
  const t = endDay(period);
  const first = path[0] as { at: number; value: number };
  if (t < first.at) return null;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1] as { at: number; value: number };
    const b = path[i] as { at: number; value: number };
    if (t <= b.at) return a.value + ((b.value - a.value) * (t - a.at)) / (b.at - a.at || 1);
  }
  return (path.at(-1) as { value: number }).value;
}

/** One value of a series, as the judge reads it. @example const p: JudgedPoint = { period: "2007 Q2", value: 72.4, lower: null, upper: null }; */
export type JudgedPoint = {
  period: Period | string;
  value: number | null;
  lower?: number | null;
  upper?: number | null;
};

/** Input of `judgeTarget`. @example const i: TargetJudgementInput = { series: [{ period: "2007", value: 72 }], baselinePeriod: "2006", baselineValue: 70, milestones: [{ period: "2008", value: 74 }], polarity: "high-is-good", frequency: "annual", asOf: "2008-06-01" }; */
export type TargetJudgementInput = TargetPath & {
  /** The area's own values, in any order; missing values (null, NaN) are passed over. */
  series: ReadonlyArray<JudgedPoint>;
  /** Half-width of the "at risk" band around the path, in the indicator's units; default 0. */
  tolerance?: number;
  polarity: Polarity;
  /** The indicator's release calendar, for `dataFreshness`. */
  frequency: Frequency;
  releaseLagDays?: number | null;
  /** The day staleness is judged on. The status itself does not depend on it. */
  asOf: Date | string;
};

/** The result of `judgeTarget`. @example const j: TargetJudgement = judgeTarget(input); j.status // "on-track" */
export type TargetJudgement = {
  status: TargetStatus;
  /** The latest value's period (null without a value). */
  period: string | null;
  actual: number | null;
  /** What the trajectory expects at `period`; null when it does not reach that far back. */
  expected: number | null;
  freshness: Freshness;
};

/**
 * The one judgement of a target, which the overview, step 3, the report, the dashboard and the
 * stored status all use: the latest value of the series (by period order) against the trajectory
 * at its period (`expectedAt`), by `targetStatus` with the polarity, tolerance and the value's
 * confidence interval; and, beside it, whether that value is out of date (`dataFreshness`).
 *
 * Staleness never changes the status: the status says how the latest value stands against the
 * path, which stays true until data or the target change (so a stored status is never out of date
 * by the calendar alone). Readers show `freshness.stale` next to it.
 *
 * @example
 * judgeTarget({
 *   series: [{ period: "2007 Q1", value: 73 }, { period: "2007 Q2", value: 72.4 }],
 *   baselinePeriod: "2005 Q4", baselineValue: 74, tolerance: 0.5,
 *   milestones: [{ period: "2008 Q4", value: 74.5 }],
 *   polarity: "high-is-good", frequency: "quarterly", asOf: "2007-10-01",
 * }) // { status: "off-track", period: "2007 Q2", actual: 72.4, expected: ≈74.25, freshness: { stale: false, … } }
 * @throws RangeError for a period `parsePeriod` cannot read, a negative tolerance or an unknown polarity.
 */
export function judgeTarget(input: TargetJudgementInput): TargetJudgement {
  // The latest point by `comparePeriods`' order (first day, then last day), each period read and
  // bounded once: recomputing 80,000 targets judges 1.6M points.
  let latest: JudgedPoint | undefined;
  let latestBounds: { start: string; end: string } | undefined;
  for (const p of input.series) {
    if (p.value === null || !Number.isFinite(p.value)) continue;
    const bounds = periodBounds(typeof p.period === "string" ? parsePeriod(p.period) : p.period);
    if (
      !latestBounds ||
      bounds.start > latestBounds.start ||
      (bounds.start === latestBounds.start && bounds.end >= latestBounds.end)
    ) {
      latest = p;
      latestBounds = bounds;
    }
  }
  const period =
    latest === undefined
      ? null
      : typeof latest.period === "string"
        ? latest.period
        : periodKey(latest.period);
  const expected = latest ? expectedAt(input, latest.period) : null;
  const actual = latest?.value ?? null;
  const status = targetStatus({
    actual,
    expected,
    polarity: input.polarity,
    tolerance: input.tolerance ?? 0,
    interval: latest ? { lower: latest.lower ?? null, upper: latest.upper ?? null } : null,
  });
  const freshness = dataFreshness({
    latestPeriod: latest?.period ?? null,
    frequency: input.frequency,
    releaseLagDays: input.releaseLagDays ?? null,
    asOf: input.asOf,
  });
  return { status, period, actual, expected, freshness };
}
