import { describe, expect, it } from "vitest";
import {
  ActionSchema,
  completedStepViolations,
  type PlanItem,
  PlanItemSchema,
  PriorityIndicatorSchema,
  planSubmissionViolations,
  planYears,
  priorityGaps,
  priorityIndicatorSchemaFor,
  RULE_CODES,
  reportIssueViolations,
  StoredPlanItemSchema,
  storedItemViolations,
  targetViolations,
} from "./index.ts";

const ni151 = { code: "NI 151", valueType: "percentage", validMin: null, validMax: null } as const;
const target = (milestones: Array<{ period: string; value: number; reason?: string }>, baseline = true) => ({
  indicatorCode: "NI 151",
  baselinePeriod: baseline ? "2006 Q2" : null,
  baselineValue: baseline ? 73.3 : null,
  milestones: milestones.map((m) => ({ reason: "", ...m })),
});
const codes = (vs: ReturnType<typeof targetViolations>) =>
  vs.map((v) => [v.path.join("."), v.violation.code]);

describe("targets", () => {
  it("span the plan's three financial years", () => {
    expect(planYears(2008)).toEqual({
      start: "2008-04-01",
      end: "2011-03-31",
      from: "2008/09",
      to: "2010/11",
    });
  });

  it("keep every milestone after the baseline, within the plan's years, one per period", () => {
    const found = targetViolations(
      target([
        { period: "2008 Q4", value: 74 },
        { period: "2006 Q2", value: 73 },
        { period: "2011 Q1", value: 75 },
        { period: "2011 Q2", value: 75 },
        { period: "2008 Q4", value: 74 },
        { period: "2010/11", value: 75 },
        { period: "2008", value: 74 },
      ]),
      { startYear: 2008 },
    );
    expect(codes(found)).toEqual([
      ["milestones.1.period", "target.notAfterBaseline"],
      ["milestones.1.period", "target.outsidePlan"],
      ["milestones.3.period", "target.outsidePlan"],
      ["milestones.4.period", "target.duplicatePeriod"],
    ]);
  });

  it("keep baseline and milestones within the indicator's range, and say when the indicator is unknown", () => {
    const found = targetViolations(
      { ...target([{ period: "2009 Q4", value: 100.5 }]), baselineValue: -1 },
      { indicator: ni151 },
    );
    expect(found.map((v) => [v.path.join("."), v.violation])).toEqual([
      [
        "baselineValue",
        { code: "value.belowMin", params: { indicator: "NI 151", value: -1, min: "0", max: "100" } },
      ],
      [
        "milestones.0.value",
        { code: "value.aboveMax", params: { indicator: "NI 151", value: 100.5, min: "0", max: "100" } },
      ],
    ]);
    expect(codes(targetViolations(target([]), { indicator: null }))).toEqual([
      ["indicatorCode", "indicator.unknown"],
    ]);
  });

  it("start a trajectory from a baseline", () => {
    expect(codes(targetViolations(target([{ period: "2009", value: 74 }], false)))).toEqual([
      ["baselinePeriod", "target.baselineNeeded"],
      ["baselineValue", "target.baselineNeeded"],
    ]);
    expect(targetViolations(target([], false))).toEqual([]);
  });

  it("give a reason for each milestone changed or added in a refresh", () => {
    const previousMilestones = [
      { period: "2008 Q4", value: 74 },
      { period: "2009 Q4", value: 74.5 },
    ];
    const found = targetViolations(
      target([
        { period: "2008 Q4", value: 74 },
        { period: "2009 Q4", value: 74.2 },
        { period: "2010 Q4", value: 75 },
        { period: "2010 Q2", value: 74.8, reason: "Interim target asked for by the board" },
      ]),
      { previousMilestones },
    );
    expect(found.map((v) => [v.path.join("."), v.violation])).toEqual([
      [
        "milestones.1.reason",
        { code: "target.reasonNeeded", params: { period: "2009 Q4", before: 74.5, after: 74.2 } },
      ],
      ["milestones.2.reason", { code: "target.reasonNeededAdded", params: { period: "2010 Q4", after: 75 } }],
    ]);
  });

  it("come as one schema factory for forms and routers, carrying codes and parameters", () => {
    const schema = priorityIndicatorSchemaFor({ indicator: ni151, startYear: 2008 });
    const result = schema.safeParse(target([{ period: "2008 Q4", value: 150 }]));
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ["milestones", 0, "value"],
        message: "150 is above the largest value NI 151 can take (0 to 100)",
        params: { rule: "value.aboveMax", indicator: "NI 151", value: 150, min: "0", max: "100" },
      }),
    ]);
    // Without context the schema keeps the rules a target keeps on its own.
    expect(PriorityIndicatorSchema.safeParse(target([{ period: "2008 Q4", value: 150 }])).success).toBe(true);
    expect(PriorityIndicatorSchema.safeParse(target([{ period: "2008 Q4", value: 74 }], false)).success).toBe(
      false,
    );
  });
});

describe("actions", () => {
  const action = (data: Record<string, unknown>) => ({
    kind: "training",
    what: "Train",
    leadPerson: "Ed",
    ...data,
  });

  it("are due on or after they start, with milestones between the two", () => {
    const result = ActionSchema.safeParse(
      action({
        startDate: "2008-04-01",
        dueDate: "2008-03-31",
        milestones: [{ title: "Tender", dueDate: "2008-01-01" }],
      }),
    );
    expect(
      result.error?.issues.map((i) => [i.path.join("."), (i as { params?: { rule?: string } }).params?.rule]),
    ).toEqual([
      ["dueDate", "action.dueBeforeStart"],
      ["milestones.0.dueDate", "action.milestoneBeforeStart"],
    ]);
    expect(
      ActionSchema.safeParse(
        action({
          startDate: "2008-04-01",
          dueDate: "2009-03-31",
          milestones: [{ title: "Tender", dueDate: "2009-03-31" }],
        }),
      ).success,
    ).toBe(true);
  });

  it("made under older rules are still read, and their broken rules found", () => {
    const stored = { kind: "action", data: action({ startDate: "2009-04-01", dueDate: "2008-04-01" }) };
    expect(PlanItemSchema.safeParse(stored).success).toBe(false);
    const item = StoredPlanItemSchema.parse(stored) as PlanItem;
    expect(storedItemViolations(item).map((v) => v.violation.code)).toEqual(["action.dueBeforeStart"]);
  });
});

describe("the workflow", () => {
  const items = (...kinds: PlanItem[]): PlanItem[] => kinds;
  const indicator: PlanItem = {
    kind: "indicator",
    data: PriorityIndicatorSchema.parse(target([{ period: "2009 Q4", value: 74 }])),
  };
  const bare: PlanItem = {
    kind: "indicator",
    data: PriorityIndicatorSchema.parse({ indicatorCode: "NI 151" }),
  };
  const evidence = PlanItemSchema.parse({ kind: "evidence", data: { kind: "survey", title: "Survey" } });
  const chosen = PlanItemSchema.parse({
    kind: "option",
    data: { title: "Mentors", decision: "selected", decisionReason: "Asked for" },
  });
  const unexplained = PlanItemSchema.parse({
    kind: "option",
    data: { title: "Mentors", decision: "selected" },
  });
  const action = PlanItemSchema.parse({
    kind: "action",
    data: { kind: "training", what: "Train", leadPerson: "Ed" },
  });
  const all = ["completed", "completed", "completed", "completed", "completed"] as const;

  it("completes a step only when it holds what it needs", () => {
    expect(
      completedStepViolations(all, items(bare, unexplained), { priority: "Jobs" }).map((v) => [
        v.path.join("."),
        v.violation.code,
      ]),
    ).toEqual([
      ["steps.1", "step.needsEvidence"],
      ["steps.2", "step.needsTarget"],
      ["steps.3", "step.needsChosenOption"],
      ["steps.4", "step.needsAction"],
    ]);
    expect(completedStepViolations(all, items(indicator, evidence, chosen, action))).toEqual([]);
    // Steps already completed before (under older rules) are not judged again.
    expect(completedStepViolations(all, [], { before: all })).toEqual([]);
  });

  it("lists what keeps each priority from agreement, and summarises it for the plan", () => {
    expect(
      priorityGaps(
        { title: "Jobs", steps: ["completed", "completed", "in-progress", "completed", "completed"] },
        [indicator, evidence, chosen, action],
      ),
    ).toEqual([{ code: "step.notCompleted", params: { priority: "Jobs", step: 3 } }]);
    const found = planSubmissionViolations([
      { id: 4, title: "Jobs", steps: all, items: [indicator, evidence, chosen, action] },
      { id: 9, title: "Crime", steps: all, items: [indicator, evidence, chosen] },
    ]);
    expect(found).toEqual([
      { path: ["status"], violation: { code: "plan.incomplete", params: { count: 1 } } },
      {
        path: ["priorities", 9, "steps", 4],
        violation: { code: "step.needsAction", params: { priority: "Crime", step: 5 } },
      },
    ]);
    expect(planSubmissionViolations([])).toEqual([
      { path: ["status"], violation: { code: "plan.noPriorities", params: {} } },
    ]);
  });

  it("issues the board report only when every exception is explained", () => {
    expect(
      reportIssueViolations([
        { itemId: 7, indicatorCode: "NI 151", period: "2007 Q2", hasCommentary: true },
        { itemId: 8, indicatorCode: "NI 152", period: "2006 Q4", hasCommentary: false },
      ]),
    ).toEqual([
      { path: ["audience"], violation: { code: "report.exceptionsUnexplained", params: { count: 1 } } },
      {
        path: ["exceptions", 8],
        violation: { code: "report.commentaryNeeded", params: { indicator: "NI 152", period: "2006 Q4" } },
      },
    ]);
  });

  it("words every rule in both languages", () => {
    for (const code of [
      "target.outsidePlan",
      "target.reasonNeeded",
      "action.dueBeforeStart",
      "step.needsChosenOption",
      "plan.incomplete",
      "report.commentaryNeeded",
    ]) {
      expect(RULE_CODES).toContain(code);
    }
  });
});
