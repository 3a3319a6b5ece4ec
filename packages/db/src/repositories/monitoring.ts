import { PostgresAdapter, sql } from "kysely";
import type { Executor } from "../database.ts";
import type { IndicatorRow } from "../tables/indicator.table.ts";
import type { DataReturnRow, StatusChangeRow } from "../tables/monitoring.table.ts";

/** An indicator target of a plan that is not closed, with the partnership's area. */
export interface TargetRef {
  itemId: number;
  planId: number;
  partnershipId: number;
  areaCode: string;
  dataJson: string;
}

/**
 * The indicator targets that use any of these indicators, in plans that are not closed (all of
 * them when `codes` is omitted).
 *
 * @example const targets = await targetsUsing(db, ["NI 151"]);
 */
export async function targetsUsing(db: Executor, codes?: readonly string[]): Promise<TargetRef[]> {
  let q = db
    .selectFrom("plan_item as i")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .innerJoin("partnership as s", "s.id", "p.partnership_id")
    .select([
      "i.id as itemId",
      "p.id as planId",
      "s.id as partnershipId",
      "s.area_code as areaCode",
      "i.data_json as dataJson",
    ])
    .where("i.kind", "=", "indicator")
    .where("p.status", "!=", "closed");
  if (codes) {
    if (codes.length === 0) return [];
    // Items store their fields as JSON written by JSON.stringify, so the code appears exactly so.
    q = q.where((eb) =>
      eb.or(codes.map((c) => eb("i.data_json", "like", `%"indicatorCode":${JSON.stringify(c)}%`))),
    );
  }
  return q.orderBy("i.id").execute();
}

/**
 * Bound parameters per statement for the batched reads and writes below: under SQLite's limit
 * (32,766 variables since 3.32) and PostgreSQL's (65,535), with room for a statement's own.
 */
const MAX_PARAMETERS = 30_000;

/**
 * Rows per statement for PostgreSQL's batched writes, which pass each column as one array
 * (`unnest`): a handful of parameters whatever the rows, so the server parses and plans a short
 * statement rather than one with tens of thousands of placeholders (most of a recompute's write
 * time on PostgreSQL went there). The bound keeps one statement's arrays modest in memory.
 */
const ARRAY_ROWS = 20_000;

/** Whether `db` talks to PostgreSQL (its array parameters and `unnest` are used there). */
function onPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `items` in slices of at most `perSlice`. */
function slices<T>(items: readonly T[], perSlice: number): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < items.length; k += perSlice) out.push(items.slice(k, k + perSlice));
  return out;
}

/**
 * The stored statuses of targets, read in statements of at most 30,000 ids each (so any number
 * of targets can be asked for on either engine).
 *
 * @example const known = await targetStatuses(db, [4, 5]);
 */
export async function targetStatuses(db: Executor, itemIds: readonly number[]) {
  const rows = [];
  for (const ids of slices(itemIds, MAX_PARAMETERS))
    rows.push(...(await db.selectFrom("target_status").selectAll().where("item_id", "in", ids).execute()));
  return rows;
}

/** Stores a target's judged status. @example await saveTargetStatus(trx, { item_id: 4, status: "on-track", period: "2007 Q2", actual: 72.4, expected: 72, computed_at: now }); */
export async function saveTargetStatus(
  db: Executor,
  s: {
    item_id: number;
    status: string;
    period: string | null;
    actual: number | null;
    expected: number | null;
    computed_at: string;
  },
): Promise<void> {
  const { item_id, ...rest } = s;
  await db
    .insertInto("target_status")
    .values(s)
    .onConflict((oc) => oc.column("item_id").doUpdateSet(rest))
    .execute();
}

/** Records a change of a target's status. @example await insertStatusChange(trx, { ... }); */
export async function insertStatusChange(db: Executor, c: Omit<StatusChangeRow, "id">): Promise<void> {
  await db.insertInto("status_change").values(c).execute();
}

/** A judged status as `target_status` stores it. */
export interface TargetStatusValues {
  item_id: number;
  status: string;
  period: string | null;
  actual: number | null;
  expected: number | null;
  computed_at: string;
}

/**
 * Stores many targets' judged statuses (insert, or replace a target's row), a few thousand rows
 * per statement.
 *
 * @example await saveTargetStatuses(trx, [{ item_id: 4, status: "on-track", period: "2007 Q2", actual: 72.4, expected: 72, computed_at: now }]);
 */
export async function saveTargetStatuses(db: Executor, rows: readonly TargetStatusValues[]): Promise<void> {
  if (onPostgres(db)) {
    for (const chunk of slices(rows, ARRAY_ROWS))
      await sql`
        insert into target_status (item_id, status, period, actual, expected, computed_at)
        select * from unnest(
          ${chunk.map((r) => r.item_id)}::integer[], ${chunk.map((r) => r.status)}::varchar[],
          ${chunk.map((r) => r.period)}::varchar[], ${chunk.map((r) => r.actual)}::double precision[],
          ${chunk.map((r) => r.expected)}::double precision[], ${chunk.map((r) => r.computed_at)}::varchar[])
        on conflict (item_id) do update set status = excluded.status, period = excluded.period,
          actual = excluded.actual, expected = excluded.expected, computed_at = excluded.computed_at
      `.execute(db);
    return;
  }
  for (const chunk of slices(rows, Math.floor(MAX_PARAMETERS / 6)))
    await db
      .insertInto("target_status")
      .values(chunk)
      .onConflict((oc) =>
        oc.column("item_id").doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          period: eb.ref("excluded.period"),
          actual: eb.ref("excluded.actual"),
          expected: eb.ref("excluded.expected"),
          computed_at: eb.ref("excluded.computed_at"),
        })),
      )
      .execute();
}

/**
 * Marks targets' stored statuses as judged again at `at`, their judgement unchanged: one
 * parameter a target, where `saveTargetStatuses` needs six.
 *
 * @example await touchTargetStatuses(trx, [4, 5], now);
 */
export async function touchTargetStatuses(
  db: Executor,
  itemIds: readonly number[],
  at: string,
): Promise<void> {
  if (onPostgres(db)) {
    for (const ids of slices(itemIds, ARRAY_ROWS))
      await sql`update target_status set computed_at = ${at} where item_id = any(${ids}::integer[])`.execute(
        db,
      );
    return;
  }
  for (const ids of slices(itemIds, MAX_PARAMETERS - 1))
    await db.updateTable("target_status").set({ computed_at: at }).where("item_id", "in", ids).execute();
}

/**
 * Records many changes of targets' statuses, in order, a few thousand per statement.
 *
 * @example await insertStatusChanges(trx, [{ item_id: 4, plan_id: 1, indicator_code: "NI 151", from_status: null, to_status: "on-track", period: "2007 Q2", actual: 72.4, expected: 72, cause: "Import batch 7", batch_id: 7, at: now }]);
 */
export async function insertStatusChanges(
  db: Executor,
  changes: ReadonlyArray<Omit<StatusChangeRow, "id">>,
): Promise<void> {
  if (onPostgres(db)) {
    // Ids are given in the arrays' order, as the rows were passed.
    for (const c of slices(changes, ARRAY_ROWS))
      await sql`
        insert into status_change
          (item_id, plan_id, indicator_code, from_status, to_status, period, actual, expected, cause, batch_id, at)
        select item_id, plan_id, indicator_code, from_status, to_status, period, actual, expected, cause, batch_id, at
        from unnest(
          ${c.map((r) => r.item_id)}::integer[], ${c.map((r) => r.plan_id)}::integer[],
          ${c.map((r) => r.indicator_code)}::varchar[], ${c.map((r) => r.from_status)}::varchar[],
          ${c.map((r) => r.to_status)}::varchar[], ${c.map((r) => r.period)}::varchar[],
          ${c.map((r) => r.actual)}::double precision[], ${c.map((r) => r.expected)}::double precision[],
          ${c.map((r) => r.cause)}::varchar[], ${c.map((r) => r.batch_id)}::integer[], ${c.map((r) => r.at)}::varchar[]
        ) with ordinality as u(item_id, plan_id, indicator_code, from_status, to_status, period, actual, expected, cause, batch_id, at, n)
        order by n
      `.execute(db);
    return;
  }
  for (const chunk of slices(changes, Math.floor(MAX_PARAMETERS / 11)))
    await db.insertInto("status_change").values(chunk).execute();
}

/** A plan's status changes, newest first, optionally since a time. @example const changes = await listStatusChanges(db, planId, lastIssued); */
export async function listStatusChanges(
  db: Executor,
  planId: number,
  since?: string | null,
): Promise<StatusChangeRow[]> {
  let q = db.selectFrom("status_change").selectAll().where("plan_id", "=", planId);
  if (since) q = q.where("at", ">", since);
  return q.orderBy("at", "desc").orderBy("id", "desc").limit(200).execute();
}

/**
 * A data return as the apps show it: with its assignee, who submitted and reviewed it, its
 * indicator's range (for the form's check), the value now in the data for the partnership's area
 * (the approved one, which a pending value never replaces), and whether its period is locked.
 */
export type DataReturnView = DataReturnRow & {
  assigneeName: string;
  partnershipName: string;
  submittedByName: string | null;
  reviewedByName: string | null;
  indicatorTitle: string | null;
  valueType: IndicatorRow["value_type"] | null;
  validMin: number | null;
  validMax: number | null;
  approvedValue: number | null;
  locked: boolean;
};

/**
 * Data returns of a partnership and/or assigned to a user, by due date; only those with the
 * given statuses or ids when asked.
 *
 * @example const mine = await listDataReturns(db, { assigneeUserId: 4, status: ["due", "pending"] });
 */
export async function listDataReturns(
  db: Executor,
  f: {
    partnershipId?: number;
    assigneeUserId?: number;
    status?: DataReturnRow["status"] | ReadonlyArray<DataReturnRow["status"]>;
    ids?: readonly number[];
  },
): Promise<DataReturnView[]> {
  let q = db
    .selectFrom("data_return as r")
    .innerJoin("app_user as u", "u.id", "r.assignee_user_id")
    .innerJoin("partnership as p", "p.id", "r.partnership_id")
    .leftJoin("app_user as s", "s.id", "r.submitted_by")
    .leftJoin("app_user as v", "v.id", "r.reviewed_by")
    .leftJoin("indicator as i", "i.code", "r.indicator_code")
    .leftJoin("area as a", "a.code", "p.area_code")
    .leftJoin("observation as o", (join) =>
      join
        .onRef("o.indicator_id", "=", "i.id")
        .onRef("o.area_id", "=", "a.id")
        .onRef("o.period", "=", "r.period")
        .on("o.breakdown", "=", ""),
    )
    .leftJoin("period_lock as l", (join) =>
      join.onRef("l.indicator_id", "=", "i.id").onRef("l.period", "=", "r.period"),
    )
    .selectAll("r")
    .select([
      "u.display_name as assigneeName",
      "p.name as partnershipName",
      "s.display_name as submittedByName",
      "v.display_name as reviewedByName",
      "i.title as indicatorTitle",
      "i.value_type as valueType",
      "i.valid_min as validMin",
      "i.valid_max as validMax",
      "o.value as approvedValue",
      "l.id as lockId",
    ]);
  if (f.partnershipId !== undefined) q = q.where("r.partnership_id", "=", f.partnershipId);
  if (f.assigneeUserId !== undefined) q = q.where("r.assignee_user_id", "=", f.assigneeUserId);
  if (f.status !== undefined) {
    const statuses = typeof f.status === "string" ? [f.status] : [...f.status];
    if (statuses.length === 0) return [];
    q = q.where("r.status", "in", statuses);
  }
  if (f.ids !== undefined) {
    if (f.ids.length === 0) return [];
    q = q.where("r.id", "in", f.ids);
  }
  const rows = await q.orderBy("r.due_date").orderBy("r.id").execute();
  return rows.map(({ lockId, ...r }) => ({ ...r, locked: lockId !== null }));
}

/**
 * How many values wait for a lead's approval in a partnership.
 *
 * @example const waiting = await countPendingReturns(db, 1);
 */
export async function countPendingReturns(db: Executor, partnershipId: number): Promise<number> {
  const row = await db
    .selectFrom("data_return")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("partnership_id", "=", partnershipId)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  // PostgreSQL answers count(*) as a string.
  return Number(row.n);
}

/** @example const row = await insertDataReturn(trx, { ... }); */
export async function insertDataReturn(
  db: Executor,
  r: {
    partnership_id: number;
    indicator_code: string;
    period: string;
    due_date: string;
    assignee_user_id: number;
    status: "due";
    note: string;
    created_at: string;
  },
): Promise<DataReturnRow> {
  return db.insertInto("data_return").values(r).returningAll().executeTakeFirstOrThrow();
}

/** The return scheduled for an indicator and period, or undefined. @example await findDataReturnFor(db, 1, "NI 151", "2008 Q1"); */
export async function findDataReturnFor(
  db: Executor,
  partnershipId: number,
  indicatorCode: string,
  period: string,
): Promise<DataReturnRow | undefined> {
  return db
    .selectFrom("data_return")
    .selectAll()
    .where("partnership_id", "=", partnershipId)
    .where("indicator_code", "=", indicatorCode)
    .where("period", "=", period)
    .executeTakeFirst();
}

/**
 * A plan whose public view is on and that has been agreed, or undefined (a draft marked published
 * before publishing needed agreement stays hidden).
 *
 * @example const plan = await findPublishedPlan(db, 1);
 */
export async function findPublishedPlan(db: Executor, planId: number) {
  return db
    .selectFrom("plan")
    .selectAll()
    .where("id", "=", planId)
    .where("published", "=", 1)
    .where("status", "in", ["agreed", "in-delivery", "closed"])
    .executeTakeFirst();
}

/** Which of these notifications of a user are unread. @example const ids = await unreadNotificationIds(db, 4, [7, 8]); */
export async function unreadNotificationIds(
  db: Executor,
  userId: number,
  ids: readonly number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("notification")
    .select("id")
    .where("user_id", "=", userId)
    .where("id", "in", ids)
    .where("read_at", "is", null)
    .execute();
  return rows.map((r) => r.id);
}

/** @example const row = await findDataReturn(db, partnershipId, id); */
export async function findDataReturn(
  db: Executor,
  partnershipId: number,
  id: number,
): Promise<DataReturnRow | undefined> {
  return db
    .selectFrom("data_return")
    .selectAll()
    .where("id", "=", id)
    .where("partnership_id", "=", partnershipId)
    .executeTakeFirst();
}

/** @example await notify(trx, { user_id: 4, kind: "data-return", text: "…", link: "/returns" }); */
export async function insertNotification(
  db: Executor,
  n: {
    user_id: number;
    kind: string;
    text: string;
    link: string;
    created_at: string;
    message_code?: string | null;
    params_json?: string | null;
  },
): Promise<void> {
  await db.insertInto("notification").values(n).execute();
}

/** A user's notifications, newest first. @example const inbox = await listNotifications(db, 4); */
export async function listNotifications(db: Executor, userId: number) {
  return db
    .selectFrom("notification")
    .select([
      "id",
      "kind",
      "text",
      "link",
      "created_at as createdAt",
      "read_at as readAt",
      "message_code as code",
      "params_json as paramsJson",
    ])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
}

/** Marks a user's notifications read; returns how many. @example await markNotificationsRead(trx, 4, [7, 8], now); */
export async function markNotificationsRead(
  db: Executor,
  userId: number,
  ids: readonly number[],
  at: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .updateTable("notification")
    .set({ read_at: at })
    .where("user_id", "=", userId)
    .where("id", "in", ids)
    .where("read_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Commentary on targets for a period. @example const notes = await listCommentary(db, [4, 5]); */
export async function listCommentary(db: Executor, itemIds: readonly number[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom("report_commentary as c")
    .leftJoin("app_user as u", "u.id", "c.author_user_id")
    .select([
      "c.item_id as itemId",
      "c.period",
      "c.text",
      "c.updated_at as updatedAt",
      "u.display_name as author",
    ])
    .where("c.item_id", "in", itemIds)
    .execute();
}

/** Writes an owner's commentary on a target for a period; returns the text it replaced. @example const before = await saveCommentary(trx, 4, "2007 Q2", "…", 2, now); */
export async function saveCommentary(
  db: Executor,
  itemId: number,
  period: string,
  text: string,
  userId: number,
  at: string,
): Promise<string | null> {
  const existing = await db
    .selectFrom("report_commentary")
    .select(["id", "text"])
    .where("item_id", "=", itemId)
    .where("period", "=", period)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable("report_commentary")
      .set({ text, author_user_id: userId, updated_at: at })
      .where("id", "=", existing.id)
      .execute();
    return existing.text;
  }
  await db
    .insertInto("report_commentary")
    .values({ item_id: itemId, period, text, author_user_id: userId, updated_at: at })
    .execute();
  return null;
}

/** @example await insertReportIssue(trx, { plan_id: 1, audience: "board", issued_at: now, issued_by: 2 }); */
export async function insertReportIssue(
  db: Executor,
  r: { plan_id: number; audience: string; issued_at: string; issued_by: number | null },
) {
  return db.insertInto("report_issue").values(r).returningAll().executeTakeFirstOrThrow();
}

/** When a plan's report was last issued (to any audience), or null. @example const last = await lastReportIssue(db, 1); */
export async function lastReportIssue(db: Executor, planId: number): Promise<string | null> {
  const row = await db
    .selectFrom("report_issue")
    .select("issued_at")
    .where("plan_id", "=", planId)
    .orderBy("issued_at", "desc")
    .executeTakeFirst();
  return row?.issued_at ?? null;
}
