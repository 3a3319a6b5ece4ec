import { testEngine } from "@fivestep/db/testing";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { MATRIX } from "./testing/authorization-matrix.ts";
import { ACTORS, createFixture, type Fixture, procedureAt } from "./testing/fixtures.ts";
import {
  type CoventryRecords,
  changedTables,
  coventryRecords,
  FOREIGN_MARK,
  FOREIGN_OFFSET,
  foreignRows,
  type IdSlot,
  idSlots,
  mirrorCoventry,
  schemaIdFields,
  snapshotTables,
  withIds,
} from "./testing/foreign-records.ts";
import { JOBS_NOT_SWEPT } from "./testing/jobs-cases.ts";
import { planFixture } from "./testing/plan-fixture.ts";

// Foreign records: a Coventry member names Wolverhampton's records by id.
//
// Wolverhampton holds a mirror of everything Coventry has (`mirrorCoventry`): each record's id is
// its Coventry twin's plus FOREIGN_OFFSET, and its texts carry FOREIGN_MARK. Each procedure a
// member may call that takes an id is called, with Coventry's partnershipId, on an input that
// works in Coventry, with Wolverhampton's ids put in its id fields, nested ones included: one
// field at a time (every Wolverhampton id, of any kind, for the lead; the twin for the others),
// then every field at once (the twins). Each such call must
//   - be refused: FORBIDDEN, NOT_FOUND, or BAD_REQUEST where a field is checked as belonging to
//     the partnership (an action's lead, an option's evidence); only the filters in MAY_ANSWER
//     may answer, and then with nothing of Wolverhampton's;
//   - answer exactly as it does for an id that names nothing, so nobody can learn that one exists;
//   - show nothing of Wolverhampton's (no FOREIGN_MARK in the answer or the error);
//   - change no row of any table (audit entries included).

/** Coventry members who try Wolverhampton's ids: the lead (every role check passes), an editor and a contributor. */
const FOREIGN_ACTORS = ["lead", "editor", "contributor"] as const;

/** An id that names no record in any table. */
const MISSING_ID = 999_999;

/** Id fields that name records every partnership shares, with why; these are not swept. */
const SHARED_ID_FIELDS: Record<string, string> = {
  "item.data.comparatorGroupId": "comparator groups are a catalogue shared by every partnership",
};

/** Procedures a member may call with ids that are left out of the sweep, with why. */
const NOT_SWEPT: Record<string, string> = {
  "comparatorGroup.byId": "comparator groups are a catalogue shared by every partnership",
  ...JOBS_NOT_SWEPT,
};

/**
 * Id fields that filter what the caller may already see, and so may answer (with nothing of
 * Wolverhampton's, and the same answer as for a missing id) rather than refuse.
 */
const MAY_ANSWER: Record<string, string[]> = {
  // Coventry's audit trail, by an actor or before an entry: an outsider's id just matches nothing.
  "audit.forPartnership": ["actorUserId", "cursor"],
  // Marks the caller's own notifications among those given; anyone else's are passed over.
  "monitoring.markRead": ["ids[]"],
};

/**
 * Inputs for the sweep where the matrix's one does not fill every id field or does not work in
 * Coventry as it stands; each must succeed for Coventry's lead (a test below checks).
 */
const FOREIGN_INPUTS: Record<string, (fx: Fixture, coventry: CoventryRecords) => Promise<unknown[]>> = {
  // Every kind of item, as an update of Coventry's and as a new one: evidence ids, the lead, the
  // indicator an action serves, and the plan of a plan-level item are all named by id.
  "item.save": async (fx) => {
    const items = await fx.db
      .selectFrom("plan_item as i")
      .innerJoin("plan as p", "p.id", "i.plan_id")
      .select(["i.id", "i.version", "i.kind", "i.plan_id", "i.priority_id", "i.data_json"])
      .where("p.partnership_id", "=", fx.coventryId)
      .where("p.status", "=", "draft")
      .execute();
    return items.flatMap((i) => {
      const where = i.priority_id === null ? { planId: i.plan_id } : { priorityId: i.priority_id };
      const item = { kind: i.kind, data: JSON.parse(i.data_json) };
      const created = { partnershipId: fx.coventryId, ...where, item };
      return [created, { ...created, id: i.id, version: i.version }];
    });
  },
  // Only an agreed plan can be refreshed.
  "plan.refresh": async (fx, c) => [{ partnershipId: fx.coventryId, planId: c.agreedPlanId }],
  "audit.forPartnership": async (fx, c) => [
    { partnershipId: fx.coventryId, actorUserId: await fx.userId(ACTORS.lead), cursor: c.auditEventId + 1 },
  ],
  "monitoring.markRead": async (_fx, c) => [{ ids: c.notificationIds }],
  "monitoring.publicPlan": async (_fx, c) => [{ planId: c.agreedPlanId }],
  // Only an agreed plan can be published.
  "monitoring.setPublished": async (fx, c) => [
    { partnershipId: fx.coventryId, planId: c.agreedPlanId, version: 1, published: true },
  ],
};

type ProcedureDef = { _def: { inputs: unknown[] } };
const PROCEDURES = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

/** The id fields a procedure's input accepts, other than the partnership's own. */
function idFieldsOf(path: string): string[] {
  const fields = (PROCEDURES[path]?._def.inputs ?? []).flatMap((s) => schemaIdFields(s));
  return [...new Set(fields)].filter((f) => f !== "partnershipId" && !(f in SHARED_ID_FIELDS));
}

/** Every procedure a Coventry member may call that takes an id: the ones swept. */
const SWEPT = Object.keys(MATRIX)
  .filter((path) => MATRIX[path]?.access.lead === "allow" && idFieldsOf(path).length > 0)
  .filter((path) => !(path in NOT_SWEPT))
  .sort();

/** A fresh database with Coventry's records, each swept procedure's inputs, and Wolverhampton's mirror. */
async function foreignFixture() {
  const fx = await createFixture();
  const coventry = await coventryRecords(fx);
  const inputs: Array<{ path: string; input: unknown }> = [];
  // Every input is made before the mirror, so whatever it names in Coventry has a twin.
  for (const path of SWEPT) {
    const made = FOREIGN_INPUTS[path];
    for (const input of made ? await made(fx, coventry) : [await MATRIX[path]?.input(fx)])
      inputs.push({ path, input });
  }
  const foreign = await mirrorCoventry(fx);
  return { fx, coventry, inputs, foreign };
}

/** "OK" or the error's code, and what the caller sees: the answer, or the message and its details. */
type Outcome = { code: string; text: string };

/** Calls a procedure; its answer or error, as the caller would see it. */
async function attempt(caller: unknown, path: string, input: unknown): Promise<Outcome> {
  try {
    return { code: "OK", text: JSON.stringify(await procedureAt(caller, path)(input)) ?? "" };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, text: `${error.message} ${JSON.stringify(error.cause ?? null)}` };
  }
}

/** What is wrong with a call that named Wolverhampton's records, or null when nothing is. */
function fault(call: { outcome: Outcome; missing: Outcome; changed: string[]; mayAnswer: boolean }) {
  const { outcome, missing, changed, mayAnswer } = call;
  // The ids themselves (six digits here) may differ; nothing else may.
  const seen = (o: Outcome) => `${o.code} ${o.text}`.replace(/\d{6}/g, "#").slice(0, 300);
  if (changed.length > 0) return `changed ${changed.join(", ")}`;
  if (outcome.text.includes(FOREIGN_MARK)) return `showed Wolverhampton's record: ${seen(outcome)}`;
  if (outcome.code === "OK" && !mayAnswer) return `succeeded: ${seen(outcome)}`;
  if (!["OK", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(outcome.code))
    return `answered ${seen(outcome)}`;
  if (seen(outcome) !== seen(missing))
    return `answered "${seen(outcome)}" but "${seen(missing)}" for a missing id`;
  return null;
}

describe("foreign records", () => {
  it("sweeps every procedure a member may call with an id, and fills every id field", async () => {
    const { fx, inputs } = await foreignFixture();
    try {
      expect(SWEPT.length).toBeGreaterThan(25);
      const unfilled = SWEPT.flatMap((path) => {
        const filled = new Set(
          inputs
            .filter((i) => i.path === path)
            .flatMap((i) => idSlots(i.input))
            .map((s) => s.field),
        );
        return idFieldsOf(path)
          .filter((f) => !filled.has(f))
          .map((f) => `${path}: ${f} (add an input that fills it to FOREIGN_INPUTS)`);
      });
      expect(unfilled).toEqual([]);
    } finally {
      await fx.db.destroy();
    }
  });

  // The sweep means something only if each input works in Coventry: otherwise a refusal says
  // nothing about the id. And working in Coventry must leave Wolverhampton's records alone.
  it.each(SWEPT)("%s: its sweep inputs work in Coventry and leave Wolverhampton alone", async (path) => {
    const { fx, inputs } = await foreignFixture();
    try {
      const caller = await fx.caller("lead");
      // One after another on one database: a procedure's inputs name different records.
      for (const { input } of inputs.filter((i) => i.path === path)) {
        const before = await snapshotTables(fx.db);
        const outcome = await attempt(caller, path, input);
        expect(outcome, JSON.stringify(input)).toMatchObject({ code: "OK" });
        const after = await snapshotTables(fx.db);
        const touched = changedTables(
          foreignRows(before, fx.wolverhamptonId),
          foreignRows(after, fx.wolverhamptonId),
        );
        expect(touched, "Wolverhampton's rows changed").toEqual([]);
      }
    } finally {
      await fx.db.destroy();
    }
  });

  // Found by the sweep: an action's lead could be any user id, so a Coventry editor could make a
  // Wolverhampton member the lead of a Coventry action (and a missing id was a server error).
  it("item.save takes an action's lead only from the partnership's members, or keeps the one it had", async () => {
    const fx = await createFixture();
    try {
      const plan = await planFixture(fx);
      const editor = await fx.caller("editor");
      const contributor = await fx.userId(ACTORS.contributor);
      const row = await fx.db
        .selectFrom("plan_item")
        .select("data_json")
        .where("id", "=", plan.actionItemId)
        .executeTakeFirstOrThrow();
      const save = (leadUserId: number, version: number) =>
        editor.item.save({
          partnershipId: fx.coventryId,
          priorityId: plan.priorityId,
          id: plan.actionItemId,
          version,
          item: { kind: "action", data: { ...JSON.parse(row.data_json), leadUserId } },
        });
      const refused = { code: "BAD_REQUEST", message: "Choose a member of this partnership" };
      await expect(save(await fx.userId(ACTORS.otherLead), 1)).rejects.toMatchObject(refused);
      await expect(save(MISSING_ID, 1)).rejects.toMatchObject(refused);
      // Its lead leaves Coventry: the action can still be edited, and keeps them as its lead.
      await fx.db
        .deleteFrom("membership")
        .where("user_id", "=", contributor)
        .where("partnership_id", "=", fx.coventryId)
        .execute();
      await expect(save(contributor, 1)).resolves.toMatchObject({ version: 2 });
      await expect(save(await fx.userId(ACTORS.lead), 2)).resolves.toMatchObject({ version: 3 });
      await expect(save(contributor, 3)).rejects.toMatchObject(refused);
    } finally {
      await fx.db.destroy();
    }
  });

  it.each(FOREIGN_ACTORS)("Coventry's %s cannot reach Wolverhampton's records by id", async (actor) => {
    const { fx, inputs, foreign } = await foreignFixture();
    try {
      const caller = await fx.caller(actor);
      const findings: string[] = [];
      let calls = 0;
      let tables = await snapshotTables(fx.db);
      /** Calls the procedure; what it answered, and which tables it changed. */
      const call = async (path: string, input: unknown) => {
        calls++;
        const outcome = await attempt(caller, path, input);
        const after = await snapshotTables(fx.db);
        const changed = changedTables(tables, after);
        tables = after; // so that each call is judged on its own
        return { outcome, changed };
      };

      for (const { path, input } of inputs) {
        const slots = idSlots(input).filter(
          (s) => s.field !== "partnershipId" && !(s.field in SHARED_ID_FIELDS),
        );
        const twins = (slot: IdSlot) => slot.ids.map((id) => id + FOREIGN_OFFSET);
        /** Calls with Wolverhampton's ids in these fields (the same fields with ids that name nothing first, to compare). */
        const tryIds = async (fields: IdSlot[], idSets: Array<{ what: string; ids: number[][] }>) => {
          const missing = await call(
            path,
            withIds(
              input,
              fields.map((s) => [s, [MISSING_ID]]),
            ),
          );
          const what = fields.map((s) => s.field).join(", ");
          if (missing.changed.length) findings.push(`${path} ${what}=missing: changed ${missing.changed}`);
          const mayAnswer = fields.every((s) => MAY_ANSWER[path]?.includes(s.field));
          for (const set of idSets) {
            const { outcome, changed } = await call(
              path,
              withIds(
                input,
                fields.map((s, i) => [s, set.ids[i] ?? []]),
              ),
            );
            const wrong = fault({ outcome, missing: missing.outcome, changed, mayAnswer });
            if (wrong) findings.push(`${path} ${set.what}: ${wrong}`);
          }
        };

        for (const slot of slots) {
          for (const twin of twins(slot).filter((id) => !foreign.ids.includes(id)))
            findings.push(`${path} ${slot.field}: ${twin - FOREIGN_OFFSET} has no Wolverhampton twin`);
          // A list gets one Wolverhampton id alone, so the Coventry ids beside it cannot act. The lead
          // tries every Wolverhampton id in every field on SQLite; on PostgreSQL (where snapshotting
          // every table per call is slow) each field's own twin, as for the other actors.
          const everyId = actor === "lead" && testEngine() === "sqlite";
          const ids = everyId ? foreign.ids : twins(slot);
          await tryIds(
            [slot],
            ids.map((id) => ({
              what: `${slot.field}=${id} (Wolverhampton's ${foreign.describe(id)})`,
              ids: [[id]],
            })),
          );
        }
        if (slots.length > 1)
          await tryIds(slots, [{ what: "with every id Wolverhampton's", ids: slots.map(twins) }]);
      }
      expect(calls).toBeGreaterThan(actor === "lead" && testEngine() === "sqlite" ? 500 : 50);
      expect(findings).toEqual([]);
    } finally {
      await fx.db.destroy();
    }
  });
});
