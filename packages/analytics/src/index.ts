export {
  type BenchmarkComparison,
  compareProportionWithBenchmark,
  compareWithBenchmark,
  quantileGroups,
  rescaleInterval,
  type SpcOptions,
} from "./benchmark.ts";
export { addDays, addMonths, endOfMonth } from "./dates.ts";
export { type Direction, directionOfTravel } from "./direction.ts";
export {
  type ForecastStep,
  type HoltForecast,
  type HoltOptions,
  holtForecast,
  type LinearForecast,
  type LinearForecastOptions,
  linearForecast,
} from "./forecast.ts";
export {
  DEFAULT_RELEASE_LAG_DAYS,
  dataFreshness,
  FREQUENCY_MONTHS,
  type Freshness,
  type FreshnessInput,
} from "./freshness.ts";
export {
  type ControlLimits,
  type FunnelObservation,
  type FunnelPoint,
  type FunnelSignificance,
  funnelAverage,
  type ProportionFunnel,
  proportionControlLimits,
  proportionFunnelLimits,
  proportionFunnelSignificance,
} from "./funnel.ts";
export { type Gap, gapBetween, type ValueWithLimits } from "./gap.ts";
export {
  byarsLower,
  byarsUpper,
  type Interval,
  type MeanInterval,
  type MeanOptions,
  meanInterval,
  type ProportionInterval,
  type ProportionOptions,
  proportionInterval,
  type RateInterval,
  type RateOptions,
  rateInterval,
} from "./intervals.ts";
export {
  type AddPeriodsOptions,
  addPeriods,
  comparePeriods,
  formatPeriod,
  parsePeriod,
  periodIndex,
} from "./period.ts";
export {
  type SiiOptions,
  type SiiQuantile,
  type SiiValueType,
  type SlopeIndexOfInequality,
  slopeIndexOfInequality,
} from "./sii.ts";
export { quantileSorted, type SpineSummary, spineSummary } from "./spine.ts";
export {
  expectedAt,
  type JudgedPoint,
  judgeTarget,
  type RealismReason,
  type TargetJudgement,
  type TargetJudgementInput,
  type TargetPath,
  type TargetRealism,
  type TargetRealismInput,
  type TargetStatus,
  type TargetStatusInput,
  type TrajectoryShape,
  targetRealism,
  targetStatus,
  trajectory,
} from "./targets.ts";
export {
  type ChangePointOptions,
  changePoints,
  type IndicatorTrend,
  type IndicatorTrendOptions,
  indicatorTrend,
  type MannKendall,
  type MannKendallOptions,
  mannKendall,
  type PeriodLike,
  type RecentTrend,
  type RecentTrendOptions,
  type RollingPoint,
  recentTrend,
  rollingAverage,
  TREND_CHI_SQUARE_CRITICAL,
  TREND_MIN_POINTS,
  type TrendMarker,
  type TrendMethod,
  type TrendPoint,
  type TrendReason,
} from "./trend.ts";
