import type { Fixture } from "./fixtures.ts";

/**
 * Gives a Coventry priority what each of its five steps needs, through the router as an editor
 * would (a target, evidence, a chosen option with its reason, an action: only the parts it lacks),
 * then marks every step completed, so its plan can go for agreement.
 *
 * @example await completePriority(fx, priority.id); await lead.plan.setStatus({ …, status: "submitted" });
 */
export async function completePriority(fx: Fixture, priorityId: number): Promise<void> {
  const editor = await fx.caller("editor");
  const where = { partnershipId: fx.coventryId, priorityId };
  const { plan, items } = await editor.priority.byId(where);
  const has = (kind: string, test: (data: Record<string, unknown>) => boolean = () => true) =>
    items.some((i) => i.kind === kind && test(i.data as Record<string, unknown>));
  if (!has("indicator", (d) => d.baselineValue !== null && (d.milestones as unknown[]).length > 0)) {
    await editor.item.save({
      ...where,
      item: {
        kind: "indicator",
        data: {
          indicatorCode: "NI 151",
          baselinePeriod: `${plan.startYear - 2} Q2`,
          baselineValue: 73.3,
          milestones: [{ period: `${plan.startYear + 1} Q4`, value: 74 }],
        },
      },
    });
  }
  if (!has("evidence")) {
    await editor.item.save({
      ...where,
      item: { kind: "evidence", data: { kind: "survey", title: "Survey" } },
    });
  }
  if (!has("option", (d) => d.decision === "selected" && d.decisionReason !== "")) {
    await editor.item.save({
      ...where,
      item: { kind: "option", data: { title: "Mentors", decision: "selected", decisionReason: "Asked for" } },
    });
  }
  if (!has("action")) {
    await editor.item.save({
      ...where,
      item: { kind: "action", data: { kind: "training", what: "Train advisers", leadPerson: "Ed" } },
    });
  }
  const { priority } = await editor.priority.byId(where);
  await editor.priority.update({
    ...where,
    version: priority.version,
    ...priority.fields,
    steps: ["completed", "completed", "completed", "completed", "completed"],
  });
}
