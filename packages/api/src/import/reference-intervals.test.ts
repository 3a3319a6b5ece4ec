import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixtures.ts";

// The intervals the import computes from counts and denominators, as stored, against the expected
// values published with PHEindicatormethods (the project's shared reference folder, beside the
// repository: `../shared/reference/`, or FIVESTEP_REFERENCE_DIR). Skipped, saying why, without it.
const dir =
  process.env.FIVESTEP_REFERENCE_DIR ??
  fileURLToPath(new URL("../../../../../shared/reference/", import.meta.url));
const present = existsSync(`${dir}/phe`);
if (!present)
  console.log(
    `Skipping the import-intervals reference check: ${dir} (the shared reference folder) is absent.`,
  );

type Row = Record<string, string>;
const read = (name: string): Row[] =>
  parse(readFileSync(`${dir}/phe/${name}`), { columns: true, bom: true, skip_empty_lines: true });

// One indicator per reference table and multiplier: how the import is told to compute.
const INDICATORS = [
  {
    file: "testdata_Proportion__testdata_Prop.csv",
    multiplier: 1,
    code: "REF-PROP",
    valueType: "proportion",
  },
  {
    file: "testdata_Proportion__testdata_Prop.csv",
    multiplier: 100,
    code: "REF-PCT",
    valueType: "percentage",
  },
  { file: "testdata_Rate__testdata_Rate.csv", multiplier: 100, code: "REF-RATE-100", valueType: "rate" },
  { file: "testdata_Rate__testdata_Rate.csv", multiplier: 100000, code: "REF-RATE-100K", valueType: "rate" },
] as const;

let fx: Fixture;

beforeAll(async () => {
  if (!present) return;
  fx = await createFixture();
});
afterAll(() => fx?.db.destroy());

describe.skipIf(!present)("intervals computed at import", () => {
  it.each(INDICATORS)("$code equals PHEindicatormethods' 95% limits ($file)", async (spec) => {
    const admin = await fx.caller("admin");
    await admin.indicator.create({
      code: spec.code,
      title: `Reference ${spec.code}`,
      valueType: spec.valueType,
      polarity: "no-judgement",
      frequency: "annual",
      ciMethod: spec.valueType === "rate" ? "byars" : "wilson",
      ...(spec.valueType === "rate" ? { multiplier: spec.multiplier } : {}),
    });
    const rows = read(spec.file).filter(
      (r) =>
        Number(r.multiplier) === spec.multiplier &&
        r.Numerator !== "" &&
        r.Denominator !== "" &&
        r.value !== "",
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const lines = ["area_code,period,value,count,denominator"];
    for (const [i, r] of rows.entries())
      lines.push(`E08000026,${2000 + i},${r.value},${r.Numerator},${r.Denominator}`);
    const fileId = await fx.upload(`${spec.code}.csv`, `${lines.join("\n")}\n`);
    const preview = await admin.imports.preview({
      fileId,
      mapping: {
        source: `PHE reference ${spec.code}`,
        indicatorCode: spec.code,
        columns: {
          area: "area_code",
          period: "period",
          value: "value",
          numerator: "count",
          denominator: "denominator",
        },
      },
    });
    expect(preview.problems).toEqual([]);
    expect((await admin.imports.commit({ fileId })).ok).toBe(true);
    const stored = await fx.db
      .selectFrom("observation as o")
      .innerJoin("indicator as i", "i.id", "o.indicator_id")
      .select(["o.period", "o.lower", "o.upper", "o.interval_method"])
      .where("i.code", "=", spec.code)
      .orderBy("o.period")
      .execute();
    expect(stored).toHaveLength(rows.length);
    for (const [i, r] of rows.entries()) {
      const s = stored.find((x) => x.period === String(2000 + i));
      const where = `${spec.code} ${r.Area} ${r.Numerator}/${r.Denominator}`;
      expect(s?.interval_method, where).toBe((r.method ?? "").toLowerCase());
      expect(Math.abs((s?.lower ?? Number.NaN) - Number(r.lower95_0cl)), where).toBeLessThanOrEqual(
        1e-9 * Math.abs(Number(r.lower95_0cl)),
      );
      expect(Math.abs((s?.upper ?? Number.NaN) - Number(r.upper95_0cl)), where).toBeLessThanOrEqual(
        1e-9 * Math.abs(Number(r.upper95_0cl)),
      );
    }
  });
});
