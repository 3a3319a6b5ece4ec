import { AUDIT_MESSAGES, type AuditWords } from "@fivestep/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "./testing/fixtures.ts";
import { tokenCaller } from "./testing/token-cases.ts";

let fx: Fixture;
const sentences: Record<"en-GB" | "hr-HR", string[]> = { "en-GB": [], "hr-HR": [] };
let words: AuditWords[] = [];
let planId = 0;

/** A sentence in a language, as the apps write it (numbers in the locale's notation). */
function say(w: AuditWords, locale: "en-GB" | "hr-HR"): string {
  const messages: Record<string, string> = AUDIT_MESSAGES[locale];
  const value = (v: AuditWords["params"][string]): string =>
    typeof v === "number"
      ? new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(v)
      : typeof v === "string"
        ? v
        : (messages[v.id] ?? v.id);
  return (messages[w.id] ?? w.id).replace(/\{(\w+)\}/g, (whole, k: string) =>
    w.params[k] === undefined ? whole : value(w.params[k] as AuditWords["params"][string]),
  );
}

beforeAll(async () => {
  fx = await createFixture();
  const editor = await fx.caller("editor");
  const admin = await fx.caller("admin");
  const lead = await fx.caller("lead");
  const c = fx.coventryId;
  const plan = await editor.plan.create({
    partnershipId: c,
    title: "Coventry plan",
    vision: "",
    startYear: 2008,
  });
  const priority = await editor.priority.create({
    partnershipId: c,
    planId: plan.id,
    theme: "Economy",
    title: "Jobs",
    ownerName: "Owner",
  });
  const target = {
    indicatorCode: "NI 151",
    baselinePeriod: "2006 Q2",
    baselineValue: 73.3,
    milestones: [{ period: "2010 Q4", value: 75.5, reason: "" }],
  };
  const indicator = await editor.item.save({
    partnershipId: c,
    priorityId: priority.id,
    item: { kind: "indicator", data: target },
  });
  await editor.item.save({
    partnershipId: c,
    priorityId: priority.id,
    id: indicator.id,
    version: indicator.version,
    item: {
      kind: "indicator",
      data: { ...target, milestones: [{ period: "2010 Q4", value: 75, reason: "" }] },
    },
  });
  await editor.priority.update({
    partnershipId: c,
    priorityId: priority.id,
    version: priority.version,
    theme: "Economy",
    title: "To promote job creation",
    ownerName: "Owner",
  });
  const action = await editor.item.save({
    partnershipId: c,
    priorityId: priority.id,
    item: { kind: "action", data: { kind: "training", what: "Train advisers", leadPerson: "Ed" } },
  });
  if (action.kind !== "action") throw new Error("expected an action");
  await editor.item.save({
    partnershipId: c,
    priorityId: priority.id,
    id: action.id,
    version: action.version,
    item: { kind: "action", data: { ...action.data, status: "in-progress" } },
  });
  const { user } = await admin.user.invite({ email: "nina@coventry.example", displayName: "Nina Newcomer" });
  await admin.membership.add({ userId: user.id, partnershipId: c, role: "editor" });
  const fileId = await fx.upload(
    "aps.csv",
    "code,when,value\nE08000026,2007 Q3,73.1\nE08000026,2007 Q2,72.5\n",
  );
  const mapping = {
    source: "Test",
    indicatorCode: "NI 151",
    columns: { area: "code", period: "when", value: "value" },
  };
  await admin.imports.preview({ fileId, mapping });
  await admin.imports.commit({ fileId });

  // A lead's token, used to read the plan: the partnership's trail says so, under the token's name.
  const made = await lead.tokens.create({
    name: "Dashboard feed",
    scopes: ["plans:read"],
    partnershipId: c,
    days: 30,
  });
  await (await tokenCaller(fx, made.secret)).plan.byId({ partnershipId: c, planId: plan.id });
  planId = plan.id;

  const trail = await lead.audit.forPartnership({ partnershipId: c, limit: 200 });
  const everything = await admin.audit.list({ limit: 200 });
  words = [...trail, ...everything.filter((e) => e.entity === "import_batch")].flatMap((e) => e.words);
  for (const locale of ["en-GB", "hr-HR"] as const) sentences[locale] = words.map((w) => say(w, locale));
});
afterAll(() => fx.db.destroy());

describe("the audit trail in words", () => {
  it("says who changed a target, for which indicator and period, from what to what", () => {
    expect(sentences["en-GB"]).toContain(
      "Ed Editor (Coventry) changed the target for NI 151 in 2010 Q4 from 75.5 to 75",
    );
    expect(sentences["hr-HR"]).toContain(
      "Ed Editor (Coventry): cilj za NI 151 u razdoblju 2010 Q4 promijenjen je s 75,5 na 75",
    );
  });

  it("says a priority was renamed, from its old title to its new", () => {
    expect(sentences["en-GB"]).toContain(
      "Ed Editor (Coventry) renamed the priority “Jobs” to “To promote job creation”",
    );
    expect(sentences["hr-HR"]).toContain(
      "Ed Editor (Coventry): prioritet „Jobs” preimenovan je u „To promote job creation”",
    );
  });

  it("says an action's status changed, in words rather than codes", () => {
    expect(sentences["en-GB"]).toContain(
      "Ed Editor (Coventry) changed the status of the action “Train advisers” from Planned to In progress",
    );
    expect(sentences["hr-HR"]).toContain(
      "Ed Editor (Coventry): status aktivnosti „Train advisers” promijenjen je s „Planirano” na „U tijeku”",
    );
  });

  it("names the member added to the partnership and their role", () => {
    expect(sentences["en-GB"]).toContain(
      "Demo Administrator added Nina Newcomer to the partnership as editor",
    );
    expect(sentences["hr-HR"]).toContain(
      "Demo Administrator: u partnerstvo je dodan član Nina Newcomer s ulogom urednik",
    );
  });

  it("says what an import brought in, by its file's name", () => {
    expect(sentences["en-GB"]).toContain("Demo Administrator imported aps.csv (new values: 1; changed: 1)");
    expect(sentences["hr-HR"]).toContain(
      "Demo Administrator: uvezena je datoteka aps.csv (novih vrijednosti: 1; promijenjenih: 1)",
    );
  });

  it("says which API token read what, naming the token and its maker", () => {
    const plan = planId;
    expect(sentences["en-GB"]).toContain(
      `The API token “Dashboard feed” of Cara Lead (Coventry) read a plan (partnershipId ${fx.coventryId}; planId ${plan})`,
    );
    expect(sentences["hr-HR"]).toContain(
      `API token „Dashboard feed” (Cara Lead (Coventry)) pročitao je: plan (partnershipId ${fx.coventryId}; planId ${plan})`,
    );
    expect(sentences["en-GB"]).toContain("Cara Lead (Coventry) made the API token “Dashboard feed”");
    expect(sentences["hr-HR"]).toContain("Cara Lead (Coventry): izrađen je API token „Dashboard feed”");
  });

  it("has words in both languages for every sentence, and shows no record as JSON", () => {
    for (const w of words) {
      expect(AUDIT_MESSAGES["en-GB"], w.id).toHaveProperty([w.id]);
      expect(AUDIT_MESSAGES["hr-HR"], w.id).toHaveProperty([w.id]);
      for (const p of Object.values(w.params))
        if (typeof p === "object") expect(AUDIT_MESSAGES["hr-HR"], p.id).toHaveProperty([p.id]);
    }
    for (const s of [...sentences["en-GB"], ...sentences["hr-HR"]]) expect(s).not.toMatch(/[{}[\]"]/);
    expect(Object.keys(AUDIT_MESSAGES["hr-HR"]).sort()).toEqual(Object.keys(AUDIT_MESSAGES["en-GB"]).sort());
  });
});
