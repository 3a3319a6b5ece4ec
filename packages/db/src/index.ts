export { createDb, dialectOf } from "./create-db.ts";
export type { Database, Executor } from "./database.ts";
export { migrateToLatest, migrations } from "./migrations/index.ts";
export { listAreas, upsertArea } from "./repositories/areas.ts";
export { findIndicatorByCode, listIndicators, upsertIndicator } from "./repositories/indicators.ts";
export { seriesFor, upsertObservations } from "./repositories/observations.ts";
export { DEMO_AREAS, DEMO_INDICATORS, demoObservations, seedDemo } from "./seed/demo.ts";
export type { AreaRow, AreaTable, AreaUpdate, NewArea } from "./tables/area.table.ts";
export type {
  IndicatorRow,
  IndicatorTable,
  IndicatorUpdate,
  NewIndicator,
} from "./tables/indicator.table.ts";
export type {
  NewObservation,
  ObservationRow,
  ObservationTable,
  ObservationUpdate,
} from "./tables/observation.table.ts";
