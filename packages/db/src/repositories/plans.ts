import type { PlanStatus } from "@fivestep/domain";
import { preparedStatement } from "../create-db.ts";
import type { Executor } from "../database.ts";
import type { PlanItemRow, PlanRow, PriorityRemovalRow, PriorityRow } from "../tables/plan.table.ts";
import { TOKEN_USE_ACTION } from "./audit.ts";

/** A partnership's plans, newest revision first. @example const plans = await listPlans(db, 1); */
export async function listPlans(db: Executor, partnershipId: number): Promise<PlanRow[]> {
  return db
    .selectFrom("plan")
    .selectAll()
    .where("partnership_id", "=", partnershipId)
    .orderBy("start_year", "desc")
    .orderBy("revision", "desc")
    .execute();
}

/**
 * The versions of one plan, newest revision first: the plan, the revisions it was refreshed from
 * (`previous_plan_id`, back to its first version) and those refreshed from it. Other plans of the
 * partnership are not versions of it, even for the same years; a version whose years changed still
 * is. Empty when the plan is not the partnership's.
 *
 * @example const versions = await listPlanRevisions(db, partnershipId, planId); versions.map((p) => p.revision) // [2, 1]
 */
export async function listPlanRevisions(
  db: Executor,
  partnershipId: number,
  planId: number,
): Promise<PlanRow[]> {
  const plans = await listPlans(db, partnershipId);
  const byId = new Map(plans.map((p) => [p.id, p]));
  // The first version of each plan, following the refreshes back (guarding against a cycle).
  const rootOf = (plan: PlanRow): number => {
    let at = plan;
    const seen = new Set<number>();
    while (at.previous_plan_id !== null && !seen.has(at.id)) {
      seen.add(at.id);
      const previous = byId.get(at.previous_plan_id);
      if (!previous) break;
      at = previous;
    }
    return at.id;
  };
  const plan = byId.get(planId);
  if (!plan) return [];
  const root = rootOf(plan);
  return plans.filter((p) => rootOf(p) === root).sort((a, b) => b.revision - a.revision || b.id - a.id);
}

/**
 * One plan, only if it belongs to the partnership (so an id from another partnership finds nothing).
 *
 * @example const plan = await findPlan(db, partnershipId, planId);
 */
export async function findPlan(
  db: Executor,
  partnershipId: number,
  planId: number,
): Promise<PlanRow | undefined> {
  return db
    .selectFrom("plan")
    .selectAll()
    .where("id", "=", planId)
    .where("partnership_id", "=", partnershipId)
    .executeTakeFirst();
}

/**
 * A partnership's plan with the partnership's area code and the database's change counter (the
 * newest id of an audit entry that records a change, 0 when none; see `latestAuditId`), read together in one prepared query, so a
 * cache keyed by the counter is keyed by what was true when the plan was read.
 *
 * @example const found = await findPlanWithChangeCounter(db, 1, 4); // { plan, areaCode: "E08000026", changeCounter: 812 }
 */
export async function findPlanWithChangeCounter(
  db: Executor,
  partnershipId: number,
  planId: number,
): Promise<{ plan: PlanRow; areaCode: string; changeCounter: number } | undefined> {
  const row = await db
    .selectFrom("plan")
    .innerJoin("partnership", "partnership.id", "plan.partnership_id")
    .selectAll("plan")
    .select((eb) => [
      "partnership.area_code",
      eb
        .selectFrom("audit_event")
        .select((sub) => sub.fn.max("audit_event.id").as("m"))
        .where("audit_event.action", "<>", TOKEN_USE_ACTION)
        .as("change_counter"),
    ])
    .where("plan.id", "=", planId)
    .where("plan.partnership_id", "=", partnershipId)
    .modifyEnd(preparedStatement("plan-with-change-counter"))
    .executeTakeFirst();
  if (!row) return undefined;
  const { area_code, change_counter, ...plan } = row;
  return { plan, areaCode: area_code, changeCounter: Number(change_counter ?? 0) };
}

/** @example const plan = await insertPlan(trx, { partnership_id: 1, title: "…", vision: "", start_year: 2008, status: "draft", revision: 1, previous_plan_id: null, created_at: now, updated_at: now }); */
export async function insertPlan(
  db: Executor,
  p: {
    partnership_id: number;
    title: string;
    vision: string;
    start_year: number;
    status: PlanStatus;
    revision: number;
    previous_plan_id: number | null;
    created_at: string;
    updated_at: string;
  },
): Promise<PlanRow> {
  return db.insertInto("plan").values(p).returningAll().executeTakeFirstOrThrow();
}

/** A plan's priorities in order. @example const priorities = await listPriorities(db, planId); */
export async function listPriorities(db: Executor, planId: number): Promise<PriorityRow[]> {
  return db
    .selectFrom("priority")
    .selectAll()
    .where("plan_id", "=", planId)
    .orderBy("position")
    .orderBy("id")
    .execute();
}

/**
 * Puts a plan's priorities in the order given (positions 1, 2, …). Their versions stay: the order
 * belongs to the plan, and an edit open on a priority's steps is not made stale by it.
 *
 * @example await setPriorityOrder(trx, planId, [12, 10, 11]);
 */
export async function setPriorityOrder(db: Executor, planId: number, priorityIds: readonly number[]) {
  for (const [i, id] of priorityIds.entries()) {
    await db
      .updateTable("priority")
      .set({ position: i + 1 })
      .where("id", "=", id)
      .where("plan_id", "=", planId)
      .execute();
  }
}

/**
 * Records a priority dropped from a refreshed plan, with the reason given.
 *
 * @example await recordPriorityRemoval(trx, { plan_id, title: "Youth enterprise", theme: "Economy", reason: "Merged into jobs", removed_by: userId, removed_at: nowIso() });
 */
export async function recordPriorityRemoval(
  db: Executor,
  r: Omit<PriorityRemovalRow, "id">,
): Promise<PriorityRemovalRow> {
  return db.insertInto("priority_removal").values(r).returningAll().executeTakeFirstOrThrow();
}

/** The priorities dropped from a plan's revision, oldest first. @example const dropped = await listPriorityRemovals(db, planId); */
export async function listPriorityRemovals(db: Executor, planId: number): Promise<PriorityRemovalRow[]> {
  return db.selectFrom("priority_removal").selectAll().where("plan_id", "=", planId).orderBy("id").execute();
}

/** The position after a plan's last priority. @example const position = await nextPriorityPosition(trx, planId); */
export async function nextPriorityPosition(db: Executor, planId: number): Promise<number> {
  const row = await db
    .selectFrom("priority")
    .select((eb) => eb.fn.max("position").as("m"))
    .where("plan_id", "=", planId)
    .executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

/**
 * One priority with its plan's partnership, only if it belongs to that partnership.
 *
 * @example const priority = await findPriority(db, partnershipId, priorityId);
 */
export async function findPriority(
  db: Executor,
  partnershipId: number,
  priorityId: number,
): Promise<(PriorityRow & { plan_status: PlanStatus }) | undefined> {
  return db
    .selectFrom("priority as r")
    .innerJoin("plan as p", "p.id", "r.plan_id")
    .selectAll("r")
    .select("p.status as plan_status")
    .where("r.id", "=", priorityId)
    .where("p.partnership_id", "=", partnershipId)
    .executeTakeFirst();
}

/** @example const row = await insertPriority(trx, { plan_id, position: 1, theme, title, owner_name, fields_json, created_at: now, updated_at: now }); */
export async function insertPriority(
  db: Executor,
  p: {
    plan_id: number;
    position: number;
    theme: string;
    title: string;
    owner_name: string;
    owner_user_id?: number | null;
    fields_json: string;
    created_at: string;
    updated_at: string;
  },
): Promise<PriorityRow> {
  return db.insertInto("priority").values(p).returningAll().executeTakeFirstOrThrow();
}

/** @example const n = await countPriorities(trx, planId); */
export async function countPriorities(db: Executor, planId: number): Promise<number> {
  const row = await db
    .selectFrom("priority")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("plan_id", "=", planId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A plan's items, optionally for one priority or of one kind, in order.
 *
 * @example const actions = await listItems(db, { planId, kind: "action" });
 */
export async function listItems(
  db: Executor,
  filter: { planId: number; priorityId?: number; kind?: string },
): Promise<PlanItemRow[]> {
  let q = db.selectFrom("plan_item").selectAll().where("plan_id", "=", filter.planId);
  if (filter.priorityId !== undefined) q = q.where("priority_id", "=", filter.priorityId);
  if (filter.kind !== undefined) q = q.where("kind", "=", filter.kind);
  return q.orderBy("kind").orderBy("position").orderBy("id").execute();
}

/**
 * One item with its plan's status, only if it belongs to the partnership.
 *
 * @example const item = await findItem(db, partnershipId, itemId);
 */
export async function findItem(
  db: Executor,
  partnershipId: number,
  itemId: number,
): Promise<(PlanItemRow & { plan_status: PlanStatus }) | undefined> {
  return db
    .selectFrom("plan_item as i")
    .innerJoin("plan as p", "p.id", "i.plan_id")
    .selectAll("i")
    .select("p.status as plan_status")
    .where("i.id", "=", itemId)
    .where("p.partnership_id", "=", partnershipId)
    .executeTakeFirst();
}

/** @example const item = await insertItem(trx, { plan_id, priority_id, kind: "evidence", position: 1, data_json, lead_user_id: null, created_at: now, updated_at: now }); */
export async function insertItem(
  db: Executor,
  i: {
    plan_id: number;
    priority_id: number | null;
    kind: string;
    position: number;
    data_json: string;
    lead_user_id: number | null;
    created_at: string;
    updated_at: string;
  },
): Promise<PlanItemRow> {
  return db.insertInto("plan_item").values(i).returningAll().executeTakeFirstOrThrow();
}

/** The next position for a new item of a kind in a priority (or the plan). @example const position = await nextPosition(trx, planId, priorityId, "evidence"); */
export async function nextPosition(
  db: Executor,
  planId: number,
  priorityId: number | null,
  kind: string,
): Promise<number> {
  let q = db
    .selectFrom("plan_item")
    .select((eb) => eb.fn.max("position").as("m"))
    .where("plan_id", "=", planId)
    .where("kind", "=", kind);
  q = priorityId === null ? q.where("priority_id", "is", null) : q.where("priority_id", "=", priorityId);
  const row = await q.executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

/** Deletes one row of a plan table at a version; true when it did. @example await deleteVersioned(trx, "plan_item", id, version); */
export async function deleteVersioned(
  db: Executor,
  table: "plan_item" | "priority",
  id: number,
  version: number,
): Promise<boolean> {
  const r = await db.deleteFrom(table).where("id", "=", id).where("version", "=", version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Progress updates of actions, newest first. @example const updates = await listActionUpdates(db, [4, 5]); */
export async function listActionUpdates(db: Executor, itemIds: readonly number[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom("action_update as u")
    .leftJoin("app_user as a", "a.id", "u.author_user_id")
    .select([
      "u.id",
      "u.item_id as itemId",
      "u.update_date as date",
      "u.note",
      "u.percent_complete as percentComplete",
      "a.display_name as author",
    ])
    .where("u.item_id", "in", itemIds)
    .orderBy("u.update_date", "desc")
    .orderBy("u.id", "desc")
    .execute();
}

/** @example const row = await insertActionUpdate(trx, { item_id: 4, update_date: "2008-07-01", note: "…", percent_complete: 20, author_user_id: 3, created_at: now }); */
export async function insertActionUpdate(
  db: Executor,
  u: {
    item_id: number;
    update_date: string;
    note: string;
    percent_complete: number;
    author_user_id: number | null;
    created_at: string;
  },
) {
  return db.insertInto("action_update").values(u).returningAll().executeTakeFirstOrThrow();
}

/** Notes on change points of indicator items. @example const notes = await listChangePointNotes(db, [7]); */
export async function listChangePointNotes(db: Executor, itemIds: readonly number[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom("change_point_note")
    .select(["id", "item_id as itemId", "period", "note", "updated_at as updatedAt"])
    .where("item_id", "in", itemIds)
    .orderBy("period")
    .execute();
}

/** Writes (or clears, with an empty note) the note on one change point; returns the note as it was. @example const before = await saveChangePointNote(trx, 7, "2003", "Enterprise zone opened", now); */
export async function saveChangePointNote(
  db: Executor,
  itemId: number,
  period: string,
  note: string,
  now: string,
): Promise<string | null> {
  const existing = await db
    .selectFrom("change_point_note")
    .select(["id", "note"])
    .where("item_id", "=", itemId)
    .where("period", "=", period)
    .executeTakeFirst();
  if (note === "") {
    if (existing) await db.deleteFrom("change_point_note").where("id", "=", existing.id).execute();
  } else if (existing) {
    await db
      .updateTable("change_point_note")
      .set({ note, updated_at: now })
      .where("id", "=", existing.id)
      .execute();
  } else {
    await db
      .insertInto("change_point_note")
      .values({ item_id: itemId, period, note, updated_at: now })
      .execute();
  }
  return existing?.note ?? null;
}

/**
 * Copies a plan (priorities, items, notes) into a new draft revision and returns the new plan.
 * Item references inside the copy (an action's indicator, an option's evidence) point at the copies.
 *
 * @example const next = await copyPlan(trx, plan, now);
 */
export async function copyPlan(db: Executor, plan: PlanRow, now: string): Promise<PlanRow> {
  const next = await insertPlan(db, {
    partnership_id: plan.partnership_id,
    title: plan.title,
    vision: plan.vision,
    start_year: plan.start_year,
    status: "draft",
    revision: plan.revision + 1,
    previous_plan_id: plan.id,
    created_at: now,
    updated_at: now,
  });
  const priorityMap = new Map<number, number>();
  for (const p of await listPriorities(db, plan.id)) {
    const copy = await insertPriority(db, {
      plan_id: next.id,
      position: p.position,
      theme: p.theme,
      title: p.title,
      owner_name: p.owner_name,
      owner_user_id: p.owner_user_id,
      fields_json: p.fields_json,
      created_at: now,
      updated_at: now,
    });
    priorityMap.set(p.id, copy.id);
  }
  const items = await listItems(db, { planId: plan.id });
  const itemMap = new Map<number, number>();
  // Items that others refer to (indicators, evidence) first, so references can be rewritten.
  const order = (k: string) => (k === "indicator" || k === "evidence" ? 0 : 1);
  for (const i of [...items].sort((a, b) => order(a.kind) - order(b.kind))) {
    const data = JSON.parse(i.data_json) as Record<string, unknown>;
    if (typeof data.priorityIndicatorId === "number")
      data.priorityIndicatorId = itemMap.get(data.priorityIndicatorId) ?? null;
    if (Array.isArray(data.evidenceIds)) {
      data.evidenceIds = (data.evidenceIds as number[])
        .map((id) => itemMap.get(id))
        .filter((id) => id !== undefined);
    }
    const copy = await insertItem(db, {
      plan_id: next.id,
      priority_id: i.priority_id === null ? null : (priorityMap.get(i.priority_id) ?? null),
      kind: i.kind,
      position: i.position,
      data_json: JSON.stringify(data),
      lead_user_id: i.lead_user_id,
      created_at: now,
      updated_at: now,
    });
    itemMap.set(i.id, copy.id);
  }
  const notes = await listChangePointNotes(db, [...itemMap.keys()]);
  for (const n of notes) {
    const itemId = itemMap.get(n.itemId);
    if (itemId !== undefined) await saveChangePointNote(db, itemId, n.period, n.note, now);
  }
  return next;
}

/** A published good practice as the library lists it. */
export interface GoodPracticeView {
  id: number;
  partnershipName: string;
  title: string;
  theme: string;
  indicatorCodes: string[];
  summary: string;
  evidence: string;
  outcome: string;
  publishedAt: string;
}

/** @example await insertGoodPractice(trx, { partnership_id: 1, source_item_id: 9, title, theme, indicator_codes: "|NI 171|", summary, evidence, outcome, published_by: 2, published_at: now }); */
export async function insertGoodPractice(
  db: Executor,
  g: {
    partnership_id: number;
    source_item_id: number | null;
    title: string;
    theme: string;
    indicator_codes: string;
    summary: string;
    evidence: string;
    outcome: string;
    published_by: number | null;
    published_at: string;
  },
) {
  return db.insertInto("good_practice").values(g).returningAll().executeTakeFirstOrThrow();
}

/**
 * The good-practice library, filtered by indicator code, theme and words (case-insensitive on both
 * engines: both sides are lower-cased).
 *
 * @example const found = await searchGoodPractice(db, { indicatorCode: "NI 171" });
 */
export async function searchGoodPractice(
  db: Executor,
  f: { indicatorCode?: string; theme?: string; text?: string },
): Promise<GoodPracticeView[]> {
  let q = db
    .selectFrom("good_practice as g")
    .innerJoin("partnership as p", "p.id", "g.partnership_id")
    .select([
      "g.id",
      "p.name as partnershipName",
      "g.title",
      "g.theme",
      "g.indicator_codes",
      "g.summary",
      "g.evidence",
      "g.outcome",
      "g.published_at as publishedAt",
    ]);
  if (f.indicatorCode) q = q.where("g.indicator_codes", "like", `%|${f.indicatorCode}|%`);
  if (f.theme) q = q.where((eb) => eb(eb.fn("lower", ["g.theme"]), "=", f.theme?.toLowerCase() ?? ""));
  if (f.text) {
    const like = `%${f.text.toLowerCase().replace(/[%_]/g, "")}%`;
    q = q.where((eb) =>
      eb.or([eb(eb.fn("lower", ["g.title"]), "like", like), eb(eb.fn("lower", ["g.summary"]), "like", like)]),
    );
  }
  const rows = await q.orderBy("g.published_at", "desc").limit(100).execute();
  return rows.map(({ indicator_codes, ...r }) => ({
    ...r,
    indicatorCodes: indicator_codes.split("|").filter(Boolean),
  }));
}
