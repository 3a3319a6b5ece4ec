import { insertItem, insertPlan, insertPriority, nowIso } from "@fivestep/db";
import { ACTORS, type Fixture } from "./fixtures.ts";

/**
 * Ids of a small Coventry plan: one priority, its five steps completed, with an indicator and its
 * target, evidence, a chosen option and an action led by the contributor.
 */
export interface PlanFixture {
  planId: number;
  priorityId: number;
  indicatorItemId: number;
  evidenceItemId: number;
  optionItemId: number;
  actionItemId: number;
}

const cache = new WeakMap<Fixture, Promise<PlanFixture>>();

/**
 * Creates (once per fixture) a draft Coventry plan to call plan procedures against.
 *
 * @example const { planId, priorityId } = await planFixture(fx);
 */
export function planFixture(fx: Fixture, status: "draft" | "agreed" = "draft"): Promise<PlanFixture> {
  const existing = cache.get(fx);
  if (existing) return existing;
  const made = (async () => {
    const now = nowIso();
    const plan = await insertPlan(fx.db, {
      partnership_id: fx.coventryId,
      title: "Coventry delivery plan",
      vision: "To improve the quality of life of local people",
      start_year: 2008,
      status,
      revision: 1,
      previous_plan_id: null,
      created_at: now,
      updated_at: now,
    });
    const priority = await insertPriority(fx.db, {
      plan_id: plan.id,
      position: 1,
      theme: "Economy",
      title: "To promote job creation",
      owner_name: "Head of Economic Development",
      fields_json: JSON.stringify({
        steps: ["completed", "completed", "completed", "completed", "completed"],
      }),
      created_at: now,
      updated_at: now,
    });
    const add = (kind: string, data: unknown, leadUserId: number | null = null) =>
      insertItem(fx.db, {
        plan_id: plan.id,
        priority_id: priority.id,
        kind,
        position: 1,
        data_json: JSON.stringify(data),
        lead_user_id: leadUserId,
        created_at: now,
        updated_at: now,
      });
    const indicator = await add("indicator", {
      indicatorCode: "NI 151",
      baselinePeriod: "2006 Q2",
      baselineValue: 73.3,
      milestones: [
        { period: "2008 Q4", value: 74, reason: "" },
        { period: "2010 Q4", value: 75, reason: "" },
      ],
    });
    const evidence = await add("evidence", {
      kind: "survey",
      title: "Business survey 2007",
      summary: "Start-ups lack premises",
    });
    const option = await add("option", {
      title: "Enterprise hub",
      evidenceIds: [evidence.id],
      decision: "selected",
      decisionReason: "Premises are what the survey asks for",
    });
    const contributor = await fx.userId(ACTORS.contributor);
    const action = await add(
      "action",
      {
        kind: "new-intervention",
        what: "Open an enterprise hub",
        leadPerson: "Cory Contributor",
        leadUserId: contributor,
        priorityIndicatorId: indicator.id,
      },
      contributor,
    );
    return {
      planId: plan.id,
      priorityId: priority.id,
      indicatorItemId: indicator.id,
      evidenceItemId: evidence.id,
      optionItemId: option.id,
      actionItemId: action.id,
    };
  })();
  cache.set(fx, made);
  return made;
}
