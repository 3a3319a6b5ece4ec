export { type Area, AreaCodeSchema, AreaSchema } from "./area.ts";
export {
  FREQUENCIES,
  type Frequency,
  FrequencySchema,
  type Indicator,
  IndicatorCodeSchema,
  IndicatorSchema,
  POLARITIES,
  type Polarity,
  PolaritySchema,
  VALUE_TYPES,
  type ValueType,
  ValueTypeSchema,
} from "./indicator.ts";
export {
  type AreaSeries,
  type Observation,
  ObservationSchema,
  PeriodKeySchema,
  type SeriesPoint,
} from "./observation.ts";
export {
  comparePeriodBounds,
  PERIOD_TYPES,
  type Period,
  PeriodSchema,
  type PeriodType,
  periodBounds,
  periodFromKey,
  periodKey,
} from "./period.ts";
