import { afterEach, describe, expect, it } from "vitest";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

async function planWithThree(f: Fixture) {
  const editor = await f.caller("editor");
  const plan = await editor.plan.create({
    partnershipId: f.coventryId,
    title: "Coventry plan",
    vision: "",
    startYear: 2008,
  });
  const add = (title: string) =>
    editor.priority.create({
      partnershipId: f.coventryId,
      planId: plan.id,
      theme: "Economy",
      title,
      ownerName: "Owner",
    });
  const jobs = await add("Jobs");
  const skills = await add("Skills");
  const housing = await add("Housing");
  const titles = async () =>
    (await editor.plan.byId({ partnershipId: f.coventryId, planId: plan.id })).priorities.map(
      (p) => p.fields.title,
    );
  return { editor, plan, jobs, skills, housing, titles };
}

describe("reordering a plan's priorities", () => {
  it("saves the order given, audited with the order before and after", async () => {
    fx = await createFixture();
    const { editor, plan, jobs, skills, housing, titles } = await planWithThree(fx);
    await editor.priority.reorder({
      partnershipId: fx.coventryId,
      planId: plan.id,
      priorityIds: [housing.id, jobs.id, skills.id],
    });
    expect(await titles()).toEqual(["Housing", "Jobs", "Skills"]);
    const trail = await fx.db
      .selectFrom("audit_event")
      .select(["before_json", "after_json"])
      .where("entity", "=", "plan")
      .where("action", "=", "reorder")
      .execute();
    expect(trail.map((r) => [JSON.parse(r.before_json ?? "{}"), JSON.parse(r.after_json ?? "{}")])).toEqual([
      [{ priorities: ["Jobs", "Skills", "Housing"] }, { priorities: ["Housing", "Jobs", "Skills"] }],
    ]);
    // A priority added afterwards goes last, after the highest position.
    await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Health",
      title: "Health",
      ownerName: "Owner",
    });
    expect(await titles()).toEqual(["Housing", "Jobs", "Skills", "Health"]);
  });

  it("refuses an order that is not exactly the plan's priorities (a stale screen, another plan's)", async () => {
    fx = await createFixture();
    const { editor, plan, jobs, skills, housing, titles } = await planWithThree(fx);
    const reorder = (priorityIds: number[]) =>
      editor.priority.reorder({ partnershipId: fx.coventryId, planId: plan.id, priorityIds });
    await expect(reorder([jobs.id, skills.id])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(reorder([jobs.id, skills.id, housing.id, housing.id])).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(reorder([jobs.id, skills.id, 99999])).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await titles()).toEqual(["Jobs", "Skills", "Housing"]);
  });

  it("is refused in an agreed plan (its order changes through the annual refresh)", async () => {
    fx = await createFixture();
    const { editor, plan, jobs, skills, housing } = await planWithThree(fx);
    await fx.db.updateTable("plan").set({ status: "agreed" }).where("id", "=", plan.id).execute();
    await expect(
      editor.priority.reorder({
        partnershipId: fx.coventryId,
        planId: plan.id,
        priorityIds: [housing.id, jobs.id, skills.id],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("removing a priority in an annual refresh", () => {
  it("asks why, and the comparison of revisions says what was dropped and why", async () => {
    fx = await createFixture();
    const { editor, plan } = await planWithThree(fx);
    await fx.db.updateTable("plan").set({ status: "agreed" }).where("id", "=", plan.id).execute();
    const lead = await fx.caller("lead");
    const next = await lead.plan.refresh({ partnershipId: fx.coventryId, planId: plan.id });
    const copy = await editor.plan.byId({ partnershipId: fx.coventryId, planId: next.id });
    const skills = copy.priorities.find((p) => p.fields.title === "Skills");
    if (!skills) throw new Error("the refresh copied the priorities");
    const remove = (reason?: string) =>
      editor.priority.remove({
        partnershipId: fx.coventryId,
        priorityId: skills.id,
        version: skills.version,
        ...(reason === undefined ? {} : { reason }),
      });
    await expect(remove()).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { field: "reason", message: expect.stringMatching(/why/i) },
    });
    await expect(remove("   ")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await remove("Merged into the jobs priority");
    const compared = await editor.plan.compare({
      partnershipId: fx.coventryId,
      fromPlanId: plan.id,
      toPlanId: next.id,
    });
    expect(compared.removed).toEqual([{ title: "Skills", reason: "Merged into the jobs priority" }]);
    const trail = await fx.db
      .selectFrom("audit_event")
      .select(["entity", "action"])
      .where("entity", "in", ["priority", "priority_removal"])
      .where("action", "in", ["delete", "create"])
      .where("partnership_id", "=", fx.coventryId)
      .orderBy("id", "desc")
      .limit(2)
      .execute();
    expect(trail).toEqual([
      { entity: "priority_removal", action: "create" },
      { entity: "priority", action: "delete" },
    ]);
  });

  it("needs no reason in a first draft", async () => {
    fx = await createFixture();
    const { editor, skills, titles } = await planWithThree(fx);
    await editor.priority.remove({
      partnershipId: fx.coventryId,
      priorityId: skills.id,
      version: skills.version,
    });
    expect(await titles()).toEqual(["Jobs", "Housing"]);
  });
});

describe("a priority's owner", () => {
  it("can be a member of the partnership, shown by their name, audited", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    const plan = await editor.plan.create({
      partnershipId: fx.coventryId,
      title: "Coventry plan",
      vision: "",
      startYear: 2008,
    });
    const contributorId = await fx.userId(ACTORS.contributor);
    const created = await editor.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Economy",
      title: "Jobs",
      ownerName: "",
      ownerUserId: contributorId,
    });
    expect(created.fields).toMatchObject({
      ownerUserId: contributorId,
      ownerName: "Cory Contributor (Coventry)",
    });

    // Someone outside the system: free text, no member.
    const outside = await editor.priority.update({
      partnershipId: fx.coventryId,
      priorityId: created.id,
      version: created.version,
      ...created.fields,
      ownerUserId: null,
      ownerName: "Chief Superintendent",
    });
    expect(outside.fields).toMatchObject({ ownerUserId: null, ownerName: "Chief Superintendent" });
    const trail = await fx.db
      .selectFrom("audit_event")
      .select(["before_json", "after_json"])
      .where("entity", "=", "priority")
      .where("action", "=", "update")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(trail.before_json ?? "{}").fields.ownerUserId).toBe(contributorId);
    expect(JSON.parse(trail.after_json ?? "{}").fields.ownerUserId).toBeNull();

    // Neither a member nor a name: refused at the owner field.
    await expect(
      editor.priority.update({
        partnershipId: fx.coventryId,
        priorityId: created.id,
        version: outside.version,
        ...outside.fields,
        ownerUserId: null,
        ownerName: "",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "ownerName" } });
  });

  it("refuses another partnership's person as owner, with a field error", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    const plan = await editor.plan.create({
      partnershipId: fx.coventryId,
      title: "Coventry plan",
      vision: "",
      startYear: 2008,
    });
    const outsider = await fx.userId(ACTORS.otherLead);
    await expect(
      editor.priority.create({
        partnershipId: fx.coventryId,
        planId: plan.id,
        theme: "Economy",
        title: "Jobs",
        ownerName: "",
        ownerUserId: outsider,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { field: "ownerUserId" } });
    const rows = await fx.db.selectFrom("priority").select("id").where("plan_id", "=", plan.id).execute();
    expect(rows).toEqual([]);
  });
});
