import { PlanItemSchema, PriorityFieldsSchema } from "@fivestep/domain";
import type { Kysely } from "kysely";
import type { Database } from "../database.ts";
import { findUserByEmail, nowIso } from "../repositories/accounts.ts";
import { recordAudit } from "../repositories/audit.ts";
import { insertItem, insertPlan, insertPriority } from "../repositories/plans.ts";

/** The demo plan's title; seeding skips when Coventry already has a plan of this name. @example DEMO_PLAN_TITLE */
export const DEMO_PLAN_TITLE = "Coventry Local Area Agreement 2008–11";

const OTHER_PRIORITIES = [
  { theme: "Health", title: "To reduce health inequalities", ownerName: "Director of Public Health" },
  { theme: "Community safety", title: "To reduce crime", ownerName: "Chief Superintendent, Coventry police" },
  {
    theme: "Children and young people",
    title: "To improve educational attainment",
    ownerName: "Director of Children's Services",
  },
];

const JOBS = {
  theme: "Economy",
  title: "To promote job creation",
  ownerName: "Head of Economic Development, Coventry City Council",
  whereScope: "target-group",
  whereGroup:
    "Residents under-represented among business founders: women, young people and black and minority ethnic residents",
  causes:
    "Enterprise development lags the region: VAT registrations per 10,000 adults stayed below the West Midlands in every year from 1999 to 2005. Would-be founders report little access to start-up finance and advice, and the loss of manufacturing jobs has left fewer people with management experience.",
  currentActivity:
    "General business advice through the regional Business Link, and a small grants scheme for existing firms. Neither is aimed at people who have not started a business before.",
  whyNotWorking:
    "Take-up by the target groups is low: they do not see the generic service as for them, and advice stops at the point of registration, when most new firms fail. The survey and focus groups both point to confidence and follow-up support, not money alone.",
  steps: ["completed", "completed", "completed", "completed", "in-progress"],
} as const;

type ItemInput = { kind: string; data: Record<string, unknown> };

/**
 * Seeds Coventry's demo plan: the talk's four priorities, with "To promote job creation" filled in
 * across all five steps from the talk's own tables, questions and prompts, so a new user sees a
 * complete example. Needs the demo data and accounts first; does nothing when the plan exists.
 *
 * @example await seedDemoPlan(db); // after seedDemo and seedDemoAccounts
 */
export async function seedDemoPlan(db: Kysely<Database>): Promise<{ planId: number; created: boolean }> {
  const partnership = await db
    .selectFrom("partnership")
    .select("id")
    .where("name", "=", "Coventry Partnership")
    .executeTakeFirst();
  if (!partnership) throw new Error("seedDemoPlan: seed the demo accounts first");
  const existing = await db
    .selectFrom("plan")
    .select("id")
    .where("partnership_id", "=", partnership.id)
    .where("title", "=", DEMO_PLAN_TITLE)
    .executeTakeFirst();
  if (existing) return { planId: existing.id, created: false };
  const contributor = await findUserByEmail(db, "contributor@coventry.example");
  const editor = await findUserByEmail(db, "editor@coventry.example");

  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const plan = await insertPlan(trx, {
      partnership_id: partnership.id,
      title: DEMO_PLAN_TITLE,
      vision: "To improve the quality of life of local people",
      start_year: 2008,
      status: "agreed",
      revision: 1,
      previous_plan_id: null,
      created_at: now,
      updated_at: now,
    });
    const addPriority = async (position: number, fields: Record<string, unknown>) => {
      const { theme, title, ownerName, ...rest } = PriorityFieldsSchema.parse(fields);
      return insertPriority(trx, {
        plan_id: plan.id,
        position,
        theme,
        title,
        owner_name: ownerName,
        fields_json: JSON.stringify(rest),
        created_at: now,
        updated_at: now,
      });
    };
    const others = [];
    for (const [i, p] of OTHER_PRIORITIES.entries()) others.push(await addPriority(i + 1, p));
    const jobs = await addPriority(4, JOBS);
    let position = 0;
    const add = async (item: ItemInput, priorityId: number | null = jobs.id) => {
      const parsed = PlanItemSchema.parse(item);
      const lead = parsed.kind === "action" ? parsed.data.leadUserId : null;
      const row = await insertItem(trx, {
        plan_id: plan.id,
        priority_id: priorityId,
        kind: parsed.kind,
        position: ++position,
        data_json: JSON.stringify(parsed.data),
        lead_user_id: lead,
        created_at: now,
        updated_at: now,
      });
      return row.id;
    };

    // Step 1 and 3: the talk's three indicators, each with a baseline and a target trajectory.
    const employment = await add({
      kind: "indicator",
      data: {
        indicatorCode: "NI 151",
        baselinePeriod: "2005 Q4",
        baselineValue: 74,
        tolerance: 0.5,
        milestones: [
          { period: "2008 Q4", value: 74.5 },
          { period: "2009 Q4", value: 75 },
          { period: "2010 Q4", value: 75.5 },
        ],
      },
    });
    const claimants = await add({
      kind: "indicator",
      data: {
        indicatorCode: "NI 152",
        baselinePeriod: "2005 Q2",
        baselineValue: 17.1,
        tolerance: 0.2,
        milestones: [
          { period: "2008 Q4", value: 16.8 },
          { period: "2009 Q4", value: 16.5 },
          { period: "2010 Q4", value: 16.2 },
        ],
      },
    });
    const vat = await add({
      kind: "indicator",
      data: {
        indicatorCode: "NI 171",
        baselinePeriod: "2005",
        baselineValue: 29.1,
        stretch: true,
        tolerance: 0.5,
        milestones: [
          { period: "2008", value: 31 },
          { period: "2009", value: 32.5 },
          { period: "2010", value: 34 },
        ],
      },
    });
    await trx
      .insertInto("change_point_note")
      .values({
        item_id: vat,
        period: "2003",
        note: "Registrations jumped from 24.7 (2002) to 29.4 (2003) and have not fallen back to the earlier level. The talk asks: what happened between 2002 and 2004? To confirm with the Chamber of Commerce: changes to the VAT registration threshold, and the city-centre business support launched in those years.",
        updated_at: now,
      })
      .execute();

    // Step 2: evidence.
    const survey = await add({
      kind: "evidence",
      data: {
        kind: "survey",
        title: "Coventry business start-up survey",
        source: "Coventry Partnership with the Chamber of Commerce",
        date: "2007-06-30",
        summary:
          "Of 400 residents thinking of starting a business, most named confidence and follow-up advice as the barrier, ahead of finance.",
        strength: "moderate",
        scope: "area-wide",
      },
    });
    const focus = await add({
      kind: "evidence",
      data: {
        kind: "focus-group",
        title: "Focus groups with would-be founders",
        source: "Economic Development team",
        date: "2007-09-15",
        summary:
          "Four groups (women returners, young people, two community organisations). Generic advice felt 'not for us'; peer mentors from the same communities were asked for.",
        strength: "moderate",
        scope: "target-group",
        targetGroup: "Women, young people and BME residents",
      },
    });
    await add({
      kind: "evidence",
      data: {
        kind: "advisory-group",
        title: "Enterprise advisory group",
        source: "Local employers, the university and voluntary-sector advice agencies",
        date: "2007-10-01",
        summary:
          "Advised that most new firms fail in their second year and that support should continue after registration.",
        strength: "limited",
      },
    });
    await add({
      kind: "evidence",
      data: {
        kind: "data-analysis",
        title: "VAT registrations against the region, 1999–2005",
        source: "BERR VAT registrations; Fivestep analysis",
        date: "2007-11-01",
        summary:
          "Coventry stayed below the West Midlands rate in every year; Wolverhampton fell from well above the region to below it. The 2003 rise in Coventry needs explaining before it is extrapolated.",
        strength: "strong",
      },
    });

    // Step 4: options, appraised.
    await add({
      kind: "option",
      data: {
        title: "Enterprise coaching with peer mentors for under-represented groups",
        description:
          "Twelve months of coaching from first idea to a year after registration, delivered through community organisations.",
        practice:
          "National evaluations of enterprise coaching for under-represented groups; similar peer-mentoring schemes in other English cities — go and see one before commissioning.",
        strengths:
          "Reaches the groups the survey and focus groups identified; support continues past registration.",
        weaknesses: "Small numbers in the first year; depends on recruiting mentors.",
        cost: "£180,000 a year",
        expectedEffect: "+1.5 registrations per 10,000 adults by 2010",
        score: 4,
        decision: "selected",
        decisionReason: "Best fit with the evidence: confidence and follow-up, not money alone.",
        evidenceIds: [survey, focus],
      },
    });
    await add({
      kind: "option",
      data: {
        title: "Start-up grants",
        description: "Grants of up to £2,000 for new businesses.",
        strengths: "Simple to run; popular.",
        weaknesses:
          "High deadweight: many firms would start anyway; does not address confidence or follow-up.",
        cost: "£250,000 a year",
        score: 2,
        decision: "rejected",
        decisionReason:
          "The survey ranks finance below advice; grants alone would mostly fund businesses that would start anyway.",
        evidenceIds: [survey],
      },
    });
    await add({
      kind: "option",
      data: {
        title: "Managed workspace for new firms",
        description: "Low-cost starter units with shared services in the city centre.",
        strengths: "Helps second-year survival.",
        weaknesses: "Capital cost; benefits firms that already exist more than new founders.",
        cost: "£1.2m capital",
        score: 3,
        decision: "undecided",
      },
    });

    // Step 5: actions, who needs to know, reporting.
    await add({
      kind: "action",
      data: {
        kind: "new-intervention",
        what: "Commission the enterprise coaching and peer-mentoring programme",
        leadPerson: "Cory Contributor",
        leadUserId: contributor?.id ?? null,
        leadOrganisation: "Coventry City Council",
        partners: "Chamber of Commerce; community organisations",
        resources: "£180,000 a year from the Area Based Grant",
        startDate: "2008-04-01",
        dueDate: "2009-03-31",
        priorityIndicatorId: vat,
        expectedEffect: "+1.5 registrations per 10,000 adults by 2010",
        status: "in-progress",
        milestones: [
          { title: "Tender awarded", dueDate: "2008-07-31", done: true },
          { title: "First 50 participants", dueDate: "2008-12-31", done: false },
        ],
      },
    });
    await add({
      kind: "action",
      data: {
        kind: "upscale",
        what: "Extend Business Link advice sessions into the three priority neighbourhoods",
        leadPerson: "Ed Editor",
        leadUserId: editor?.id ?? null,
        leadOrganisation: "Business Link West Midlands",
        partners: "Neighbourhood management teams",
        startDate: "2008-06-01",
        dueDate: "2010-03-31",
        priorityIndicatorId: employment,
        status: "planned",
      },
    });
    await add({
      kind: "action",
      data: {
        kind: "training",
        what: "Train Jobcentre and front-line advisers to refer would-be founders",
        leadPerson: "Jobcentre Plus district manager",
        leadOrganisation: "Jobcentre Plus",
        startDate: "2008-09-01",
        dueDate: "2009-03-31",
        priorityIndicatorId: claimants,
        status: "planned",
      },
    });
    for (const c of [
      {
        audience: "government",
        message: "Progress against the LAA targets for NI 151, 152 and 171",
        method: "Annual LAA review",
        timing: "Annually, March",
        owner: "Partnership manager",
      },
      {
        audience: "service-managers",
        message: "Referral numbers and coaching outcomes",
        method: "Monthly operational report",
        timing: "Monthly",
        owner: "Economic Development team",
      },
      {
        audience: "front-line-staff",
        message: "How and when to refer would-be founders",
        method: "Briefing and training sessions",
        timing: "At launch, then quarterly",
        owner: "Jobcentre Plus",
      },
      {
        audience: "community",
        message: "What the partnership is doing about jobs, and how to get support",
        method: "Newsletter and the public plan page",
        timing: "Twice a year",
        owner: "Communications team",
      },
    ]) {
      await add({ kind: "communication", data: c });
    }
    await add(
      {
        kind: "report",
        data: {
          audience: "Coventry Partnership board",
          method: "Performance report with exceptions first",
          frequency: "quarterly",
          nextDue: "2008-07-15",
        },
      },
      null,
    );
    await add(
      {
        kind: "report",
        data: {
          audience: "Residents (public community view)",
          method: "Published summary",
          frequency: "annual",
          nextDue: "2009-04-30",
        },
      },
      null,
    );

    await recordAudit(trx, {
      actorUserId: null,
      action: "create",
      entity: "plan",
      entityId: plan.id,
      partnershipId: partnership.id,
      before: null,
      after: { title: plan.title, status: plan.status, priorities: others.length + 1 },
      requestId: "seed-demo",
      at: now,
    });
    return { planId: plan.id, created: true };
  });
}
