import { readFileSync } from "node:fs";
import {
  type Area,
  type Indicator,
  IndicatorSchema,
  type Observation,
  ObservationSchema,
} from "@fivestep/domain";
import type { Kysely } from "kysely";
import type { Database } from "../database.ts";
import { upsertArea } from "../repositories/areas.ts";
import { upsertIndicator } from "../repositories/indicators.ts";
import { upsertObservations } from "../repositories/observations.ts";

/**
 * The areas of the talk's tables and their parents, parents first.
 *
 * @example DEMO_AREAS.map((a) => a.code) // ["E92000001", "E12000005", "E08000026", "E08000031"]
 */
export const DEMO_AREAS: readonly Area[] = [
  { code: "E92000001", name: "England", type: "country", parentCode: null },
  { code: "E12000005", name: "West Midlands", type: "region", parentCode: "E92000001" },
  { code: "E08000026", name: "Coventry", type: "metropolitan district", parentCode: "E12000005" },
  { code: "E08000031", name: "Wolverhampton", type: "metropolitan district", parentCode: "E12000005" },
];

/**
 * The talk's three indicators, under their National Indicator Set codes.
 *
 * @example DEMO_INDICATORS.map((i) => i.code) // ["NI 151", "NI 152", "NI 171"]
 */
export const DEMO_INDICATORS: readonly Indicator[] = [
  IndicatorSchema.parse({
    code: "NI 151",
    title: "Employment rate (four-quarter average)",
    definition:
      "People aged 16–64 in employment as a percentage of all people aged 16–64, averaged over the four quarters ending in the period.",
    unit: "% in employment",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "quarterly",
    source: "Labour Force Survey (ONS)",
  }),
  IndicatorSchema.parse({
    code: "NI 152",
    title: "Claimant count rate (working-age client group)",
    definition:
      "Working-age people claiming out-of-work benefits as a percentage of the working-age population.",
    unit: "% of working-age population",
    valueType: "percentage",
    polarity: "low-is-good",
    frequency: "quarterly",
    source: "DWP Work and Pensions Longitudinal Study",
  }),
  IndicatorSchema.parse({
    code: "NI 171",
    title: "VAT registrations per 10,000 adults",
    definition: "New VAT registrations in the year per 10,000 resident adults (aged 16 and over).",
    unit: "per 10,000 adults",
    valueType: "rate",
    polarity: "high-is-good",
    frequency: "annual",
    source: "BERR VAT registrations and deregistrations",
  }),
];

/**
 * The observations of the talk's tables, read from `demo-observations.csv` beside this file.
 *
 * @example demoObservations().length // 63
 */
export function demoObservations(): Observation[] {
  const text = readFileSync(new URL("./demo-observations.csv", import.meta.url), "utf8");
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header !== "indicator_code,area_code,period,value") {
    throw new Error(`demo-observations.csv: unexpected header "${header}"`);
  }
  return lines.map((line, i) => {
    const [indicatorCode, areaCode, period, value] = line.split(",");
    const parsed = ObservationSchema.safeParse({ indicatorCode, areaCode, period, value: Number(value) });
    if (!parsed.success) {
      throw new Error(`demo-observations.csv row ${i + 2}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
    return parsed.data;
  });
}

/**
 * Loads the demo catalogue, areas and observations in one transaction. Running it again changes
 * nothing (every write is an upsert).
 *
 * @example await seedDemo(db); // 4 areas, 3 indicators, 63 observations
 */
export async function seedDemo(
  db: Kysely<Database>,
): Promise<{ areas: number; indicators: number; observations: number }> {
  const observations = demoObservations();
  return db.transaction().execute(async (trx) => {
    for (const area of DEMO_AREAS) await upsertArea(trx, area);
    for (const indicator of DEMO_INDICATORS) await upsertIndicator(trx, indicator);
    const written = await upsertObservations(trx, observations);
    return { areas: DEMO_AREAS.length, indicators: DEMO_INDICATORS.length, observations: written };
  });
}
