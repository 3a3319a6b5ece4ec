import {
  type Executor,
  findIndicatorByCode,
  insertNotification,
  insertStatusChange,
  nowIso,
  saveTargetStatus,
  seriesFor,
  targetStatuses,
  targetsUsing,
} from "@fivestep/db";
import { judgeStoredTarget, parseIndicatorItem } from "./plan-analysis.ts";

/** A change of a target's status that a recompute recorded. */
export interface StatusChangeResult {
  itemId: number;
  planId: number;
  indicatorCode: string;
  from: string | null;
  to: string;
  period: string | null;
  actual: number | null;
  expected: number | null;
}

/**
 * Judges every target that uses the given indicators (every target when none are given) against
 * its trajectory with the data as it now is, by the same judge as the overview and the report
 * (`judgeStoredTarget`), stores each status, and records each change with its cause (the import
 * batch or data return that brought the data, or the person who changed the target). Call it in
 * the transaction that wrote the data or the target, so the status lands with them. `planIds`,
 * `areaCodes` and `itemIds` narrow it to those plans' targets, those of plans for those areas, or
 * those targets, so that work in one partnership leaves the others' records alone.
 *
 * @example const changes = await recomputeStatuses(trx, { indicatorCodes: ["NI 151"], cause: "Import batch 7", batchId: 7 });
 */
export async function recomputeStatuses(
  db: Executor,
  opts: {
    indicatorCodes?: readonly string[];
    planIds?: readonly number[];
    areaCodes?: readonly string[];
    itemIds?: readonly number[];
    cause: string;
    batchId?: number | null;
    at?: string;
  },
): Promise<StatusChangeResult[]> {
  const at = opts.at ?? nowIso();
  const targets = (await targetsUsing(db, opts.indicatorCodes)).filter(
    (t) =>
      (!opts.planIds || opts.planIds.includes(t.planId)) &&
      (!opts.areaCodes || opts.areaCodes.includes(t.areaCode)) &&
      (!opts.itemIds || opts.itemIds.includes(t.itemId)),
  );
  const known = new Map(
    (
      await targetStatuses(
        db,
        targets.map((t) => t.itemId),
      )
    ).map((s) => [s.item_id, s]),
  );
  const polarities = new Map<string, Awaited<ReturnType<typeof findIndicatorByCode>>>();
  const changes: StatusChangeResult[] = [];
  for (const t of targets) {
    const data = parseIndicatorItem(t.dataJson);
    if (!polarities.has(data.indicatorCode))
      polarities.set(data.indicatorCode, await findIndicatorByCode(db, data.indicatorCode));
    const indicator = polarities.get(data.indicatorCode);
    if (!indicator) continue;
    const [series] = await seriesFor(db, { indicatorCode: data.indicatorCode, areaCodes: [t.areaCode] });
    const points = (series?.points ?? []).filter((p) => p.value !== null);
    const { status, period, actual, expected } = judgeStoredTarget(data, indicator, points, at);
    const before = known.get(t.itemId);
    const row = { item_id: t.itemId, status, period, actual, expected, computed_at: at };
    await saveTargetStatus(db, row);
    if (before?.status !== status) {
      const change = {
        itemId: t.itemId,
        planId: t.planId,
        indicatorCode: data.indicatorCode,
        from: before?.status ?? null,
        to: status,
        period: row.period,
        actual: row.actual,
        expected,
      };
      changes.push(change);
      await insertStatusChange(db, {
        item_id: t.itemId,
        plan_id: t.planId,
        indicator_code: data.indicatorCode,
        from_status: change.from,
        to_status: status,
        period: row.period,
        actual: row.actual,
        expected,
        cause: opts.cause.slice(0, 200),
        batch_id: opts.batchId ?? null,
        at,
      });
    }
  }
  return changes;
}

/** How in-app (and, later, other) notifications are sent. */
export interface Notifier {
  notify(db: Executor, userId: number, message: { kind: string; text: string; link: string }): Promise<void>;
}

/**
 * The in-app notifier: a row in the user's inbox, written in the caller's transaction.
 *
 * @example await inAppNotifier.notify(trx, 4, { kind: "data-return", text: "NI 151 for 2008 Q1 is due", link: "/returns" });
 */
export const inAppNotifier: Notifier = {
  async notify(db, userId, message) {
    await insertNotification(db, { user_id: userId, ...message, created_at: nowIso() });
  },
};
