import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  addComparatorAreas,
  type Database,
  findAreaByCode,
  findImportFile,
  insertComparatorGroup,
  insertItem,
  insertPlan,
  insertPriority,
  listComparatorGroups,
  nowIso,
  recordAudit,
  seedDemoAccounts,
  TRAFFORD_PARTNERSHIPS,
  TRAFFORD_USERS,
  upsertIndicator,
} from "@fivestep/db";
import {
  type Area,
  type ImportMapping,
  ImportMappingSchema,
  type IndicatorInput,
  IndicatorSchema,
  PlanItemSchema,
  PriorityFieldsSchema,
} from "@fivestep/domain";
import { parse } from "csv-parse/sync";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import { importAreaLookup } from "../import/area-lookup.ts";
import { previewImport } from "../import/engine.ts";
import { registerLocalFile } from "../import/upload.ts";
import { recomputeStatuses } from "../monitoring.ts";
import { commitImportBatch } from "../services/commit-import-batch.ts";
import { createAreas } from "../services/create-areas.ts";
import type { Actor } from "../services/save-import-mapping.ts";

/** The folder of the Trafford demo's real files (see its README for sources and licence). */
const DATA = new URL("../../demo-data/trafford/", import.meta.url);
const dataPath = (name: string) => fileURLToPath(new URL(name, DATA));
const csv = (name: string) =>
  parse(readFileSync(new URL(name, DATA)), { columns: true, bom: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;

/** The seed acts as the machine, as the command line does. */
const MACHINE: Actor = { session: null, requestId: "seed-demo" };

/** Trafford's area code. @example TRAFFORD_AREA_CODE // "E08000009" */
export const TRAFFORD_AREA_CODE = "E08000009";
/** The comparator group made from `cipfalga0724.csv`. @example TRAFFORD_GROUP_NAME */
export const TRAFFORD_GROUP_NAME = "Trafford CIPFA nearest neighbours";
/** The Trafford demo plan's title. @example TRAFFORD_PLAN_TITLE */
export const TRAFFORD_PLAN_TITLE = "Trafford Partnership Plan 2024/25–2026/27";

const FINGERTIPS = "Office for Health Improvement and Disparities (Fingertips)";

/**
 * The Trafford demo's catalogue: the six real files give seven indicators (life expectancy by
 * sex as two, since a target is for one series).
 *
 * @example TRAFFORD_INDICATORS.map((i) => i.code).includes("LE-MALE") // true
 */
export const TRAFFORD_INDICATORS: readonly IndicatorInput[] = [
  {
    code: "LE-MALE",
    title: "Life expectancy at birth (male)",
    definition:
      "The average number of years a newborn boy would live if he experienced the area's age-specific mortality rates of the three-year period throughout his life.",
    unit: "years",
    valueType: "mean",
    polarity: "high-is-good",
    frequency: "annual",
    periodType: "multi-year",
    source: "ONS life expectancy for local areas of the UK, via OHID Fingertips (indicator 90366)",
    publisher: FINGERTIPS,
    validMin: 50,
    validMax: 100,
    decimalPlaces: 1,
  },
  {
    code: "LE-FEMALE",
    title: "Life expectancy at birth (female)",
    definition:
      "The average number of years a newborn girl would live if she experienced the area's age-specific mortality rates of the three-year period throughout her life.",
    unit: "years",
    valueType: "mean",
    polarity: "high-is-good",
    frequency: "annual",
    periodType: "multi-year",
    source: "ONS life expectancy for local areas of the UK, via OHID Fingertips (indicator 90366)",
    publisher: FINGERTIPS,
    validMin: 50,
    validMax: 100,
    decimalPlaces: 1,
  },
  {
    code: "SMOKING-APS",
    title: "Smoking prevalence in adults (18+), current smokers (APS)",
    definition:
      "Adults aged 18 and over who say they smoke, as a percentage of all adults (Annual Population Survey).",
    unit: "% of adults",
    valueType: "percentage",
    polarity: "low-is-good",
    frequency: "annual",
    source: "ONS Annual Population Survey, via OHID Fingertips (indicator 92443)",
    publisher: FINGERTIPS,
    decimalPlaces: 1,
  },
  {
    code: "EMP-16-64",
    title: "Employment rate, aged 16–64",
    definition: "People aged 16–64 in employment as a percentage of all people aged 16–64, over 12 months.",
    unit: "% in employment",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "quarterly",
    periodType: "rolling-12-months",
    source: "ONS Annual Population Survey, via Nomis",
    publisher: "Office for National Statistics",
    decimalPlaces: 1,
  },
  {
    code: "INACTIVE-16-64",
    title: "Economic inactivity rate, aged 16–64",
    definition:
      "People aged 16–64 neither in work nor looking for work, as a percentage of all people aged 16–64, over 12 months.",
    unit: "% economically inactive",
    valueType: "percentage",
    polarity: "low-is-good",
    frequency: "quarterly",
    periodType: "rolling-12-months",
    source: "ONS Annual Population Survey, via Nomis",
    publisher: "Office for National Statistics",
    decimalPlaces: 1,
  },
  {
    code: "KS4-EM-GRADE5",
    title: "GCSE English and maths at grade 5 or above",
    definition:
      "Pupils at the end of key stage 4 achieving grade 9–5 in both English and mathematics, as a percentage of all pupils at the end of key stage 4 (academic years).",
    unit: "% of pupils",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "annual",
    source: "DfE key stage 4 performance statistics",
    publisher: "Department for Education",
    decimalPlaces: 1,
  },
  {
    code: "CLAIMANT-RATE",
    title: "Claimants as a proportion of residents aged 16–64",
    definition:
      "People claiming Jobseeker's Allowance or Universal Credit because they are out of work, as a percentage of residents aged 16–64.",
    unit: "% of residents aged 16–64",
    valueType: "percentage",
    polarity: "low-is-good",
    frequency: "monthly",
    periodType: "month",
    source: "DWP/ONS claimant count, via Nomis",
    publisher: "Office for National Statistics",
    decimalPlaces: 1,
  },
  {
    code: "CLAIMANT-COUNT",
    title: "Claimant count",
    definition: "People claiming Jobseeker's Allowance or Universal Credit because they are out of work.",
    unit: "people",
    valueType: "count",
    polarity: "low-is-good",
    frequency: "monthly",
    periodType: "month",
    source: "DWP/ONS claimant count, via Nomis",
    publisher: "Office for National Statistics",
  },
];

/**
 * The mappings an administrator saves for the six real files, so each national file imports as
 * published, without hand-editing. Each is saved under its `source`.
 *
 * @example TRAFFORD_MAPPINGS.map((m) => m.file).includes("life_expectancy.csv") // true
 */
export const TRAFFORD_MAPPINGS: ReadonlyArray<{ file: string; mapping: ImportMapping }> = [
  {
    file: "life_expectancy.csv",
    mapping: ImportMappingSchema.parse({
      source: "OHID Fingertips: life expectancy at birth (via Trafford Data Lab)",
      columns: {
        indicator: ["indicator", "inequality"],
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
        judgement: "compared_to_England",
      },
      indicatorValues: {
        "Life expectancy at birth | Male": "LE-MALE",
        "Life expectancy at birth | Female": "LE-FEMALE",
      },
    }),
  },
  {
    file: "adults_smoking.csv",
    mapping: ImportMappingSchema.parse({
      source: "OHID Fingertips: adult smoking prevalence (via Trafford Data Lab)",
      columns: {
        indicator: "indicator",
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
        judgement: "compared_to_England",
      },
      indicatorValues: {
        "Smoking Prevalence in adults (aged 18 and over) - current smokers (APS)": "SMOKING-APS",
      },
    }),
  },
  {
    file: "employment_rate.csv",
    mapping: ImportMappingSchema.parse({
      source: "Nomis APS: employment rate 16-64 (via Trafford Data Lab)",
      columns: {
        indicator: "indicator",
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
      },
      indicatorValues: { "Employment rate - aged 16-64": "EMP-16-64" },
    }),
  },
  {
    file: "economic_inactivity.csv",
    mapping: ImportMappingSchema.parse({
      source: "Nomis APS: economic inactivity 16-64 (via Trafford Data Lab)",
      columns: {
        indicator: "indicator",
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
      },
      indicatorValues: { "% who are economically inactive - aged 16-64": "INACTIVE-16-64" },
    }),
  },
  {
    file: "grades_5_or_above_ks4.csv",
    mapping: ImportMappingSchema.parse({
      source: "DfE KS4: English and maths grade 5+ (via Trafford Data Lab)",
      columns: {
        indicator: "indicator",
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
      },
      indicatorValues: {
        "Percentage achieving 9-5 in English & mathematics at Key Stage 4": "KS4-EM-GRADE5",
      },
    }),
  },
  {
    file: "claimant_count.csv",
    mapping: ImportMappingSchema.parse({
      source: "Nomis: claimant count (via Trafford Data Lab)",
      columns: {
        indicator: ["indicator", "measure"],
        area: "area_code",
        areaName: "area_name",
        period: "period",
        value: "value",
      },
      indicatorValues: {
        "Claimant count | Count": "CLAIMANT-COUNT",
        "Claimants as a proportion of residents aged 16-64 | Percentage": "CLAIMANT-RATE",
      },
    }),
  },
];

/** Loads an ONS lookup file through the admin console's area import, audited the same way. */
async function importLookup(db: Kysely<Database>, name: string): Promise<void> {
  const { fileId } = await registerLocalFile(db, MACHINE, dataPath(name));
  const file = await findImportFile(db, fileId);
  if (!file) throw new Error(`seedTraffordDemo: ${name} was not registered`);
  await db.transaction().execute(async (trx) => {
    const result = await importAreaLookup(trx, file);
    await audit(trx, MACHINE, {
      action: "import",
      entity: "area_import",
      entityId: file.id,
      partnershipId: null,
      before: null,
      after: {
        fileId: file.id,
        fileName: file.name,
        levels: result.levels.map((l) => l.type),
        rows: result.rows,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
      },
    });
  });
}

/**
 * The areas the demo needs, from the real ONS lookups: England's rows of the 2019 lookup first
 * (England, its regions, counties and districts), then the 2018 LAD → region lookup, which puts each district straight
 * under its region (so "region" on step 1 is the region, not a metropolitan county); then the
 * unitary authorities created after 2020, which no lookup here has, by hand from
 * `areas-after-2020.csv` with their sources.
 */
async function seedAreas(db: Kysely<Database>): Promise<void> {
  await importLookup(db, "ons_lad19_county_region_country_dec2019_england.csv");
  await importLookup(db, "ons_lad18_to_rgn18_dec2018.csv");
  const missing: Area[] = [];
  for (const r of csv("areas-after-2020.csv")) {
    if (await findAreaByCode(db, r.code as string)) continue;
    missing.push({
      code: r.code as string,
      name: r.name as string,
      type: r.type as string,
      parentCode: r.parent_code as string,
    });
  }
  if (missing.length > 0) await createAreas(db, MACHINE, missing);
}

async function seedIndicators(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const input of TRAFFORD_INDICATORS) {
      const indicator = IndicatorSchema.parse(input);
      const exists = await trx
        .selectFrom("indicator")
        .select("id")
        .where("code", "=", indicator.code)
        .executeTakeFirst();
      if (exists) continue;
      const id = await upsertIndicator(trx, indicator);
      await audit(trx, MACHINE, {
        action: "create",
        entity: "indicator",
        entityId: id,
        partnershipId: null,
        before: null,
        after: indicator,
      });
    }
  });
}

/**
 * Imports each real file as the admin console does: register, preview, add the unknown areas the
 * preview names (Trafford's wards, named from the file) under Trafford, then commit with the
 * mapping saved under its source. Rows of areas outside England's districts are left out as
 * problems (`acceptGoodRows`), as an administrator would accept them.
 */
async function seedObservations(db: Kysely<Database>): Promise<void> {
  for (const { file: name, mapping } of TRAFFORD_MAPPINGS) {
    const { fileId } = await registerLocalFile(db, MACHINE, dataPath(name));
    const file = await findImportFile(db, fileId);
    if (!file) throw new Error(`seedTraffordDemo: ${name} was not registered`);
    const check = await previewImport(db, file, mapping, { fileId });
    const wards = check.unknownAreas.filter((u) => u.value.startsWith("E05"));
    if (wards.length > 0) {
      await createAreas(
        db,
        MACHINE,
        wards.map((w) => ({
          code: w.value,
          name: w.name ?? w.value,
          type: "ward",
          parentCode: TRAFFORD_AREA_CODE,
        })),
      );
    }
    const outcome = await commitImportBatch(db, MACHINE, {
      file,
      mapping,
      acceptGoodRows: true,
      saveMappingAs: mapping.source,
    });
    if (!outcome.ok) throw new Error(`seedTraffordDemo: ${name} was refused (${outcome.refusal})`);
  }
}

/** The comparator group from `cipfalga0724.csv`: Trafford's 15 CIPFA nearest neighbours. */
async function seedComparatorGroup(db: Kysely<Database>): Promise<number> {
  const existing = (await listComparatorGroups(db)).find((g) => g.name === TRAFFORD_GROUP_NAME);
  if (existing) return existing.id;
  const codes = csv("cipfalga0724.csv").map((r) => r.area_code as string);
  return db.transaction().execute(async (trx) => {
    const id = await insertComparatorGroup(
      trx,
      {
        name: TRAFFORD_GROUP_NAME,
        description:
          "Trafford's 15 nearest neighbours in CIPFA's Nearest Neighbour Model (cipfalga0724.csv, Trafford Data Lab).",
      },
      nowIso(),
    );
    const areas = await trx.selectFrom("area").select(["id", "code"]).where("code", "in", codes).execute();
    if (areas.length !== codes.length) {
      const known = new Set(areas.map((a) => a.code));
      throw new Error(
        `seedTraffordDemo: unknown neighbours ${codes.filter((c) => !known.has(c)).join(", ")}`,
      );
    }
    await addComparatorAreas(
      trx,
      id,
      areas.map((a) => a.id),
    );
    const [after] = await listComparatorGroups(trx, [id]);
    await audit(trx, MACHINE, {
      action: "create",
      entity: "comparator_group",
      entityId: id,
      partnershipId: null,
      before: null,
      after,
    });
    return id;
  });
}

type Target = {
  indicatorCode: string;
  baselinePeriod: string;
  baselineValue: number;
  tolerance: number;
  milestones: Array<{ period: string; value: number }>;
};

/** The plan's priorities; baselines are the files' own values for Trafford. */
const PRIORITIES: ReadonlyArray<{
  fields: Record<string, unknown>;
  targets: Target[];
}> = [
  {
    fields: {
      theme: "Health",
      title: "Healthier, longer lives",
      ownerName: "Director of Public Health, Trafford Council",
      whereScope: "area-wide",
      causes:
        "Life expectancy has recovered since the pandemic but men in Trafford still live about four years less than women, and smoking remains the largest preventable cause of early death.",
    },
    targets: [
      {
        indicatorCode: "LE-MALE",
        baselinePeriod: "2023-2025",
        baselineValue: 80.1,
        tolerance: 0.2,
        milestones: [
          { period: "2024-2026", value: 80.3 },
          { period: "2025-2027", value: 80.5 },
        ],
      },
      {
        indicatorCode: "LE-FEMALE",
        baselinePeriod: "2023-2025",
        baselineValue: 84.1,
        tolerance: 0.2,
        milestones: [
          { period: "2024-2026", value: 84.2 },
          { period: "2025-2027", value: 84.3 },
        ],
      },
      {
        indicatorCode: "SMOKING-APS",
        baselinePeriod: "2023",
        baselineValue: 8.9,
        tolerance: 0.5,
        milestones: [
          { period: "2024", value: 8.4 },
          { period: "2025", value: 7.9 },
          { period: "2026", value: 7.4 },
        ],
      },
    ],
  },
  {
    fields: {
      theme: "Economy",
      title: "Good work for everyone",
      ownerName: "Head of Economic Growth, Trafford Council",
      whereScope: "area-wide",
      causes:
        "Employment rose strongly after 2023, but inactivity through long-term sickness and caring is rising again, and claimant numbers have not fallen.",
    },
    targets: [
      {
        indicatorCode: "EMP-16-64",
        baselinePeriod: "12M to 2024-03",
        baselineValue: 78.3,
        tolerance: 0.5,
        milestones: [
          { period: "12M to 2025-03", value: 78.8 },
          { period: "12M to 2026-03", value: 79.3 },
          { period: "12M to 2027-03", value: 79.8 },
        ],
      },
      {
        indicatorCode: "INACTIVE-16-64",
        baselinePeriod: "12M to 2024-03",
        baselineValue: 18.7,
        tolerance: 0.5,
        milestones: [
          { period: "12M to 2025-03", value: 18.2 },
          { period: "12M to 2026-03", value: 17.7 },
          { period: "12M to 2027-03", value: 17.2 },
        ],
      },
      {
        indicatorCode: "CLAIMANT-RATE",
        baselinePeriod: "2024-03",
        baselineValue: 3,
        tolerance: 0.1,
        milestones: [
          { period: "2025-03", value: 2.9 },
          { period: "2026-03", value: 2.8 },
          { period: "2027-03", value: 2.7 },
        ],
      },
    ],
  },
  {
    fields: {
      theme: "Children and young people",
      title: "Every young person achieves",
      ownerName: "Director of Children's Services, Trafford Council",
      whereScope: "area-wide",
      causes:
        "Trafford's results are among the best in England, but the share reaching grade 5 in English and maths fell back in 2024/25.",
    },
    targets: [
      {
        indicatorCode: "KS4-EM-GRADE5",
        baselinePeriod: "2023/24",
        baselineValue: 66.4,
        tolerance: 1,
        milestones: [
          { period: "2024/25", value: 66.9 },
          { period: "2025/26", value: 67.4 },
          { period: "2026/27", value: 67.9 },
        ],
      },
    ],
  },
];

/** Trafford's plan: three priorities, seven targets, each read against the CIPFA group. */
async function seedPlan(
  db: Kysely<Database>,
  groupId: number,
): Promise<{ planId: number; created: boolean }> {
  const partnership = await db
    .selectFrom("partnership")
    .select("id")
    .where("name", "=", TRAFFORD_PARTNERSHIPS[0].name)
    .executeTakeFirstOrThrow();
  const existing = await db
    .selectFrom("plan")
    .select("id")
    .where("partnership_id", "=", partnership.id)
    .where("title", "=", TRAFFORD_PLAN_TITLE)
    .executeTakeFirst();
  if (existing) return { planId: existing.id, created: false };
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const plan = await insertPlan(trx, {
      partnership_id: partnership.id,
      title: TRAFFORD_PLAN_TITLE,
      vision: "A place where everyone can live well, be healthy and fulfil their potential",
      start_year: 2024,
      status: "agreed",
      revision: 1,
      previous_plan_id: null,
      created_at: now,
      updated_at: now,
    });
    let position = 0;
    for (const [k, p] of PRIORITIES.entries()) {
      const { theme, title, ownerName, ...rest } = PriorityFieldsSchema.parse(p.fields);
      const priority = await insertPriority(trx, {
        plan_id: plan.id,
        position: k + 1,
        theme,
        title,
        owner_name: ownerName,
        fields_json: JSON.stringify(rest),
        created_at: now,
        updated_at: now,
      });
      for (const target of p.targets) {
        const item = PlanItemSchema.parse({
          kind: "indicator",
          data: { ...target, comparatorGroupId: groupId },
        });
        await insertItem(trx, {
          plan_id: plan.id,
          priority_id: priority.id,
          kind: item.kind,
          position: ++position,
          data_json: JSON.stringify(item.data),
          lead_user_id: null,
          created_at: now,
          updated_at: now,
        });
      }
    }
    await recordAudit(trx, {
      actorUserId: null,
      action: "create",
      entity: "plan",
      entityId: plan.id,
      partnershipId: partnership.id,
      before: null,
      after: { title: plan.title, status: plan.status, priorities: PRIORITIES.length },
      requestId: "seed-demo",
      at: now,
    });
    return { planId: plan.id, created: true };
  });
}

/**
 * Seeds the second demo partnership, Trafford, on real national data (see
 * `demo-data/trafford/README.md`): England's areas from the ONS lookups (and the unitary
 * authorities made since 2020, by hand with their sources), the seven indicators, the six real
 * files imported through `commitImportBatch` with their mappings saved, the CIPFA nearest
 * neighbours as a comparator group, the partnership with its lead, editor and viewer (each given
 * the hash in `passwordHashes`), and its 2024/25–2026/27 plan; then judges the plan's targets.
 * Needs the talk's demo (`seedDemo`) first. Running it again imports nothing new and keeps the plan.
 *
 * @example await seedTraffordDemo(db, new Map(TRAFFORD_USERS.map((u) => [u.email, hash])));
 */
export async function seedTraffordDemo(
  db: Kysely<Database>,
  passwordHashes: ReadonlyMap<string, string>,
): Promise<{ planId: number; groupId: number; created: boolean }> {
  const seeded = await findAreaByCode(db, "E06000061");
  const group = (await listComparatorGroups(db)).find((g) => g.name === TRAFFORD_GROUP_NAME);
  if (!seeded || !group) {
    await seedAreas(db);
    await seedIndicators(db);
    await seedObservations(db);
  }
  const groupId = group?.id ?? (await seedComparatorGroup(db));
  await seedDemoAccounts(db, passwordHashes, { partnerships: TRAFFORD_PARTNERSHIPS, users: TRAFFORD_USERS });
  const plan = await seedPlan(db, groupId);
  if (plan.created)
    await db.transaction().execute((trx) => recomputeStatuses(trx, { cause: "Demo data loaded (Trafford)" }));
  return { ...plan, groupId };
}
