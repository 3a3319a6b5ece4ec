import {
  type Executor,
  findIndicatorByCode,
  listIndicators,
  listItems,
  listPartnerships,
  listPlans,
  listPriorities,
  type PlanRow,
} from "@fivestep/db";
import {
  completedStepViolations,
  type IndicatorLimits,
  type PathViolation,
  type RuleViolation,
  ruleText,
  type StepStatus,
  storedItemViolations,
  type TargetContext,
} from "@fivestep/domain";
import { type ItemView, type PriorityView, toItemView, toPriorityView } from "./plan-views.ts";

// The plan rules that need stored data (the catalogue, the plan, the revision a refresh started
// from, a priority's items), loaded here for the routers and the data-quality report alike.

/** Priority titles match across revisions as `comparePlans` matches them. */
const titleKey = (title: string) => title.trim().toLowerCase();

/**
 * The milestones an indicator had in the revision `plan` was refreshed from (the same priority by
 * title, the same indicator by code), or null when the plan is no refresh or the earlier revision
 * did not have that indicator there.
 *
 * @example const previous = await previousMilestones(db, plan, "To promote job creation", "NI 171");
 */
export async function previousMilestones(
  db: Executor,
  plan: Pick<PlanRow, "previous_plan_id">,
  priorityTitle: string,
  indicatorCode: string,
): Promise<Array<{ period: string; value: number }> | null> {
  if (plan.previous_plan_id === null) return null;
  const priority = (await listPriorities(db, plan.previous_plan_id)).find(
    (p) => titleKey(p.title) === titleKey(priorityTitle),
  );
  if (!priority) return null;
  const items = (
    await listItems(db, { planId: plan.previous_plan_id, priorityId: priority.id, kind: "indicator" })
  ).map(toItemView);
  const same = items.find((i) => i.kind === "indicator" && i.data.indicatorCode === indicatorCode);
  return same?.kind === "indicator"
    ? same.data.milestones.map((m) => ({ period: m.period, value: m.value }))
    : null;
}

/**
 * Everything the target rules need for one of a priority's indicators: the indicator's limits
 * (null when the catalogue has no such code), the plan's first year, and in a refresh the
 * milestones it had before.
 *
 * @example const context = await targetContext(db, plan, priority.title, "NI 151");
 */
export async function targetContext(
  db: Executor,
  plan: Pick<PlanRow, "start_year" | "previous_plan_id">,
  priorityTitle: string,
  indicatorCode: string,
): Promise<TargetContext> {
  const indicator = await findIndicatorByCode(db, indicatorCode);
  return {
    indicator: indicator ? limitsOf(indicator) : null,
    startYear: plan.start_year,
    previousMilestones: await previousMilestones(db, plan, priorityTitle, indicatorCode),
  };
}

const limitsOf = (i: IndicatorLimits): IndicatorLimits => ({
  code: i.code,
  valueType: i.valueType,
  validMin: i.validMin,
  validMax: i.validMax,
});

/**
 * A plan's priorities with their items, as the workflow rules take them.
 *
 * @example const ready = await prioritiesWithItems(trx, plan.id); planSubmissionViolations(ready);
 */
export async function prioritiesWithItems(db: Executor, planId: number) {
  const [priorities, items] = await Promise.all([listPriorities(db, planId), listItems(db, { planId })]);
  const views = items.map(toItemView);
  return priorities.map(toPriorityView).map((p) => ({
    id: p.id,
    title: p.fields.title,
    steps: p.fields.steps as readonly StepStatus[],
    items: views.filter((i) => i.priorityId === p.id),
  }));
}

/** One broken rule in a stored plan: where it is, which rule, and its English wording. */
export interface PlanRuleFinding {
  partnershipId: number;
  partnershipName: string;
  planId: number;
  planTitle: string;
  revision: number;
  priorityId: number | null;
  priorityTitle: string | null;
  /** The item, or null for a rule of the priority itself (its steps). */
  itemId: number | null;
  kind: ItemView["kind"] | null;
  /** The field, as a dotted path within the item's data or the priority's fields. */
  field: string;
  code: RuleViolation["code"];
  params: RuleViolation["params"];
  /** The English text (`ruleText`); the admin page words it from its own catalogue. */
  text: string;
}

/**
 * Every stored plan checked against today's rules, whenever its parts were saved: each target
 * (range, baseline, the plan's years, one per period, reasons in a refresh) and action (dates),
 * and each priority's completed steps (what they need). In partnership, plan, priority order, a
 * priority's own findings before its items', items by id; at most `limit`.
 *
 * @example const findings = await planRuleFindings(db, { limit: 200 });
 */
export async function planRuleFindings(db: Executor, options: { limit: number }): Promise<PlanRuleFinding[]> {
  const indicators = new Map((await listIndicators(db)).map((i) => [i.code, limitsOf(i)]));
  const findings: PlanRuleFinding[] = [];
  for (const partnership of await listPartnerships(db)) {
    const plans = await listPlans(db, partnership.id);
    for (const plan of [...plans].sort((a, b) => a.id - b.id)) {
      const priorities = (await listPriorities(db, plan.id)).map(toPriorityView);
      const items = (await listItems(db, { planId: plan.id })).map(toItemView).sort((a, b) => a.id - b.id);
      const previous = plans.find((p) => p.id === plan.previous_plan_id);
      const earlier = previous
        ? {
            priorities: (await listPriorities(db, previous.id)).map(toPriorityView),
            items: (await listItems(db, { planId: previous.id, kind: "indicator" })).map(toItemView),
          }
        : null;
      const record = (
        priority: PriorityView | null,
        item: ItemView | null,
        found: readonly PathViolation[],
      ) => {
        for (const { path, violation } of found) {
          findings.push({
            partnershipId: partnership.id,
            partnershipName: partnership.name,
            planId: plan.id,
            planTitle: plan.title,
            revision: plan.revision,
            priorityId: priority?.id ?? null,
            priorityTitle: priority?.fields.title ?? null,
            itemId: item?.id ?? null,
            kind: item?.kind ?? null,
            field: path.join("."),
            code: violation.code,
            params: violation.params,
            text: ruleText(violation),
          });
        }
      };
      const milestonesBefore = (priorityTitle: string, code: string) => {
        if (!earlier) return null;
        const p = earlier.priorities.find((q) => titleKey(q.fields.title) === titleKey(priorityTitle));
        const i = earlier.items.find(
          (x) => x.priorityId === p?.id && x.kind === "indicator" && x.data.indicatorCode === code,
        );
        return i?.kind === "indicator" ? i.data.milestones : null;
      };
      const planLevel = items.filter((i) => i.priorityId === null);
      for (const item of planLevel) record(null, item, storedItemViolations(item));
      for (const priority of priorities) {
        const mine = items.filter((i) => i.priorityId === priority.id);
        const steps = priority.fields.steps as readonly StepStatus[];
        record(priority, null, completedStepViolations(steps, mine, { priority: priority.fields.title }));
        for (const item of mine) {
          const context: TargetContext =
            item.kind === "indicator"
              ? {
                  indicator: indicators.get(item.data.indicatorCode) ?? null,
                  startYear: plan.start_year,
                  previousMilestones: milestonesBefore(priority.fields.title, item.data.indicatorCode),
                }
              : {};
          record(priority, item, storedItemViolations(item, context));
        }
      }
      if (findings.length >= options.limit) return findings.slice(0, options.limit);
    }
  }
  return findings;
}
