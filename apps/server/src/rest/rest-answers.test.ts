import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInProcessJobRunner, JOB_KINDS, newTokenSecret, saveImportMapping } from "@fivestep/api";
import {
  DEMO_USERS,
  findUserByEmail,
  insertApiToken,
  listAudit,
  nowIso,
  seedDemoAccounts,
  seedDemoPlan,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { validate } from "@readme/openapi-parser";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "../server.ts";

// The OpenAPI document as a contract: every operation it documents is called on a seeded demo
// database with a token of the operation's scope, and each answer is checked against the schema
// the document gives for its status (draft 2020-12, OpenAPI 3.1's dialect), refusals included.

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  "x-fivestep-scope": string;
  parameters: Array<{ name: string; in: "path" | "query"; required: boolean }>;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

// ajv-formats is CommonJS: its plugin is the module itself under Node's ESM.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

describe("the OpenAPI document answers as documented", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-rest-answers-"));
  const db = await createTestDb({ demo: true });
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "unused"])));
  const jobs = createInProcessJobRunner({ db, kinds: JOB_KINDS });
  const app = await buildServer({ db, logLevel: false, uploadDir: dir, jobs });
  afterAll(async () => {
    await jobs.idle();
    await app.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const coventry = (
    await db
      .selectFrom("partnership")
      .select("id")
      .where("name", "=", "Coventry Partnership")
      .executeTakeFirstOrThrow()
  ).id;
  const planId = (await seedDemoPlan(db)).planId;
  const token = async (
    by: string,
    scopes: string[],
    partnershipId: number | null,
    sources: string[] = [],
  ) => {
    const user = await findUserByEmail(db, by);
    if (!user) throw new Error(`no ${by}`);
    const { secret, hash, prefix } = newTokenSecret();
    await insertApiToken(db, {
      name: `${scopes.join(" ")} contract`,
      prefix,
      hash,
      scopes_json: JSON.stringify(scopes),
      sources_json: JSON.stringify(sources),
      partnership_id: partnershipId,
      created_by: user.id,
      created_at: nowIso(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    });
    return { authorization: `Bearer ${secret}` };
  };
  const admin = "admin@fivestep.example";
  const lead = "lead@coventry.example";
  const byScope: Record<string, { authorization: string }> = {
    "import:write": await token(admin, ["import:write"], null, ["Claimants"]),
    "observations:write": await token(admin, ["observations:write"], null),
    "plans:read": await token(lead, ["plans:read"], coventry),
    "reports:read": await token(lead, ["reports:read"], coventry),
  };
  await db.transaction().execute((trx) =>
    saveImportMapping(trx, { session: null, requestId: "setup" }, "Claimants", {
      source: "Claimants",
      indicatorCode: "NI 151",
      columns: { area: "code", period: "when", value: "value" },
      indicatorValues: {},
      rowFilter: {},
      breakdownValues: {},
      periodValues: {},
      defaultStatus: "final",
      missingValues: [""],
    } as never),
  );

  const doc = (await app.inject({ url: "/api/openapi.json" })).json() as Document;
  // Each component under its own id, the document's `#/components/schemas/X` references to it.
  const ajv = addFormats(new Ajv2020({ allErrors: true, allowUnionTypes: true }));
  const local = (schema: Schema): Schema =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"fivestep:')) as Schema;
  for (const [name, schema] of Object.entries(doc.components.schemas))
    ajv.addSchema(local(schema), `fivestep:${name}`);
  const validator = (schema: Schema): ValidateFunction => ajv.compile(local(schema));

  /** The answer's schema the document gives for a status and media type. */
  const documented = (op: Operation, status: number, type: string): Schema => {
    const schema = op.responses[String(status)]?.content?.[type]?.schema;
    if (!schema) throw new Error(`${op.operationId} documents no ${type} answer with status ${status}`);
    return schema;
  };
  const expectValid = (op: Operation, status: number, type: string, body: unknown) => {
    const check = validator(documented(op, status, type));
    expect(check(body) ? [] : check.errors, `${op.operationId} ${status}`).toEqual([]);
  };

  // What each operation is sent: its path's ids, its required query, the body of a POST.
  const values: Record<string, string> = {
    partnershipId: String(coventry),
    planId: String(planId),
    indicatorCode: "NI 151",
  };
  const bodies: Record<string, { type: string; payload: string }> = {
    importFile: { type: "text/csv", payload: "code,when,value\nE08000026,2011 Q2,74.9\n" },
    writeObservations: {
      type: "application/json",
      payload: JSON.stringify({
        source: "Council returns",
        observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2011 Q3", value: 75.1 }],
      }),
    },
    startReportExport: {
      type: "application/json",
      payload: JSON.stringify({ pack: "full", format: "csv", lang: "en-GB" }),
    },
  };
  const query: Record<string, string> = { mapping: "Claimants", areaCodes: "E08000026,E08000031" };
  const urlOf = (path: string, op: Operation) => {
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for {${name}} of ${op.operationId}`);
      return encodeURIComponent(value);
    });
    const params = op.parameters
      .filter((p) => p.in === "query" && query[p.name] !== undefined)
      .map((p) => `${p.name}=${encodeURIComponent(query[p.name] as string)}`);
    return params.length > 0 ? `${filled}?${params.join("&")}` : filled;
  };
  // The upload first (its job is the one `getJob` reads), the export last (then its file).
  const order = (id: string) =>
    ({ importFile: 0, getJob: 1, startReportExport: 3, downloadReportExport: 4 })[id] ?? 2;
  const operations = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
    .sort((a, b) => order(a.op.operationId) - order(b.op.operationId));

  it("the document still validates, and names a schema for every answer it documents", async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    for (const { op } of operations)
      for (const [status, answer] of Object.entries(op.responses))
        for (const [type, { schema }] of Object.entries(answer.content ?? {})) {
          expect(schema, `${op.operationId} ${status} ${type}`).toBeTruthy();
          // Nothing is a bare "some object": each JSON answer names its component.
          if (type.endsWith("json"))
            expect(Object.keys(schema), `${op.operationId} ${status}`).toEqual(["$ref"]);
        }
  });

  it("every documented operation answers its documented success with a body its schema accepts", async () => {
    const called: string[] = [];
    for (const { path, method, op } of operations) {
      const [status] = Object.keys(op.responses)
        .map(Number)
        .filter((s) => s >= 200 && s < 300);
      if (status === undefined) throw new Error(`${op.operationId} documents no success`);
      const body = bodies[op.operationId];
      const headers = byScope[op["x-fivestep-scope"]];
      if (!headers) throw new Error(`no token for ${op["x-fivestep-scope"]}`);
      const res = await app.inject({
        method: method.toUpperCase() as "GET" | "POST",
        url: urlOf(path, op),
        headers: { ...headers, ...(body ? { "content-type": body.type } : {}) },
        ...(body ? { payload: body.payload } : {}),
      });
      expect(res.statusCode, `${op.operationId}: ${res.body.slice(0, 300)}`).toBe(status);
      const type = String(res.headers["content-type"]).split(";")[0] as string;
      expect(Object.keys(op.responses[String(status)]?.content ?? {})).toContain(type);
      if (type === "application/json") expectValid(op, status, type, res.json());
      else expect(res.body.length, op.operationId).toBeGreaterThan(0);
      if (op.operationId === "importFile" || op.operationId === "startReportExport") {
        values.jobId = String((res.json() as { jobId: number }).jobId);
        await jobs.idle();
      }
      // A route that also answers CSV does so when asked.
      if (op.parameters.some((p) => p.name === "format")) {
        const url = urlOf(path, op);
        const csv = await app.inject({ url: `${url}${url.includes("?") ? "&" : "?"}format=csv`, headers });
        expect(csv.statusCode).toBe(status);
        expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
        expect(typeof csv.body).toBe("string");
        expect(Object.keys(op.responses[String(status)]?.content ?? {})).toContain("text/csv");
      }
      called.push(op.operationId);
    }
    expect(called.sort()).toEqual(operations.map((o) => o.op.operationId).sort());
    // The download is a use of the token like any procedure it calls: on the audit trail.
    const uses = await listAudit(db, { entity: "api_token", action: "use", limit: 100 });
    expect(uses.map((u) => u.after)).toContainEqual(
      expect.objectContaining({ procedure: "reportExports.download", outcome: "ok" }),
    );
    expect(called.length).toBeGreaterThanOrEqual(8);
  });

  it("every documented operation refuses a token without its scope (403) and no token (401) as its Problem schema says", async () => {
    for (const { path, method, op } of operations) {
      // A reader's token for the writes; an importer's (no read scope) for the reads.
      const writes = ["import:write", "observations:write"].includes(op["x-fivestep-scope"]);
      const refusing = writes ? byScope["plans:read"] : byScope["import:write"];
      const body = bodies[op.operationId];
      for (const [status, headers] of [
        [403, refusing ?? {}],
        [401, {}],
      ] as const) {
        const res = await app.inject({
          method: method.toUpperCase() as "GET" | "POST",
          url: urlOf(path, op),
          headers: { ...headers, ...(body ? { "content-type": body.type } : {}) },
          ...(body ? { payload: body.payload } : {}),
        });
        expect(res.statusCode, op.operationId).toBe(status);
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expectValid(op, status, "application/problem+json", res.json());
      }
    }
  });

  it("an exported report is downloaded only with a token of its partnership (another's: 404)", async () => {
    const url = `/api/v1/report-exports/${values.jobId}`;
    const mine = await app.inject({ url, headers: byScope["reports:read"] });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers["content-disposition"]).toMatch(/^attachment; filename=".+\.csv"$/);
    const wolverhampton = (
      await db
        .selectFrom("partnership")
        .select("id")
        .where("name", "=", "Wolverhampton Partnership")
        .executeTakeFirstOrThrow()
    ).id;
    const other = await token("lead@wolverhampton.example", ["reports:read"], wolverhampton);
    const theirs = await app.inject({ url, headers: other });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("the schemas are strict: an answer with a field they do not know, or a wrong type, is refused", async () => {
    const op = doc.paths["/api/v1/partnerships"]?.get;
    if (!op) throw new Error("listPartnerships is not documented");
    const check = validator(documented(op, 200, "application/json"));
    const res = await app.inject({ url: "/api/v1/partnerships", headers: byScope["plans:read"] });
    const [first] = res.json() as Array<Record<string, unknown>>;
    expect(check([first])).toBe(true);
    expect(check([{ ...first, secret: "x" }])).toBe(false);
    expect(check([{ ...first, id: "1" }])).toBe(false);
  });
});
