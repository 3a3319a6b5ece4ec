import type { Kysely } from "kysely";
import { sqliteHandleOf } from "../create-db.ts";
import type { Database, Executor } from "../database.ts";
import type { ObservationValues } from "../tables/catalogue.table.ts";

/** One row for the writer: ids resolved, period canonical, values parsed. */
export interface WriteRow extends ObservationValues {
  indicatorId: number;
  areaId: number;
  period: string;
  periodType: string;
  periodStart: string;
  breakdown: string;
  /** The publisher's own judgement against its benchmark, and where it came from (see migration 0020). */
  publisherJudgement?: string | null;
  judgementSource?: string | null;
  /** Where the limits came from: "publisher", or the method that computed them at import. */
  intervalMethod?: string | null;
}

/** What the writer did with one row. */
export type WriteOutcome = "inserted" | "updated" | "unchanged" | "duplicate";

/** Writes one batch's rows, chunk by chunk, inside the caller's transaction. */
export interface ObservationWriter {
  /** Writes rows; returns each row's outcome in order. "duplicate": this batch already wrote that key. */
  write(rows: readonly WriteRow[]): Promise<WriteOutcome[]>;
}

const sameValues = (a: ObservationValues, b: ObservationValues) =>
  a.value === b.value &&
  a.numerator === b.numerator &&
  a.denominator === b.denominator &&
  a.lower === b.lower &&
  a.upper === b.upper &&
  a.status === b.status &&
  (a.note ?? null) === (b.note ?? null);

/**
 * The stored values of a row (the fields a revision keeps).
 *
 * @example JSON.stringify(valuesOf(row))
 */
export const valuesOf = (r: ObservationValues): ObservationValues => ({
  value: r.value,
  numerator: r.numerator,
  denominator: r.denominator,
  lower: r.lower,
  upper: r.upper,
  status: r.status,
  note: r.note,
});

interface Existing extends ObservationValues {
  id: number;
  batch_id: number | null;
  publisher_judgement: string | null;
  judgement_source: string | null;
  interval_method: string | null;
}

/** The publisher's judgement and the interval's origin of a row (null when the row has none). */
const extrasOf = (r: WriteRow) => ({
  publisher_judgement: r.publisherJudgement ?? null,
  judgement_source: r.judgementSource ?? null,
  interval_method: r.intervalMethod ?? null,
});
const sameExtras = (old: Existing, r: WriteRow) => {
  const e = extrasOf(r);
  return (
    old.publisher_judgement === e.publisher_judgement &&
    old.judgement_source === e.judgement_source &&
    old.interval_method === e.interval_method
  );
};

/**
 * A writer for one batch. New keys are inserted; a key whose values differ is updated and its old
 * and new values kept as a revision (batch, who, when); equal values are left alone, so
 * re-importing a file changes nothing. Call it inside `trx`, a transaction begun on `db`.
 *
 * On SQLite it uses prepared better-sqlite3 statements on the transaction's connection (one
 * insert-or-ignore per row, a lookup only when the key exists); elsewhere, Kysely per row.
 * `generic: true` forces the Kysely path (tests use it to cover the PostgreSQL code on SQLite).
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const writer = createObservationWriter(db, trx, { batchId, userId: 1, at: nowIso() });
 *   await writer.write(rows);
 * });
 */
export function createObservationWriter(
  db: Kysely<Database>,
  trx: Executor,
  batch: { batchId: number; userId: number | null; at: string },
  options: { generic?: boolean } = {},
): ObservationWriter {
  const raw = options.generic ? undefined : sqliteHandleOf(db);
  if (raw) {
    const insert = raw.prepare(
      `insert into observation (indicator_id, area_id, period, breakdown, period_type, period_start, value, numerator, denominator, lower, upper, status, note, batch_id, created_batch_id, publisher_judgement, judgement_source, interval_method)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (indicator_id, area_id, period, breakdown) do nothing`,
    );
    const find = raw.prepare(
      `select id, value, numerator, denominator, lower, upper, status, note, batch_id, publisher_judgement, judgement_source, interval_method from observation
       where indicator_id = ? and area_id = ? and period = ? and breakdown = ?`,
    );
    const update = raw.prepare(
      `update observation set value = ?, numerator = ?, denominator = ?, lower = ?, upper = ?, status = ?, note = ?, batch_id = ?, publisher_judgement = ?, judgement_source = ?, interval_method = ? where id = ?`,
    );
    const revise = raw.prepare(
      `insert into observation_revision (observation_id, batch_id, previous_batch_id, old_json, new_json, changed_by, changed_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    );
    const { batchId, userId, at } = batch;
    return {
      async write(rows) {
        const out: WriteOutcome[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i] as WriteRow;
          const info = insert.run(
            r.indicatorId,
            r.areaId,
            r.period,
            r.breakdown,
            r.periodType,
            r.periodStart,
            r.value,
            r.numerator,
            r.denominator,
            r.lower,
            r.upper,
            r.status,
            r.note,
            batchId,
            batchId,
            r.publisherJudgement ?? null,
            r.judgementSource ?? null,
            r.intervalMethod ?? null,
          );
          if (info.changes === 1) {
            out[i] = "inserted";
            continue;
          }
          const old = find.get(r.indicatorId, r.areaId, r.period, r.breakdown) as Existing;
          if (old.batch_id === batchId) out[i] = "duplicate";
          else if (sameValues(old, r) && sameExtras(old, r)) out[i] = "unchanged";
          else {
            update.run(
              r.value,
              r.numerator,
              r.denominator,
              r.lower,
              r.upper,
              r.status,
              r.note,
              batchId,
              r.publisherJudgement ?? null,
              r.judgementSource ?? null,
              r.intervalMethod ?? null,
              old.id,
            );
            revise.run(
              old.id,
              batchId,
              old.batch_id,
              JSON.stringify(valuesOf(old)),
              JSON.stringify(valuesOf(r)),
              userId,
              at,
            );
            out[i] = "updated";
          }
        }
        return out;
      },
    };
  }
  return {
    async write(rows) {
      const out: WriteOutcome[] = [];
      for (const r of rows) {
        const values = valuesOf(r);
        const inserted = await trx
          .insertInto("observation")
          .values({
            indicator_id: r.indicatorId,
            area_id: r.areaId,
            period: r.period,
            breakdown: r.breakdown,
            period_type: r.periodType as never,
            period_start: r.periodStart,
            ...values,
            ...extrasOf(r),
            batch_id: batch.batchId,
            created_batch_id: batch.batchId,
          })
          .onConflict((oc) => oc.columns(["indicator_id", "area_id", "period", "breakdown"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (inserted) {
          out.push("inserted");
          continue;
        }
        const old = await trx
          .selectFrom("observation")
          .select([
            "id",
            "value",
            "numerator",
            "denominator",
            "lower",
            "upper",
            "status",
            "note",
            "batch_id",
            "publisher_judgement",
            "judgement_source",
            "interval_method",
          ])
          .where("indicator_id", "=", r.indicatorId)
          .where("area_id", "=", r.areaId)
          .where("period", "=", r.period)
          .where("breakdown", "=", r.breakdown)
          .executeTakeFirstOrThrow();
        if (old.batch_id === batch.batchId) out.push("duplicate");
        else if (sameValues(old, r) && sameExtras(old, r)) out.push("unchanged");
        else {
          await trx
            .updateTable("observation")
            .set({ ...values, ...extrasOf(r), batch_id: batch.batchId })
            .where("id", "=", old.id)
            .execute();
          await trx
            .insertInto("observation_revision")
            .values({
              observation_id: old.id,
              batch_id: batch.batchId,
              previous_batch_id: old.batch_id,
              old_json: JSON.stringify(valuesOf(old)),
              new_json: JSON.stringify(values),
              changed_by: batch.userId,
              changed_at: batch.at,
            })
            .execute();
          out.push("updated");
        }
      }
      return out;
    },
  };
}
