import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESSION_COOKIE, startSession } from "@fivestep/api";
import {
  DEMO_USERS,
  findIndicatorByCode,
  findUserByEmail,
  insertPeriodLock,
  nowIso,
  seedDemoAccounts,
} from "@fivestep/db";
import { createTestDb } from "@fivestep/db/testing";
import { ImportMappingSchema } from "@fivestep/domain";
import { afterAll, describe, expect, it } from "vitest";
import { importFile } from "./import-command.ts";
import { buildServer } from "./server.ts";

describe("POST /api/imports and the import procedures over HTTP", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-imports-"));
  const db = await createTestDb({ demo: true });
  await seedDemoAccounts(db, new Map(DEMO_USERS.map((u) => [u.email, "not-a-real-hash"])));
  const app = await buildServer({ db, logLevel: false, uploadDir: dir, maxUploadBytes: 4096 });
  const cookieOf = async (email: string) => {
    const user = await findUserByEmail(db, email);
    if (!user) throw new Error(`no ${email}`);
    return `${SESSION_COOKIE}=${await startSession(db, user.id, { ip: null, userAgent: null })}`;
  };
  const admin = await cookieOf("admin@fivestep.example");
  afterAll(async () => {
    await app.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const csv = "code,when,value\nE08000026,2007 Q3,73.1\nE08000031,2007 Q3,bad\n";
  const post = (body: string | Buffer, cookie?: string, type = "text/csv") =>
    app.inject({
      method: "POST",
      url: "/api/imports?name=returns.csv",
      headers: { "content-type": type, ...(cookie ? { cookie } : {}) },
      payload: body,
    });
  const trpc = async (path: string, input: unknown) => {
    const res = await app.inject({
      method: "POST",
      url: `/trpc/${path}`,
      headers: { "content-type": "application/json", cookie: admin },
      payload: JSON.stringify(input),
    });
    return res.json() as { result?: { data: unknown }; error?: unknown };
  };

  it("refuses anonymous callers (401) and non-administrators (403)", async () => {
    expect((await post(csv)).statusCode).toBe(401);
    const editor = await post(csv, await cookieOf("editor@coventry.example"));
    expect(editor.statusCode).toBe(403);
    expect(editor.json()).toEqual({ error: "Only a system administrator may do this." });
  });

  it("refuses content that is neither CSV nor XLSX (415) and bodies over the cap (413)", async () => {
    expect((await post(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), admin, "image/png")).statusCode).toBe(
      415,
    );
    expect((await post("x".repeat(5000), admin)).statusCode).toBe(413);
  });

  it("stores a clean name: no control characters, no path, at most 200 characters", async () => {
    const upload = (name: string) =>
      app.inject({
        method: "POST",
        url: `/api/imports?name=${encodeURIComponent(name)}`,
        headers: { "content-type": "text/csv", cookie: admin },
        payload: csv,
      });
    const storedName = async (fileId: number) => {
      const res = await app.inject({
        url: `/trpc/imports.file?input=${encodeURIComponent(JSON.stringify({ fileId }))}`,
        headers: { cookie: admin },
      });
      return (res.json() as { result: { data: { name: string } } }).result.data.name;
    };
    const cases: Array<[string, string]> = [
      ["re\u0000turns\u0007 2008.csv", "returns 2008.csv"],
      ["C:\\Users\\pat\\..\\returns\u202e vsc.csv", "returns vsc.csv"],
      ["  \u0085\u009f\u0000  ", "upload"],
      [`${"a".repeat(5000)}.csv`, `${"a".repeat(196)}.csv`],
    ];
    for (const [given, expected] of cases) {
      const res = await upload(given);
      expect(res.statusCode, JSON.stringify(given)).toBe(201);
      const file = res.json() as { fileId: number; name: string };
      for (const name of [file.name, await storedName(file.fileId)]) {
        expect(name).toBe(expected);
        expect(name.length).toBeLessThanOrEqual(200);
      }
    }
  });

  it("stores an upload, then previews and commits it through tRPC", async () => {
    const res = await post(csv, admin, "application/octet-stream");
    expect(res.statusCode).toBe(201);
    const file = res.json() as { fileId: number; columns: string[]; format: string; sample: string[][] };
    expect(file).toMatchObject({
      format: "csv",
      columns: ["code", "when", "value"],
      sample: [
        ["E08000026", "2007 Q3", "73.1"],
        ["E08000031", "2007 Q3", "bad"],
      ],
    });

    const mapping = {
      source: "Returns",
      indicatorCode: "NI 151",
      columns: { area: "code", period: "when", value: "value" },
    };
    const preview = (await trpc("imports.preview", { fileId: file.fileId, mapping })).result?.data as {
      problems: unknown[];
    };
    expect(preview.problems).toEqual([
      {
        row: 3,
        column: "value",
        value: "bad",
        reason: "Not a number",
        code: "import.notNumber",
        params: { value: "bad" },
      },
    ]);
    const refused = (await trpc("imports.commit", { fileId: file.fileId })).result?.data;
    expect(refused).toMatchObject({ ok: false });
    const status = await app.inject({
      url: `/trpc/imports.status?input=${encodeURIComponent(JSON.stringify({ fileId: file.fileId }))}`,
      headers: { cookie: admin },
    });
    expect((status.json() as { result: { data: unknown } }).result.data).toMatchObject({
      phase: "commit",
      rowsProcessed: 2,
      done: true,
    });
    const written = (await trpc("imports.commit", { fileId: file.fileId, acceptGoodRows: true })).result
      ?.data;
    expect(written).toMatchObject({ ok: true, result: { inserted: 1, rejected: 1 } });
  });
});

describe("fivestep import", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-cli-"));
  const db = await createTestDb({ demo: true });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const mappingFile = join(dir, "mapping.json");
  writeFileSync(
    mappingFile,
    JSON.stringify({
      source: "Nightly",
      indicatorCode: "NI 152",
      columns: { area: "area", period: "period", value: "value" },
    }),
  );
  const run = async (
    csv: string,
    o: {
      mapping?: string;
      mappingFile?: string;
      acceptGoodRows?: boolean;
      saveMappingAs?: string;
      revisionReason?: string;
    },
  ) => {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(path, csv);
    const out: string[] = [];
    const err: string[] = [];
    const code = await importFile(db, path, {
      acceptGoodRows: false,
      ...o,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out, err };
  };

  it("prints the problems and exits 1 without writing, or writes the good rows when told", async () => {
    const csv = "area,period,value\nE08000026,2007 Q1,16.1\nE08000026,2007 Q2,lots\n";
    const refused = await run(csv, { mappingFile });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('  row 3, column "value", value "lots": Not a number');
    const n = await db.selectFrom("import_batch").selectAll().execute();
    expect(n).toEqual([]);

    const accepted = await run(csv, { mappingFile, acceptGoodRows: true });
    expect(accepted.code).toBe(0);
    expect(accepted.out.at(-1)).toMatch(
      /^Batch \d+: 1 new, 0 changed, 0 unchanged, 0 without a value, 1 refused\.$/,
    );
    expect(accepted.out.some((l) => /^commit: 2 rows, 100% of the file, [\d,]+ rows\/s$/.test(l))).toBe(true);
  });

  it("commits through the console's service: refuses a repeated key, and saves the mapping only when asked", async () => {
    const repeated = await run("area,period,value\nE08000026,2008 Q1,16.1\nE08000026,Jan - Mar 2008,16.3\n", {
      mappingFile,
    });
    expect(repeated.code).toBe(1);
    expect(repeated.err).toContain(
      '  row 3, column "period", value "NI 152, E08000026, 2008 Q1": Repeats row 2: the same indicator, area, period and breakdown',
    );
    const saved = () =>
      db.selectFrom("import_mapping").selectAll().where("source", "=", "Nightly file").execute();
    expect((await run("area,period,value\nE08000026,2008 Q1,16.1\n", { mappingFile })).code).toBe(0);
    expect(await saved()).toEqual([]);

    const asked = await run("area,period,value\nE08000026,2008 Q2,16.4\n", {
      mappingFile,
      saveMappingAs: "Nightly file",
    });
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('Mapping saved as "Nightly file".');
    const [row] = await saved();
    expect(JSON.parse(row?.mapping_json ?? "null")).toEqual(
      ImportMappingSchema.parse(JSON.parse(readFileSync(mappingFile, "utf8"))),
    );
    // Audited as the console's commits are, with no user: the batch, then the saved mapping.
    const trail = await db
      .selectFrom("audit_event")
      .select(["entity", "action", "actor_user_id", "request_id"])
      .where("entity", "in", ["import_batch", "import_mapping"])
      .orderBy("id", "desc")
      .limit(2)
      .execute();
    expect(trail).toEqual([
      { entity: "import_mapping", action: "create", actor_user_id: null, request_id: "cli" },
      { entity: "import_batch", action: "import", actor_user_id: null, request_id: "cli" },
    ]);
    // The saved mapping is then used by name.
    expect(
      (await run("area,period,value\nE08000026,2008 Q3,16.5\n", { mapping: "Nightly file" })).out.at(-1),
    ).toMatch(/1 new/);
  });

  it("refuses a file that changes a locked value without --revision-reason, and keeps the reason given", async () => {
    expect((await run("area,period,value\nE08000026,2010 Q1,10\n", { mappingFile })).code).toBe(0);
    const indicator = await findIndicatorByCode(db, "NI 152");
    if (!indicator) throw new Error("no NI 152");
    await insertPeriodLock(db, { indicatorId: indicator.id, period: "2010 Q1", by: null, at: nowIso() });
    const csv = "area,period,value\nE08000026,2010 Q1,11\nE08000026,2010 Q2,12\n";
    const refused = await run(csv, { mappingFile });
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      "The file changes values in locked periods (1): give one revision reason for all of them:",
      "  row 2: NI 152 E08000026 2010 Q1: 10 → 11",
      'Nothing was written. Run again with --revision-reason "…" to revise them.',
    ]);
    const stored = () =>
      db
        .selectFrom("observation as o")
        .innerJoin("indicator as i", "i.id", "o.indicator_id")
        .select(["o.period", "o.value"])
        .where("i.code", "=", "NI 152")
        .where("o.period", "in", ["2010 Q1", "2010 Q2"])
        .orderBy("o.period")
        .execute();
    expect(await stored()).toEqual([{ period: "2010 Q1", value: 10 }]);

    const revised = await run(csv, { mappingFile, revisionReason: "Corrected by the council" });
    expect(revised.code).toBe(0);
    expect(revised.out.at(-1)).toMatch(/^Batch \d+: 1 new, 1 changed,/);
    expect(await stored()).toEqual([
      { period: "2010 Q1", value: 11 },
      { period: "2010 Q2", value: 12 },
    ]);
    const [revision] = await db
      .selectFrom("observation_revision")
      .select(["old_json", "reason"])
      .orderBy("id", "desc")
      .limit(1)
      .execute();
    expect(revision?.reason).toBe("Corrected by the council");
    expect(JSON.parse(revision?.old_json ?? "{}")).toMatchObject({ value: 10 });
  });

  it("uses a remembered mapping by its source name, and a second run changes nothing", async () => {
    await db
      .insertInto("import_mapping")
      .values({
        source: "Nightly",
        mapping_json: JSON.stringify({
          source: "Nightly",
          indicatorCode: "NI 152",
          columns: { area: "area", period: "period", value: "value" },
        }),
        updated_at: new Date().toISOString(),
      })
      .execute();
    const csv = "area,period,value\nE08000031,2007 Q1,21.0\n";
    expect((await run(csv, { mapping: "Nightly" })).out.at(-1)).toMatch(/1 new/);
    expect((await run(csv, { mapping: "Nightly" })).out.at(-1)).toBe(
      "Nothing changed: all 1 value(s) were already stored.",
    );
    expect((await run(csv, { mapping: "Unknown" })).code).toBe(2);
  });

  it("says how it reads the file: a Windows-1252 file's encoding, separator, decimal commas and accented names", async () => {
    const path = join(dir, "welsh.csv");
    writeFileSync(
      path,
      Buffer.from(
        "area;period;value;name\nW06000001;2007 Q1;16,5;Ynys M\xf4n\nE08000026;2007 Q1;16,2;Coventry\n",
        "latin1",
      ),
    );
    const out: string[] = [];
    await importFile(db, path, { mappingFile, acceptGoodRows: true, out: (l) => out.push(l), err: () => {} });
    expect(out[0]).toMatch(
      /^Reading as windows-1252 \(suggested by the detector; .*\), columns separated by ";", decimal commas; texts with accents: Ynys Môn\.$/,
    );
  });

  it("holds a file from a source that arrives pending, and says who must approve it", async () => {
    await db
      .insertInto("import_mapping")
      .values({
        source: "Council feed",
        mapping_json: JSON.stringify({
          source: "Council feed",
          indicatorCode: "NI 152",
          columns: { area: "area", period: "period", value: "value" },
        }),
        updated_at: new Date().toISOString(),
        arrives_pending: 1,
      })
      .execute();
    const held = await run("area,period,value\nE08000026,2011 Q1,9.5\n", { mapping: "Council feed" });
    expect(held.out[0]).toBe('Reading as utf-8 (valid UTF-8), columns separated by ",".');
    expect(held.code).toBe(0);
    expect(held.out.at(-1)).toMatch(
      /^Batch \d+ is held for approval \(imports from "Council feed" arrive pending\): 1 new and 0 changed value\(s\) wait for an administrator/,
    );
    const stored = await db
      .selectFrom("observation as o")
      .innerJoin("indicator as i", "i.id", "o.indicator_id")
      .select("o.value")
      .where("i.code", "=", "NI 152")
      .where("o.period", "=", "2011 Q1")
      .execute();
    expect(stored).toEqual([]);
    const batch = await db
      .selectFrom("import_batch")
      .select("status")
      .orderBy("id", "desc")
      .limit(1)
      .execute();
    expect(batch).toEqual([{ status: "pending" }]);
  });
});
