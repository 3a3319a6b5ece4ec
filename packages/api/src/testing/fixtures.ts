import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  type Database,
  DEMO_PARTNERSHIPS,
  DEMO_USERS,
  findUserByEmail,
  seedDemoAccounts,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import type { Kysely } from "kysely";
import { hashPassword } from "../auth/password.ts";
import { resolveSession, type SessionInfo, startSession } from "../auth/sessions.ts";
import { createContextInner } from "../context.ts";
import { storeUpload } from "../import/upload.ts";
import { JOB_KINDS } from "../jobs/registry.ts";
import { defaultJobRunner, type JobRunner } from "../jobs/runner.ts";
import { createCaller } from "../root.ts";

/** The password every demo account has in tests (hashed once per process). */
export const TEST_PASSWORD = "a test password for everyone";
let hashed: Promise<string> | undefined;

/** The people of the authorization matrix, by the role they play. */
export const ACTORS = {
  anonymous: null,
  viewer: "viewer@coventry.example",
  contributor: "contributor@coventry.example",
  editor: "editor@coventry.example",
  lead: "lead@coventry.example",
  otherLead: "lead@wolverhampton.example",
  admin: "admin@fivestep.example",
} as const;
/** @example const a: Actor = "otherLead"; */
export type Actor = keyof typeof ACTORS;

/** A fresh database with the demo data and accounts, and helpers to act as anyone in it. */
export interface Fixture {
  db: Kysely<Database>;
  coventryId: number;
  wolverhamptonId: number;
  userId(email: string): Promise<number>;
  session(actor: Actor): Promise<SessionInfo | null>;
  caller(
    actor: Actor,
    extra?: { ip?: string; clock?: () => number; deviceToken?: string | null },
  ): Promise<ReturnType<typeof createCaller>>;
  /** Uploads a file as the administrator would (through `storeUpload`); returns its id. */
  upload(name: string, content: string | Buffer): Promise<number>;
  /** The in-process job runner every caller's context uses; `await fx.jobs.idle()` waits for their jobs. */
  jobs: JobRunner;
  /** The cookies the callers' procedures set or cleared ("device": the device cookie). */
  cookies: Array<{ op: "set" | "clear" | "device"; value?: string }>;
}

/**
 * Builds a fixture on a fresh database (in-memory SQLite, or a PostgreSQL copy of a template).
 *
 * @example const fx = await createFixture(); const admin = await fx.caller("admin");
 */
export async function createFixture(): Promise<Fixture> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const hash = await hashed;
  // The accounts are part of the template (on PostgreSQL built once per server, as seeding them
  // into every database would cost a fifth of a second a fixture); any hash of the password will do.
  const db = await createTestDb({
    demo: true,
    template: {
      key: `demo accounts: ${JSON.stringify([DEMO_PARTNERSHIPS, DEMO_USERS])} ${seedDemoAccounts} ${TEST_PASSWORD}`,
      setup: (db) => seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, hash]))),
    },
  });
  const ids = await db.selectFrom("partnership").select(["id", "name"]).execute();
  const idOf = (name: string) => {
    const row = ids.find((r) => r.name === name);
    if (!row) throw new Error(`fixture: no partnership ${name}`);
    return row.id;
  };
  const cookies: Fixture["cookies"] = [];
  const fx: Fixture = {
    db,
    coventryId: idOf("Coventry Partnership"),
    wolverhamptonId: idOf("Wolverhampton Partnership"),
    cookies,
    async userId(email) {
      const user = await findUserByEmail(db, email);
      if (!user) throw new Error(`fixture: no user ${email}`);
      return user.id;
    },
    async session(actor) {
      const email = ACTORS[actor];
      if (!email) return null;
      const token = await startSession(db, await fx.userId(email), { ip: "127.0.0.1", userAgent: "vitest" });
      return resolveSession(db, token);
    },
    async upload(name, content) {
      const file = await storeUpload(
        db,
        { session: await fx.session("admin"), requestId: "test-upload" },
        { body: Readable.from([Buffer.from(content)]), name, dir: join(tmpdir(), "fivestep-test-uploads") },
      );
      return file.fileId;
    },
    jobs: defaultJobRunner(db, JOB_KINDS),
    async caller(actor, extra = {}) {
      const session = await fx.session(actor);
      return createCaller(
        createContextInner({
          db,
          session,
          ip: extra.ip ?? "127.0.0.1",
          requestId: `test-${actor}`,
          deviceToken: extra.deviceToken ?? null,
          ...(extra.clock ? { clock: extra.clock } : {}),
          cookies: {
            setSession: (value) => cookies.push({ op: "set", value }),
            clearSession: () => cookies.push({ op: "clear" }),
            setDevice: (value) => cookies.push({ op: "device", value }),
          },
        }),
      );
    },
  };
  return fx;
}

type AnyProcedure = (input: unknown) => Promise<unknown>;

/**
 * A procedure of a caller by its dotted path, for tests that walk the whole router.
 *
 * @example await procedureAt(caller, "user.list")(undefined);
 */
export function procedureAt(caller: unknown, path: string): AnyProcedure {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  if (typeof fn !== "function") throw new Error(`no procedure at ${path}`);
  return fn as AnyProcedure;
}
