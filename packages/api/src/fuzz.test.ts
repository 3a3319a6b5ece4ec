import { testEngine } from "@fivestep/db/testing";
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { type Actor, createFixture, type Fixture, procedureAt } from "./testing/fixtures.ts";
import { type PlanFixture, planFixture } from "./testing/plan-fixture.ts";

/**
 * Bad input to every procedure: arbitrary JSON values, and valid-looking inputs with one part
 * broken, as an administrator and as a partnership lead. No call may answer
 * INTERNAL_SERVER_ERROR or anything but a TRPCError with a message, and a call that fails must
 * leave every table as it was (no partial write; the audit trail included).
 */

// SQLite, where the suite's full run happens, tries 15 inputs of each kind per procedure and actor.
// The PostgreSQL run is there to show that the same procedures fail as cleanly on the other
// engine (its errors, types and transactions), not to search the input space again, and each call
// costs several times more there; so it tries 5 of each kind, still for every procedure and actor.
const RUNS = Number(process.env.FUZZ_RUNS ?? (testEngine() === "postgres" ? 5 : 15));
const ACTORS_UNDER_TEST: Actor[] = ["admin", "lead"];
// Tables a refused call may legitimately write: the sign-in rate limit and session bookkeeping.
const MAY_CHANGE_ON_FAILURE = new Set(["login_attempt", "session"]);

type Seed = (fx: Fixture, plan: PlanFixture) => unknown;

/** A valid-looking input per procedure, to break one part of at a time. */
const SEEDS: Record<string, Seed> = {
  "tokens.create": (fx) => ({
    partnershipId: fx.coventryId,
    name: "Coventry dashboard",
    scopes: ["reports:read"],
    sources: [],
    days: 90,
  }),
  "plan.list": (fx) => ({ partnershipId: fx.coventryId }),
  "plan.byId": (fx, p) => ({ partnershipId: fx.coventryId, planId: p.planId }),
  "plan.overview": (fx, p) => ({ partnershipId: fx.coventryId, planId: p.planId }),
  "plan.compare": (fx, p) => ({ partnershipId: fx.coventryId, fromPlanId: p.planId, toPlanId: p.planId }),
  "plan.create": (fx) => ({ partnershipId: fx.coventryId, title: "A new plan", startYear: 2011 }),
  "plan.update": (fx, p) => ({
    partnershipId: fx.coventryId,
    planId: p.planId,
    version: 1,
    title: "Renamed",
    startYear: 2008,
  }),
  "plan.setStatus": (fx, p) => ({
    partnershipId: fx.coventryId,
    planId: p.planId,
    version: 1,
    status: "submitted",
  }),
  "priority.create": (fx, p) => ({
    partnershipId: fx.coventryId,
    planId: p.planId,
    theme: "Crime",
    title: "To reduce crime",
    ownerName: "Police",
  }),
  "priority.update": (fx, p) => ({
    partnershipId: fx.coventryId,
    priorityId: p.priorityId,
    version: 1,
    theme: "Economy",
    title: "Jobs",
    ownerName: "Head of Economy",
  }),
  "priority.reorder": (fx, p) => ({
    partnershipId: fx.coventryId,
    planId: p.planId,
    priorityIds: [p.priorityId],
  }),
  "priority.analysis": (fx, p) => ({ partnershipId: fx.coventryId, itemId: p.indicatorItemId }),
  "priority.heatMap": (fx, p) => ({ partnershipId: fx.coventryId, priorityId: p.priorityId }),
  "priority.breakdowns": (fx, p) => ({ partnershipId: fx.coventryId, itemId: p.indicatorItemId }),
  "item.save": (fx, p) => ({
    partnershipId: fx.coventryId,
    priorityId: p.priorityId,
    item: { kind: "communication", data: { audience: "community", message: "How job creation is going" } },
  }),
  "item.addActionUpdate": (fx, p) => ({
    partnershipId: fx.coventryId,
    actionId: p.actionItemId,
    date: "2008-07-01",
    note: "Lease signed",
    percentComplete: 20,
  }),
  "item.saveChangePointNote": (fx, p) => ({
    partnershipId: fx.coventryId,
    itemId: p.indicatorItemId,
    period: "2006 Q3",
    note: "Plant closure",
  }),
  "observation.series": () => ({ indicatorCode: "NI 151", areaCodes: ["E08000026"] }),
  "observation.write": () => ({
    source: "Council returns",
    observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2007 Q3", value: 73.1 }],
  }),
  "indicator.byCode": () => ({ code: "NI 151" }),
  "indicator.create": () => ({
    code: "LOCAL 1",
    title: "A local indicator",
    valueType: "count",
    polarity: "no-judgement",
    frequency: "annual",
  }),
  "indicator.setStatus": () => ({ code: "NI 151", version: 1, status: "retired" }),
  "area.create": () => ({ code: "E08000025", name: "Birmingham", type: "district", parentCode: "E12000005" }),
  "area.update": () => ({
    code: "E08000026",
    version: 1,
    name: "Coventry",
    type: "district",
    parentCode: "E12000005",
  }),
  "partnership.create": () => ({ name: "West Midlands Forum", areaCode: "E12000005" }),
  "partnership.update": (fx) => ({
    id: fx.coventryId,
    version: 1,
    name: "Coventry Together",
    areaCode: "E08000026",
  }),
  "comparatorGroup.create": () => ({ name: "Pair", areaCodes: ["E08000026"] }),
  "comparatorGroup.addAreas": () => ({ id: 1, version: 1, areaCodes: ["E08000031"] }),
  "user.invite": (fx) => ({
    email: "new.person@coventry.example",
    displayName: "New Person",
    isAdmin: false,
    membership: { partnershipId: fx.coventryId, role: "viewer" },
  }),
  "auth.signIn": () => ({ email: "viewer@coventry.example", password: "not the password" }),
  "auth.changePassword": () => ({ currentPassword: "wrong password", newPassword: "another long password" }),
  "auth.saveEmailSettings": () => ({
    locale: "en-GB",
    dataReturns: true,
    actions: true,
    targets: true,
    weeklyDigest: true,
  }),
  "imports.preview": () => ({
    fileId: 1,
    mapping: {
      source: "Test",
      indicatorCode: "NI 151",
      columns: { area: "code", period: "when", value: "value" },
    },
  }),
  "imports.commit": () => ({ fileId: 1, acceptGoodRows: true }),
  "imports.startCommit": () => ({ fileId: 1, acceptGoodRows: true, revisionReason: "Corrected" }),
  "jobs.get": () => ({ jobId: 1 }),
  "jobs.list": () => ({ kind: "import.commit", state: "running", limit: 10 }),
  "imports.saveMapping": () => ({
    name: "Test",
    mapping: {
      source: "Test",
      indicatorCode: "NI 151",
      columns: { area: "code", period: "when", value: "value" },
    },
  }),
  "imports.addAreas": () => ({
    areas: [{ code: "E06000061", name: "North Northamptonshire", type: "district", parentCode: "E12000005" }],
  }),
  "imports.rollback": () => ({ batchId: 1, version: 1 }),
  "audit.list": () => ({}),
  "audit.forPartnership": (fx) => ({ partnershipId: fx.coventryId }),
};

/** Awkward values: empty, huge, negative, fractional, unicode, prototype keys, wrong types. */
const nasty = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "x".repeat(100_000),
    "Ünïcödé ✓ 🚀",
    "\ud800",
    "'; drop table observation; --",
    "__proto__",
    -1,
    0,
    1.5,
    2 ** 53,
    -(2 ** 31),
    Number.MAX_SAFE_INTEGER,
    null,
    true,
    [],
    {},
    { __proto__: { polluted: true } },
    "2007 Q5",
    "9999-99-99",
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

type Path = Array<string | number>;
function leafPaths(value: unknown, prefix: Path = []): Path[] {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    const inner = entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
    return prefix.length === 0 ? inner : [prefix, ...inner];
  }
  return [prefix];
}

/** The seed with the value at `path` replaced by `value` (or removed when `remove`). */
function mutate(seed: unknown, path: Path, value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(seed) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** The tables a fingerprint covers, and whether each has a version column; read once per database. */
const fingerprinted = new WeakMap<Fixture["db"], Promise<Array<{ name: string; hasVersion: boolean }>>>();

/**
 * Row counts (and version totals) of every table: a failed call must not change them. One query
 * for all the tables, as a query per table would cost most of this file's time on PostgreSQL.
 */
async function fingerprint(fx: Fixture): Promise<Record<string, string>> {
  let tables = fingerprinted.get(fx.db);
  if (!tables) {
    tables = fx.db.introspection
      .getTables()
      .then((all) =>
        all
          .filter((t) => !MAY_CHANGE_ON_FAILURE.has(t.name) && !t.name.startsWith("kysely_"))
          .map((t) => ({ name: t.name, hasVersion: t.columns.some((c) => c.name === "version") })),
      );
    fingerprinted.set(fx.db, tables);
  }
  const counts = (await tables).map(
    (t) =>
      sql`select ${sql.lit(t.name)} as t, count(*) as n, ${t.hasVersion ? sql`sum(version)` : sql.lit(0)} as v from ${sql.table(t.name)}`,
  );
  const { rows } = await sql<{
    t: string;
    n: unknown;
    v: unknown;
  }>`${sql.join(counts, sql` union all `)}`.execute(fx.db);
  const out: Record<string, string> = {};
  for (const row of rows) out[row.t] = `${Number(row.n)}/${Number(row.v ?? 0)}`;
  return out;
}

type Outcome = { ok: true } | { ok: false; code: string; message: string };

async function callAndCheck(fx: Fixture, actor: Actor, path: string, input: unknown): Promise<Outcome> {
  const call = procedureAt(await fx.caller(actor), path);
  // A job an earlier call started (a recompute, an export) writes when it runs: let it finish, so
  // its rows are not taken for this call's.
  await fx.jobs.idle();
  const before = await fingerprint(fx);
  let outcome: Outcome;
  try {
    await call(input);
    outcome = { ok: true };
  } catch (error) {
    if (!(error instanceof TRPCError))
      throw new Error(`${path} as ${actor} threw a non-tRPC error for ${preview(input)}: ${error}`);
    outcome = { ok: false, code: error.code, message: error.message };
  }
  if (!outcome.ok) {
    if (outcome.code === "INTERNAL_SERVER_ERROR")
      throw new Error(`${path} as ${actor}: internal error "${outcome.message}" for ${preview(input)}`);
    if (outcome.message.trim() === "")
      throw new Error(`${path} as ${actor}: ${outcome.code} without a message for ${preview(input)}`);
    expect(await fingerprint(fx), `${path} as ${actor} failed but wrote: ${preview(input)}`).toEqual(before);
  }
  return outcome;
}

function preview(input: unknown): string {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

describe("bad input to every procedure", () => {
  const paths = Object.keys(appRouter._def.procedures).sort();

  it("covers the whole router", () => {
    expect(paths.length).toBeGreaterThan(50);
  });

  for (const path of paths) {
    it(`${path}: arbitrary JSON and broken valid-looking inputs`, { timeout: 120_000 }, async () => {
      const fx = await createFixture();
      try {
        const plan = await planFixture(fx);
        for (const actor of ACTORS_UNDER_TEST) {
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(fc.jsonValue({ maxDepth: 3 }), nasty, fc.constant(undefined)),
              (input) => callAndCheck(fx, actor, path, input).then(() => true),
            ),
            { numRuns: RUNS },
          );
          const seedOf = SEEDS[path];
          if (!seedOf) continue;
          const seed = seedOf(fx, plan);
          const paths: Path[] = [[], ...leafPaths(seed)];
          await fc.assert(
            fc.asyncProperty(fc.constantFrom(...paths), nasty, fc.boolean(), async (at, value, remove) => {
              await callAndCheck(fx, actor, path, mutate(seed, at, value, remove));
              return true;
            }),
            { numRuns: RUNS },
          );
        }
      } finally {
        await fx.db.destroy();
      }
    });
  }
});
