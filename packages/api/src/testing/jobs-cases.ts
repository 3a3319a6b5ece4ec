import { insertJob, nowIso } from "@fivestep/db";
import { ACTORS, type Actor, type Fixture } from "./fixtures.ts";

type Access = "allow" | "deny";
type AccessMap = Record<Actor, Access>;
const signedIn: AccessMap = {
  anonymous: "deny",
  viewer: "allow",
  contributor: "allow",
  editor: "allow",
  lead: "allow",
  otherLead: "allow",
  admin: "allow",
};
const adminOnly: AccessMap = {
  anonymous: "deny",
  viewer: "deny",
  contributor: "deny",
  editor: "deny",
  lead: "deny",
  otherLead: "deny",
  admin: "allow",
};

const DATA_CSV = "code,when,value\nE08000026,2007 Q3,73.1\nE08000026,2007 Q2,72.5\n";
const DATA_MAPPING = {
  source: "Test",
  indicatorCode: "NI 151",
  columns: { area: "code", period: "when", value: "value" },
};
const previewed = async (fx: Fixture) => {
  const fileId = await fx.upload("data.csv", DATA_CSV);
  await (await fx.caller("admin")).imports.preview({ fileId, mapping: DATA_MAPPING });
  return fileId;
};

/**
 * The job procedures for the authorization matrix. `jobs.get` lets any signed-in person ask: a
 * job they may not read answers NOT_FOUND, as a missing id does (routers/jobs.test.ts shows who
 * may read which job).
 */
export const JOBS_MATRIX: Record<
  string,
  { access: AccessMap; input: (fx: Fixture) => Promise<unknown> | unknown }
> = {
  "imports.startCommit": {
    access: adminOnly,
    input: async (fx) => ({ fileId: await fx.upload("data.csv", DATA_CSV) }),
  },
  "jobs.get": {
    access: signedIn,
    input: async (fx) => ({
      jobId: await insertJob(fx.db, {
        kind: "import.commit",
        payload: { fileId: 1 },
        partnershipId: null,
        startedBy: await fx.userId(ACTORS.admin),
        at: nowIso(),
      }),
    }),
  },
  "jobs.list": { access: adminOnly, input: () => ({}) },
  "jobs.cancel": { access: signedIn, input: async (fx) => ({ jobId: await queuedJob(fx) }) },
};

/** A job queued by the administrator that no runner has taken (nothing runs it). */
const queuedJob = async (fx: Fixture) =>
  insertJob(fx.db, {
    kind: "import.commit",
    payload: { fileId: 1 },
    partnershipId: null,
    startedBy: await fx.userId(ACTORS.admin),
    at: nowIso(),
  });

/**
 * Procedures the foreign-records sweep leaves out, with why.
 */
export const JOBS_NOT_SWEPT: Record<string, string> = {
  "jobs.cancel":
    "a job is cancelled by whoever may read it (as jobs.get), never through a partnershipId; routers/jobs.test.ts shows Wolverhampton's job answering Coventry's lead NOT_FOUND",
  "jobs.get":
    "a job is read by its starter, administrators and its partnership's leads, never through a partnershipId; routers/jobs.test.ts shows Wolverhampton's job answering Coventry's lead NOT_FOUND, as a missing id does",
};

type Changed = { entity: string; entityId: number; action: string };

/**
 * The job mutations for the audit test: starting an import's commit is recorded at once; the
 * job's batch entry follows, as the same person and with the starting request's id.
 */
export const JOBS_SCENARIOS: Record<
  string,
  {
    actor: Actor;
    input: (fx: Fixture) => Promise<unknown>;
    changed: (fx: Fixture, r: unknown) => Promise<Changed[]>;
  }
> = {
  "imports.startCommit": {
    actor: "admin",
    input: async (fx) => ({ fileId: await previewed(fx) }),
    changed: async (fx, r) => {
      const { jobId } = r as { jobId: number };
      await fx.jobs.idle();
      const job = await (await fx.caller("admin")).jobs.get({ jobId });
      const batchId = (job.result as { result: { batchId: number } }).result.batchId;
      return [
        { entity: "job", entityId: jobId, action: "start" },
        { entity: "import_batch", entityId: batchId, action: "import" },
      ];
    },
  },
  "jobs.cancel": {
    actor: "admin",
    input: async (fx) => ({ jobId: await queuedJob(fx) }),
    changed: async (_fx, r) => [{ entity: "job", entityId: (r as { id: number }).id, action: "cancel" }],
  },
};
