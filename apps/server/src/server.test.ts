import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb } from "@fivestep/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { redactUrl } from "./config.ts";
import { buildServer } from "./server.ts";

describe("the HTTP server", async () => {
  const dir = mkdtempSync(join(tmpdir(), "fivestep-server-"));
  const plannerDir = join(dir, "planner");
  const adminDir = join(dir, "admin");
  mkdirSync(join(plannerDir, "assets"), { recursive: true });
  mkdirSync(adminDir, { recursive: true });
  writeFileSync(join(plannerDir, "index.html"), "<title>planner</title>");
  writeFileSync(join(plannerDir, "assets", "app.js"), "console.log(1)");
  writeFileSync(join(adminDir, "index.html"), "<title>admin</title>");
  const db = await createTestDb({ demo: true });
  const app = await buildServer({ db, plannerDir, adminDir, logLevel: false });
  afterAll(async () => {
    await app.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers tRPC queries under /trpc with the demo data", async () => {
    const input = encodeURIComponent(JSON.stringify({ indicatorCode: "NI 151", areaCodes: ["E08000026"] }));
    const res = await app.inject({ method: "GET", url: `/trpc/observation.series?input=${input}` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { result: { data: { series: Array<{ points: Array<{ value: number }> }> } } };
    expect(body.result.data.series[0]?.points.at(-1)?.value).toBe(72.4);
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("returns field-level errors for bad input", async () => {
    const input = encodeURIComponent(JSON.stringify({ indicatorCode: "" }));
    const res = await app.inject({ method: "GET", url: `/trpc/observation.series?input=${input}` });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { data: { zodError: { fieldErrors: Record<string, string[]> } } } };
    expect(body.error.data.zodError.fieldErrors.indicatorCode).toEqual(["Enter an indicator code"]);
  });

  it("serves each app and falls back to its index.html for client routes", async () => {
    expect((await app.inject("/")).body).toContain("planner");
    expect((await app.inject("/indicators/NI%20151")).body).toContain("planner");
    expect((await app.inject("/assets/app.js")).body).toBe("console.log(1)");
    expect((await app.inject("/admin/")).body).toContain("admin");
    expect((await app.inject("/admin/indicators")).body).toContain("admin");
    expect((await app.inject("/missing.js")).statusCode).toBe(404);
  });

  it("sends security headers and keeps a given request id", async () => {
    const res = await app.inject({ url: "/healthz", headers: { "x-request-id": "abc-123" } });
    expect(res.headers["x-request-id"]).toBe("abc-123");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(res.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
  });
});

describe("config", () => {
  it("never prints a database password", () => {
    expect(redactUrl("postgres://fivestep:s3cret@127.0.0.1:5432/fivestep")).toBe(
      "postgres://fivestep:***@127.0.0.1:5432/fivestep",
    );
  });
});
