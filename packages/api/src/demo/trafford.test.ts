import { readFileSync } from "node:fs";
import { type Database, findUserByEmail, TRAFFORD_USERS } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { parse } from "csv-parse/sync";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSession, startSession } from "../auth/sessions.ts";
import { createContextInner } from "../context.ts";
import { createCaller } from "../root.ts";
import {
  seedTraffordDemo,
  TRAFFORD_GROUP_NAME,
  TRAFFORD_INDICATORS,
  TRAFFORD_MAPPINGS,
  TRAFFORD_PLAN_TITLE,
} from "./trafford.ts";

// The second demo partnership on real national files (demo-data/trafford), seeded on top of the
// talk's demo the way `fivestep start --demo` does, and read back through the real router.
const DATA = new URL("../../demo-data/trafford/", import.meta.url);
const rows = (name: string) =>
  parse(readFileSync(new URL(name, DATA)), { columns: true, bom: true, skip_empty_lines: true }) as Array<
    Record<string, string>
  >;

let db: Kysely<Database>;
let seeded: Awaited<ReturnType<typeof seedTraffordDemo>>;
const hashes = new Map(TRAFFORD_USERS.map((u) => [u.email, "not a real hash"]));

async function callerFor(email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error(`no user ${email}`);
  const token = await startSession(db, user.id, { ip: "127.0.0.1", userAgent: "vitest" });
  const session = await resolveSession(db, token);
  return createCaller(
    createContextInner({
      db,
      session,
      ip: "127.0.0.1",
      requestId: "test-trafford",
      deviceToken: null,
      cookies: { setSession: () => {}, clearSession: () => {}, setDevice: () => {} },
    }),
  );
}

beforeAll(async () => {
  db = await createTestDb({ demo: true });
  seeded = await seedTraffordDemo(db, hashes);
}, 120_000);
afterAll(() => db.destroy());

describe("the Trafford demo", () => {
  it("makes the comparator group from Trafford's real CIPFA nearest neighbours", async () => {
    const file = rows("cipfalga0724.csv");
    const lead = await callerFor("lead@trafford.example");
    const group = (await lead.comparatorGroup.list()).find((g) => g.name === TRAFFORD_GROUP_NAME);
    expect(group?.id).toBe(seeded.groupId);
    expect(file).toHaveLength(15);
    expect(group?.areas.map((a) => [a.code, a.name]).sort()).toEqual(
      file.map((r) => [r.area_code, r.area_name]).sort(),
    );
  });

  it("has England's value for every indicator, from the files", async () => {
    for (const indicator of TRAFFORD_INDICATORS) {
      const england = await db
        .selectFrom("observation as o")
        .innerJoin("indicator as i", "i.id", "o.indicator_id")
        .innerJoin("area as a", "a.id", "o.area_id")
        .select(["o.period", "o.value"])
        .where("i.code", "=", indicator.code)
        .where("a.code", "=", "E92000001")
        .execute();
      expect(england.length, indicator.code).toBeGreaterThan(0);
    }
    // One value checked against its file: England's male life expectancy, 2015–17.
    const row = await db
      .selectFrom("observation as o")
      .innerJoin("indicator as i", "i.id", "o.indicator_id")
      .innerJoin("area as a", "a.id", "o.area_id")
      .select("o.value")
      .where("i.code", "=", "LE-MALE")
      .where("a.code", "=", "E92000001")
      .where("o.period", "=", "2015-2017")
      .executeTakeFirstOrThrow();
    expect(row.value).toBe(79.5);
  });

  it("gives every English district and unitary authority in the files a region, and the region England", async () => {
    const areas = await db.selectFrom("area").select(["code", "type", "parent_code"]).execute();
    const byCode = new Map(areas.map((a) => [a.code, a]));
    const regionOf = (code: string) => {
      let at = byCode.get(code);
      for (let i = 0; at && i < 5; i++) {
        if (at.type === "region") return at;
        at = at.parent_code ? byCode.get(at.parent_code) : undefined;
      }
      return undefined;
    };
    const codes = new Set(
      TRAFFORD_MAPPINGS.flatMap(({ file }) => rows(file).map((r) => r.area_code as string)).filter((c) =>
        /^E0[6789]/.test(c),
      ),
    );
    expect(codes.size).toBeGreaterThan(300);
    for (const code of codes) {
      const region = regionOf(code);
      expect(region, code).toBeDefined();
      expect(region?.parent_code, code).toBe("E92000001");
    }
    // Areas made after 2020 are added by hand with their region (and a source in the CSV).
    expect(byCode.get("E06000061")?.parent_code).toBe("E12000004");
    expect(byCode.get("E06000063")?.parent_code).toBe("E12000002");
    // Districts sit straight under their region: Trafford's region is the North West.
    expect(byCode.get("E08000009")?.parent_code).toBe("E12000002");
  });

  it("imports every file through saved mappings, one audited batch each", async () => {
    const saved = await db.selectFrom("import_mapping").select("source").execute();
    expect(saved.map((m) => m.source).sort()).toEqual(TRAFFORD_MAPPINGS.map((m) => m.mapping.source).sort());
    const audits = await db
      .selectFrom("audit_event")
      .select("entity")
      .where("entity", "=", "import_batch")
      .where("request_id", "=", "seed-demo")
      .execute();
    expect(audits).toHaveLength(TRAFFORD_MAPPINGS.length);
  });

  it("gives Trafford a lead, editor and viewer, and a current plan whose step 1 reads region, England and the group", async () => {
    const lead = await callerFor("lead@trafford.example");
    const members = await db
      .selectFrom("membership as m")
      .innerJoin("partnership as p", "p.id", "m.partnership_id")
      .innerJoin("app_user as u", "u.id", "m.user_id")
      .select(["u.email", "m.role"])
      .where("p.name", "=", "Trafford Partnership")
      .execute();
    expect(members.map((m) => `${m.role} ${m.email}`).sort()).toEqual([
      "editor editor@trafford.example",
      "lead lead@trafford.example",
      "viewer viewer@trafford.example",
    ]);
    const partnership = await db
      .selectFrom("partnership")
      .select("id")
      .where("name", "=", "Trafford Partnership")
      .executeTakeFirstOrThrow();
    const items = await db
      .selectFrom("plan_item as i")
      .innerJoin("plan as p", "p.id", "i.plan_id")
      .select(["i.id", "i.data_json", "i.priority_id"])
      .where("p.title", "=", TRAFFORD_PLAN_TITLE)
      .where("i.kind", "=", "indicator")
      .execute();
    expect(new Set(items.map((i) => i.priority_id)).size).toBeGreaterThanOrEqual(3);
    const codes = items.map((i) => (JSON.parse(i.data_json) as { indicatorCode: string }).indicatorCode);
    // All six files are used: life expectancy (both sexes), smoking, employment, inactivity, GCSE, claimants.
    expect(codes.sort()).toEqual(
      [
        "CLAIMANT-RATE",
        "EMP-16-64",
        "INACTIVE-16-64",
        "KS4-EM-GRADE5",
        "LE-FEMALE",
        "LE-MALE",
        "SMOKING-APS",
      ].sort(),
    );
    for (const item of items) {
      const a = await lead.priority.analysis({ partnershipId: partnership.id, itemId: item.id });
      expect(a.context.region?.name, a.indicator.code).toBe("North West");
      expect(a.context.nation?.name, a.indicator.code).toBe("England");
      expect(a.context.group?.areas, a.indicator.code).toHaveLength(15);
      expect(a.latest, a.indicator.code).not.toBeNull();
      // A rank needs at least 5 values in the group; below that, step 1 says how many there are.
      if (a.rank) expect(a.rank.of, a.indicator.code).toBeGreaterThanOrEqual(5);
      else {
        expect(a.rankWhyNot, a.indicator.code).toBe("too-few");
        expect(a.rankTooFew?.count, a.indicator.code).toBeLessThan(5);
        expect(a.rankTooFew?.size, a.indicator.code).toBe(16);
      }
      // Life expectancy has every neighbour's value: step 1 ranks it (the browser test reads it).
      if (a.indicator.code.startsWith("LE-")) expect(a.rank?.of, a.indicator.code).toBe(16);
      const england = a.series.find((s) => s.areaCode === "E92000001");
      expect(england?.points.length, a.indicator.code).toBeGreaterThan(0);
      expect(a.target.milestones.length, a.indicator.code).toBeGreaterThanOrEqual(2);
      // None of the six files has limits or counts: Fivestep's comparison says why it is not made,
      // and Fingertips' own judgement (life expectancy, smoking) is shown as the publisher's.
      expect(a.benchmarkWhyNot.nation, a.indicator.code).toBe("no-interval");
      if (["LE-MALE", "LE-FEMALE", "SMOKING-APS"].includes(a.indicator.code))
        expect(a.publisherJudgement?.source, a.indicator.code).toMatch(/^OHID Fingertips/);
      else expect(a.publisherJudgement, a.indicator.code).toBeNull();
      if (a.indicator.code === "LE-FEMALE")
        expect(a.publisherJudgement).toEqual({
          judgement: "better",
          source: "OHID Fingertips: life expectancy at birth (via Trafford Data Lab)",
          against: "England",
        });
    }
  });

  it("gives the area profile England's range among districts and unitary authorities for the spine chart", async () => {
    const lead = await callerFor("lead@trafford.example");
    const partnership = await db
      .selectFrom("partnership")
      .select("id")
      .where("name", "=", "Trafford Partnership")
      .executeTakeFirstOrThrow();
    const profile = await lead.priority.areaProfile({ partnershipId: partnership.id });
    const male = profile.indicators.find((r) => r.code === "LE-MALE");
    expect(male?.latest?.period).toBe("2023-2025");
    // The file's own rows for the same period: every district, unitary authority and borough.
    const values = rows("life_expectancy.csv")
      .filter(
        (r) => r.inequality === "Male" && r.period === "2023 - 25" && /^E0[6789]/.test(r.area_code ?? ""),
      )
      .map((r) => Number(r.value))
      .filter((v) => Number.isFinite(v) && v > 0);
    expect(values.length).toBeGreaterThan(290);
    expect(male?.spine?.n).toBe(values.length);
    expect(male?.spine?.min).toBe(Math.min(...values));
    expect(male?.spine?.max).toBe(Math.max(...values));
    const { q25, median, q75 } = male?.spine ?? { q25: 0, median: 0, q75: 0 };
    expect(q25).toBeLessThanOrEqual(median);
    expect(median).toBeLessThanOrEqual(q75);
    // Half the areas (to within one) lie on each side of the median.
    const below = values.filter((v) => v < median).length;
    expect(Math.abs(below - values.length / 2)).toBeLessThanOrEqual(
      values.filter((v) => v === median).length + 1,
    );
    expect(male?.publisherVsNation).toBeTruthy();
  });

  it("gives one trend verdict per series: step 1, the indicator page, the area profile and the overview agree", async () => {
    const lead = await callerFor("lead@trafford.example");
    const partnership = await db
      .selectFrom("partnership")
      .select(["id", "area_code"])
      .where("name", "=", "Trafford Partnership")
      .executeTakeFirstOrThrow();
    const plan = await db
      .selectFrom("plan")
      .select("id")
      .where("title", "=", TRAFFORD_PLAN_TITLE)
      .executeTakeFirstOrThrow();
    const items = await db
      .selectFrom("plan_item")
      .select("id")
      .where("plan_id", "=", plan.id)
      .where("kind", "=", "indicator")
      .execute();
    const profile = await lead.priority.areaProfile({ partnershipId: partnership.id });
    const overview = await lead.plan.overview({ partnershipId: partnership.id, planId: plan.id });
    const methods = new Set<string | null>();
    for (const item of items) {
      const a = await lead.priority.analysis({ partnershipId: partnership.id, itemId: item.id });
      const code = a.indicator.code;
      const page = await lead.observation.series({ indicatorCode: code, areaCodes: [partnership.area_code] });
      expect(page.series[0]?.trend, code).toEqual(a.trend);
      expect(profile.indicators.find((r) => r.code === code)?.trend, code).toEqual(a.trend);
      const row = overview.priorities.flatMap((p) => p.indicators).find((i) => i.code === code);
      expect(row?.trend, code).toEqual(a.trend);
      // Never "cannot be calculated" beside a Mann–Kendall result: one verdict, its method and p.
      if (a.trend.method === null) expect(a.trend.marker, code).toBe("cannot-be-calculated");
      else expect(a.trend.p, code).toBeGreaterThan(0);
      methods.add(a.trend.method);
    }
    // The files carry no counts, so every series with 5 or more values is read by Mann–Kendall.
    expect([...methods]).toContain("mann-kendall");
    expect([...methods]).not.toContain("chi-square-for-trend");
  });

  it("stores Fingertips' compared_to_England for every row that has one, with its source", async () => {
    const file = rows("life_expectancy.csv").filter(
      (r) => r.area_code === "E08000009" && r.inequality === "Male",
    );
    const stored = await db
      .selectFrom("observation as o")
      .innerJoin("indicator as i", "i.id", "o.indicator_id")
      .innerJoin("area as a", "a.id", "o.area_id")
      .select(["o.period", "o.publisher_judgement", "o.judgement_source"])
      .where("i.code", "=", "LE-MALE")
      .where("a.code", "=", "E08000009")
      .execute();
    expect(stored).toHaveLength(file.length);
    for (const r of file) {
      const [start, end] = (r.period as string).split(" - ");
      const row = stored.find((s) => s.period === `${start}-${(start as string).slice(0, 2)}${end}`);
      expect(row?.publisher_judgement, r.period).toBe((r.compared_to_England as string).toLowerCase());
      expect(row?.judgement_source).toBe("OHID Fingertips: life expectancy at birth (via Trafford Data Lab)");
    }
  });

  it("running it again changes nothing", async () => {
    const count = async () =>
      Number(
        (
          await db
            .selectFrom("observation")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const again = await seedTraffordDemo(db, hashes);
    expect(again).toMatchObject({ planId: seeded.planId, groupId: seeded.groupId, created: false });
    expect(await count()).toBe(before);
  });
});
