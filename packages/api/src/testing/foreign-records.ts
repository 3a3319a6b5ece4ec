import {
  insertActionUpdate,
  insertDataReturn,
  insertItem,
  insertNotification,
  insertPlan,
  insertReportIssue,
  nowIso,
  saveChangePointNote,
  saveCommentary,
} from "@fivestep/db";
import { testEngine } from "@fivestep/db/testing";
import { sql } from "kysely";
import { recomputeStatuses } from "../monitoring.ts";
import { ACTORS, type Fixture } from "./fixtures.ts";
import { type PlanFixture, planFixture } from "./plan-fixture.ts";

/**
 * Wolverhampton's records are Coventry's, mirrored: each has its Coventry twin's id plus this.
 * Ids from here up to twice this name only Wolverhampton's records: Coventry's are smaller, and
 * rows made after the mirror get larger ones (or, on PostgreSQL, smaller).
 */
export const FOREIGN_OFFSET = 100_000;

/** Written into every text of Wolverhampton's records, so an answer that leaks one shows it. */
export const FOREIGN_MARK = "Wolverhampton only";

/** Coventry's records beyond `planFixture`, so that every kind of record has a twin to name. */
export interface CoventryRecords extends PlanFixture {
  communicationItemId: number;
  reportItemId: number;
  agreedPlanId: number;
  dataReturnId: number;
  /** The notification of each Coventry member, one apiece. */
  notificationIds: number[];
  /** A change audited in Coventry (a membership the demo seed made). */
  auditEventId: number;
}

/**
 * Adds to Coventry one record of every kind a procedure can name by id: every kind of plan item,
 * an agreed plan, a data return, an action update, a change-point note, a commentary, a report
 * issue, target statuses, and a notification for each member.
 *
 * @example const coventry = await coventryRecords(fx); coventry.reportItemId;
 */
export async function coventryRecords(fx: Fixture): Promise<CoventryRecords> {
  const plan = await planFixture(fx);
  const now = nowIso();
  const contributor = await fx.userId(ACTORS.contributor);
  const planItem = (kind: string, priorityId: number | null, data: unknown) =>
    insertItem(fx.db, {
      plan_id: plan.planId,
      priority_id: priorityId,
      kind,
      position: 1,
      data_json: JSON.stringify(data),
      lead_user_id: null,
      created_at: now,
      updated_at: now,
    });
  const communication = await planItem("communication", plan.priorityId, {
    audience: "community",
    message: "How job creation is going",
  });
  const report = await planItem("report", null, {
    audience: "Partnership board",
    frequency: "quarterly",
    recipients: [contributor],
  });
  const agreed = await insertPlan(fx.db, {
    partnership_id: fx.coventryId,
    title: "Coventry plan 2007",
    vision: "",
    start_year: 2007,
    status: "agreed",
    revision: 1,
    previous_plan_id: null,
    created_at: now,
    updated_at: now,
  });
  // Published, so the public view has a Coventry plan to show; Wolverhampton's twins stay private.
  await fx.db.updateTable("plan").set({ published: 1 }).where("id", "=", agreed.id).execute();
  const dataReturn = await insertDataReturn(fx.db, {
    partnership_id: fx.coventryId,
    indicator_code: "NI 151",
    period: "2007 Q4",
    due_date: "2008-02-28",
    assignee_user_id: contributor,
    status: "due",
    note: "",
    created_at: now,
  });
  await insertActionUpdate(fx.db, {
    item_id: plan.actionItemId,
    update_date: "2008-05-01",
    note: "Site found",
    percent_complete: 10,
    author_user_id: contributor,
    created_at: now,
  });
  await saveChangePointNote(fx.db, plan.indicatorItemId, "2006 Q3", "Plant closure", now);
  await saveCommentary(fx.db, plan.indicatorItemId, "2007 Q2", "Closures bit", contributor, now);
  await insertReportIssue(fx.db, {
    plan_id: plan.planId,
    audience: "board",
    issued_at: now,
    issued_by: null,
  });
  await recomputeStatuses(fx.db, { cause: "Fixture" });
  const members = await coventryMemberIds(fx);
  for (const userId of members) {
    await insertNotification(fx.db, {
      user_id: userId,
      kind: "test",
      text: "Hello",
      link: "/",
      created_at: now,
    });
  }
  const notifications = await fx.db
    .selectFrom("notification")
    .select("id")
    .where("user_id", "in", members)
    .execute();
  const auditEvent = await fx.db
    .selectFrom("audit_event")
    .select("id")
    .where("partnership_id", "=", fx.coventryId)
    .executeTakeFirstOrThrow();
  return {
    ...plan,
    communicationItemId: communication.id,
    reportItemId: report.id,
    agreedPlanId: agreed.id,
    dataReturnId: dataReturn.id,
    notificationIds: notifications.map((n) => n.id),
    auditEventId: auditEvent.id,
  };
}

async function coventryMemberIds(fx: Fixture): Promise<number[]> {
  const rows = await fx.db
    .selectFrom("membership")
    .select("user_id")
    .where("partnership_id", "=", fx.coventryId)
    .execute();
  return rows.map((r) => r.user_id);
}

/** What `mirrorCoventry` made in Wolverhampton. */
export interface ForeignRecords {
  /** Every id of a Wolverhampton record (any table), smallest first. */
  ids: number[];
  /** Which of Wolverhampton's tables hold a row with this id, e.g. "plan, priority, plan_item". */
  describe(id: number): string;
}

/** Shifts the ids in an item's data (its lead, its indicator, its evidence) to their twins. */
function shiftItemData(dataJson: string): string {
  const data = JSON.parse(dataJson) as Record<string, unknown>;
  const shifted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === "leadUserId" || key === "priorityIndicatorId")
      shifted[key] = typeof value === "number" ? value + FOREIGN_OFFSET : value;
    else if (key === "evidenceIds" || key === "recipients")
      shifted[key] = (value as number[]).map((id) => id + FOREIGN_OFFSET);
    else if (["title", "summary", "what", "message", "leadPerson"].includes(key) && typeof value === "string")
      shifted[key] = `${FOREIGN_MARK}: ${value}`;
    else shifted[key] = value;
  }
  return JSON.stringify(shifted);
}

/**
 * Copies every record Coventry owns into Wolverhampton, each with its id (and the ids it refers
 * to) shifted by `FOREIGN_OFFSET` and `FOREIGN_MARK` in its texts: plans, priorities, items,
 * their updates, notes, commentaries, statuses and report issues, data returns, audit entries,
 * and a twin of each Coventry member (a member of Wolverhampton only) with their notifications.
 * Call it once Coventry holds everything the test will name.
 *
 * @example const foreign = await mirrorCoventry(fx); await caller.plan.byId({ partnershipId: fx.coventryId, planId: planId + FOREIGN_OFFSET });
 */
export async function mirrorCoventry(fx: Fixture): Promise<ForeignRecords> {
  const db = fx.db;
  const shift = (id: number) => id + FOREIGN_OFFSET;
  const shiftOrNull = (id: number | null) => (id === null ? null : shift(id));
  const tooLarge = await Promise.all(
    [
      "plan",
      "priority",
      "plan_item",
      "data_return",
      "notification",
      "audit_event",
      "app_user",
      "api_token",
    ].map(
      async (table) =>
        (await sql<{ m: number | null }>`select max(id) as m from ${sql.table(table)}`.execute(db)).rows[0]
          ?.m ?? 0,
    ),
  );
  if (Math.max(...tooLarge.map(Number)) >= FOREIGN_OFFSET)
    throw new Error("mirror: Coventry's ids are too large");

  const members = await coventryMemberIds(fx);
  const twin = (userId: number | null) =>
    userId !== null && members.includes(userId) ? shift(userId) : userId;
  for (const u of await db.selectFrom("app_user").selectAll().where("id", "in", members).execute()) {
    await db
      .insertInto("app_user")
      .values({
        ...u,
        id: shift(u.id),
        email: `twin.${u.email}`,
        display_name: `${FOREIGN_MARK}: ${u.display_name}`,
      })
      .execute();
  }
  for (const m of await db
    .selectFrom("membership")
    .selectAll()
    .where("partnership_id", "=", fx.coventryId)
    .execute()) {
    await db
      .insertInto("membership")
      .values({ ...m, id: shift(m.id), user_id: shift(m.user_id), partnership_id: fx.wolverhamptonId })
      .execute();
  }
  const plans = await db.selectFrom("plan").selectAll().where("partnership_id", "=", fx.coventryId).execute();
  const planIds = plans.map((p) => p.id);
  for (const p of plans) {
    await db
      .insertInto("plan")
      .values({
        ...p,
        id: shift(p.id),
        partnership_id: fx.wolverhamptonId,
        previous_plan_id: shiftOrNull(p.previous_plan_id),
        published: 0,
        title: `${FOREIGN_MARK}: ${p.title}`,
      })
      .execute();
  }
  for (const r of await db.selectFrom("priority").selectAll().where("plan_id", "in", planIds).execute()) {
    await db
      .insertInto("priority")
      .values({
        ...r,
        id: shift(r.id),
        plan_id: shift(r.plan_id),
        owner_user_id: twin(r.owner_user_id),
        title: `${FOREIGN_MARK}: ${r.title}`,
      })
      .execute();
  }
  const items = await db.selectFrom("plan_item").selectAll().where("plan_id", "in", planIds).execute();
  const itemIds = items.map((i) => i.id);
  for (const i of items) {
    await db
      .insertInto("plan_item")
      .values({
        ...i,
        id: shift(i.id),
        plan_id: shift(i.plan_id),
        priority_id: shiftOrNull(i.priority_id),
        lead_user_id: twin(i.lead_user_id),
        data_json: shiftItemData(i.data_json),
      })
      .execute();
  }
  for (const u of await db
    .selectFrom("action_update")
    .selectAll()
    .where("item_id", "in", itemIds)
    .execute()) {
    await db
      .insertInto("action_update")
      .values({
        ...u,
        id: shift(u.id),
        item_id: shift(u.item_id),
        author_user_id: twin(u.author_user_id),
        note: `${FOREIGN_MARK}: ${u.note}`,
      })
      .execute();
  }
  for (const n of await db
    .selectFrom("change_point_note")
    .selectAll()
    .where("item_id", "in", itemIds)
    .execute()) {
    await db
      .insertInto("change_point_note")
      .values({ ...n, id: shift(n.id), item_id: shift(n.item_id), note: `${FOREIGN_MARK}: ${n.note}` })
      .execute();
  }
  for (const c of await db
    .selectFrom("report_commentary")
    .selectAll()
    .where("item_id", "in", itemIds)
    .execute()) {
    await db
      .insertInto("report_commentary")
      .values({
        ...c,
        id: shift(c.id),
        item_id: shift(c.item_id),
        author_user_id: twin(c.author_user_id),
        text: `${FOREIGN_MARK}: ${c.text}`,
      })
      .execute();
  }
  for (const s of await db
    .selectFrom("target_status")
    .selectAll()
    .where("item_id", "in", itemIds)
    .execute()) {
    await db
      .insertInto("target_status")
      .values({ ...s, item_id: shift(s.item_id) })
      .execute();
  }
  for (const c of await db
    .selectFrom("status_change")
    .selectAll()
    .where("item_id", "in", itemIds)
    .execute()) {
    await db
      .insertInto("status_change")
      .values({
        ...c,
        id: shift(c.id),
        item_id: shift(c.item_id),
        plan_id: shift(c.plan_id),
        cause: FOREIGN_MARK,
      })
      .execute();
  }
  for (const r of await db.selectFrom("report_issue").selectAll().where("plan_id", "in", planIds).execute()) {
    await db
      .insertInto("report_issue")
      .values({ ...r, id: shift(r.id), plan_id: shift(r.plan_id), issued_by: twin(r.issued_by) })
      .execute();
  }
  for (const r of await db
    .selectFrom("data_return")
    .selectAll()
    .where("partnership_id", "=", fx.coventryId)
    .execute()) {
    await db
      .insertInto("data_return")
      .values({
        ...r,
        id: shift(r.id),
        partnership_id: fx.wolverhamptonId,
        assignee_user_id: shift(r.assignee_user_id),
        submitted_by: twin(r.submitted_by),
        note: `${FOREIGN_MARK}: ${r.note}`,
      })
      .execute();
  }
  for (const n of await db.selectFrom("notification").selectAll().where("user_id", "in", members).execute()) {
    await db
      .insertInto("notification")
      .values({ ...n, id: shift(n.id), user_id: shift(n.user_id), text: `${FOREIGN_MARK}: ${n.text}` })
      .execute();
  }
  for (const t of await db
    .selectFrom("api_token")
    .selectAll()
    .where("partnership_id", "=", fx.coventryId)
    .execute()) {
    await db
      .insertInto("api_token")
      .values({
        ...t,
        id: shift(t.id),
        partnership_id: fx.wolverhamptonId,
        created_by: twin(t.created_by) ?? t.created_by,
        revoked_by: twin(t.revoked_by),
        name: `${FOREIGN_MARK}: ${t.name}`.slice(0, 80),
        hash: [...t.hash].reverse().join(""),
      })
      .execute();
  }
  for (const e of await db
    .selectFrom("audit_event")
    .selectAll()
    .where("partnership_id", "=", fx.coventryId)
    .execute()) {
    await db
      .insertInto("audit_event")
      .values({
        ...e,
        id: shift(e.id),
        partnership_id: fx.wolverhamptonId,
        actor_user_id: twin(e.actor_user_id),
        actor_token_id: shiftOrNull(e.actor_token_id),
        after_json: JSON.stringify({ note: FOREIGN_MARK }),
      })
      .execute();
  }

  // Rows made from now on get ids past Wolverhampton's (PostgreSQL's sequences were not moved).
  if (testEngine() === "sqlite")
    await sql`update sqlite_sequence set seq = ${2 * FOREIGN_OFFSET} where seq < ${2 * FOREIGN_OFFSET}`.execute(
      db,
    );

  const tables = new Map<number, string[]>();
  const snapshot = await snapshotTables(db);
  for (const [table, rows] of snapshot) {
    for (const row of rows) {
      const id = (JSON.parse(row) as { id?: unknown }).id;
      if (typeof id === "number" && id >= FOREIGN_OFFSET && id < 2 * FOREIGN_OFFSET)
        tables.set(id, [...(tables.get(id) ?? []), table]);
    }
  }
  return {
    ids: [...tables.keys()].sort((a, b) => a - b),
    describe: (id) => tables.get(id)?.join(", ") ?? "nothing",
  };
}

/** Every table's rows, each as JSON, sorted; by table name. */
export type Snapshot = Map<string, string[]>;

const tableNames = new WeakMap<Fixture["db"], string[]>();

/**
 * Reads every row of every table (Kysely's own included), for comparing before and after a call.
 * The demo database is small: this takes about a millisecond.
 *
 * @example const before = await snapshotTables(db); await call(); expect(changedTables(before, await snapshotTables(db))).toEqual([]);
 */
export async function snapshotTables(db: Fixture["db"]): Promise<Snapshot> {
  let names = tableNames.get(db);
  if (!names) {
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    names = tables.map((t) => t.name).sort();
    tableNames.set(db, names);
  }
  const snapshot: Snapshot = new Map();
  for (const name of names) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    snapshot.set(name, rows.map((r) => JSON.stringify(r)).sort());
  }
  return snapshot;
}

/**
 * The tables whose rows differ between two snapshots, with how many rows went and came.
 *
 * @example changedTables(before, after) // ["plan_item (−0 +1)", "audit_event (−0 +1)"]
 */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const was = new Set(before.get(table) ?? []);
    const is = new Set(after.get(table) ?? []);
    const gone = [...was].filter((r) => !is.has(r)).length;
    const came = [...is].filter((r) => !was.has(r)).length;
    if (gone || came) changed.push(`${table} (−${gone} +${came})`);
  }
  return changed;
}

/**
 * Only the rows that are Wolverhampton's or name one of its records (an id from `FOREIGN_OFFSET`
 * to twice that in an id column, or its partnership id), for checking that a call in Coventry
 * left them alone.
 *
 * @example expect(foreignRows(after, fx.wolverhamptonId)).toEqual(foreignRows(before, fx.wolverhamptonId));
 */
export function foreignRows(snapshot: Snapshot, wolverhamptonId: number): Snapshot {
  const isForeign = (row: Record<string, unknown>) =>
    Object.entries(row).some(
      ([column, value]) =>
        typeof value === "number" &&
        ((column === "partnership_id" && value === wolverhamptonId) ||
          (/(^id|_id|_by)$/.test(column) && value >= FOREIGN_OFFSET && value < 2 * FOREIGN_OFFSET)),
    );
  return new Map(
    [...snapshot].map(([table, rows]) => [
      table,
      rows.filter((r) => isForeign(JSON.parse(r) as Record<string, unknown>)),
    ]),
  );
}

/** Whether an input key holds record ids: `id`, `ids`, `cursor`, or a name ending in Id / Ids. */
function isIdKey(key: string): boolean {
  // A reporting schedule's recipients are user ids too.
  return key === "id" || key === "ids" || key === "cursor" || key === "recipients" || /[a-z]Ids?$/.test(key);
}

/** An id field in an input: where it is (`at`), its name (`[]` for a list), the ids it holds. */
export interface IdSlot {
  at: Array<string | number>;
  field: string;
  ids: number[];
  list: boolean;
}

/**
 * Every id field in a procedure input, nested ones included (an option's evidence ids, an action's lead).
 *
 * @example idSlots({ planId: 3, item: { data: { evidenceIds: [4, 5] } } }).map((s) => s.field) // ["planId", "item.data.evidenceIds[]"]
 */
export function idSlots(value: unknown, at: Array<string | number> = [], field = ""): IdSlot[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => idSlots(v, [...at, i], `${field}[]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const name = field ? `${field}.${key}` : key;
    if (isIdKey(key) && typeof v === "number")
      return [{ at: [...at, key], field: name, ids: [v], list: false }];
    if (isIdKey(key) && Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number"))
      return [{ at: [...at, key], field: `${name}[]`, ids: v as number[], list: true }];
    return idSlots(v, [...at, key], name);
  });
}

/**
 * A copy of an input with other ids in some of its id fields (a list gets exactly the ids given).
 *
 * @example withIds({ planId: 3, ids: [4, 5] }, [[planSlot, [100003]], [idsSlot, [100004]]]) // { planId: 100003, ids: [100004] }
 */
export function withIds<T>(input: T, replacements: Array<[IdSlot, number[]]>): T {
  const copy = structuredClone(input);
  for (const [slot, ids] of replacements) {
    let node = copy as Record<string | number, unknown>;
    for (const key of slot.at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[slot.at.at(-1) as string | number] = slot.list ? ids : ids[0];
  }
  return copy;
}

type ZodDef = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown) => (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;

/** Unwraps optional, nullable, default and the like down to the schema that holds the values. */
function unwrap(schema: unknown): ZodDef | undefined {
  let def = defOf(schema);
  while (def && "innerType" in def) def = defOf(def.innerType);
  return def;
}

function holdsIds(schema: unknown): "one" | "many" | false {
  const def = unwrap(schema);
  if (def?.type === "number") return "one";
  if (def?.type === "array" && unwrap(def.element)?.type === "number") return "many";
  return false;
}

/**
 * The id fields a zod input schema accepts, named as `idSlots` names them, every branch of a
 * union included, so a test can tell which ids no example input fills.
 *
 * @example schemaIdFields(z.object({ planId: IdSchema, ids: z.array(IdSchema) })) // ["planId", "ids[]"]
 */
export function schemaIdFields(schema: unknown, field = ""): string[] {
  const def = unwrap(schema);
  if (!def) return [];
  const name = (key: string) => (field ? `${field}.${key}` : key);
  switch (def.type) {
    case "object":
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, s]) => {
        const ids = isIdKey(key) ? holdsIds(s) : false;
        if (ids === "one") return [name(key)];
        if (ids === "many") return [`${name(key)}[]`];
        return schemaIdFields(s, name(key));
      });
    case "array":
      return schemaIdFields(def.element, `${field}[]`);
    case "union":
      return [...new Set((def.options as unknown[]).flatMap((o) => schemaIdFields(o, field)))];
    case "intersection":
      return [...schemaIdFields(def.left, field), ...schemaIdFields(def.right, field)];
    case "pipe":
      return schemaIdFields(def.in, field);
    default:
      return [];
  }
}
