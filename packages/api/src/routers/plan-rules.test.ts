import { insertItem, insertPriority, nowIso, seedDemoPlan } from "@fivestep/db";
import { afterEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { codesOf, refusalOf } from "../testing/http.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

/** A draft Coventry plan for 2008/09–2010/11 with one empty priority. */
async function draft(f: Fixture) {
  const editor = await f.caller("editor");
  const lead = await f.caller("lead");
  const plan = await editor.plan.create({
    partnershipId: f.coventryId,
    title: "Coventry LAA",
    startYear: 2008,
  });
  const priority = await editor.priority.create({
    partnershipId: f.coventryId,
    planId: plan.id,
    theme: "Economy",
    title: "Jobs",
    ownerName: "Head of Economy",
  });
  const at = { partnershipId: f.coventryId, priorityId: priority.id };
  return { editor, lead, plan, priority, at };
}

type Step = "not-started" | "in-progress" | "completed" | "needs-review";
type Steps = [Step, Step, Step, Step, Step];
const target = (data: {
  indicatorCode?: string;
  baselinePeriod?: string;
  baselineValue?: number;
  milestones?: Array<{ period: string; value: number }>;
}) => ({
  kind: "indicator" as const,
  data: { indicatorCode: "NI 151", baselinePeriod: "2006 Q2", baselineValue: 73.3, ...data },
});

describe("targets (step 3)", () => {
  it("refuses a target or baseline outside the indicator's valid range, naming the range", async () => {
    fx = await createFixture();
    const { at, editor } = await draft(fx);
    const refused = await refusalOf(fx, "editor", "item.save", {
      ...at,
      item: target({ baselineValue: -5, milestones: [{ period: "2008 Q4", value: 150 }] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.reasons).toEqual({
      "item.data.baselineValue": {
        code: "value.belowMin",
        params: { indicator: "NI 151", value: -5, min: "0", max: "100" },
      },
      "item.data.milestones.0.value": {
        code: "value.aboveMax",
        params: { indicator: "NI 151", value: 150, min: "0", max: "100" },
      },
    });
    expect(refused.message).toContain("-5 is below the smallest value NI 151 can take (0 to 100)");
    await expect(
      editor.item.save({ ...at, item: target({ milestones: [{ period: "2008 Q4", value: 74 }] }) }),
    ).resolves.toMatchObject({ kind: "indicator" });
  });

  it("refuses target periods outside the plan's years or not after the baseline", async () => {
    fx = await createFixture();
    const { at } = await draft(fx);
    const outside = await refusalOf(fx, "editor", "item.save", {
      ...at,
      item: target({
        milestones: [
          { period: "2008 Q4", value: 74 },
          { period: "2007 Q4", value: 73.5 },
          { period: "2011 Q2", value: 75 },
        ],
      }),
    });
    expect(outside.reasons).toEqual({
      "item.data.milestones.1.period": {
        code: "target.outsidePlan",
        params: { period: "2007 Q4", from: "2008/09", to: "2010/11" },
      },
      "item.data.milestones.2.period": {
        code: "target.outsidePlan",
        params: { period: "2011 Q2", from: "2008/09", to: "2010/11" },
      },
    });
    const before = await refusalOf(fx, "editor", "item.save", {
      ...at,
      item: target({
        baselinePeriod: "2008 Q4",
        baselineValue: 73,
        milestones: [
          { period: "2009 Q4", value: 74 },
          { period: "2008 Q4", value: 73.5 },
          { period: "2008 Q3", value: 73.2 },
        ],
      }),
    });
    expect(before.reasons).toEqual({
      "item.data.milestones.1.period": {
        code: "target.notAfterBaseline",
        params: { period: "2008 Q4", baseline: "2008 Q4" },
      },
      "item.data.milestones.2.period": {
        code: "target.notAfterBaseline",
        params: { period: "2008 Q3", baseline: "2008 Q4" },
      },
    });
  });

  it("refuses a trajectory without a baseline, two targets for one period, and an unknown indicator", async () => {
    fx = await createFixture();
    const { at } = await draft(fx);
    const noBaseline = await refusalOf(fx, "editor", "item.save", {
      ...at,
      item: {
        kind: "indicator",
        data: { indicatorCode: "NI 171", milestones: [{ period: "2009", value: 32 }] },
      },
    });
    expect(codesOf(noBaseline)).toEqual({
      "item.data.baselinePeriod": "target.baselineNeeded",
      "item.data.baselineValue": "target.baselineNeeded",
    });
    const twice = await refusalOf(fx, "editor", "item.save", {
      ...at,
      item: target({
        milestones: [
          { period: "2009 Q4", value: 74 },
          { period: "2009 Q4", value: 75 },
        ],
      }),
    });
    expect(codesOf(twice)).toEqual({ "item.data.milestones.1.period": "target.duplicatePeriod" });
    const unknown = await refusalOf(fx, "editor", "item.save", {
      ...at,
      item: { kind: "indicator", data: { indicatorCode: "NI 999" } },
    });
    expect(unknown.reasons).toEqual({
      "item.data.indicatorCode": { code: "indicator.unknown", params: { indicator: "NI 999" } },
    });
  });

  it("needs a reason for each target changed or added in an annual refresh", async () => {
    fx = await createFixture();
    const { at, editor, lead, plan } = await draft(fx);
    const milestones = [
      { period: "2008 Q4", value: 74 },
      { period: "2009 Q4", value: 74.5 },
    ];
    await editor.item.save({ ...at, item: target({ milestones }) });
    await fx.db.updateTable("plan").set({ status: "agreed" }).where("id", "=", plan.id).execute();
    const next = await lead.plan.refresh({ partnershipId: fx.coventryId, planId: plan.id });
    const copy = (await editor.plan.byId({ partnershipId: fx.coventryId, planId: next.id })).priorities[0];
    const item = (await editor.priority.byId({ partnershipId: fx.coventryId, priorityId: copy?.id ?? 0 }))
      .items[0];
    if (!copy || !item || item.kind !== "indicator") throw new Error("no copied target");
    const save = { partnershipId: fx.coventryId, priorityId: copy.id, id: item.id, version: item.version };
    const changed = [
      { period: "2008 Q4", value: 74 },
      { period: "2009 Q4", value: 74.2 },
      { period: "2010 Q4", value: 75 },
    ];
    const refused = await refusalOf(fx, "editor", "item.save", {
      ...save,
      item: { kind: "indicator", data: { ...item.data, milestones: changed } },
    });
    expect(refused.reasons).toEqual({
      "item.data.milestones.1.reason": {
        code: "target.reasonNeeded",
        params: { period: "2009 Q4", before: 74.5, after: 74.2 },
      },
      "item.data.milestones.2.reason": {
        code: "target.reasonNeededAdded",
        params: { period: "2010 Q4", after: 75 },
      },
    });
    // Unchanged targets need no reason; changed ones are saved with theirs.
    await expect(
      editor.item.save({ ...save, item: { kind: "indicator", data: item.data } }),
    ).resolves.toMatchObject({
      version: item.version + 1,
    });
    await expect(
      editor.item.save({
        ...save,
        version: item.version + 1,
        item: {
          kind: "indicator",
          data: {
            ...item.data,
            milestones: changed.map((m, i) => ({ ...m, reason: i === 0 ? "" : "Recession" })),
          },
        },
      }),
    ).resolves.toMatchObject({ version: item.version + 2 });
  });
});

describe("dates (step 5)", () => {
  it("refuses an action due before it starts, and milestones outside its dates", async () => {
    fx = await createFixture();
    const { at } = await draft(fx);
    const action = (data: Record<string, unknown>) => ({
      ...at,
      item: { kind: "action", data: { kind: "training", what: "Train advisers", leadPerson: "Ed", ...data } },
    });
    const backwards = await refusalOf(
      fx,
      "editor",
      "item.save",
      action({ startDate: "2009-04-01", dueDate: "2009-03-31" }),
    );
    expect(backwards.reasons).toEqual({
      "item.data.dueDate": {
        code: "action.dueBeforeStart",
        params: { start: "2009-04-01", due: "2009-03-31" },
      },
    });
    const milestones = await refusalOf(
      fx,
      "editor",
      "item.save",
      action({
        startDate: "2008-04-01",
        dueDate: "2009-03-31",
        milestones: [
          { title: "Tender", dueDate: "2008-03-01" },
          { title: "Launch", dueDate: "2008-09-01" },
          { title: "Review", dueDate: "2009-06-30" },
        ],
      }),
    );
    expect(milestones.reasons).toEqual({
      "item.data.milestones.0.dueDate": {
        code: "action.milestoneBeforeStart",
        params: { title: "Tender", date: "2008-03-01", start: "2008-04-01" },
      },
      "item.data.milestones.2.dueDate": {
        code: "action.milestoneAfterDue",
        params: { title: "Review", date: "2009-06-30", due: "2009-03-31" },
      },
    });
  });
});

describe("workflow", () => {
  it("marks a step completed only when it holds what the step needs", async () => {
    fx = await createFixture();
    const { at, editor, priority } = await draft(fx);
    let version = priority.version;
    const fields = { theme: "Economy", title: "Jobs", ownerName: "Head of Economy" };
    const mark = (steps: Steps) => ({ ...at, version, ...fields, steps });
    const done = (n: number) =>
      [0, 1, 2, 3, 4].map((i): Step => (i < n ? "completed" : "not-started")) as Steps;

    expect(codesOf(await refusalOf(fx, "editor", "priority.update", mark(done(1))))).toEqual({
      "steps.0": "step.needsIndicator",
    });
    expect(
      codesOf(
        await refusalOf(fx, "editor", "priority.create", {
          partnershipId: fx.coventryId,
          planId: priority.planId,
          ...fields,
          steps: done(2),
        }),
      ),
    ).toEqual({ "steps.0": "step.needsIndicator", "steps.1": "step.needsEvidence" });

    // An indicator without a target completes step 1 but not step 3.
    const indicator = await editor.item.save({
      ...at,
      item: { kind: "indicator", data: { indicatorCode: "NI 151" } },
    });
    version = (await editor.priority.update(mark(done(1)))).version;
    await editor.item.save({ ...at, item: { kind: "evidence", data: { kind: "survey", title: "Survey" } } });
    expect(codesOf(await refusalOf(fx, "editor", "priority.update", mark(done(3))))).toEqual({
      "steps.2": "step.needsTarget",
    });
    await editor.item.save({
      ...at,
      id: indicator.id,
      version: indicator.version,
      item: target({ milestones: [{ period: "2009 Q4", value: 74 }] }),
    });
    version = (await editor.priority.update(mark(done(3)))).version;

    // A selected option without its reason is not a choice made.
    const option = await editor.item.save({
      ...at,
      item: { kind: "option", data: { title: "Mentors", decision: "selected" } },
    });
    expect(codesOf(await refusalOf(fx, "editor", "priority.update", mark(done(4))))).toEqual({
      "steps.3": "step.needsChosenOption",
    });
    await editor.item.save({
      ...at,
      id: option.id,
      version: option.version,
      item: { kind: "option", data: { title: "Mentors", decision: "selected", decisionReason: "Asked for" } },
    });
    version = (await editor.priority.update(mark(done(4)))).version;
    expect(codesOf(await refusalOf(fx, "editor", "priority.update", mark(done(5))))).toEqual({
      "steps.4": "step.needsAction",
    });
    await editor.item.save({
      ...at,
      item: { kind: "action", data: { kind: "training", what: "Train", leadPerson: "Ed" } },
    });
    await expect(editor.priority.update(mark(done(5)))).resolves.toMatchObject({
      fields: { steps: done(5) },
    });
  });

  it("keeps a step completed under the old rules editable, without completing it again", async () => {
    fx = await createFixture();
    const { at, editor, plan } = await draft(fx);
    const now = nowIso();
    const old = await insertPriority(fx.db, {
      plan_id: plan.id,
      position: 2,
      theme: "Crime",
      title: "To reduce crime",
      owner_name: "Police",
      fields_json: JSON.stringify({
        steps: ["completed", "completed", "not-started", "not-started", "not-started"],
      }),
      created_at: now,
      updated_at: now,
    });
    await expect(
      editor.priority.update({
        ...at,
        priorityId: old.id,
        version: old.version,
        theme: "Community safety",
        title: "To reduce crime",
        ownerName: "Police",
        steps: ["completed", "completed", "in-progress", "not-started", "not-started"],
      }),
    ).resolves.toMatchObject({ fields: { theme: "Community safety" } });
  });

  it("submits a plan for agreement only when every priority's steps are completed, listing what is missing", async () => {
    fx = await createFixture();
    const { at, editor, lead, plan, priority } = await draft(fx);
    const other = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Crime",
      title: "To reduce crime",
      ownerName: "Police",
    });
    await editor.item.save({
      ...at,
      priorityId: other.id,
      item: { kind: "indicator", data: { indicatorCode: "NI 152" } },
    });
    const submit = {
      partnershipId: fx.coventryId,
      planId: plan.id,
      version: plan.version,
      status: "submitted" as const,
    };
    const refused = await refusalOf(fx, "lead", "plan.setStatus", submit);
    expect(codesOf(refused)).toEqual({
      status: "plan.incomplete",
      [`priorities.${priority.id}.steps.0`]: "step.needsIndicator",
      [`priorities.${priority.id}.steps.1`]: "step.needsEvidence",
      [`priorities.${priority.id}.steps.2`]: "step.needsTarget",
      [`priorities.${priority.id}.steps.3`]: "step.needsChosenOption",
      [`priorities.${priority.id}.steps.4`]: "step.needsAction",
      [`priorities.${other.id}.steps.0`]: "step.notCompleted",
      [`priorities.${other.id}.steps.1`]: "step.needsEvidence",
      [`priorities.${other.id}.steps.2`]: "step.needsTarget",
      [`priorities.${other.id}.steps.3`]: "step.needsChosenOption",
      [`priorities.${other.id}.steps.4`]: "step.needsAction",
    });
    expect(refused.reasons.status?.params).toEqual({ count: 2 });
    expect(refused.reasons[`priorities.${other.id}.steps.0`]?.params).toEqual({
      priority: "To reduce crime",
      step: 1,
    });

    // The same list, before anyone tries: each priority's missing parts on the plan.
    const detail = await editor.plan.byId({ partnershipId: fx.coventryId, planId: plan.id });
    expect(detail.missing.find((m) => m.priorityId === other.id)?.missing.map((v) => v.code)).toEqual([
      "step.notCompleted",
      "step.needsEvidence",
      "step.needsTarget",
      "step.needsChosenOption",
      "step.needsAction",
    ]);

    // A plan with no priorities says so.
    const empty = await editor.plan.create({ partnershipId: fx.coventryId, title: "Empty", startYear: 2008 });
    expect(
      codesOf(
        await refusalOf(fx, "lead", "plan.setStatus", {
          ...submit,
          planId: empty.id,
          version: empty.version,
        }),
      ),
    ).toEqual({ status: "plan.noPriorities" });

    // Complete both priorities and the plan goes.
    for (const p of [priority, other]) {
      const where = { partnershipId: fx.coventryId, priorityId: p.id };
      const items = (await editor.priority.byId(where)).items;
      const ind = items.find((i) => i.kind === "indicator");
      await editor.item.save({
        ...where,
        ...(ind ? { id: ind.id, version: ind.version } : {}),
        item: target({
          indicatorCode: ind?.kind === "indicator" ? ind.data.indicatorCode : "NI 151",
          milestones: [{ period: "2009 Q4", value: 74 }],
        }),
      });
      await editor.item.save({
        ...where,
        item: { kind: "evidence", data: { kind: "survey", title: "Survey" } },
      });
      await editor.item.save({
        ...where,
        item: {
          kind: "option",
          data: { title: "Mentors", decision: "selected", decisionReason: "Asked for" },
        },
      });
      await editor.item.save({
        ...where,
        item: { kind: "action", data: { kind: "training", what: "Train", leadPerson: "Ed" } },
      });
      const current = (await editor.priority.byId(where)).priority;
      await editor.priority.update({
        ...where,
        version: current.version,
        ...current.fields,
        steps: ["completed", "completed", "completed", "completed", "completed"],
      });
    }
    await expect(lead.plan.setStatus(submit)).resolves.toMatchObject({ status: "submitted" });
  });

  it("issues the board report only when every exception has the owner's commentary", async () => {
    fx = await createFixture();
    const { planId } = await seedDemoPlan(fx.db);
    const lead = await fx.caller("lead");
    const report = await lead.monitoring.report({ partnershipId: fx.coventryId, planId });
    const [ni151, ni152] = report.exceptions;
    if (!ni151 || !ni152) throw new Error("the demo plan has two exceptions");
    const issue = { partnershipId: fx.coventryId, planId, audience: "board" };
    const refused = await refusalOf(fx, "lead", "monitoring.issue", issue);
    expect(refused.reasons).toEqual({
      audience: { code: "report.exceptionsUnexplained", params: { count: 2 } },
      [`exceptions.${ni151.itemId}`]: {
        code: "report.commentaryNeeded",
        params: { indicator: "NI 151", period: "2007 Q2" },
      },
      [`exceptions.${ni152.itemId}`]: {
        code: "report.commentaryNeeded",
        params: { indicator: "NI 152", period: "2006 Q4" },
      },
    });
    const editor = await fx.caller("editor");
    await editor.monitoring.saveCommentary({
      partnershipId: fx.coventryId,
      itemId: ni151.itemId,
      period: "2007 Q2",
      text: "Two large employers closed in 2006.",
    });
    expect(codesOf(await refusalOf(fx, "lead", "monitoring.issue", issue))).toEqual({
      audience: "report.exceptionsUnexplained",
      [`exceptions.${ni152.itemId}`]: "report.commentaryNeeded",
    });
    await editor.monitoring.saveCommentary({
      partnershipId: fx.coventryId,
      itemId: ni152.itemId,
      period: "2006 Q4",
      text: "Benefit rules changed.",
    });
    await expect(lead.monitoring.issue({ ...issue, audience: "board" })).resolves.toMatchObject({
      id: expect.any(Number),
    });
  });
});

describe("records made under the old rules", () => {
  it("still open everywhere, and the data-quality report lists what each breaks", async () => {
    fx = await createFixture();
    const { editor, plan, priority } = await draft(fx);
    const now = nowIso();
    const add = (kind: string, data: unknown) =>
      insertItem(fx.db, {
        plan_id: plan.id,
        priority_id: priority.id,
        kind,
        position: 1,
        data_json: JSON.stringify(data),
        lead_user_id: null,
        created_at: now,
        updated_at: now,
      });
    const indicator = await add("indicator", {
      indicatorCode: "NI 151",
      milestones: [
        { period: "2008 Q4", value: 150, reason: "" },
        { period: "2012 Q4", value: 75, reason: "" },
      ],
    });
    const action = await add("action", {
      kind: "training",
      what: "Train advisers",
      leadPerson: "Ed",
      startDate: "2009-04-01",
      dueDate: "2008-04-01",
    });
    await fx.db
      .updateTable("priority")
      .set({
        fields_json: JSON.stringify({
          steps: ["completed", "completed", "not-started", "not-started", "not-started"],
        }),
      })
      .where("id", "=", priority.id)
      .execute();

    const where = { partnershipId: fx.coventryId };
    const detail = await editor.priority.byId({ ...where, priorityId: priority.id });
    expect(detail.items.map((i) => i.id).sort()).toEqual([indicator.id, action.id].sort());
    await expect(editor.plan.byId({ ...where, planId: plan.id })).resolves.toBeTruthy();
    await expect(editor.plan.overview({ ...where, planId: plan.id })).resolves.toBeTruthy();
    await expect(editor.priority.analysis({ ...where, itemId: indicator.id })).resolves.toBeTruthy();
    await expect(editor.monitoring.report({ ...where, planId: plan.id })).resolves.toBeTruthy();
    await expect(
      editor.plan.compare({ ...where, fromPlanId: plan.id, toPlanId: plan.id }),
    ).resolves.toBeTruthy();

    const admin = await fx.caller("admin");
    const { planRules } = await admin.quality.report({});
    expect(planRules.map((f) => [f.planTitle, f.priorityTitle, f.itemId, f.field, f.code])).toEqual([
      ["Coventry LAA", "Jobs", null, "steps.1", "step.needsEvidence"],
      ["Coventry LAA", "Jobs", indicator.id, "baselinePeriod", "target.baselineNeeded"],
      ["Coventry LAA", "Jobs", indicator.id, "baselineValue", "target.baselineNeeded"],
      ["Coventry LAA", "Jobs", indicator.id, "milestones.0.value", "value.aboveMax"],
      ["Coventry LAA", "Jobs", indicator.id, "milestones.1.period", "target.outsidePlan"],
      ["Coventry LAA", "Jobs", action.id, "dueDate", "action.dueBeforeStart"],
    ]);
    expect(planRules[0]).toMatchObject({
      partnershipName: "Coventry Partnership",
      planId: plan.id,
      priorityId: priority.id,
      kind: null,
      params: { priority: "Jobs", step: 2 },
      text: "Step 2 needs at least one item of evidence before it can be completed",
    });
  });

  it("finds nothing to report in the demo plan: it passes every rule", async () => {
    fx = await createFixture();
    await seedDemoPlan(fx.db);
    const admin = await fx.caller("admin");
    const items = await fx.db.selectFrom("plan_item").select("id").execute();
    expect(items.length).toBeGreaterThan(15);
    expect((await admin.quality.report({})).planRules).toEqual([]);
  });
});
