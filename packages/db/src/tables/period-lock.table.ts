import type { Generated, Selectable } from "kysely";

/**
 * `period_lock`: an indicator's period an administrator locked once it was reported. A later
 * change to any of its stored values needs a reason, kept with the value's revision.
 */
export interface PeriodLockTable {
  id: Generated<number>;
  indicator_id: number;
  /** A canonical period key, such as "2023 Q1". */
  period: string;
  locked_by: number | null;
  locked_at: string;
}
/** @example const lock: PeriodLockRow = await db.selectFrom("period_lock").selectAll().executeTakeFirstOrThrow(); */
export type PeriodLockRow = Selectable<PeriodLockTable>;
