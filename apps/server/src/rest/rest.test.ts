import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInProcessJobRunner, JOB_KINDS, newTokenSecret, saveImportMapping } from "@fivestep/api";
import {
  DEMO_USERS,
  findIndicatorByCode,
  findUserByEmail,
  insertApiToken,
  insertPeriodLock,
  nowIso,
  seedDemoAccounts,
  seedDemoPlan,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { validate } from "@readme/openapi-parser";
import { afterAll, describe, expect, it } from "vitest";
import { buildServer } from "../server.ts";
import { fastifyPath, REST_ROUTES } from "./routes.ts";

// The REST API through the real server (Fastify's inject, and a listening socket where the
// bytes on the wire matter), on a demo database with migrations.

describe("REST API /api/v1", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-rest-"));
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

  const userId = async (email: string) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new Error(`no ${email}`);
    return user.id;
  };
  const partnership = async (name: string) =>
    (await db.selectFrom("partnership").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
  const coventry = await partnership("Coventry Partnership");
  const wolverhampton = await partnership("Wolverhampton Partnership");
  const plan = { id: (await seedDemoPlan(db)).planId };

  const token = async (o: {
    by: string;
    scopes: string[];
    partnershipId: number | null;
    sources?: string[];
  }) => {
    const { secret, hash, prefix } = newTokenSecret();
    await insertApiToken(db, {
      name: `${o.scopes.join(" ")} token`,
      prefix,
      hash,
      scopes_json: JSON.stringify(o.scopes),
      sources_json: JSON.stringify(o.sources ?? []),
      partnership_id: o.partnershipId,
      created_by: await userId(o.by),
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
  const importer = await token({
    by: admin,
    scopes: ["import:write"],
    partnershipId: null,
    sources: ["Claimants"],
  });
  const writer = await token({ by: admin, scopes: ["observations:write"], partnershipId: null });
  const planReader = await token({ by: lead, scopes: ["plans:read"], partnershipId: coventry });
  const reportReader = await token({ by: lead, scopes: ["reports:read"], partnershipId: coventry });

  // A saved mapping, as "Save mapping as…" in the admin console keeps it.
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

  const countObservations = async () =>
    Number((await db.selectFrom("observation").select(db.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("answers 401 on every route without a token, whatever the body, as problem+json", async () => {
    for (const route of REST_ROUTES) {
      const url = fastifyPath(route.path)
        .replace(":partnershipId", String(coventry))
        .replace(":planId", String(plan.id))
        .replace(":jobId", "1")
        .replace(":indicatorCode", "NI%20151");
      const res = await app.inject({
        method: route.method,
        url,
        headers: { "content-type": route.upload ? "text/csv" : "application/json" },
        ...(route.method === "POST" ? { payload: '{"not":"even read"' } : {}),
      });
      expect(res.statusCode, route.path).toBe(401);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(res.json()).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    }
    const wrong = await app.inject({
      url: "/api/v1/partnerships",
      headers: { authorization: "Bearer fst_not-a-token-of-ours-0000000000000000000000000" },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it("answers 401 before reading a body: a body far over the limit is refused as unauthorised, not as too large", async () => {
    const huge = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: { "content-type": "application/json" },
      payload: "x".repeat(20 * 1024 * 1024),
    });
    expect(huge.statusCode).toBe(401);
    // Over a socket: the answer comes while the client has sent the headers and a few bytes of a
    // declared gigabyte, so the server never waited for (or read) the rest.
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    const files = await db.selectFrom("import_file").select("id").execute();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/v1/imports?mapping=Claimants",
          headers: { "content-type": "text/csv", "content-length": String(1024 ** 3) },
        },
        (res) => {
          res.resume();
          req.destroy();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write("code,when,value\n");
    });
    expect(status).toBe(401);
    expect(await db.selectFrom("import_file").select("id").execute()).toEqual(files);
  });

  it("refuses a scope that does not admit the route (403) and another partnership's plan (403)", async () => {
    const observations = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: planReader,
      payload: { source: "X", observations: [] },
    });
    expect(observations.statusCode).toBe(403);
    expect(observations.json()).toMatchObject({
      code: "FORBIDDEN",
      detail: expect.stringContaining("no scope"),
    });
    const overview = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/${plan.id}/overview`,
      headers: reportReader,
    });
    expect(overview.statusCode).toBe(403);
    const upload = await app.inject({
      method: "POST",
      url: "/api/v1/imports?mapping=Claimants",
      headers: { ...planReader, "content-type": "text/csv" },
      payload: "code,when,value\n",
    });
    expect(upload.statusCode).toBe(403);
    const foreign = await app.inject({
      url: `/api/v1/partnerships/${wolverhampton}/plans/${plan.id}/overview`,
      headers: planReader,
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const missing = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/999999/overview`,
      headers: planReader,
    });
    expect(missing.statusCode).toBe(404);
    const notAnId = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/first/overview`,
      headers: planReader,
    });
    expect(notAnId.statusCode).toBe(400);
    expect(notAnId.json().errors).toEqual([expect.objectContaining({ pointer: "/planId" })]);
  });

  it("uploads a file and imports it with a saved mapping: 202 with a job whose result has the counts", async () => {
    const before = await countObservations();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/imports?mapping=Claimants&name=claimants.csv",
      headers: { ...importer, "content-type": "text/csv" },
      payload: "code,when,value\nE08000026,2011 Q1,74.5\nE08000031,2011 Q1,70.9\n",
    });
    expect(res.statusCode).toBe(202);
    const accepted = res.json() as { jobId: number; links: { job: string } };
    expect(accepted).toMatchObject({ preview: { totalRows: 2, accepted: 2, rejected: 0 } });
    expect(res.headers.location).toBe(accepted.links.job);
    await jobs.idle();
    const job = await app.inject({ url: accepted.links.job, headers: importer });
    expect(job.statusCode).toBe(200);
    expect(job.json()).toMatchObject({
      state: "succeeded",
      result: { ok: true, result: { inserted: 2, rejected: 0 } },
    });
    expect(await countObservations()).toBe(before + 2);
  });

  it("a file with problems: the job writes nothing and its result lists the first 1,000 problems of all", async () => {
    const before = await countObservations();
    const rows = Array.from(
      { length: 1_050 },
      (_, i) => `E08000026,${2000 + Math.floor(i / 4)} Q${(i % 4) + 1},n/a?`,
    );
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/imports?mapping=Claimants",
      headers: { ...importer, "content-type": "text/csv" },
      payload: `code,when,value\n${rows.join("\n")}\n`,
    });
    expect(res.statusCode).toBe(202);
    await jobs.idle();
    const job = (await app.inject({ url: res.json().links.job, headers: importer })).json();
    expect(job).toMatchObject({
      state: "failed",
      result: { ok: false, check: { rejected: 1_050 } },
    });
    // Every problem is counted (a row may have more than one); the first 1,000 are listed.
    expect(job.result.check.problemCount).toBeGreaterThanOrEqual(1_050);
    expect(job.result.check.problems).toHaveLength(1_000);
    expect(job.result.check.problems[0]).toMatchObject({ row: 2, column: "value", value: "n/a?" });
    expect(await countObservations()).toBe(before);
  });

  it("refuses an unknown mapping (404) and a mapping of a source the token does not name (403), reading no file", async () => {
    const files = await db.selectFrom("import_file").select("id").execute();
    const unknown = await app.inject({
      method: "POST",
      url: "/api/v1/imports?mapping=Nobody",
      headers: { ...importer, "content-type": "text/csv" },
      payload: "code,when,value\n",
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ pointer: "mapping" })]);
    const other = await token({
      by: admin,
      scopes: ["import:write"],
      partnershipId: null,
      sources: ["Other"],
    });
    const refused = await app.inject({
      method: "POST",
      url: "/api/v1/imports?mapping=Claimants",
      headers: { ...other, "content-type": "text/csv" },
      payload: "code,when,value\nE08000026,2011 Q2,1\n",
    });
    expect(refused.statusCode).toBe(403);
    expect(await db.selectFrom("import_file").select("id").execute()).toEqual(files);
  });

  it("writes observations sent as JSON; a bad row answers 400 naming the row and field and writes nothing", async () => {
    const before = await countObservations();
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: writer,
      payload: {
        source: "Council returns",
        observations: [
          { indicatorCode: "NI 151", areaCode: "E08000026", period: "2012 Q1", value: 71 },
          { indicatorCode: "NI 151", areaCode: "E08000026", period: "2012 Q2", value: 150 },
          { indicatorCode: "NI 151", areaCode: "E08000026", period: "2012 Q1", value: 72 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const problem = bad.json() as { errors: Array<{ pointer: string; index: number; field: string }> };
    expect(problem.errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(["/observations/1/value", expect.stringMatching(/^\/observations\/2\//)]),
    );
    expect(problem.errors.find((e) => e.index === 1)).toMatchObject({ field: "value" });
    expect(await countObservations()).toBe(before);

    const wrongType = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: writer,
      payload: {
        source: "Council returns",
        observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2012 Q1", value: "71" }],
      },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors).toEqual([expect.objectContaining({ pointer: "/observations/0/value" })]);

    const malformed = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: { ...writer, "content-type": "application/json" },
      payload: '{"source": "Council returns", "observations": [',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers["content-type"]).toMatch(/^application\/problem\+json/);

    const indicator = await findIndicatorByCode(db, "NI 151");
    if (!indicator) throw new Error("no NI 151");
    await insertPeriodLock(db, { indicatorId: indicator.id, period: "2007 Q2", by: null, at: nowIso() });
    const locked = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: writer,
      payload: {
        source: "Council returns",
        observations: [{ indicatorCode: "NI 151", areaCode: "E08000026", period: "2007 Q2", value: 12.5 }],
      },
    });
    expect(locked.statusCode).toBe(400);
    expect(locked.json().errors).toEqual([expect.objectContaining({ pointer: "/revisionReason" })]);
    expect(await countObservations()).toBe(before);

    const good = await app.inject({
      method: "POST",
      url: "/api/v1/observations",
      headers: writer,
      payload: {
        source: "Council returns",
        observations: [
          { indicatorCode: "NI 151", areaCode: "E08000026", period: "2012 Q1", value: 71 },
          {
            indicatorCode: "NI 151",
            areaCode: "E08000031",
            period: "2012 Q1",
            value: 69.5,
            status: "provisional",
          },
        ],
      },
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ ok: true, inserted: 2, pending: false });
    expect(await countObservations()).toBe(before + 2);
  });

  it("reads an indicator's series for areas, the token's partnerships, a plan's overview and report", async () => {
    const series = await app.inject({
      url: "/api/v1/indicators/NI%20151/series?areaCodes=E08000026,E08000031",
      headers: planReader,
    });
    expect(series.statusCode).toBe(200);
    const body = series.json() as { indicator: { code: string }; series: Array<{ areaCode: string }> };
    expect(body.indicator.code).toBe("NI 151");
    expect(body.series.map((s) => s.areaCode).sort()).toEqual(["E08000026", "E08000031"]);
    const mine = await app.inject({ url: "/api/v1/partnerships", headers: planReader });
    expect(mine.json()).toEqual([expect.objectContaining({ id: coventry })]);
    const plans = await app.inject({ url: `/api/v1/partnerships/${coventry}/plans`, headers: planReader });
    expect(plans.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: plan.id })]));
    const overview = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/${plan.id}/overview`,
      headers: planReader,
    });
    expect(overview.statusCode).toBe(200);
    expect(Object.keys(overview.json()).length).toBeGreaterThan(0);
    const report = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/${plan.id}/report`,
      headers: reportReader,
    });
    expect(report.statusCode).toBe(200);
    expect(Object.keys(report.json()).length).toBeGreaterThan(0);
    const csv = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/${plan.id}/report?format=csv`,
      headers: reportReader,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.body.split("\r\n").length).toBeGreaterThan(2);
    const pdf = await app.inject({
      url: `/api/v1/partnerships/${coventry}/plans/${plan.id}/report?format=pdf`,
      headers: reportReader,
    });
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().errors).toEqual([expect.objectContaining({ pointer: "/format" })]);
    const unknown = await app.inject({ url: "/api/v1/indicators/NOPE/series", headers: planReader });
    expect(unknown.statusCode).toBe(404);
  });

  it("serves a valid OpenAPI 3.1 document that covers every route the server has under /api/v1", async () => {
    const res = await app.inject({ url: "/api/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : result.errors).toEqual([]);
    // The validator does refuse a broken document (a path parameter the operation does not declare).
    const broken = structuredClone(doc);
    broken.paths["/api/v1/jobs/{jobId}"].get.parameters = [];
    expect((await validate(broken)).valid).toBe(false);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${fastifyPath(path)}`),
    );
    // Every route the server has under /api/v1, from Fastify's route tree (children indented
    // under their parent's path, four characters a level).
    const stack: string[] = [];
    const served = app
      .printRoutes({ commonPrefix: false })
      .split("\n")
      .flatMap((line) => {
        const m = /^(.*?)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
        if (!m) return [];
        const depth = (m[1] as string).length / 4;
        stack.length = depth;
        stack.push(m[2] as string);
        const url = stack.join("");
        return url.startsWith("/api/v1/") && m[3]
          ? m[3]
              .split(", ")
              .filter((x) => x !== "HEAD")
              .map((x) => `${x} ${url}`)
          : [];
      });
    expect(served.length).toBeGreaterThan(0);
    expect(documented.sort()).toEqual(served.sort());
    // Parameters come from the procedures' zod schemas: the series' areas are a list of codes.
    const series = doc.paths["/api/v1/indicators/{indicatorCode}/series"].get;
    expect(series.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "areaCodes",
          in: "query",
          schema: expect.objectContaining({ type: "array" }),
        }),
      ]),
    );
  });

  it("serves the reference page under the content security policy, with no script and nothing from elsewhere", async () => {
    const res = await app.inject({ url: "/api/docs" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    const page = res.body;
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(/i);
    for (const route of REST_ROUTES) expect(page).toContain(`id="${route.operationId}"`);
  });
});
