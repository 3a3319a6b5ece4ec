import { periodBounds, periodFromKey } from "./period.ts";
import type { PlanItem, StepStatus } from "./plan.ts";
import { type IndicatorLimits, type RuleViolation, valueViolation } from "./rules.ts";

// The rules of a plan's parts, as pure functions over plain values. The schemas in plan.ts (and
// the schema factories there) run them for forms and routers; the data-quality report runs them
// over stored records, which may have been saved under older rules.

/**
 * A broken rule at a field of the record checked (`["milestones", 0, "value"]`), so a form can
 * show it beside the field and the API can send it as that field's reason.
 *
 * @example const v: PathViolation = { path: ["dueDate"], violation: { code: "action.dueBeforeStart", params: { start: "2009-04-01", due: "2009-03-31" } } };
 */
export interface PathViolation {
  path: Array<string | number>;
  violation: RuleViolation;
}

/**
 * The span of a plan's three financial years: first and last day, and their labels.
 *
 * @example planYears(2008) // { start: "2008-04-01", end: "2011-03-31", from: "2008/09", to: "2010/11" }
 */
export function planYears(startYear: number): { start: string; end: string; from: string; to: string } {
  const fy = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, "0")}`;
  return {
    start: `${startYear}-04-01`,
    end: `${startYear + 3}-03-31`,
    from: fy(startYear),
    to: fy(startYear + 2),
  };
}

/** A period key's first and last day, or null for a key that is not canonical. */
function boundsOf(key: string | null): { start: string; end: string } | null {
  if (key === null) return null;
  try {
    return periodBounds(periodFromKey(key));
  } catch {
    return null;
  }
}

/** A target as the rules see it (a priority indicator's baseline and milestones). */
export interface TargetFields {
  indicatorCode: string;
  baselinePeriod: string | null;
  baselineValue: number | null;
  milestones: ReadonlyArray<{ period: string; value: number; reason: string }>;
}

/**
 * What the target rules need beyond the target itself. Leave a part out when it is not known
 * and its rules are skipped.
 */
export interface TargetContext {
  /**
   * The indicator's limits, for the value rules; `null` when the catalogue has no indicator with
   * the target's code (itself a broken rule).
   */
  indicator?: IndicatorLimits | null;
  /** The plan's first financial year: every milestone's period must end within the plan's years. */
  startYear?: number | null;
  /**
   * In an annual refresh, the milestones the same indicator had in the revision refreshed; each
   * milestone changed or added since then needs its reason. Null outside a refresh, or for an
   * indicator the earlier revision did not have.
   */
  previousMilestones?: ReadonlyArray<{ period: string; value: number }> | null;
}

/**
 * The rules of a target (step 3): baseline and milestones within the indicator's valid range; a
 * trajectory (any milestone) starts from a baseline period and value; each milestone after the
 * baseline period, within the plan's years (its period ends between the plan's first and last
 * day), and one per period; in an annual refresh each changed or added milestone has its reason.
 * Returns every violation, by field path; empty when the target keeps every rule.
 *
 * @example
 * targetViolations(
 *   { indicatorCode: "NI 151", baselinePeriod: "2006 Q2", baselineValue: 73.3, milestones: [{ period: "2011 Q2", value: 150, reason: "" }] },
 *   { indicator: { code: "NI 151", valueType: "percentage", validMin: null, validMax: null }, startYear: 2008 },
 * ) // [{ path: ["milestones", 0, "period"], violation: { code: "target.outsidePlan", … } }, { path: ["milestones", 0, "value"], violation: { code: "value.aboveMax", … } }]
 */
export function targetViolations(target: TargetFields, context: TargetContext = {}): PathViolation[] {
  const found: PathViolation[] = [];
  const add = (path: PathViolation["path"], violation: RuleViolation | null) => {
    if (violation) found.push({ path, violation });
  };
  const { indicator, startYear, previousMilestones } = context;
  if (indicator === null) {
    add(["indicatorCode"], { code: "indicator.unknown", params: { indicator: target.indicatorCode } });
  }
  if (indicator && target.baselineValue !== null) {
    add(["baselineValue"], valueViolation(indicator, target.baselineValue));
  }
  if (target.milestones.length > 0) {
    const needed: RuleViolation = {
      code: "target.baselineNeeded",
      params: { indicator: target.indicatorCode },
    };
    if (target.baselinePeriod === null) add(["baselinePeriod"], needed);
    if (target.baselineValue === null) add(["baselineValue"], needed);
  }
  const baseline = boundsOf(target.baselinePeriod);
  const years = startYear === null || startYear === undefined ? null : planYears(startYear);
  const seen = new Set<string>();
  target.milestones.forEach((m, i) => {
    const at = ["milestones", i];
    const bounds = boundsOf(m.period);
    if (seen.has(m.period))
      add([...at, "period"], { code: "target.duplicatePeriod", params: { period: m.period } });
    seen.add(m.period);
    if (baseline && bounds && bounds.end <= baseline.end) {
      add([...at, "period"], {
        code: "target.notAfterBaseline",
        params: { period: m.period, baseline: target.baselinePeriod ?? "" },
      });
    }
    if (years && bounds && (bounds.end < years.start || bounds.end > years.end)) {
      add([...at, "period"], {
        code: "target.outsidePlan",
        params: { period: m.period, from: years.from, to: years.to },
      });
    }
    if (indicator) add([...at, "value"], valueViolation(indicator, m.value));
    if (previousMilestones && m.reason.trim() === "") {
      const before = previousMilestones.find((p) => p.period === m.period);
      if (!before) {
        add([...at, "reason"], {
          code: "target.reasonNeededAdded",
          params: { period: m.period, after: m.value },
        });
      } else if (before.value !== m.value) {
        add([...at, "reason"], {
          code: "target.reasonNeeded",
          params: { period: m.period, before: before.value, after: m.value },
        });
      }
    }
  });
  return found;
}

/** An action's dates as the rules see them. */
export interface ActionDates {
  startDate: string | null;
  dueDate: string | null;
  milestones: ReadonlyArray<{ title: string; dueDate: string | null }>;
}

/**
 * The rules of an action's dates (step 5): due on or after its start; each milestone on or after
 * the start and on or before the due date.
 *
 * @example actionViolations({ startDate: "2009-04-01", dueDate: "2009-03-31", milestones: [] })
 * // [{ path: ["dueDate"], violation: { code: "action.dueBeforeStart", params: { start: "2009-04-01", due: "2009-03-31" } } }]
 */
export function actionViolations(action: ActionDates): PathViolation[] {
  const found: PathViolation[] = [];
  const { startDate: start, dueDate: due } = action;
  if (start && due && due < start) {
    found.push({ path: ["dueDate"], violation: { code: "action.dueBeforeStart", params: { start, due } } });
  }
  action.milestones.forEach((m, i) => {
    const date = m.dueDate;
    if (!date) return;
    const path = ["milestones", i, "dueDate"];
    if (start && date < start) {
      found.push({
        path,
        violation: { code: "action.milestoneBeforeStart", params: { title: m.title, date, start } },
      });
    } else if (due && date > due) {
      found.push({
        path,
        violation: { code: "action.milestoneAfterDue", params: { title: m.title, date, due } },
      });
    }
  });
  return found;
}

/** What each step must hold before it can be completed, in step order. */
const STEP_NEEDS = [
  {
    code: "step.needsIndicator",
    has: (items: readonly PlanItem[]) => items.some((i) => i.kind === "indicator"),
  },
  {
    code: "step.needsEvidence",
    has: (items: readonly PlanItem[]) => items.some((i) => i.kind === "evidence"),
  },
  {
    code: "step.needsTarget",
    has: (items: readonly PlanItem[]) =>
      items.some(
        (i) =>
          i.kind === "indicator" &&
          i.data.baselinePeriod !== null &&
          i.data.baselineValue !== null &&
          i.data.milestones.length > 0,
      ),
  },
  {
    code: "step.needsChosenOption",
    has: (items: readonly PlanItem[]) =>
      items.some(
        (i) => i.kind === "option" && i.data.decision === "selected" && i.data.decisionReason.trim() !== "",
      ),
  },
  { code: "step.needsAction", has: (items: readonly PlanItem[]) => items.some((i) => i.kind === "action") },
] as const;

/**
 * What a step lacks before it can be completed, or null when it holds what it needs: step 1 an
 * indicator, step 2 an item of evidence, step 3 a target (an indicator with a baseline and at
 * least one milestone), step 4 a chosen option with the reason it was chosen, step 5 an action.
 * `step` counts from 1; `priority` names the priority in the violation.
 *
 * @example stepGap(1, [], "Jobs") // { code: "step.needsIndicator", params: { priority: "Jobs", step: 1 } }
 */
export function stepGap(step: number, items: readonly PlanItem[], priority = ""): RuleViolation | null {
  const need = STEP_NEEDS[step - 1];
  if (!need || need.has(items)) return null;
  return { code: need.code, params: { priority, step } };
}

/**
 * The steps marked completed in `steps` that lack what they need, at `["steps", index]`. With
 * `before` (the statuses as stored), only steps newly marked completed are checked, so a priority
 * completed under older rules can still be edited.
 *
 * @example completedStepViolations(["completed", "not-started", "not-started", "not-started", "not-started"], [], { priority: "Jobs" })
 * // [{ path: ["steps", 0], violation: { code: "step.needsIndicator", params: { priority: "Jobs", step: 1 } } }]
 */
export function completedStepViolations(
  steps: readonly StepStatus[],
  items: readonly PlanItem[],
  options: { priority?: string; before?: readonly StepStatus[] } = {},
): PathViolation[] {
  const found: PathViolation[] = [];
  steps.forEach((status, i) => {
    if (status !== "completed" || options.before?.[i] === "completed") return;
    const gap = stepGap(i + 1, items, options.priority ?? "");
    if (gap) found.push({ path: ["steps", i], violation: gap });
  });
  return found;
}

/**
 * What keeps a priority from being ready for agreement, step by step: what a step lacks, or
 * else that it is not marked completed. Empty when the priority is ready.
 *
 * @example priorityGaps({ title: "Jobs", steps: ["completed", "completed", "completed", "completed", "in-progress"] }, items)
 * // [{ code: "step.notCompleted", params: { priority: "Jobs", step: 5 } }] (when the items hold every step's needs)
 */
export function priorityGaps(
  priority: { title: string; steps: readonly StepStatus[] },
  items: readonly PlanItem[],
): RuleViolation[] {
  const gaps: RuleViolation[] = [];
  for (let step = 1; step <= STEP_NEEDS.length; step++) {
    const gap = stepGap(step, items, priority.title);
    if (gap) gaps.push(gap);
    else if (priority.steps[step - 1] !== "completed")
      gaps.push({ code: "step.notCompleted", params: { priority: priority.title, step } });
  }
  return gaps;
}

/**
 * The rule for submitting a plan for agreement (and agreeing it): it has a priority, and every
 * priority is ready (`priorityGaps`). The violations are a summary at `["status"]`, then what is
 * missing at `["priorities", id, "steps", index]` for each priority.
 *
 * @example planSubmissionViolations([]) // [{ path: ["status"], violation: { code: "plan.noPriorities", params: {} } }]
 */
export function planSubmissionViolations(
  priorities: ReadonlyArray<{
    id: number;
    title: string;
    steps: readonly StepStatus[];
    items: readonly PlanItem[];
  }>,
): PathViolation[] {
  if (priorities.length === 0)
    return [{ path: ["status"], violation: { code: "plan.noPriorities", params: {} } }];
  const details: PathViolation[] = [];
  let count = 0;
  for (const p of priorities) {
    const gaps = priorityGaps(p, p.items);
    if (gaps.length > 0) count++;
    for (const gap of gaps)
      details.push({ path: ["priorities", p.id, "steps", Number(gap.params.step) - 1], violation: gap });
  }
  if (count === 0) return [];
  return [{ path: ["status"], violation: { code: "plan.incomplete", params: { count } } }, ...details];
}

/**
 * The rule for issuing the board report: every exception (an off-track or at-risk target) has
 * the owner's commentary for its latest period. The violations are a summary at `["audience"]`,
 * then each unexplained exception at `["exceptions", itemId]`.
 *
 * @example reportIssueViolations([{ itemId: 7, indicatorCode: "NI 151", period: "2007 Q2", hasCommentary: false }])
 * // [{ path: ["audience"], … "report.exceptionsUnexplained" }, { path: ["exceptions", 7], … "report.commentaryNeeded" }]
 */
export function reportIssueViolations(
  exceptions: ReadonlyArray<{
    itemId: number;
    indicatorCode: string;
    period: string | null;
    hasCommentary: boolean;
  }>,
): PathViolation[] {
  const missing = exceptions.filter((e) => !e.hasCommentary);
  if (missing.length === 0) return [];
  return [
    {
      path: ["audience"],
      violation: { code: "report.exceptionsUnexplained", params: { count: missing.length } },
    },
    ...missing.map((e) => ({
      path: ["exceptions", e.itemId],
      violation: {
        code: "report.commentaryNeeded",
        params: { indicator: e.indicatorCode, period: e.period ?? "" },
      } satisfies RuleViolation,
    })),
  ];
}

/**
 * Checks one stored part of a plan against today's rules, whenever it was saved: a target
 * (`targetViolations`, with what is known of its context) or an action's dates
 * (`actionViolations`). For the data-quality report; never throws on old records.
 *
 * @example storedItemViolations({ kind: "action", data: action }, {}) // [] when its dates are in order
 */
export function storedItemViolations(item: PlanItem, context: TargetContext = {}): PathViolation[] {
  if (item.kind === "indicator") return targetViolations(item.data, context);
  if (item.kind === "action") return actionViolations(item.data);
  return [];
}
