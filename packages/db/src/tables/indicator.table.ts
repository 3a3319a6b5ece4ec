import type { Frequency, Polarity, ValueType } from "@fivestep/domain";
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/** The `indicator` table: the shared catalogue. */
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
}
/** @example const row: IndicatorRow = await db.selectFrom("indicator").selectAll().executeTakeFirstOrThrow(); */
export type IndicatorRow = Selectable<IndicatorTable>;
/** @example const n: NewIndicator = { code: "NI 151", title: "…", definition: "", unit: "%", value_type: "percentage", polarity: "high-is-good", frequency: "quarterly", source: "" }; */
export type NewIndicator = Insertable<IndicatorTable>;
/** @example const u: IndicatorUpdate = { title: "Overall employment rate" }; */
export type IndicatorUpdate = Updateable<IndicatorTable>;
