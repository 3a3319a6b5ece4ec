import { proportionInterval, rateInterval } from "@fivestep/analytics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

// The publisher's own judgement (Fingertips' compared_to_England) is stored with its source, apart
// from the interval; where a file has limits they are the publisher's, and where it has counts and
// denominators Fivestep computes the interval at import with the indicator's method.
let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;

beforeAll(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
  await admin.indicator.create({
    code: "T-PROP",
    title: "A percentage with counts",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "annual",
    ciMethod: "wilson",
  });
  await admin.indicator.create({
    code: "T-RATE",
    title: "A rate per 100,000 with counts",
    valueType: "rate",
    polarity: "low-is-good",
    frequency: "annual",
    ciMethod: "byars",
    multiplier: 100000,
  });
});
afterAll(() => fx.db.destroy());

async function stored(code: string) {
  const rows = await fx.db
    .selectFrom("observation as o")
    .innerJoin("indicator as i", "i.id", "o.indicator_id")
    .innerJoin("area as a", "a.id", "o.area_id")
    .select([
      "a.code",
      "o.period",
      "o.value",
      "o.lower",
      "o.upper",
      "o.interval_method",
      "o.publisher_judgement",
      "o.judgement_source",
    ])
    .where("i.code", "=", code)
    .orderBy("a.code")
    .orderBy("o.period")
    .execute();
  return rows;
}

const mapping = (source: string, extra: Record<string, string> = {}) => ({
  source,
  indicatorCode: "T-PROP",
  columns: { area: "area_code", period: "period", value: "value", ...extra },
});

describe("importing the publisher's judgement and intervals", () => {
  it("computes a Wilson interval from counts and denominators, and stores the publisher's judgement with its source", async () => {
    const fileId = await fx.upload(
      "prop.csv",
      [
        "area_code,period,value,count,denominator,compared_to_England",
        "E08000026,2006,65,65,100,Better 95%",
        "E08000031,2006,50,50,100,Similar",
        "E12000005,2006,48,480,1000,Not compared",
        "",
      ].join("\n"),
    );
    const m = mapping("Test publisher: proportions", {
      numerator: "count",
      denominator: "denominator",
      judgement: "compared_to_England",
    });
    const preview = await admin.imports.preview({ fileId, mapping: m });
    expect(preview.problems).toEqual([]);
    const committed = await admin.imports.commit({ fileId });
    expect(committed.ok).toBe(true);

    const rows = await stored("T-PROP");
    const coventry = rows.find((r) => r.code === "E08000026");
    const expected = proportionInterval(65, 100, { confidence: 0.95, multiplier: 100 });
    expect(coventry).toMatchObject({
      value: 65,
      interval_method: "wilson",
      publisher_judgement: "better",
      judgement_source: "Test publisher: proportions",
    });
    expect(coventry?.lower).toBeCloseTo(expected.lower, 10);
    expect(coventry?.upper).toBeCloseTo(expected.upper, 10);
    expect(coventry?.lower).toBeCloseTo(55.25, 2);
    expect(rows.find((r) => r.code === "E08000031")?.publisher_judgement).toBe("similar");
    // "Not compared" is no judgement: nothing is stored, and no source either.
    expect(rows.find((r) => r.code === "E12000005")).toMatchObject({
      publisher_judgement: null,
      judgement_source: null,
      interval_method: "wilson",
    });
  });

  it("keeps the file's own limits as the publisher's", async () => {
    const fileId = await fx.upload(
      "prop-limits.csv",
      ["area_code,period,value,lo,hi", "E08000026,2007,66,60.1,71.5", ""].join("\n"),
    );
    await admin.imports.preview({
      fileId,
      mapping: mapping("Test publisher: limits", { lower: "lo", upper: "hi" }),
    });
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
    expect((await stored("T-PROP")).find((r) => r.period === "2007")).toMatchObject({
      lower: 60.1,
      upper: 71.5,
      interval_method: "publisher",
    });
  });

  it("computes a rate's interval with Byar's method (exact below 10 events)", async () => {
    const fileId = await fx.upload(
      "rate.csv",
      [
        "area_code,period,value,deaths,population",
        "E08000026,2006,20,60,300000",
        "E08000031,2006,2,5,250000",
        "",
      ].join("\n"),
    );
    await admin.imports.preview({
      fileId,
      mapping: {
        source: "Test publisher: rates",
        indicatorCode: "T-RATE",
        columns: {
          area: "area_code",
          period: "period",
          value: "value",
          numerator: "deaths",
          denominator: "population",
        },
      },
    });
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
    const rows = await stored("T-RATE");
    const byars = rateInterval(60, 300000, { confidence: 0.95, multiplier: 100000 });
    const exact = rateInterval(5, 250000, { confidence: 0.95, multiplier: 100000 });
    expect(rows[0]).toMatchObject({ code: "E08000026", interval_method: "byars" });
    expect(rows[0]?.lower).toBeCloseTo(byars.lower, 10);
    expect(rows[0]?.upper).toBeCloseTo(byars.upper, 10);
    expect(rows[1]).toMatchObject({ code: "E08000031", interval_method: "exact" });
    expect(rows[1]?.upper).toBeCloseTo(exact.upper, 10);
  });

  it("reports a judgement it cannot read as a problem in that row", async () => {
    const fileId = await fx.upload(
      "bad-judgement.csv",
      ["area_code,period,value,compared_to_England", "E08000026,2008,67,Greener", ""].join("\n"),
    );
    const preview = await admin.imports.preview({
      fileId,
      mapping: mapping("Test publisher: bad", { judgement: "compared_to_England" }),
    });
    expect(preview.problems).toMatchObject([
      { row: 2, column: "compared_to_England", value: "Greener", code: "import.badJudgement" },
    ]);
  });

  it("shows step 1 the publisher's judgement apart from Fivestep's own comparison", async () => {
    // The fixture's Coventry partnership reads T-PROP against the West Midlands.
    const lead = await fx.caller("lead");
    const plan = await lead.plan.create({
      partnershipId: fx.coventryId,
      title: "Judgement test plan",
      vision: "",
      startYear: 2006,
    });
    const priority = await lead.priority.create({
      partnershipId: fx.coventryId,
      planId: plan.id,
      theme: "Test",
      title: "A priority",
      ownerName: "Owner",
    });
    const item = await lead.item.save({
      partnershipId: fx.coventryId,
      priorityId: priority.id,
      item: { kind: "indicator", data: { indicatorCode: "T-PROP" } },
    });
    const a = await lead.priority.analysis({ partnershipId: fx.coventryId, itemId: item.id });
    expect(a.latest).toMatchObject({ period: "2007", value: 66, intervalMethod: "publisher" });
    // 2007 has no region value: Fivestep's comparison says why it was not made.
    expect(a.benchmark.region).toBeNull();
    expect(a.benchmarkWhyNot.region).toBe("no-benchmark-value");
    expect(a.rankWhyNot).toBe("no-group");
  });
});
