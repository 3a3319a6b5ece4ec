import { insertDataReturn, latestAuditId, listAudit, nowIso } from "@fivestep/db";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { resolveBearer, tokenHash } from "../auth/tokens.ts";
import { ACTORS, createFixture, type Fixture } from "../testing/fixtures.ts";
import { makeToken, tokenCaller } from "../testing/token-cases.ts";

async function withFixture(run: (fx: Fixture) => Promise<void>) {
  const fx = await createFixture();
  try {
    await run(fx);
  } finally {
    await fx.db.destroy();
  }
}

/** Every row of every table as one text, to look for a secret in. */
async function everything(fx: Fixture): Promise<string> {
  const tables = await fx.db.introspection.getTables();
  let all = "";
  for (const t of tables)
    all += JSON.stringify((await sql`select * from ${sql.table(t.name)}`.execute(fx.db)).rows);
  return all;
}

describe("API tokens", () => {
  it("are shown once and stored only as a hash; the audit trail keeps no secret", () =>
    withFixture(async (fx) => {
      const admin = await fx.caller("admin");
      const made = await admin.tokens.create({
        name: "Warehouse nightly",
        scopes: ["import:write"],
        sources: ["ONS APS"],
        partnershipId: null,
        days: 366,
      });
      expect(made.secret).toMatch(/^fst_[A-Za-z0-9_-]{43}$/);
      expect(made.token).toMatchObject({ name: "Warehouse nightly", prefix: made.secret.slice(0, 12) });
      const stored = await everything(fx);
      expect(stored).not.toContain(made.secret.slice(4));
      expect(stored).toContain(tokenHash(made.secret));
      const [entry] = await listAudit(fx.db, { entity: "api_token", limit: 1 });
      expect(JSON.stringify(entry)).not.toContain(tokenHash(made.secret));
      const listed = JSON.stringify(await admin.tokens.list());
      expect(listed).toContain("Warehouse nightly");
      expect(listed).not.toContain(made.secret.slice(4));
      expect(listed).not.toContain(tokenHash(made.secret));
    }));

  it("last at most a year", () =>
    withFixture(async (fx) => {
      const admin = await fx.caller("admin");
      await expect(
        admin.tokens.create({ name: "Forever", scopes: ["plans:read"], partnershipId: null, days: 367 }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }));

  it("a lead makes tokens only for their partnership, and never grants catalogue writes", () =>
    withFixture(async (fx) => {
      const lead = await fx.caller("lead");
      await expect(
        lead.tokens.create({
          name: "Imports",
          scopes: ["import:write"],
          sources: ["ONS APS"],
          partnershipId: fx.coventryId,
          days: 30,
        }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("import:write") });
      await expect(
        lead.tokens.create({
          name: "Theirs",
          scopes: ["plans:read"],
          partnershipId: fx.wolverhamptonId,
          days: 30,
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        lead.tokens.create({ name: "Everyone's", scopes: ["plans:read"], partnershipId: null, days: 30 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      const ok = await lead.tokens.create({
        name: "Returns robot",
        scopes: ["observations:write"],
        partnershipId: fx.coventryId,
        days: 30,
      });
      expect(ok.token.partnershipId).toBe(fx.coventryId);
    }));

  it("a lead's token sends a data return that arrives pending, audited under the token's name", () =>
    withFixture(async (fx) => {
      const contributor = await fx.userId(ACTORS.contributor);
      const due = await insertDataReturn(fx.db, {
        partnership_id: fx.coventryId,
        indicator_code: "NI 151",
        period: "2006 Q4",
        due_date: "2099-11-30",
        assignee_user_id: contributor,
        status: "due",
        note: "",
        created_at: nowIso(),
      });
      const { secret, id } = await makeToken(fx, {
        creator: "lead",
        name: "Returns robot",
        scopes: ["observations:write"],
        partnership: "coventry",
      });
      const machine = await tokenCaller(fx, secret);
      const sent = await machine.monitoring.submitReturn({
        partnershipId: fx.coventryId,
        id: due.id,
        version: due.version,
        value: 72.9,
      });
      expect(sent.status).toBe("pending");
      const [entry] = await listAudit(fx.db, { entity: "data_return", limit: 1 });
      expect(entry).toMatchObject({
        action: "submit",
        actorTokenId: id,
        actorTokenName: "Returns robot",
        actorUserId: await fx.userId(ACTORS.lead),
      });
      // It waits for a lead who did not send it: the token's creator may not approve it.
      const lead = await fx.caller("lead");
      await expect(
        lead.monitoring.approveReturns({
          partnershipId: fx.coventryId,
          returns: [{ id: sent.id, version: sent.version }],
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      // The token reaches no other partnership.
      await expect(machine.monitoring.returns({ partnershipId: fx.wolverhamptonId })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }));

  it("an import:write token previews only files of its named sources", () =>
    withFixture(async (fx) => {
      const { secret } = await makeToken(fx, {
        creator: "admin",
        scopes: ["import:write"],
        sources: ["ONS APS"],
        partnership: null,
      });
      const machine = await tokenCaller(fx, secret);
      const fileId = await fx.upload("data.csv", "code,when,value\nE08000026,2007 Q3,73.1\n");
      const mapping = (source: string) => ({
        source,
        indicatorCode: "NI 151",
        columns: { area: "code", period: "when", value: "value" },
      });
      await expect(
        machine.imports.preview({ fileId, mapping: mapping("Somebody else") }),
      ).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(machine.imports.preview({ fileId, mapping: mapping("ONS APS") })).resolves.toBeDefined();
      // A file a person previewed for another source cannot be committed with the token.
      await (await fx.caller("admin")).imports.preview({ fileId, mapping: mapping("Somebody else") });
      await expect(machine.imports.commit({ fileId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }));

  it("stop working when revoked, expired, or their creator loses the role", () =>
    withFixture(async (fx) => {
      const admin = await fx.caller("admin");
      const revoked = await makeToken(fx, {
        creator: "lead",
        scopes: ["plans:read"],
        partnership: "coventry",
      });
      expect(await resolveBearer(fx.db, revoked.secret)).not.toBeNull();
      await admin.tokens.revoke({ id: revoked.id, version: revoked.version });
      expect(await resolveBearer(fx.db, revoked.secret)).toBeNull();

      const expired = await makeToken(fx, {
        creator: "lead",
        scopes: ["plans:read"],
        partnership: "coventry",
        days: -1,
      });
      expect(await resolveBearer(fx.db, expired.secret)).toBeNull();

      const adminToken = await makeToken(fx, {
        creator: "admin",
        scopes: ["import:write"],
        sources: ["Test"],
        partnership: null,
      });
      expect(await resolveBearer(fx.db, adminToken.secret)).not.toBeNull();
      await fx.db.updateTable("app_user").set({ is_admin: 0 }).where("email", "=", ACTORS.admin).execute();
      expect(await resolveBearer(fx.db, adminToken.secret)).toBeNull();

      const leadToken = await makeToken(fx, {
        creator: "lead",
        scopes: ["plans:read"],
        partnership: "coventry",
      });
      expect(await resolveBearer(fx.db, leadToken.secret)).not.toBeNull();
      await fx.db
        .updateTable("membership")
        .set({ role: "viewer" })
        .where("user_id", "=", await fx.userId(ACTORS.lead))
        .execute();
      expect(await resolveBearer(fx.db, leadToken.secret)).toBeNull();
    }));

  it("a lead revokes their partnership's tokens only", () =>
    withFixture(async (fx) => {
      const theirs = await makeToken(fx, { creator: "otherLead", scopes: ["plans:read"], partnership: null });
      const lead = await fx.caller("lead");
      await expect(
        lead.tokens.revoke({ partnershipId: fx.coventryId, id: theirs.id, version: theirs.version }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(lead.tokens.revoke({ id: theirs.id, version: theirs.version })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }));

  it("every use of a token, reads and refusals included, leaves one audit entry under its name", () =>
    withFixture(async (fx) => {
      const { secret, id } = await makeToken(fx, {
        creator: "lead",
        name: "Dashboard feed",
        scopes: ["plans:read"],
        partnership: "coventry",
      });
      const machine = await tokenCaller(fx, secret, "req-read-1");
      const uses = () => listAudit(fx.db, { entity: "api_token", action: "use", limit: 500 });
      expect(await uses()).toEqual([]);
      const plan = await (await fx.caller("editor")).plan.create({
        partnershipId: fx.coventryId,
        title: "Read by a machine",
        vision: "",
        startYear: 2008,
      });
      await machine.plan.list({ partnershipId: fx.coventryId });
      const [read, ...rest] = await uses();
      expect(rest).toEqual([]);
      expect(read).toMatchObject({
        action: "use",
        entity: "api_token",
        entityId: String(id),
        actorTokenId: id,
        actorTokenName: "Dashboard feed",
        actorUserId: await fx.userId(ACTORS.lead),
        partnershipId: fx.coventryId,
        requestId: "req-read-1",
        after: {
          procedure: "plan.list",
          type: "query",
          ids: { partnershipId: fx.coventryId },
          outcome: "ok",
        },
      });
      // A read that names a record records its id; another partnership's, or a procedure the
      // scope does not admit, is refused and recorded as refused.
      await machine.plan.byId({ partnershipId: fx.coventryId, planId: plan.id });
      expect((await uses())[0]?.after).toMatchObject({
        procedure: "plan.byId",
        ids: { partnershipId: fx.coventryId, planId: plan.id },
        outcome: "ok",
      });
      await expect(machine.plan.list({ partnershipId: fx.wolverhamptonId })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect((await uses())[0]?.after).toMatchObject({ procedure: "plan.list", outcome: "FORBIDDEN" });
      await expect(machine.monitoring.returns({ partnershipId: fx.coventryId })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      expect((await uses())[0]?.after).toMatchObject({
        procedure: "monitoring.returns",
        outcome: "FORBIDDEN",
      });
      expect(await uses()).toHaveLength(4);
      // Nothing of the secret is kept with the uses.
      const kept = JSON.stringify(await uses());
      expect(kept).not.toContain(secret.slice(4));
      expect(kept).not.toContain(tokenHash(secret));
      // A person's reads leave no entry: only tokens' uses are recorded.
      await (await fx.caller("lead")).plan.list({ partnershipId: fx.coventryId });
      expect(await uses()).toHaveLength(4);
    }));

  it("a token's reads do not move the change counter that caches are keyed by; a change does", () =>
    withFixture(async (fx) => {
      const { secret } = await makeToken(fx, {
        creator: "lead",
        scopes: ["plans:read"],
        partnership: "coventry",
      });
      const machine = await tokenCaller(fx, secret);
      const editor = await fx.caller("editor");
      const plan = await editor.plan.create({
        partnershipId: fx.coventryId,
        title: "Counted",
        vision: "",
        startYear: 2008,
      });
      const before = await latestAuditId(fx.db);
      expect(before).toBeGreaterThan(0);
      await machine.plan.overview({ partnershipId: fx.coventryId, planId: plan.id });
      await machine.plan.list({ partnershipId: fx.coventryId });
      expect(await listAudit(fx.db, { entity: "api_token", action: "use" })).toHaveLength(2);
      expect(await latestAuditId(fx.db)).toBe(before);
      await editor.plan.update({
        partnershipId: fx.coventryId,
        planId: plan.id,
        version: plan.version,
        title: "Counted again",
        vision: "",
        startYear: 2008,
      });
      expect(await latestAuditId(fx.db)).toBeGreaterThan(before);
    }));
});
