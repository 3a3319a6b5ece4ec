import { periodBounds, periodFromKey } from "@fivestep/domain";
import type { Executor } from "../database.ts";
import type { ObservationValues } from "../tables/catalogue.table.ts";
import type { PeriodLockRow } from "../tables/period-lock.table.ts";

/** A locked period as the api shows it. */
export interface PeriodLockView {
  id: number;
  indicatorCode: string;
  period: string;
  lockedBy: string | null;
  lockedAt: string;
}

/**
 * The locked periods, newest lock first; of one indicator when `indicatorCode` is given.
 *
 * @example const locks = await listPeriodLocks(db, { indicatorCode: "NI 151" });
 */
export async function listPeriodLocks(
  db: Executor,
  f: { indicatorCode?: string } = {},
): Promise<PeriodLockView[]> {
  let q = db
    .selectFrom("period_lock as l")
    .innerJoin("indicator as i", "i.id", "l.indicator_id")
    .leftJoin("app_user as u", "u.id", "l.locked_by")
    .select([
      "l.id",
      "i.code as indicatorCode",
      "l.period",
      "u.display_name as lockedBy",
      "l.locked_at as lockedAt",
    ]);
  if (f.indicatorCode !== undefined) q = q.where("i.code", "=", f.indicatorCode);
  return q.orderBy("l.locked_at", "desc").orderBy("l.id", "desc").execute();
}

/**
 * The lock on an indicator's period, or undefined.
 *
 * @example const lock = await findPeriodLock(db, "NI 151", "2007 Q2");
 */
export async function findPeriodLock(
  db: Executor,
  indicatorCode: string,
  period: string,
): Promise<PeriodLockView | undefined> {
  return (await listPeriodLocks(db, { indicatorCode })).find((l) => l.period === period);
}

/**
 * Locks an indicator's period.
 *
 * @example const lock = await insertPeriodLock(trx, { indicatorId: 1, period: "2007 Q2", by: 1, at: nowIso() });
 */
export async function insertPeriodLock(
  db: Executor,
  l: { indicatorId: number; period: string; by: number | null; at: string },
): Promise<PeriodLockRow> {
  return db
    .insertInto("period_lock")
    .values({ indicator_id: l.indicatorId, period: l.period, locked_by: l.by, locked_at: l.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Unlocks a period; returns whether a lock was removed.
 *
 * @example await deletePeriodLock(trx, lock.id);
 */
export async function deletePeriodLock(db: Executor, id: number): Promise<boolean> {
  const r = await db.deleteFrom("period_lock").where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * The periods an indicator has values for (any area or breakdown), newest first, with how many
 * values each has: the periods an administrator may lock.
 *
 * @example await reportedPeriods(db, "NI 151") // [{ period: "2007 Q2", values: 3 }, …]
 */
export async function reportedPeriods(
  db: Executor,
  indicatorCode: string,
  limit = 200,
): Promise<Array<{ period: string; values: number }>> {
  const rows = await db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .select(["o.period", "o.period_start", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("i.code", "=", indicatorCode)
    .groupBy(["o.period", "o.period_start"])
    .orderBy("o.period_start", "desc")
    .orderBy("o.period", "desc")
    .limit(limit)
    .execute();
  // PostgreSQL answers count(*) as a string.
  return rows.map((r) => ({ period: r.period, values: Number(r.n) }));
}

/** Which stored value a row names: indicator × area × period × breakdown ("" for none). */
export interface ObservationKey {
  indicatorId: number;
  areaId: number;
  period: string;
  breakdown: string;
}

/**
 * A row that would write a value: its key and the values it brings. Fields left out are not
 * compared (an import that gives no confidence limits does not change them).
 */
export interface LockCheckRow extends ObservationKey {
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  lower?: number | null;
  upper?: number | null;
}

/** A row that would change a value in a locked period. */
export interface LockedChange<R extends LockCheckRow = LockCheckRow> {
  /** The row's position in the list given. */
  index: number;
  row: R;
  /** The stored value it would change, and its current values. */
  observationId: number;
  current: ObservationValues;
  lock: { period: string; lockedAt: string; lockedBy: number | null };
}

const COMPARED = ["value", "numerator", "denominator", "lower", "upper"] as const;

/**
 * Which of these rows would change a value of a locked period (see `period_lock`): rows whose
 * indicator and period are locked and whose key already has a value that differs in any field
 * the row gives. A new key (no value yet) and an equal value change nothing. Such a change needs
 * a reason; record it with `recordObservationRevision` (or write it with `reviseObservation`).
 * Rows may be `WriteRow`s of an import. Reads locks once per call, and stored values only for
 * the locked indicator-periods the rows touch.
 *
 * @example
 * const refused = await lockedChanges(db, [{ indicatorId: 1, areaId: 2, period: "2007 Q2", breakdown: "", value: 73 }]);
 * if (refused.length > 0) throw …; // or ask for a reason and record it with the revision
 */
export async function lockedChanges<R extends LockCheckRow>(
  db: Executor,
  rows: readonly R[],
): Promise<Array<LockedChange<R>>> {
  if (rows.length === 0) return [];
  const indicatorIds = [...new Set(rows.map((r) => r.indicatorId))];
  const locks = new Map<string, { period: string; lockedAt: string; lockedBy: number | null }>();
  const lockedIndicators = new Set<number>();
  for (let i = 0; i < indicatorIds.length; i += 500) {
    const found = await db
      .selectFrom("period_lock")
      .select(["indicator_id", "period", "locked_at", "locked_by"])
      .where("indicator_id", "in", indicatorIds.slice(i, i + 500))
      .execute();
    for (const l of found) {
      lockedIndicators.add(l.indicator_id);
      locks.set(`${l.indicator_id}|${l.period}`, {
        period: l.period,
        lockedAt: l.locked_at,
        lockedBy: l.locked_by,
      });
    }
  }
  if (locks.size === 0) return [];
  const touched = new Map<string, Array<{ index: number; row: R }>>();
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index] as R;
    // Most rows are of an indicator with no locked period at all: no key to build for them.
    if (!lockedIndicators.has(row.indicatorId)) continue;
    const key = `${row.indicatorId}|${row.period}`;
    if (!locks.has(key)) continue;
    const list = touched.get(key);
    if (list) list.push({ index, row });
    else touched.set(key, [{ index, row }]);
  }
  const out: Array<LockedChange<R>> = [];
  for (const [key, list] of touched) {
    const first = list[0] as { row: R };
    const stored = await db
      .selectFrom("observation")
      .select([
        "id",
        "area_id",
        "breakdown",
        "value",
        "numerator",
        "denominator",
        "lower",
        "upper",
        "status",
        "note",
      ])
      .where("indicator_id", "=", first.row.indicatorId)
      .where("period", "=", first.row.period)
      .execute();
    const byKey = new Map(stored.map((s) => [`${s.area_id}|${s.breakdown}`, s]));
    for (const { index, row } of list) {
      const current = byKey.get(`${row.areaId}|${row.breakdown}`);
      if (!current) continue;
      const differs = COMPARED.some((f) => row[f] !== undefined && row[f] !== current[f]);
      if (!differs) continue;
      const { id, area_id: _area, breakdown: _breakdown, ...values } = current;
      out.push({
        index,
        row,
        observationId: id,
        current: values,
        lock: locks.get(key) as LockedChange["lock"],
      });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * Records that a stored value changed: its old and new values, who and when, what made the
 * change (an import batch, or an approved data return) and, for a locked period, why.
 *
 * @example await recordObservationRevision(trx, { observationId: 9, old, new: next, by: 2, at: nowIso(), reason: "ONS revision", batchId: 7, previousBatchId: 3 });
 */
export async function recordObservationRevision(
  db: Executor,
  r: {
    observationId: number;
    old: ObservationValues;
    new: ObservationValues;
    by: number | null;
    at: string;
    reason?: string | null;
    batchId?: number | null;
    previousBatchId?: number | null;
    dataReturnId?: number | null;
  },
): Promise<number> {
  const row = await db
    .insertInto("observation_revision")
    .values({
      observation_id: r.observationId,
      batch_id: r.batchId ?? null,
      previous_batch_id: r.previousBatchId ?? null,
      old_json: JSON.stringify(valuesOf(r.old)),
      new_json: JSON.stringify(valuesOf(r.new)),
      changed_by: r.by,
      changed_at: r.at,
      reason: r.reason ?? null,
      data_return_id: r.dataReturnId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const valuesOf = (v: ObservationValues): ObservationValues => ({
  value: v.value,
  numerator: v.numerator,
  denominator: v.denominator,
  lower: v.lower,
  upper: v.upper,
  status: v.status,
  note: v.note ?? null,
});

const same = (a: ObservationValues, b: ObservationValues) =>
  COMPARED.every((f) => a[f] === b[f]) && a.status === b.status && (a.note ?? null) === (b.note ?? null);

/**
 * Writes one value outside an import (an approved data return): inserts a new key, or replaces a
 * stored value and records the revision (who, when, the data return, the reason). An equal
 * value is left alone. The row's last writer (`batch_id`) becomes NULL: no batch wrote it.
 *
 * @example const r = await reviseObservation(trx, key, values, { by: 2, at: nowIso(), reason: null, dataReturnId: 5 }); r.outcome // "updated"
 */
export async function reviseObservation(
  db: Executor,
  key: ObservationKey,
  values: ObservationValues,
  change: { by: number | null; at: string; reason: string | null; dataReturnId?: number | null },
): Promise<{
  outcome: "inserted" | "updated" | "unchanged";
  observationId: number;
  old: ObservationValues | null;
}> {
  const existing = await db
    .selectFrom("observation")
    .select(["id", "value", "numerator", "denominator", "lower", "upper", "status", "note", "batch_id"])
    .where("indicator_id", "=", key.indicatorId)
    .where("area_id", "=", key.areaId)
    .where("period", "=", key.period)
    .where("breakdown", "=", key.breakdown)
    .executeTakeFirst();
  if (!existing) {
    const period = periodFromKey(key.period);
    const row = await db
      .insertInto("observation")
      .values({
        indicator_id: key.indicatorId,
        area_id: key.areaId,
        period: key.period,
        breakdown: key.breakdown,
        period_type: period.type,
        period_start: periodBounds(period).start,
        ...valuesOf(values),
        batch_id: null,
        created_batch_id: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { outcome: "inserted", observationId: row.id, old: null };
  }
  const { id, batch_id: previousBatchId, ...old } = existing;
  if (same(old, values)) return { outcome: "unchanged", observationId: id, old };
  await db
    .updateTable("observation")
    .set({ ...valuesOf(values), batch_id: null })
    .where("id", "=", id)
    .execute();
  await recordObservationRevision(db, {
    observationId: id,
    old,
    new: values,
    by: change.by,
    at: change.at,
    reason: change.reason,
    previousBatchId,
    dataReturnId: change.dataReturnId ?? null,
  });
  return { outcome: "updated", observationId: id, old };
}

/**
 * Writes one revision reason beside the revisions a batch recorded for these observations (the
 * locked values an import changed).
 *
 * @example await setRevisionReason(trx, batchId, [12, 13], "ONS revised the 2023 Q1 figures");
 */
export async function setRevisionReason(
  db: Executor,
  batchId: number,
  observationIds: readonly number[],
  reason: string,
): Promise<void> {
  if (observationIds.length === 0) return;
  await db
    .updateTable("observation_revision")
    .set({ reason })
    .where("batch_id", "=", batchId)
    .where("observation_id", "in", observationIds)
    .execute();
}
