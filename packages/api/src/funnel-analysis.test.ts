import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./testing/fixtures.ts";

// Step 1's funnel plot through the real router: a percentage imported with counts and denominators
// (through the import service, as any file) for an area and its comparator group. The counts are
// PHEindicatormethods' published funnel test data (303 PCTs; see
// packages/analytics/src/fixtures/README.md), so each area's place on the funnel must be the
// significance that package publishes for it.
const FIXTURE = new URL("../../analytics/src/fixtures/phe-testdata_funnel_prop_inputs.csv", import.meta.url);
const rows = readFileSync(FIXTURE, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const quoted = /^"([^"]*)",(.*)$/.exec(line);
    const [name, numerator, denominator, significance] = quoted
      ? [quoted[1], ...(quoted[2] as string).split(",")]
      : line.split(",");
    return {
      name: name as string,
      numerator: Number(numerator),
      denominator: Number(denominator),
      significance,
    };
  });
const WORDS: Record<string, string> = {
  "High (0.001)": "high-99.8",
  "High (0.025)": "high-95",
  "Low (0.001)": "low-99.8",
  "Low (0.025)": "low-95",
  "Not significant": "within",
};
// Coventry stands in for the first PCT; the others get codes of their own.
const codeOf = (i: number) => (i === 0 ? "E08000026" : `PCT${String(i).padStart(3, "0")}`);

let fx: Fixture;
let editor: Awaited<ReturnType<Fixture["caller"]>>;
let groupId: number;
let priorityId: number;

beforeAll(async () => {
  fx = await createFixture();
  const admin = await fx.caller("admin");
  await admin.indicator.create({
    code: "T-FUNNEL",
    title: "A percentage with counts",
    unit: "%",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "annual",
    ciMethod: "wilson",
  });
  for (let i = 1; i < rows.length; i++) {
    await admin.area.create({
      code: codeOf(i),
      name: rows[i]?.name as string,
      type: "PCT",
      parentCode: "E92000001",
    });
  }
  const csv = [
    "area_code,period,value,count,denominator",
    ...rows.map(
      (r, i) => `${codeOf(i)},2010,${(r.numerator / r.denominator) * 100},${r.numerator},${r.denominator}`,
    ),
    "",
  ].join("\n");
  const fileId = await fx.upload("funnel.csv", csv);
  const mapping = {
    source: "PHEindicatormethods test data",
    indicatorCode: "T-FUNNEL",
    columns: {
      area: "area_code",
      period: "period",
      value: "value",
      numerator: "count",
      denominator: "denominator",
    },
  };
  const preview = await admin.imports.preview({ fileId, mapping });
  expect(preview.problems).toEqual([]);
  expect((await admin.imports.commit({ fileId })).ok).toBe(true);
  const group = await admin.comparatorGroup.create({
    name: "All PCTs",
    areaCodes: rows.slice(1).map((_, i) => codeOf(i + 1)),
  });
  groupId = group.id;
  editor = await fx.caller("editor");
  const plan = await editor.plan.create({
    partnershipId: fx.coventryId,
    title: "Plan",
    vision: "",
    startYear: 2010,
  });
  const priority = await editor.priority.create({
    partnershipId: fx.coventryId,
    planId: plan.id,
    theme: "Health",
    title: "Funnel",
    ownerName: "Lead",
  });
  priorityId = priority.id;
}, 60_000);
afterAll(() => fx.db.destroy());

async function analysisOf(indicatorCode: string, comparatorGroupId: number | null) {
  const item = await editor.item.save({
    partnershipId: fx.coventryId,
    priorityId,
    item: { kind: "indicator", data: { indicatorCode, comparatorGroupId } },
  });
  return editor.priority.analysis({ partnershipId: fx.coventryId, itemId: item.id });
}

describe("step 1's funnel plot", () => {
  it("places every area of the group as PHEindicatormethods does, with the published outline", async () => {
    const a = await analysisOf("T-FUNNEL", groupId);
    expect(a.funnel.whyNot).toBeNull();
    const view = a.funnel.view;
    expect(view).not.toBeNull();
    if (!view) return;
    expect(view.period).toBe("2010");
    expect(view.withoutCounts).toBe(0);
    expect(view.areas).toHaveLength(rows.length);
    const byCode = new Map(view.areas.map((x) => [x.code, x]));
    rows.forEach((r, i) => {
      expect(byCode.get(codeOf(i))?.significance, r.name).toBe(WORDS[r.significance as string]);
    });
    expect(view.areas.filter((x) => x.own).map((x) => x.code)).toEqual(["E08000026"]);
    expect(byCode.get("E08000026")?.value).toBeCloseTo((35078.488 / 41980) * 100, 10);
    // PHE's testdata_funnel_prop_outputs.csv: baseline 80.642448, and its first and last rows.
    expect(view.baseline).toBeCloseTo(80.642448, 5);
    expect(view.points).toHaveLength(100);
    expect(view.points[0]).toMatchObject({ population: 1, upper95: 100, lower998: 0, upper998: 100 });
    expect(view.points[0]?.lower95).toBeCloseTo(3.204264, 5);
  });

  it("says why there is none: no group, no counts, not a proportion", async () => {
    expect((await analysisOf("NI 151", null)).funnel).toEqual({ view: null, whyNot: "no-group" });
    expect((await analysisOf("NI 151", groupId)).funnel).toEqual({ view: null, whyNot: "no-counts" });
    expect((await analysisOf("NI 171", groupId)).funnel).toEqual({ view: null, whyNot: "not-proportion" });
  });
});
