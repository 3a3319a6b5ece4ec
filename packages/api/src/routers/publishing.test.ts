import { afterEach, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";
import { planFixture } from "../testing/plan-fixture.ts";
import { completePriority } from "../testing/ready-priority.ts";

// Regression: a lead could publish a draft plan to the public view, and an evidence link could be
// "javascript:…", stored and rendered as a link.

let fx: Fixture;
afterEach(async () => {
  await fx?.db.destroy();
});

describe("publishing a plan", () => {
  it("refuses to publish a draft or submitted plan, and always allows unpublishing", async () => {
    fx = await createFixture();
    const lead = await fx.caller("lead");
    const anon = await fx.caller("anonymous");
    const draft = await lead.plan.create({
      partnershipId: fx.coventryId,
      title: "Next plan",
      startYear: 2011,
    });
    await expect(
      lead.monitoring.setPublished({
        partnershipId: fx.coventryId,
        planId: draft.id,
        version: draft.version,
        published: true,
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Only an agreed plan can be published. This plan is a draft.",
    });
    const priority = await lead.priority.create({
      partnershipId: fx.coventryId,
      planId: draft.id,
      theme: "Crime",
      title: "To reduce crime",
      ownerName: "Police",
    });
    await completePriority(fx, priority.id);
    const submitted = await lead.plan.setStatus({
      partnershipId: fx.coventryId,
      planId: draft.id,
      version: draft.version,
      status: "submitted",
    });
    await expect(
      lead.monitoring.setPublished({
        partnershipId: fx.coventryId,
        planId: draft.id,
        version: submitted.version,
        published: true,
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("submitted for agreement"),
    });
    await expect(anon.monitoring.publicPlan({ planId: draft.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Unpublishing (even what is not published) is always allowed.
    await expect(
      lead.monitoring.setPublished({
        partnershipId: fx.coventryId,
        planId: draft.id,
        version: submitted.version,
        published: false,
      }),
    ).resolves.toMatchObject({ published: false });
  });

  it("publishes an agreed plan, and never shows a draft that was published before the rule", async () => {
    fx = await createFixture();
    const lead = await fx.caller("lead");
    const anon = await fx.caller("anonymous");
    const { planId } = await planFixture(fx, "agreed");
    const { plan } = await lead.plan.byId({ partnershipId: fx.coventryId, planId });
    await lead.monitoring.setPublished({
      partnershipId: fx.coventryId,
      planId,
      version: plan.version,
      published: true,
    });
    await expect(anon.monitoring.publicPlan({ planId })).resolves.toBeTruthy();
    // A draft marked published by an older version of Fivestep stays hidden.
    const draft = await lead.plan.create({
      partnershipId: fx.coventryId,
      title: "Old draft",
      startYear: 2011,
    });
    await fx.db.updateTable("plan").set({ published: 1 }).where("id", "=", draft.id).execute();
    await expect(anon.monitoring.publicPlan({ planId: draft.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("links", () => {
  it("refuses an evidence link that is not https, so no client can store another scheme", async () => {
    fx = await createFixture();
    const editor = await fx.caller("editor");
    const { priorityId } = await planFixture(fx);
    for (const link of ["javascript:alert(1)", "data:text/html,<b>x</b>", "http://insecure.example.org/"]) {
      await expect(
        editor.item.save({
          partnershipId: fx.coventryId,
          priorityId,
          item: { kind: "evidence", data: { kind: "survey", title: "Survey", link } },
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const saved = await editor.item.save({
      partnershipId: fx.coventryId,
      priorityId,
      item: {
        kind: "evidence",
        data: { kind: "survey", title: "Survey", link: "https://www.coventry.gov.uk/x" },
      },
    });
    expect(saved).toBeTruthy();
  });
});
