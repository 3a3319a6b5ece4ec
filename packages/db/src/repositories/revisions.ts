import type { Executor } from "../database.ts";
import type { ObservationValues } from "../tables/catalogue.table.ts";

/** A value change as the api shows it. */
export interface RevisionView {
  id: number;
  /** The import batch that made the change; null when an approved data return did. */
  batchId: number | null;
  indicatorCode: string;
  areaCode: string;
  period: string;
  breakdown: string;
  old: ObservationValues;
  new: ObservationValues;
  changedBy: string | null;
  changedAt: string;
  /** Why a locked value was revised, or null. */
  reason: string | null;
}

/**
 * Value revisions, newest first, filtered by batch, indicator or area.
 *
 * @example const changes = await listRevisions(db, { batchId: 7 });
 */
export async function listRevisions(
  db: Executor,
  f: { batchId?: number; indicatorCode?: string; areaCode?: string; limit?: number } = {},
): Promise<RevisionView[]> {
  let q = db
    .selectFrom("observation_revision as r")
    .innerJoin("observation as o", "o.id", "r.observation_id")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .leftJoin("app_user as u", "u.id", "r.changed_by")
    .select([
      "r.id",
      "r.batch_id",
      "i.code as indicatorCode",
      "a.code as areaCode",
      "o.period",
      "o.breakdown",
      "r.old_json",
      "r.new_json",
      "u.display_name",
      "r.changed_at",
      "r.reason",
    ]);
  if (f.batchId !== undefined) q = q.where("r.batch_id", "=", f.batchId);
  if (f.indicatorCode) q = q.where("i.code", "=", f.indicatorCode);
  if (f.areaCode) q = q.where("a.code", "=", f.areaCode);
  const rows = await q
    .orderBy("r.id", "desc")
    .limit(Math.min(f.limit ?? 100, 1000))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    batchId: r.batch_id,
    indicatorCode: r.indicatorCode,
    areaCode: r.areaCode,
    period: r.period,
    breakdown: r.breakdown,
    old: JSON.parse(r.old_json) as ObservationValues,
    new: JSON.parse(r.new_json) as ObservationValues,
    changedBy: r.display_name,
    changedAt: r.changed_at,
    reason: r.reason,
  }));
}
