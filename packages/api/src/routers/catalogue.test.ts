import { DEMO_INDICATORS, upsertObservations } from "@fivestep/db";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { robustZ } from "../quality.ts";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

let fx: Fixture;
let admin: Awaited<ReturnType<Fixture["caller"]>>;
beforeEach(async () => {
  fx = await createFixture();
  admin = await fx.caller("admin");
});
afterEach(() => fx.db.destroy());

const NI151 = DEMO_INDICATORS[0] as (typeof DEMO_INDICATORS)[number];

describe("the catalogue", () => {
  it("keeps the demo indicators valid with the new fields' defaults", async () => {
    const ni151 = await admin.indicator.byCode({ code: "NI 151" });
    expect(ni151).toMatchObject({
      status: "active",
      multiplier: 1,
      decimalPlaces: 1,
      themes: [],
      derivation: null,
      version: 1,
    });
  });

  it("keeps the earlier definition when it changes, and shows the history", async () => {
    await admin.indicator.update({
      ...NI151,
      version: 1,
      definition: "People aged 16–64 in employment, as a percentage of the population aged 16–64.",
      sets: ["National Indicator Set"],
      themes: ["Economy"],
      changeNote: "ONS wording",
    });
    const history = await admin.indicator.history({ code: "NI 151" });
    expect(history.map((h) => h.version)).toEqual([2, 1]);
    expect(history[0]).toMatchObject({ changeNote: "ONS wording", savedBy: "Demo Administrator" });
    expect(history[0]?.changed).toEqual(["definition", "themes", "sets"]);
    expect(history[1]?.indicator.definition).toBe(NI151.definition);
    expect(await admin.indicator.sets()).toEqual([{ name: "National Indicator Set", indicators: 1 }]);
    expect((await admin.indicator.list({ set: "National Indicator Set" })).map((i) => i.code)).toEqual([
      "NI 151",
    ]);
  });

  it("answers CONFLICT with the current record to a stale edit", async () => {
    await admin.indicator.update({ ...NI151, version: 1, title: "First" });
    await expect(admin.indicator.update({ ...NI151, version: 1, title: "Second" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await admin.indicator.byCode({ code: "NI 151" })).title).toBe("First");
  });

  it("moves status draft → active → retired, with the years", async () => {
    const created = await admin.indicator.create({
      code: "LOCAL 7",
      title: "Local measure",
      valueType: "count",
      polarity: "no-judgement",
      frequency: "annual",
      status: "draft",
    });
    await expect(
      admin.indicator.setStatus({ code: "LOCAL 7", version: 1, status: "retired" }),
    ).rejects.toThrow("cannot become retired");
    const active = await admin.indicator.setStatus({
      code: "LOCAL 7",
      version: created.version,
      status: "active",
      year: 2008,
    });
    const retired = await admin.indicator.setStatus({
      code: "LOCAL 7",
      version: active.version,
      status: "retired",
      year: 2011,
    });
    expect(retired).toMatchObject({ status: "retired", yearIntroduced: 2008, yearRetired: 2011 });
    expect((await admin.indicator.list({ status: "retired" })).map((i) => i.code)).toEqual(["LOCAL 7"]);
  });

  it("refuses a duplicate code and a derivation from an unknown indicator", async () => {
    await expect(admin.indicator.create({ ...NI151 })).rejects.toThrow("already exists");
    await expect(
      admin.indicator.create({
        code: "D1",
        title: "D",
        valueType: "rate",
        polarity: "no-judgement",
        frequency: "annual",
        derivation: { kind: "ratio", numeratorOf: "NOPE", denominatorOf: "NI 151", multiplier: 1000 },
      }),
    ).rejects.toThrow('No indicator with code "NOPE"');
  });
});

describe("derived indicators", () => {
  it("computes a rolling average and a ratio on read", async () => {
    await admin.indicator.create({
      code: "NI 151 ROLL",
      title: "Employment rate, 4-period rolling average",
      valueType: "percentage",
      polarity: "high-is-good",
      frequency: "quarterly",
      derivation: { kind: "rolling-average", of: "NI 151", window: 4 },
    });
    const source =
      (await admin.observation.series({ indicatorCode: "NI 151", areaCodes: ["E08000026"] })).series[0]
        ?.points ?? [];
    const derived =
      (await admin.observation.series({ indicatorCode: "NI 151 ROLL", areaCodes: ["E08000026"] })).series[0]
        ?.points ?? [];
    expect(derived.length).toBe(source.length - 3);
    const lastFour = source.slice(-4).map((p) => p.value as number);
    expect(derived.at(-1)?.value).toBeCloseTo(lastFour.reduce((a, b) => a + b, 0) / 4, 10);

    await admin.indicator.create({
      code: "CLAIMS",
      title: "Claimants",
      valueType: "count",
      polarity: "low-is-good",
      frequency: "annual",
    });
    await admin.indicator.create({
      code: "POP",
      title: "Population",
      valueType: "count",
      polarity: "no-judgement",
      frequency: "annual",
    });
    await upsertObservations(fx.db, [
      {
        indicatorCode: "CLAIMS",
        areaCode: "E08000026",
        period: "2007",
        value: null,
        numerator: 4200,
        denominator: null,
        lower: null,
        upper: null,
      },
      {
        indicatorCode: "POP",
        areaCode: "E08000026",
        period: "2007",
        value: 300000,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
      },
    ]);
    await admin.indicator.create({
      code: "CLAIM RATE",
      title: "Claimants per 1,000",
      valueType: "rate",
      polarity: "low-is-good",
      frequency: "annual",
      derivation: { kind: "ratio", numeratorOf: "CLAIMS", denominatorOf: "POP", multiplier: 1000 },
    });
    const rate = await admin.observation.series({ indicatorCode: "CLAIM RATE", areaCodes: ["E08000026"] });
    expect(rate.series[0]?.points).toEqual([
      { period: "2007", value: 14, numerator: 4200, denominator: 300000, lower: null, upper: null },
    ]);
  });
});

describe("areas and comparator groups", () => {
  it("edits an area against its version and refuses a loop", async () => {
    const coventry = await admin.area.byCode({ code: "E08000026" });
    const renamed = await admin.area.update({
      ...coventry,
      name: "Coventry City",
      version: coventry.version,
    });
    expect(renamed).toMatchObject({ name: "Coventry City", version: coventry.version + 1 });
    await expect(
      admin.area.update({ ...renamed, name: "X", version: coventry.version }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const region = await admin.area.byCode({ code: "E12000005" });
    await expect(admin.area.update({ ...region, parentCode: "E08000026" })).rejects.toThrow(
      "cannot be inside itself",
    );
    expect((await admin.area.types()).map((t) => t.name)).toEqual([
      "country",
      "region",
      "county",
      "district",
      "ward",
    ]);
  });

  it("creates a group, adds and removes areas against its version", async () => {
    const group = await admin.comparatorGroup.create({
      name: "Black Country and Coventry",
      areaCodes: ["E08000026"],
    });
    const added = await admin.comparatorGroup.addAreas({
      id: group.id,
      version: 1,
      areaCodes: ["E08000031", "E08000026"],
    });
    expect(added.areas.map((a) => a.code)).toEqual(["E08000026", "E08000031"]);
    await expect(
      admin.comparatorGroup.addAreas({ id: group.id, version: 1, areaCodes: ["E12000005"] }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const removed = await admin.comparatorGroup.removeArea({
      id: group.id,
      version: 2,
      areaCode: "E08000026",
    });
    expect(removed).toMatchObject({ version: 3, areas: [{ code: "E08000031", name: "Wolverhampton" }] });
    expect((await (await fx.caller("anonymous")).comparatorGroup.list()).map((g) => g.name)).toEqual([
      "Black Country and Coventry",
    ]);
  });
});

describe("data quality", () => {
  it("uses the robust z-score from the median absolute deviation", () => {
    const z = robustZ([10, 11, 12, 11, 10, 40]);
    expect(z.at(-1)).toBeGreaterThan(3.5);
    expect(Math.abs(z[0] as number)).toBeLessThan(3.5);
    expect(robustZ([5, 5, 5])).toEqual([null, null, null]);
  });

  it("lists values out of range, outliers against their series, and stale indicators", async () => {
    await upsertObservations(fx.db, [
      {
        indicatorCode: "NI 152",
        areaCode: "E08000031",
        period: "2007 Q1",
        value: 140,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
      },
    ]);
    const report = await admin.quality.report({ asOf: "2009-01-01" });
    expect(report.outOfRange).toEqual([
      {
        indicatorCode: "NI 152",
        areaCode: "E08000031",
        areaName: "Wolverhampton",
        breakdown: "",
        period: "2007 Q1",
        value: 140,
      },
    ]);
    expect(report.outliers.map((o) => [o.indicatorCode, o.areaCode, o.period])).toContainEqual([
      "NI 152",
      "E08000031",
      "2007 Q1",
    ]);
    // NI 151 ends at 2007 Q2: 2007 Q3 ends 30 Sep 2007 and was due 120 days later.
    expect(report.stale.find((s) => s.indicatorCode === "NI 151")).toMatchObject({
      latestPeriod: "2007 Q2",
      expectedPeriod: "2007 Q3",
      dueSince: "2008-01-28",
    });
    const early = await admin.quality.report({ asOf: "2007-12-01" });
    expect(early.stale.map((s) => s.indicatorCode)).not.toContain("NI 151");
  });
});
