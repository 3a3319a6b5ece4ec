import type { PlanStatus } from "@fivestep/domain";
import type { Generated, Selectable } from "kysely";

/** `plan`: a partnership's three-year delivery plan; each annual refresh is a new revision. */
export interface PlanTable {
  id: Generated<number>;
  partnership_id: number;
  title: string;
  vision: string;
  start_year: number;
  status: PlanStatus;
  revision: number;
  previous_plan_id: number | null;
  /** 1 when the public community view of the plan is on. */
  published: Generated<number>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}
/** @example const p: PlanRow = await db.selectFrom("plan").selectAll().executeTakeFirstOrThrow(); */
export type PlanRow = Selectable<PlanTable>;

/** `priority`: one designated priority; step 2's findings and the steps' progress in `fields_json`. */
export interface PriorityTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  theme: string;
  title: string;
  owner_name: string;
  /** The member who owns it, if the owner is in the system (reminders reach them). */
  owner_user_id: Generated<number | null>;
  fields_json: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}
/** @example const p: PriorityRow = await db.selectFrom("priority").selectAll().executeTakeFirstOrThrow(); */
export type PriorityRow = Selectable<PriorityTable>;

/** `priority_removal`: a priority dropped from a refreshed plan, and why. */
export interface PriorityRemovalTable {
  id: Generated<number>;
  plan_id: number;
  title: string;
  theme: string;
  reason: string;
  removed_by: number | null;
  removed_at: string;
}
/** @example const r: PriorityRemovalRow = await db.selectFrom("priority_removal").selectAll().executeTakeFirstOrThrow(); */
export type PriorityRemovalRow = Selectable<PriorityRemovalTable>;

/** `plan_item`: one part of a step (indicator and target, evidence, option, action, communication, report). */
export interface PlanItemTable {
  id: Generated<number>;
  plan_id: number;
  priority_id: number | null;
  kind: string;
  position: number;
  data_json: string;
  lead_user_id: number | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}
/** @example const i: PlanItemRow = await db.selectFrom("plan_item").selectAll().executeTakeFirstOrThrow(); */
export type PlanItemRow = Selectable<PlanItemTable>;

/** `action_update`: a dated progress note on an action. */
export interface ActionUpdateTable {
  id: Generated<number>;
  item_id: number;
  update_date: string;
  note: string;
  percent_complete: number;
  author_user_id: number | null;
  created_at: string;
}

/** `change_point_note`: why a series changed at a period, for a priority's indicator. */
export interface ChangePointNoteTable {
  id: Generated<number>;
  item_id: number;
  period: string;
  note: string;
  updated_at: string;
}

/** `good_practice`: an option a partnership tried, published for all partnerships with its outcome. */
export interface GoodPracticeTable {
  id: Generated<number>;
  partnership_id: number;
  source_item_id: number | null;
  title: string;
  theme: string;
  /** Space-separated list of indicator codes, each wrapped in "|" for exact matching ("|NI 171|"). */
  indicator_codes: string;
  summary: string;
  evidence: string;
  outcome: string;
  published_by: number | null;
  published_at: string;
}
