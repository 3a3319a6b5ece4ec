import { z } from "zod";
import { AreaCodeSchema } from "./area.ts";
import { IndicatorCodeSchema } from "./indicator.ts";
import { PeriodKeySchema } from "./observation.ts";
import { actionViolations, type PathViolation, type TargetContext, targetViolations } from "./plan-rules.ts";
import { addRuleIssue } from "./rules.ts";

const text = (max: number) => z.string().trim().max(max, `Use at most ${max} characters`);
const required = (max: number, message: string) =>
  z.string().trim().min(1, message).max(max, `Use at most ${max} characters`);
const isoDate = z.iso.date({ message: "Enter a real date, like 2008-04-01" });
const finite = z.number().refine(Number.isFinite, "Enter a number");

/** The most designated priorities a plan may hold (England's Local Area Agreements: 35). @example MAX_PRIORITIES // 35 */
export const MAX_PRIORITIES = 35;

/** A plan's life: drafted, submitted for agreement, agreed, delivered, closed. @example PLAN_STATUSES[2] // "agreed" */
export const PLAN_STATUSES = ["draft", "submitted", "agreed", "in-delivery", "closed"] as const;
/** @example PlanStatusSchema.parse("agreed") */
export const PlanStatusSchema = z.enum(PLAN_STATUSES);
/** @example const s: PlanStatus = "in-delivery"; */
export type PlanStatus = z.infer<typeof PlanStatusSchema>;

/**
 * The status changes a lead may make: forward one step, or a submitted plan back to draft.
 *
 * @example canMovePlan("draft", "submitted") // true
 * @example canMovePlan("draft", "agreed") // false
 */
export function canMovePlan(from: PlanStatus, to: PlanStatus): boolean {
  const i = PLAN_STATUSES.indexOf(from);
  const j = PLAN_STATUSES.indexOf(to);
  return j === i + 1 || (from === "submitted" && to === "draft");
}

/**
 * A plan's title, vision and first year (a three-year plan starting in financial year
 * `startYear`/`startYear + 1`).
 *
 * @example PlanFieldsSchema.parse({ title: "Coventry LAA 2008–11", vision: "…", startYear: 2008 })
 */
export const PlanFieldsSchema = z.object({
  title: required(200, "Enter a title for the plan"),
  vision: text(2000).default(""),
  startYear: z
    .int("Enter a year, like 2008")
    .min(1990, "Enter a year from 1990")
    .max(2100, "Enter a year before 2100"),
});

/** Where a priority's problem is. @example WHERE_SCOPES[2] // "target-group" */
export const WHERE_SCOPES = ["area-wide", "area", "target-group"] as const;
/** @example WhereScopeSchema.parse("area-wide") */
export const WhereScopeSchema = z.enum(WHERE_SCOPES);

/** A step's progress, as a task list shows it. @example STEP_STATUSES[0] // "not-started" */
export const STEP_STATUSES = ["not-started", "in-progress", "completed", "needs-review"] as const;
/** @example StepStatusSchema.parse("completed") */
export const StepStatusSchema = z.enum(STEP_STATUSES);
/** @example const s: StepStatus = "in-progress"; */
export type StepStatus = z.infer<typeof StepStatusSchema>;

/**
 * A priority's own fields: what it is, who owns it, where the problem is and what causes it
 * (step 2's findings), and the five steps' progress.
 *
 * @example PriorityFieldsSchema.parse({ theme: "Economy", title: "To promote job creation", ownerName: "Head of Economic Development" })
 */
export const PriorityFieldsSchema = z.object({
  theme: required(100, "Enter a theme"),
  title: required(200, "Enter the priority"),
  /** Who owns it: a member's name (as last saved) or someone outside the system. */
  ownerName: text(120).default(""),
  /** The member who owns it, when the owner is in the system; else null (reminders go to the leads). */
  ownerUserId: z.int().positive().nullable().default(null),
  whereScope: WhereScopeSchema.default("area-wide"),
  whereAreaCode: AreaCodeSchema.nullable().default(null),
  whereGroup: text(200).default(""),
  causes: text(4000).default(""),
  currentActivity: text(4000).default(""),
  whyNotWorking: text(4000).default(""),
  steps: z
    .tuple([StepStatusSchema, StepStatusSchema, StepStatusSchema, StepStatusSchema, StepStatusSchema])
    .default(["not-started", "not-started", "not-started", "not-started", "not-started"]),
});

/**
 * Why a priority's owner is not given, or null: it needs a member of the partnership or the name
 * of someone outside the system.
 *
 * @example priorityOwnerProblem({ ownerName: "", ownerUserId: null }) // { field: "ownerName", message: "Enter who owns this priority" }
 */
export function priorityOwnerProblem(fields: {
  ownerName: string;
  ownerUserId: number | null;
}): { field: "ownerName"; message: string } | null {
  if (fields.ownerUserId !== null || fields.ownerName.trim() !== "") return null;
  return { field: "ownerName", message: "Enter who owns this priority" };
}

/** Kinds of evidence (step 2). @example EVIDENCE_KINDS[1] // "focus-group" */
export const EVIDENCE_KINDS = [
  "survey",
  "focus-group",
  "advisory-group",
  "consultation",
  "data-analysis",
  "research",
  "other",
] as const;
/** How much weight evidence bears. @example EVIDENCE_STRENGTHS[0] // "strong" */
export const EVIDENCE_STRENGTHS = ["strong", "moderate", "limited"] as const;

const LINK_MESSAGE = "Enter a web address starting with https://";

/**
 * A web link people will click: https only (never javascript:, data:, file: or plain http), with
 * a real host name. Every URL field uses it, so no client can store another scheme.
 *
 * @example WebLinkSchema.parse("https://www.coventry.gov.uk/survey") // ok
 * @example WebLinkSchema.safeParse("javascript:alert(1)").success // false
 */
export const WebLinkSchema = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters")
  .pipe(z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: LINK_MESSAGE }))
  // The URL parser is lenient ("https:evil.example", tabs inside the scheme): insist on the plain form.
  .refine((link) => /^https:\/\/[^/\s]/i.test(link), LINK_MESSAGE);

/**
 * Whether a plan in this status may be shown on the public view: only once agreed.
 *
 * @example isPublishable("draft") // false
 * @example isPublishable("in-delivery") // true
 */
export function isPublishable(status: PlanStatus): boolean {
  return status === "agreed" || status === "in-delivery" || status === "closed";
}

/** @example EvidenceSchema.parse({ kind: "survey", title: "Business survey 2007", source: "Chamber of Commerce", date: "2007-06-01", summary: "…", strength: "moderate" }) */
export const EvidenceSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  title: required(200, "Enter a title"),
  source: text(300).default(""),
  date: isoDate.nullable().default(null),
  summary: text(4000).default(""),
  strength: z.enum(EVIDENCE_STRENGTHS).default("moderate"),
  link: z.union([z.literal(""), WebLinkSchema]).default(""),
  scope: WhereScopeSchema.default("area-wide"),
  scopeAreaCode: AreaCodeSchema.nullable().default(null),
  targetGroup: text(200).default(""),
});

/** The shape of the path to a target. @example TRAJECTORY_SHAPES[1] // "front-loaded" */
export const TRAJECTORY_SHAPES = ["linear", "front-loaded", "back-loaded"] as const;

/** Adds each violation to a refinement as a rule issue at its path. */
function addViolations(ctx: z.RefinementCtx, violations: readonly PathViolation[]) {
  for (const v of violations) addRuleIssue(ctx, v.violation, v.path);
}

/**
 * The fields of an indicator chosen for a priority (step 1), with its comparator group, and its
 * target (step 3): baseline, the milestone per year, whether it is a stretch target, and why a
 * milestone changed. Their shape only: stored records are read with it, whatever rules held when
 * they were saved; what is saved goes through `PriorityIndicatorSchema` or
 * `priorityIndicatorSchemaFor`.
 *
 * @example PriorityIndicatorFieldsSchema.parse({ indicatorCode: "NI 171", milestones: [{ period: "2008", value: 31 }] }) // ok: no rules
 */
export const PriorityIndicatorFieldsSchema = z.object({
  indicatorCode: IndicatorCodeSchema,
  comparatorGroupId: z.int().positive().nullable().default(null),
  baselinePeriod: PeriodKeySchema.nullable().default(null),
  baselineValue: finite.nullable().default(null),
  shape: z.enum(TRAJECTORY_SHAPES).default("linear"),
  stretch: z.boolean().default(false),
  /** Half-width of the "at risk" band around each milestone, in the indicator's units. */
  tolerance: finite.min(0, "Use zero or more").default(0),
  milestones: z
    .array(
      z.object({
        period: PeriodKeySchema,
        value: finite,
        reason: text(1000).default(""),
      }),
    )
    .max(20, "Use at most 20 milestones")
    .default([]),
});

/**
 * A schema factory for a target: `PriorityIndicatorFieldsSchema` with the target rules
 * (`targetViolations`) that need context — the indicator's valid range, the plan's years, the
 * milestones of the revision an annual refresh started from. The step-3 form and `item.save` both
 * call it, so a target is refused with the same codes on either side.
 *
 * @example
 * priorityIndicatorSchemaFor({ indicator: ni151, startYear: 2008 })
 *   .safeParse({ indicatorCode: "NI 151", baselinePeriod: "2006 Q2", baselineValue: 73.3, milestones: [{ period: "2008 Q4", value: 150 }] })
 *   .success // false: value.aboveMax at milestones.0.value
 */
export function priorityIndicatorSchemaFor(context: TargetContext) {
  return PriorityIndicatorFieldsSchema.superRefine((target, ctx) =>
    addViolations(ctx, targetViolations(target, context)),
  );
}

/**
 * A target with the rules it keeps on its own: a trajectory starts from a baseline, each
 * milestone after the baseline period and one per period. `priorityIndicatorSchemaFor` adds the
 * rules that need the indicator, the plan and the refresh.
 *
 * @example PriorityIndicatorSchema.parse({ indicatorCode: "NI 171", baselinePeriod: "2005", baselineValue: 29.1, milestones: [{ period: "2008", value: 31 }] })
 */
export const PriorityIndicatorSchema = priorityIndicatorSchemaFor({});

/** An option's fate (step 4). @example OPTION_DECISIONS[1] // "selected" */
export const OPTION_DECISIONS = ["undecided", "selected", "rejected"] as const;

/** An option for improving performance, appraised. @example OptionSchema.parse({ title: "Business start-up grants", score: 4 }) */
export const OptionSchema = z.object({
  title: required(200, "Enter the option"),
  description: text(4000).default(""),
  practice: text(4000).default(""),
  strengths: text(4000).default(""),
  weaknesses: text(4000).default(""),
  cost: text(300).default(""),
  expectedEffect: text(1000).default(""),
  score: z.int().min(0, "Score from 0 to 5").max(5, "Score from 0 to 5").default(0),
  decision: z.enum(OPTION_DECISIONS).default("undecided"),
  decisionReason: text(2000).default(""),
  evidenceIds: z.array(z.int().positive()).max(50).default([]),
});

/** Kinds of action (step 5). @example ACTION_KINDS[0] // "new-intervention" */
export const ACTION_KINDS = [
  "new-intervention",
  "upscale",
  "downscale",
  "improve-existing",
  "training",
] as const;
/** @example ACTION_STATUSES[1] // "in-progress" */
export const ACTION_STATUSES = ["planned", "in-progress", "done", "stopped"] as const;
/** @example const s: ActionStatus = "done"; */
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * The fields of an action: who does what, when, with whom, with what, measured against what.
 * Their shape only, for reading stored records; what is saved goes through `ActionSchema`.
 *
 * @example ActionFieldsSchema.parse({ kind: "training", what: "Train advisers", leadPerson: "Ed", startDate: "2009-04-01", dueDate: "2008-04-01" }) // ok: no rules
 */
export const ActionFieldsSchema = z.object({
  kind: z.enum(ACTION_KINDS),
  what: required(300, "Say what will be done"),
  leadPerson: required(120, "Enter who leads it"),
  leadUserId: z.int().positive().nullable().default(null),
  leadOrganisation: text(200).default(""),
  partners: text(500).default(""),
  resources: text(1000).default(""),
  startDate: isoDate.nullable().default(null),
  dueDate: isoDate.nullable().default(null),
  priorityIndicatorId: z.int().positive().nullable().default(null),
  expectedEffect: text(1000).default(""),
  status: z.enum(ACTION_STATUSES).default("planned"),
  milestones: z
    .array(
      z.object({
        title: required(200, "Enter a milestone"),
        dueDate: isoDate.nullable().default(null),
        done: z.boolean().default(false),
      }),
    )
    .max(30)
    .default([]),
});

/**
 * An action with the rules of its dates (`actionViolations`): due on or after its start, each
 * milestone between the two. Used by the step-5 form and `item.save`.
 *
 * @example ActionSchema.parse({ kind: "new-intervention", what: "Open an enterprise hub", leadPerson: "…", leadOrganisation: "City Council" })
 */
export const ActionSchema = ActionFieldsSchema.superRefine((action, ctx) =>
  addViolations(ctx, actionViolations(action)),
);

/** Who needs to know (step 5). @example AUDIENCES[3] // "community" */
export const AUDIENCES = [
  "government",
  "service-managers",
  "front-line-staff",
  "community",
  "other",
] as const;

/** @example CommunicationSchema.parse({ audience: "community", message: "Progress on jobs", method: "Newsletter", timing: "Quarterly", owner: "Comms team" }) */
export const CommunicationSchema = z.object({
  audience: z.enum(AUDIENCES),
  message: required(500, "Say what they need to know"),
  method: text(200).default(""),
  timing: text(200).default(""),
  owner: text(120).default(""),
});

/** How often performance is reported. @example REPORT_FREQUENCIES[1] // "quarterly" */
export const REPORT_FREQUENCIES = ["monthly", "quarterly", "six-monthly", "annual"] as const;
/** @example const f: ReportFrequency = "six-monthly"; */
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

/** The report packs, one per audience (the performance report's views). @example SCHEDULE_PACKS[1] // "board" */
export const SCHEDULE_PACKS = ["full", "board", "operational", "public"] as const;
/** @example const p: SchedulePack = "board"; */
export type SchedulePack = (typeof SCHEDULE_PACKS)[number];

/** The most people one reporting schedule sends its pack to. @example MAX_REPORT_RECIPIENTS // 50 */
export const MAX_REPORT_RECIPIENTS = 50;

/**
 * When performance is reported, to whom and how; on its dates the pack goes by email to the
 * recipients (members of the partnership, by user id). Items saved before packs and recipients
 * existed read as the full report to nobody.
 *
 * @example ReportScheduleSchema.parse({ audience: "Partnership board", method: "Performance report", frequency: "quarterly", pack: "board", recipients: [4, 7], nextDue: "2026-12-31" })
 */
export const ReportScheduleSchema = z.object({
  audience: required(200, "Say who it is reported to"),
  method: text(200).default(""),
  frequency: z.enum(REPORT_FREQUENCIES),
  nextDue: isoDate.nullable().default(null),
  pack: z.enum(SCHEDULE_PACKS).default("full"),
  recipients: z
    .array(z.int().positive())
    .max(MAX_REPORT_RECIPIENTS, `Choose at most ${MAX_REPORT_RECIPIENTS} people`)
    .refine((ids) => new Set(ids).size === ids.length, "Choose each person once")
    .default([]),
});

/**
 * The next due date after `due` for a frequency: a month, three, six or twelve later, on the same
 * day or the month's last day when it has fewer (31 January → 28 or 29 February).
 *
 * @example nextReportDue("2026-11-30", "quarterly") // "2027-02-28"
 * @example nextReportDue("2026-12-31", "monthly") // "2027-01-31"
 */
export function nextReportDue(due: string, frequency: ReportFrequency): string {
  const months = { monthly: 1, quarterly: 3, "six-monthly": 6, annual: 12 }[frequency];
  const [y, m, d] = due.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/**
 * One part of a priority's five steps, saved through one procedure (`item.save`): the kind says
 * which, `data` holds its fields.
 *
 * @example PlanItemSchema.parse({ kind: "evidence", data: { kind: "survey", title: "Business survey" } })
 */
export const PlanItemSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("indicator"), data: PriorityIndicatorSchema }),
  z.object({ kind: z.literal("evidence"), data: EvidenceSchema }),
  z.object({ kind: z.literal("option"), data: OptionSchema }),
  z.object({ kind: z.literal("action"), data: ActionSchema }),
  z.object({ kind: z.literal("communication"), data: CommunicationSchema }),
  z.object({ kind: z.literal("report"), data: ReportScheduleSchema }),
]);

/**
 * A stored part of a plan, read whatever rules held when it was saved: the shapes of
 * `PlanItemSchema` without its rules, so records made under older rules still open (the
 * data-quality report lists what they break, with `storedItemViolations`).
 *
 * @example StoredPlanItemSchema.parse({ kind: "action", data: JSON.parse(row.data_json) })
 */
export const StoredPlanItemSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("indicator"), data: PriorityIndicatorFieldsSchema }),
  z.object({ kind: z.literal("evidence"), data: EvidenceSchema }),
  z.object({ kind: z.literal("option"), data: OptionSchema }),
  z.object({ kind: z.literal("action"), data: ActionFieldsSchema }),
  z.object({ kind: z.literal("communication"), data: CommunicationSchema }),
  z.object({ kind: z.literal("report"), data: ReportScheduleSchema }),
]);

/** Item kinds that belong to the plan as a whole rather than to one priority. @example PLAN_LEVEL_KINDS.includes("report") // true */
export const PLAN_LEVEL_KINDS = ["report"] as const satisfies readonly PlanItem["kind"][];
/** @example const i: PlanItem = { kind: "communication", data: { audience: "community", message: "…", method: "", timing: "", owner: "" } }; */
export type PlanItem = z.infer<typeof PlanItemSchema>;
/** @example const k: PlanItemKind = "option"; */
export type PlanItemKind = PlanItem["kind"];

/** A progress update on an action, by its lead or an editor. @example ActionUpdateSchema.parse({ date: "2008-07-01", note: "Hub lease signed", percentComplete: 20 }) */
export const ActionUpdateSchema = z.object({
  date: isoDate,
  note: required(2000, "Say what has happened"),
  percentComplete: z.int().min(0, "Use 0 to 100").max(100, "Use 0 to 100"),
});

/** A note explaining a detected change in a series ("what happened between 2002 and 2004?"). @example ChangePointNoteSchema.parse({ period: "2003", note: "Enterprise zone opened" }) */
export const ChangePointNoteSchema = z.object({ period: PeriodKeySchema, note: text(2000) });
