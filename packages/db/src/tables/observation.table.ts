import type { PeriodType } from "@fivestep/domain";
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * The `observation` table: indicator × area × period × breakdown → value. `period` is the canonical key
 * (`periodKey`), `period_start` its first day, so series sort in time with plain SQL.
 */
export interface ObservationTable {
  id: Generated<number>;
  indicator_id: number;
  area_id: number;
  period: string;
  /** A breakdown such as "Male"; "" for none (part of the unique key). */
  breakdown: Generated<string>;
  period_type: PeriodType;
  period_start: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower: number | null;
  upper: number | null;
  /** The publisher's own judgement against its benchmark ("better", "similar", "worse", "higher", "lower"). */
  publisher_judgement: string | null;
  /** Where that judgement came from (the import mapping's source). */
  judgement_source: string | null;
  /** Where `lower`/`upper` came from: "publisher", or the method computed at import ("wilson", "byars", "exact"). */
  interval_method: string | null;
  status: Generated<"final" | "provisional">;
  note: string | null;
  batch_id: number | null;
  created_batch_id: number | null;
}
/** @example const row: ObservationRow = await db.selectFrom("observation").selectAll().executeTakeFirstOrThrow(); */
export type ObservationRow = Selectable<ObservationTable>;
/** @example const n: NewObservation = { indicator_id: 1, area_id: 1, period: "2007 Q2", period_type: "quarter", period_start: "2007-04-01", value: 72.4, numerator: null, denominator: null, lower: null, upper: null, publisher_judgement: null, judgement_source: null, interval_method: null, note: null, batch_id: null, created_batch_id: null }; */
export type NewObservation = Insertable<ObservationTable>;
/** @example const u: ObservationUpdate = { value: 72.5 }; */
export type ObservationUpdate = Updateable<ObservationTable>;
