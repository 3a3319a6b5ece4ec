import {
  type Executor,
  findIndicatorsByCodes,
  type IndicatorRecord,
  insertNotification,
  insertStatusChanges,
  latestValuesByArea,
  nowIso,
  type StatusChangeRow,
  saveTargetStatuses,
  seriesByArea,
  type TargetStatusValues,
  targetStatuses,
  targetsUsing,
  touchTargetStatuses,
} from "@fivestep/db";
import type { MessageParams } from "./mail/messages.ts";
import { type NoticeCode, noticeText } from "./notices.ts";
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
 * The number of statements grows with the indicators, not the targets: the targets, their
 * indicators and their stored statuses are read in one statement each, each indicator's latest
 * values for all the targets' areas in one (a status depends only on the latest value), and the statuses and changes are written in batches (a few
 * thousand rows a statement, within both engines' parameter limits). Changes come back, and are
 * recorded, in the order of the targets' ids.
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
    /**
     * Called before the first indicator is judged and after each one, with how many of the
     * indicators are done; awaited, so a job can check for a cancel there (what it throws
     * leaves the statuses unwritten).
     */
    onProgress?: (p: { done: number; total: number; targets: number }) => void | Promise<void>;
  },
): Promise<StatusChangeResult[]> {
  const at = opts.at ?? nowIso();
  const planIds = opts.planIds && new Set(opts.planIds);
  const areaCodes = opts.areaCodes && new Set(opts.areaCodes);
  const itemIds = opts.itemIds && new Set(opts.itemIds);
  const targets = (await targetsUsing(db, opts.indicatorCodes))
    .filter(
      (t) =>
        (!planIds || planIds.has(t.planId)) &&
        (!areaCodes || areaCodes.has(t.areaCode)) &&
        (!itemIds || itemIds.has(t.itemId)),
    )
    .map((ref) => ({ ref, data: parseIndicatorItem(ref.dataJson) }));
  if (targets.length === 0) return [];
  const indicators = await findIndicatorsByCodes(
    db,
    targets.map((t) => t.data.indicatorCode),
  );
  // A target whose indicator has gone is left as it was.
  const judged = targets.filter((t) => indicators.has(t.data.indicatorCode));
  const known = new Map(
    (
      await targetStatuses(
        db,
        judged.map((t) => t.ref.itemId),
      )
    ).map((s) => [s.item_id, s]),
  );

  const byIndicator = new Map<string, typeof judged>();
  for (const t of judged) {
    const list = byIndicator.get(t.data.indicatorCode);
    if (list) list.push(t);
    else byIndicator.set(t.data.indicatorCode, [t]);
  }
  const judgements = new Map<number, TargetStatusValues>();
  let indicatorsDone = 0;
  await opts.onProgress?.({ done: 0, total: byIndicator.size, targets: judged.length });
  for (const [code, list] of byIndicator) {
    const indicator = indicators.get(code) as IndicatorRecord;
    // The judge reads only a series' latest value, so only the latest values are read; where one
    // of those is not a finite number (the judge skips it), that area's whole series is.
    const latest = await latestValuesByArea(db, {
      indicatorId: indicator.id,
      areaCodes: list.map((t) => t.ref.areaCode),
    });
    const odd = [...latest].filter(([, points]) => points.some((p) => !Number.isFinite(p.value)));
    const whole =
      odd.length > 0
        ? await seriesByArea(db, { indicatorId: indicator.id, areaCodes: odd.map(([area]) => area) })
        : undefined;
    for (const t of list) {
      const points = (whole?.get(t.ref.areaCode) ?? latest.get(t.ref.areaCode) ?? []).filter(
        (p) => p.value !== null,
      );
      const { status, period, actual, expected } = judgeStoredTarget(t.data, indicator, points, at);
      judgements.set(t.ref.itemId, {
        item_id: t.ref.itemId,
        status,
        period,
        actual,
        expected,
        computed_at: at,
      });
    }
    indicatorsDone++;
    await opts.onProgress?.({ done: indicatorsDone, total: byIndicator.size, targets: judged.length });
  }

  const rewritten: TargetStatusValues[] = [];
  const unchanged: number[] = [];
  const changes: StatusChangeResult[] = [];
  const cause = opts.cause.slice(0, 200);
  const records: Array<Omit<StatusChangeRow, "id">> = [];
  for (const t of judged) {
    const row = judgements.get(t.ref.itemId) as TargetStatusValues;
    const before = known.get(t.ref.itemId);
    if (
      before &&
      before.status === row.status &&
      before.period === row.period &&
      before.actual === row.actual &&
      before.expected === row.expected
    )
      unchanged.push(row.item_id);
    else rewritten.push(row);
    if (before?.status === row.status) continue;
    const change: StatusChangeResult = {
      itemId: t.ref.itemId,
      planId: t.ref.planId,
      indicatorCode: t.data.indicatorCode,
      from: before?.status ?? null,
      to: row.status,
      period: row.period,
      actual: row.actual,
      expected: row.expected,
    };
    changes.push(change);
    records.push({
      item_id: change.itemId,
      plan_id: change.planId,
      indicator_code: change.indicatorCode,
      from_status: change.from,
      to_status: change.to,
      period: change.period,
      actual: change.actual,
      expected: change.expected,
      cause,
      batch_id: opts.batchId ?? null,
      at,
    });
  }
  await saveTargetStatuses(db, rewritten);
  await touchTargetStatuses(db, unchanged, at);
  await insertStatusChanges(db, records);
  return changes;
}

/** An inbox entry: its kind, a message code and parameters (worded by the reader), and a link. */
export interface Notice {
  kind: string;
  code: NoticeCode;
  params: MessageParams;
  link: string;
}

/** How in-app notifications are sent. */
export interface Notifier {
  notify(db: Executor, userId: number, notice: Notice): Promise<void>;
}

/**
 * The in-app notifier: a row in the user's inbox, written in the caller's transaction, as a
 * message code and parameters (the English sentence kept beside them).
 *
 * @example await inAppNotifier.notify(trx, 4, { kind: "import-rejected", code: "import.rejected", params: { batch: "7", file: "a.csv", by: "Ana", reason: "Wrong year" }, link: "/batches/7" });
 */
export const inAppNotifier: Notifier = {
  async notify(db, userId, notice) {
    await insertNotification(db, {
      user_id: userId,
      kind: notice.kind,
      text: noticeText(notice.code, notice.params),
      link: notice.link,
      created_at: nowIso(),
      message_code: notice.code,
      params_json: JSON.stringify(notice.params),
    });
  },
};
