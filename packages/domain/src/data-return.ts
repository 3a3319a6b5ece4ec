import { z } from "zod";
import { IdSchema, type Role, roleAtLeast } from "./account.ts";
import { IndicatorCodeSchema } from "./indicator.ts";
import { PeriodKeySchema } from "./observation.ts";
import { addRuleIssue, type IndicatorLimits, type RuleViolation, valueViolation } from "./rules.ts";

/**
 * Where a data return stands: `due` (nothing sent yet, or sent back by the lead with a reason),
 * `pending` (a value waits for a lead's approval and is kept out of the data), `approved` (the
 * value is in the data).
 *
 * @example DATA_RETURN_STATUSES.includes("pending") // true
 */
export const DATA_RETURN_STATUSES = ["due", "pending", "approved"] as const;
/** @example const s: DataReturnStatus = "pending"; */
export type DataReturnStatus = (typeof DATA_RETURN_STATUSES)[number];

/** A date as YYYY-MM-DD. */
const isoDate = z.iso.date({ message: "Enter a real date, like 2008-07-15" });

/**
 * Whether a due date may be given when scheduling: today or later. `today` is YYYY-MM-DD, from
 * the server's clock (or the browser's, in a form).
 *
 * @example dueDateViolation("2024-03-31", "2024-04-01") // { code: "return.dueInPast", params: { dueDate: "2024-03-31", today: "2024-04-01" } }
 */
export function dueDateViolation(dueDate: string, today: string): RuleViolation | null {
  return dueDate < today ? { code: "return.dueInPast", params: { dueDate, today } } : null;
}

/**
 * Whether someone with this role in a partnership may make its data returns: contributors and
 * above (null: not a member).
 *
 * @example canSubmitReturns("viewer") // false
 */
export function canSubmitReturns(role: Role | null): boolean {
  return role !== null && roleAtLeast(role, "contributor");
}

/**
 * Whether a member may be given data returns to make (see `canSubmitReturns`); the violation
 * names them. Someone who is not a member is refused without a name, by the caller.
 *
 * @example assigneeViolation({ name: "Vi Viewer", role: "viewer" })?.code // "return.assigneeCannotSubmit"
 */
export function assigneeViolation(member: { name: string; role: Role }): RuleViolation | null {
  return canSubmitReturns(member.role)
    ? null
    : { code: "return.assigneeCannotSubmit", params: { name: member.name } };
}

/**
 * What a lead fills in to schedule returns: an indicator, who owes the values, and a period with
 * its due date per return. The router checks the due dates against its own clock
 * (`dueDateViolation`); forms use `scheduleReturnsSchemaFor(today)`.
 *
 * @example ScheduleReturnsSchema.parse({ indicatorCode: "NI 151", assigneeUserId: 4, returns: [{ period: "2024 Q1", dueDate: "2024-04-30" }] })
 */
export const ScheduleReturnsSchema = z.object({
  indicatorCode: IndicatorCodeSchema,
  assigneeUserId: IdSchema,
  returns: z
    .array(z.object({ period: PeriodKeySchema, dueDate: isoDate }))
    .min(1, "Add at least one period")
    .max(60, "Schedule at most 60 returns at once"),
});

/**
 * `ScheduleReturnsSchema` with every due date checked against `today` (YYYY-MM-DD).
 *
 * @example scheduleReturnsSchemaFor("2024-04-01").safeParse(values).success
 */
export function scheduleReturnsSchemaFor(today: string) {
  return ScheduleReturnsSchema.superRefine((input, ctx) => {
    input.returns.forEach((r, i) => {
      const v = dueDateViolation(r.dueDate, today);
      if (v) addRuleIssue(ctx, v, ["returns", i, "dueDate"]);
    });
  });
}

/**
 * Why a locked value is being revised: required when a value would change a locked period
 * (see `lockViolation`), at most 1,000 characters.
 *
 * @example RevisionReasonSchema.parse(" The ONS revised the survey ") // "The ONS revised the survey"
 */
export const RevisionReasonSchema = z.string().trim().max(1000, "Use at most 1,000 characters");

/**
 * What a contributor sends for one return: the value, a note, and a reason when the value would
 * revise a locked period.
 *
 * @example SubmitReturnSchema.parse({ value: 72.4 })
 */
export const SubmitReturnSchema = z.object({
  value: z.number({ message: "Enter a number" }).refine(Number.isFinite, "Enter a number"),
  note: z.string().trim().max(1000, "Use at most 1,000 characters").default(""),
  revisionReason: RevisionReasonSchema.default(""),
});

/**
 * `SubmitReturnSchema` with the value checked against its indicator (`valueViolation`), for the
 * form and the router alike.
 *
 * @example submitReturnSchemaFor({ code: "NI 151", valueType: "percentage", validMin: null, validMax: null }).safeParse({ value: 150 }).success // false
 */
export function submitReturnSchemaFor(indicator: IndicatorLimits) {
  return SubmitReturnSchema.superRefine((input, ctx) => {
    const v = valueViolation(indicator, input.value);
    if (v) addRuleIssue(ctx, v, ["value"]);
  });
}

/**
 * Whether a value may replace the one stored for a period: a locked period's value changes only
 * with a reason. Null when no reason is needed (not locked, nothing stored yet, the same value)
 * or one was given.
 *
 * @example lockViolation({ indicator: "NI 151", period: "2007 Q2", locked: true, current: 72.4, value: 73, reason: "" })?.code // "lock.reasonRequired"
 */
export function lockViolation(c: {
  indicator: string;
  period: string;
  locked: boolean;
  current: number | null;
  value: number | null;
  reason: string;
}): RuleViolation | null {
  if (!c.locked || c.current === null || c.current === c.value || c.reason.trim() !== "") return null;
  return {
    code: "lock.reasonRequired",
    params: { indicator: c.indicator, period: c.period, value: c.current, newValue: c.value ?? "" },
  };
}
