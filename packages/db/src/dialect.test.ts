// What callers see must not depend on the engine: this file runs on SQLite and, with
// FIVESTEP_TEST_DATABASE=postgres, on PostgreSQL (tooling/scripts/test.sh runs both).

import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { listPartnerships, nowIso } from "./repositories/accounts.ts";
import { listAreas } from "./repositories/areas.ts";
import { listAudit, recordAudit } from "./repositories/audit.ts";
import { listIndicators, upsertIndicator } from "./repositories/indicators.ts";
import { seriesFor } from "./repositories/observations.ts";
import {
  countPriorities,
  insertGoodPractice,
  insertPlan,
  insertPriority,
  nextPosition,
  searchGoodPractice,
} from "./repositories/plans.ts";
import { createSession, findSessionWithMemberships } from "./repositories/sessions.ts";
import { claimLoginAttempt, settleLoginAttempt } from "./repositories/sign-in-attempts.ts";
import { DEMO_USERS, seedDemoAccounts } from "./seed/demo-accounts.ts";
import { createTestDb, testEngine } from "./testing.ts";

describe(`the same answers on every engine (now: ${testEngine()})`, async () => {
  const db = await createTestDb({ demo: true });
  afterAll(() => db.destroy());
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "x"])));
  const [coventry] = (await listPartnerships(db)).filter((p) => p.name === "Coventry Partnership");
  if (!coventry) throw new Error("no Coventry partnership in the demo");
  const now = nowIso();
  const plan = await insertPlan(db, {
    partnership_id: coventry.id,
    title: "Dialect plan",
    vision: "",
    start_year: 2008,
    status: "draft",
    revision: 1,
    previous_plan_id: null,
    created_at: now,
    updated_at: now,
  });

  it("reads a session with its memberships in one prepared statement, the same on a second call", async () => {
    const user = await db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "analyst@westmidlands.example")
      .executeTakeFirstOrThrow();
    const idHash = "d".repeat(64);
    await createSession(db, {
      idHash,
      userId: user.id,
      expiresAt: "2099-01-01T00:00:00.000Z",
      ip: null,
      userAgent: null,
      now,
    });
    // One transaction: one connection, so PostgreSQL's list of its prepared statements is that of the calls.
    const { first, second, prepared } = await db.transaction().execute(async (trx) => {
      const first = await findSessionWithMemberships(trx, idHash, now);
      const second = await findSessionWithMemberships(trx, idHash, now);
      const prepared =
        testEngine() === "postgres"
          ? (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(trx)).rows.map(
              (r) => r.name,
            )
          : null;
      return { first, second, prepared };
    });
    expect(first?.memberships.map((m) => m.partnershipName)).toEqual([
      "Coventry Partnership",
      "Wolverhampton Partnership",
    ]);
    expect(second).toEqual(first);
    if (prepared) expect(prepared.filter((n) => n.startsWith("session-with-memberships-"))).toHaveLength(1);
    else expect(testEngine()).toBe("sqlite");
  });

  it("returns counts, aggregates and ids as numbers", async () => {
    const partnerships = await listPartnerships(db);
    for (const p of partnerships) {
      expect(typeof p.id).toBe("number");
      expect(typeof p.memberCount).toBe("number");
    }
    expect(await countPriorities(db, plan.id)).toBe(0);
    expect(await nextPosition(db, plan.id, null, "evidence")).toBe(1);
    const key = { account: "x@example.org", ip: "10.0.0.1", deviceHash: null };
    const windows = {
      pairSince: "2000-01-01",
      accountSince: "2000-01-01",
      accountLimit: 5,
      addressSince: "2000-01-01",
      addressLimit: 5,
    };
    const claim = await claimLoginAttempt(db, key, now, windows, () => null);
    if (!("id" in claim)) throw new Error("claimed");
    expect(typeof claim.id).toBe("number");
    await settleLoginAttempt(db, claim.id, false);
    let failures: unknown;
    await claimLoginAttempt(db, key, now, windows, (h) => {
      failures = h;
      return "refused";
    });
    expect(failures).toEqual({
      pairFailures: 1,
      pairLastFailureAt: now,
      accountFailures: 1,
      accountOldestCounted: null,
      addressFailures: 1,
      addressOldestCounted: null,
    });
  });

  it("returns stored booleans as 0/1 and timestamps as the ISO strings written", async () => {
    const admin = await db
      .selectFrom("app_user")
      .select(["is_admin", "created_at"])
      .where("email", "=", "admin@fivestep.example")
      .executeTakeFirstOrThrow();
    expect(admin.is_admin).toBe(1);
    expect(admin.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(plan.created_at).toBe(now);
    await recordAudit(db, {
      actorUserId: null,
      action: "test",
      entity: "plan",
      entityId: plan.id,
      partnershipId: coventry.id,
      before: null,
      after: { ok: true },
      requestId: null,
      at: now,
    });
    const [entry] = await listAudit(db, { action: "test" });
    expect(entry).toMatchObject({ at: now, entityId: String(plan.id), after: { ok: true } });
  });

  it("returns doubles as numbers, exactly as stored", async () => {
    const [coventrySeries] = await seriesFor(db, { indicatorCode: "NI 151", areaCodes: ["E08000026"] });
    expect(coventrySeries?.points.at(-1)?.value).toBe(72.4);
    expect(typeof coventrySeries?.points[0]?.value).toBe("number");
  });

  it("sorts text bytewise (digits, then capitals, then lower case)", async () => {
    for (const code of ["b-lower", "B-upper", "a.dot", "A space", "z/slash", "0-digit"]) {
      await upsertIndicator(db, {
        ...(await listIndicators(db))[0],
        code,
        title: code,
      } as Parameters<typeof upsertIndicator>[1]);
    }
    const codes = (await listIndicators(db)).map((i) => i.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes.indexOf("B-upper")).toBeLessThan(codes.indexOf("a.dot"));
    expect(codes.at(-1)).toBe("z/slash");
    // Areas by type then name, the same on both engines.
    const areas = await listAreas(db);
    const keys = areas.map((a) => `${a.type}\u0000${a.name}`);
    expect(keys).toEqual([...keys].sort());
  });

  it("searches text case-insensitively", async () => {
    await insertPriority(db, {
      plan_id: plan.id,
      position: 1,
      theme: "Economy",
      title: "Jobs",
      owner_name: "Someone",
      fields_json: "{}",
      created_at: now,
      updated_at: now,
    });
    await insertGoodPractice(db, {
      partnership_id: coventry.id,
      source_item_id: null,
      title: "Worklessness Pilot",
      theme: "Economy",
      indicator_codes: "|NI 151|",
      summary: "Outreach in Hillfields",
      evidence: "",
      outcome: "",
      published_by: null,
      published_at: now,
    });
    expect((await searchGoodPractice(db, { text: "WORKLESSNESS" })).map((g) => g.title)).toEqual([
      "Worklessness Pilot",
    ]);
    expect((await searchGoodPractice(db, { text: "hillfields" })).map((g) => g.title)).toEqual([
      "Worklessness Pilot",
    ]);
    expect((await searchGoodPractice(db, { theme: "economy" })).length).toBe(1);
    expect(await countPriorities(db, plan.id)).toBe(1);
  });

  it("drops NUL characters from text on every engine that cannot store them, without failing", async () => {
    await recordAudit(db, {
      actorUserId: null,
      action: "nul",
      entity: "plan\u0000x",
      entityId: 1,
      partnershipId: null,
      before: null,
      after: null,
      requestId: null,
    });
    const [entry] = await listAudit(db, { action: "nul" });
    expect(entry?.entity.replaceAll("\u0000", "")).toBe("planx");
  });
});
