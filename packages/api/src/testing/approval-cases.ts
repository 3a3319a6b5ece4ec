import {
  classifyPendingRows,
  findAreaByCode,
  findIndicatorByCode,
  holdPendingRows,
  insertDataReturn,
  insertImportBatch,
  insertPeriodLock,
  nowIso,
  rememberImportMapping,
} from "@fivestep/db";
import { ACTORS, type Actor, type Fixture } from "./fixtures.ts";

type Access = "allow" | "deny";
type AccessMap = Record<Actor, Access>;
const nobody: AccessMap = {
  anonymous: "deny",
  viewer: "deny",
  contributor: "deny",
  editor: "deny",
  lead: "deny",
  otherLead: "deny",
  admin: "deny",
};
const lead: AccessMap = { ...nobody, lead: "allow" };
const adminOnly: AccessMap = { ...nobody, admin: "allow" };

/**
 * A Coventry data return whose value (72.9 for NI 151 2006 Q4) the contributor sent and a lead
 * may approve or reject, made once per fixture.
 */
const pending = new WeakMap<Fixture, Promise<{ id: number; version: number }>>();
function pendingReturn(fx: Fixture): Promise<{ id: number; version: number }> {
  let made = pending.get(fx);
  if (!made) {
    made = (async () => {
      const contributor = await fx.userId(ACTORS.contributor);
      const row = await insertDataReturn(fx.db, {
        partnership_id: fx.coventryId,
        indicator_code: "NI 151",
        period: "2006 Q4",
        due_date: "2099-11-30",
        assignee_user_id: contributor,
        status: "due",
        note: "",
        created_at: nowIso(),
      });
      await fx.db
        .updateTable("data_return")
        .set({
          status: "pending",
          value: 72.9,
          submitted_by: contributor,
          submitted_at: nowIso(),
          version: 2,
        })
        .where("id", "=", row.id)
        .execute();
      return { id: row.id, version: 2 };
    })();
    pending.set(fx, made);
  }
  return made;
}

/** A locked period (NI 151 2007 Q2), made once per fixture. */
const locks = new WeakMap<Fixture, Promise<number>>();
function lockedPeriod(fx: Fixture): Promise<number> {
  let made = locks.get(fx);
  if (!made) {
    made = (async () => {
      const indicator = await findIndicatorByCode(fx.db, "NI 151");
      const row = await insertPeriodLock(fx.db, {
        indicatorId: indicator?.id ?? 0,
        period: "2007 Q2",
        by: null,
        at: nowIso(),
      });
      return row.id;
    })();
    locks.set(fx, made);
  }
  return made;
}

/** An import source with a remembered mapping, made once per fixture. */
const sources = new WeakMap<Fixture, Promise<{ id: number; version: number }>>();
function importSource(fx: Fixture): Promise<{ id: number; version: number }> {
  let made = sources.get(fx);
  if (!made) {
    made = rememberImportMapping(
      fx.db,
      "ONS APS",
      {
        source: "ONS APS",
        indicatorCode: "NI 151",
        columns: { area: "code", period: "when", value: "value" },
      },
      nowIso(),
    ).then((r) => ({ id: r.id, version: r.version }));
    sources.set(fx, made);
  }
  return made;
}

/**
 * An import batch held for approval (one value: NI 151 for Coventry 2006 Q4, 72.9), sent from the
 * command line (by nobody), so an administrator may approve it; made once per fixture.
 */
const heldBatches = new WeakMap<Fixture, Promise<{ batchId: number; version: number }>>();
function heldBatch(fx: Fixture): Promise<{ batchId: number; version: number }> {
  let made = heldBatches.get(fx);
  if (!made) {
    made = (async () => {
      const batchId = await insertImportBatch(fx.db, {
        fileId: null,
        source: "ONS APS",
        fileName: "aps.csv",
        by: null,
        at: nowIso(),
        pending: true,
      });
      const indicator = await findIndicatorByCode(fx.db, "NI 151");
      const area = await findAreaByCode(fx.db, "E08000026");
      await holdPendingRows(fx.db, batchId, [
        {
          indicatorId: indicator?.id ?? 0,
          areaId: area?.id ?? 0,
          period: "2006 Q4",
          periodType: "quarter",
          periodStart: "2006-10-01",
          breakdown: "",
          value: 72.9,
          numerator: null,
          denominator: null,
          lower: null,
          upper: null,
          status: "final",
          note: null,
        },
      ]);
      await classifyPendingRows(fx.db, batchId);
      return { batchId, version: 1 };
    })();
    heldBatches.set(fx, made);
  }
  return made;
}

const approve = async (fx: Fixture) => ({
  partnershipId: fx.coventryId,
  returns: [await pendingReturn(fx)],
});

/**
 * The approval and locking procedures for the authorization matrix: who may call each, and with what.
 *
 * @example Object.assign(MATRIX, APPROVAL_MATRIX);
 */
export const APPROVAL_MATRIX: Record<
  string,
  { access: AccessMap; input: (fx: Fixture) => Promise<unknown> | unknown }
> = {
  "monitoring.approvalQueue": { access: lead, input: (fx) => ({ partnershipId: fx.coventryId }) },
  "monitoring.approveReturns": { access: lead, input: approve },
  "monitoring.rejectReturns": {
    access: lead,
    input: async (fx) => ({ ...(await approve(fx)), reason: "Check the decimal point" }),
  },
  "periodLock.list": { access: adminOnly, input: () => ({ indicatorCode: "NI 151" }) },
  "periodLock.lock": { access: adminOnly, input: () => ({ indicatorCode: "NI 151", period: "2007 Q1" }) },
  "periodLock.unlock": {
    access: adminOnly,
    input: async (fx) => {
      await lockedPeriod(fx);
      return { indicatorCode: "NI 151", period: "2007 Q2" };
    },
  },
  "imports.pendingBatches": { access: adminOnly, input: () => undefined },
  "imports.approveBatch": { access: adminOnly, input: heldBatch },
  "imports.rejectBatch": {
    access: adminOnly,
    input: async (fx) => ({ ...(await heldBatch(fx)), reason: "The file is last year's" }),
  },
  "importSource.list": { access: adminOnly, input: () => undefined },
  "importSource.setArrivesPending": {
    access: adminOnly,
    input: async (fx) => ({ ...(await importSource(fx)), arrivesPending: true }),
  },
};

type Changed = { entity: string; entityId: number; action: string };
type Scenario = {
  actor: Actor;
  input: (fx: Fixture) => Promise<unknown>;
  changed: (fx: Fixture, result: unknown) => Promise<Changed[]>;
};

/**
 * The approval and locking mutations for the audit test.
 *
 * @example Object.assign(SCENARIOS, APPROVAL_SCENARIOS);
 */
export const APPROVAL_SCENARIOS: Record<string, Scenario> = {
  "monitoring.approveReturns": {
    actor: "lead",
    input: approve,
    changed: async (fx) => [
      { entity: "data_return", entityId: (await pendingReturn(fx)).id, action: "approve" },
    ],
  },
  "monitoring.rejectReturns": {
    actor: "lead",
    input: async (fx) => ({ ...(await approve(fx)), reason: "Check the decimal point" }),
    changed: async (fx) => [
      { entity: "data_return", entityId: (await pendingReturn(fx)).id, action: "reject" },
    ],
  },
  "periodLock.lock": {
    actor: "admin",
    input: async () => ({ indicatorCode: "NI 151", period: "2007 Q1" }),
    changed: async (_fx, r) => [
      { entity: "period_lock", entityId: (r as { id: number }).id, action: "lock" },
    ],
  },
  "periodLock.unlock": {
    actor: "admin",
    input: async (fx) => {
      await lockedPeriod(fx);
      return { indicatorCode: "NI 151", period: "2007 Q2" };
    },
    changed: async (fx) => [{ entity: "period_lock", entityId: await lockedPeriod(fx), action: "unlock" }],
  },
  "imports.approveBatch": {
    actor: "admin",
    input: heldBatch,
    changed: async (fx) => [
      { entity: "import_batch", entityId: (await heldBatch(fx)).batchId, action: "approve" },
    ],
  },
  "imports.rejectBatch": {
    actor: "admin",
    input: async (fx) => ({ ...(await heldBatch(fx)), reason: "The file is last year's" }),
    changed: async (fx) => [
      { entity: "import_batch", entityId: (await heldBatch(fx)).batchId, action: "reject" },
    ],
  },
  "importSource.setArrivesPending": {
    actor: "admin",
    input: async (fx) => ({ ...(await importSource(fx)), arrivesPending: true }),
    changed: async (fx) => [
      { entity: "import_mapping", entityId: (await importSource(fx)).id, action: "update" },
    ],
  },
};
