import { randomUUID } from "node:crypto";
import { hashPassword } from "@fivestep/api";
import { createSession, type Database, DEMO_USERS, findUserByEmail, seedDemoAccounts } from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import type { Kysely } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { LOGIN_ATTEMPT_RETENTION_MS, pruneAuthData } from "./housekeeping.ts";
import { buildServer } from "./server.ts";

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe("housekeeping of sessions and sign-in attempts", async () => {
  const db: Kysely<Database> = await createTestDb({ demo: true });
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "x"])));
  const user = await findUserByEmail(db, "editor@coventry.example");
  if (!user) throw new Error("no demo editor");
  const hash = await hashPassword("the right password for this test");
  await db.updateTable("app_user").set({ password_hash: hash }).where("id", "=", user.id).execute();
  // A server that only writes attempts (its own start prunes nothing yet, and it runs no timer).
  const writer = await buildServer({ db, logLevel: false, pruneIntervalMs: 0 });
  afterAll(async () => {
    await writer.close();
    await db.destroy();
  });

  /** A failed sign-in through the real procedure, then dated `at`; returns the attempt's id. */
  const attempt = async (at: string): Promise<number> => {
    await writer.inject({
      method: "POST",
      url: "/trpc/auth.signIn",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email: "editor@coventry.example", password: "not the right one at all" }),
    });
    const last = await db
      .selectFrom("login_attempt")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirstOrThrow();
    const id = Number(last.id);
    await db.updateTable("login_attempt").set({ at }).where("id", "=", id).execute();
    return id;
  };
  const session = async (expiresAt: string): Promise<string> => {
    const idHash = randomUUID();
    await createSession(db, {
      idHash,
      userId: user.id,
      expiresAt,
      ip: null,
      userAgent: null,
      now: ago(HOUR),
    });
    return idHash;
  };
  const sessions = async () =>
    (await db.selectFrom("session").select("id_hash").execute()).map((r) => r.id_hash);
  const attempts = async () => (await db.selectFrom("login_attempt").select("id").execute()).map((r) => r.id);

  it("keeps sign-in attempts for at least a day", () => {
    expect(LOGIN_ATTEMPT_RETENTION_MS).toBeGreaterThanOrEqual(25 * HOUR);
  });

  it("deletes expired sessions and attempts older than 25 hours at start and then on a timer, until closed", async () => {
    await writer.ready();
    const expired = await session(ago(60_000));
    const live = await session(ago(-24 * HOUR));
    const old = await attempt(ago(26 * HOUR));
    const dayOld = await attempt(ago(24 * HOUR));
    const fresh = await attempt(ago(0));
    expect(await sessions()).toEqual(expect.arrayContaining([expired, live]));
    expect(await attempts()).toEqual(expect.arrayContaining([old, dayOld, fresh]));

    const app = await buildServer({ db, logLevel: false, pruneIntervalMs: 50 });
    await app.ready();
    // At start.
    expect(await sessions()).not.toContain(expired);
    expect(await sessions()).toContain(live);
    expect(await attempts()).not.toContain(old);
    expect(await attempts()).toEqual(expect.arrayContaining([dayOld, fresh]));

    // Then on the timer.
    const expiredLater = await session(ago(1000));
    const oldLater = await attempt(ago(30 * HOUR));
    await expect.poll(sessions, { timeout: 5000, interval: 25 }).not.toContain(expiredLater);
    await expect.poll(attempts, { timeout: 5000, interval: 25 }).not.toContain(oldLater);
    expect(await sessions()).toContain(live);
    expect(await attempts()).toEqual(expect.arrayContaining([dayOld, fresh]));

    // Not after closing.
    await app.close();
    const afterClose = await session(ago(1000));
    await new Promise((r) => setTimeout(r, 200));
    expect(await sessions()).toContain(afterClose);
  });

  it("can be run by hand with a given time", async () => {
    const expiresSoon = await session(ago(-HOUR));
    // Device cookies are forgotten after a year unused.
    await db
      .insertInto("trusted_device")
      .values([
        {
          token_hash: "old-device",
          user_id: user.id,
          created_at: ago(500 * 24 * HOUR),
          last_used_at: ago(400 * 24 * HOUR),
        },
        {
          token_hash: "recent-device",
          user_id: user.id,
          created_at: ago(500 * 24 * HOUR),
          last_used_at: ago(10 * 24 * HOUR),
        },
      ])
      .execute();
    await pruneAuthData(db, new Date(Date.now() + 2 * HOUR));
    expect(await sessions()).not.toContain(expiresSoon);
    const devices = (await db.selectFrom("trusted_device").select("token_hash").execute()).map(
      (d) => d.token_hash,
    );
    expect(devices).toEqual(["recent-device"]);
  });
});
