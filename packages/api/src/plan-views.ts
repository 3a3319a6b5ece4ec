import type { PlanItemRow, PlanRow, PriorityRow } from "@fivestep/db";
import { type PlanItem, PriorityFieldsSchema, StoredPlanItemSchema } from "@fivestep/domain";
import type { z } from "zod";

/** "2008/09–2010/11" for a plan starting in 2008. @example planPeriodLabel(2008) // "2008/09–2010/11" */
export function planPeriodLabel(startYear: number): string {
  const fy = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, "0")}`;
  return `${fy(startYear)}–${fy(startYear + 2)}`;
}

/** @example const view = toPlanView(row); view.periodLabel // "2008/09–2010/11" */
export function toPlanView(row: PlanRow) {
  return {
    id: row.id,
    version: row.version,
    partnershipId: row.partnership_id,
    title: row.title,
    vision: row.vision,
    startYear: row.start_year,
    periodLabel: planPeriodLabel(row.start_year),
    status: row.status,
    revision: row.revision,
    previousPlanId: row.previous_plan_id,
    published: row.published === 1,
    updatedAt: row.updated_at,
  };
}
/** @example const p: PlanView = toPlanView(row); */
export type PlanView = ReturnType<typeof toPlanView>;

type PriorityFields = z.infer<typeof PriorityFieldsSchema>;

/** Stored priority fields: the columns plus the JSON of the rest. @example const fields = priorityFields(row); */
export function priorityFields(row: PriorityRow): PriorityFields {
  const rest = JSON.parse(row.fields_json) as Record<string, unknown>;
  return PriorityFieldsSchema.parse({
    ...rest,
    theme: row.theme,
    title: row.title,
    ownerName: row.owner_name,
    ownerUserId: row.owner_user_id,
  });
}

/** @example const view = toPriorityView(row); view.fields.steps[0] // "completed" */
export function toPriorityView(row: PriorityRow) {
  return {
    id: row.id,
    version: row.version,
    planId: row.plan_id,
    position: row.position,
    fields: priorityFields(row),
  };
}
/** @example const p: PriorityView = toPriorityView(row); */
export type PriorityView = ReturnType<typeof toPriorityView>;

/** An item with its id and version, typed by its kind. */
export type ItemView = PlanItem & {
  id: number;
  version: number;
  priorityId: number | null;
  position: number;
};

/**
 * A stored item, read by its shape only: a record saved under older rules still opens (the
 * data-quality report lists the rules it breaks).
 *
 * @example const view = toItemView(row); if (view.kind === "action") view.data.dueDate
 */
export function toItemView(row: PlanItemRow): ItemView {
  const item = StoredPlanItemSchema.parse({ kind: row.kind, data: JSON.parse(row.data_json) }) as PlanItem;
  return { ...item, id: row.id, version: row.version, priorityId: row.priority_id, position: row.position };
}
