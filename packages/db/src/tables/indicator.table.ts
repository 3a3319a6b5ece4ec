import type { CiMethod, Frequency, IndicatorStatus, PeriodType, Polarity, ValueType } from "@fivestep/domain";
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The `indicator` table: the shared catalogue. Lists (themes, tags, sets) and the derivation are
 * JSON text; the target band is two columns.
 */
export interface IndicatorTable {
  id: Generated<number>;
  version: Generated<number>;
  code: string;
  title: string;
  definition: string;
  unit: string;
  value_type: ValueType;
  polarity: Polarity;
  frequency: Frequency;
  source: string;
  rationale: Generated<string>;
  multiplier: Generated<number>;
  period_type: PeriodType | null;
  decimal_places: Generated<number>;
  numerator_definition: Generated<string>;
  denominator_definition: Generated<string>;
  publisher: Generated<string>;
  release_lag_days: number | null;
  ci_method: Generated<CiMethod>;
  caveats: Generated<string>;
  owner: Generated<string>;
  themes_json: Generated<string>;
  tags_json: Generated<string>;
  sets_json: Generated<string>;
  status: Generated<IndicatorStatus>;
  year_introduced: number | null;
  year_retired: number | null;
  valid_min: number | null;
  valid_max: number | null;
  target_low: number | null;
  target_high: number | null;
  derivation_json: string | null;
  updated_at: string | null;
}
/** @example const row: IndicatorRow = await db.selectFrom("indicator").selectAll().executeTakeFirstOrThrow(); */
export type IndicatorRow = Selectable<IndicatorTable>;
/** @example const n: NewIndicator = { code: "NI 151", title: "…", definition: "", unit: "%", value_type: "percentage", polarity: "high-is-good", frequency: "quarterly", source: "", period_type: null, release_lag_days: null, year_introduced: null, year_retired: null, valid_min: null, valid_max: null, target_low: null, target_high: null, derivation_json: null, updated_at: null }; */
export type NewIndicator = Insertable<IndicatorTable>;
/** @example const u: IndicatorUpdate = { title: "Overall employment rate" }; */
export type IndicatorUpdate = Updateable<IndicatorTable>;

/** The `indicator_version` table: every saved version of an indicator's metadata. */
export interface IndicatorVersionTable {
  id: Generated<number>;
  indicator_id: number;
  version: number;
  saved_at: string;
  saved_by: number | null;
  change_note: string;
  snapshot_json: string;
}
