import type { RouterOutputs } from "@fivestep/api";
import { IndicatorFieldsSchema, PlanStatusSchema, PolaritySchema, RoleSchema } from "@fivestep/domain";
import { z } from "zod";

// The answers of the REST routes, as zod schemas: the OpenAPI document's 2xx schemas are made from
// them (`z.toJSONSchema`, output), and the compile-time checks at the end of this file fail when a
// procedure's answer no longer fits its schema (a field's type changed, or a required one is gone).
// `rest-answers.test.ts` calls every documented route and validates each answer against the
// document, so a field the schema forgets is caught there (the schemas allow no other fields).

const nullableNumber = z.number().nullable();
const TargetStatus = z.enum(["on-track", "at-risk", "off-track", "no-data"]);

/**
 * A partnership the token acts for (`GET /api/v1/partnerships`).
 *
 * @example PartnershipAnswer.parse({ id: 1, version: 1, name: "Coventry Partnership", areaCode: "E08000026", areaName: "Coventry", memberCount: 5, role: "lead" })
 */
export const PartnershipAnswer = z.object({
  id: z.int(),
  version: z.int(),
  name: z.string(),
  areaCode: z.string(),
  areaName: z.string(),
  memberCount: z.int(),
  role: RoleSchema.nullable().describe("The token's role there (a partnership's token acts as its lead)."),
});

/**
 * A plan as lists show it (`GET /api/v1/partnerships/{partnershipId}/plans`, and in the overview and
 * report).
 *
 * @example PlanAnswer.shape.status.parse("draft")
 */
export const PlanAnswer = z.object({
  id: z.int(),
  version: z.int(),
  partnershipId: z.int(),
  title: z.string(),
  vision: z.string(),
  startYear: z.int(),
  periodLabel: z.string().describe('The plan\'s years, "2008/09 to 2010/11".'),
  status: PlanStatusSchema,
  revision: z.int(),
  previousPlanId: z.int().nullable(),
  published: z.boolean(),
  updatedAt: z.string(),
});

const Trend = z.object({
  marker: z.string().describe("The trend verdict (increasing, decreasing, no-significant-change…)."),
  judgement: z.string().nullable().describe("getting-better or getting-worse, by the polarity."),
  method: z.string().nullable(),
  p: nullableNumber,
  points: z.int(),
  reason: z.string().nullable(),
});

const Latest = z.object({
  period: z.string(),
  value: nullableNumber,
  lower: nullableNumber,
  upper: nullableNumber,
  intervalMethod: z.string().nullable(),
});

const Benchmark = z.string().nullable().describe("better, similar, worse, higher, lower or not-compared.");

const OverviewIndicator = z.object({
  itemId: z.int(),
  code: z.string(),
  title: z.string(),
  unit: z.string(),
  decimalPlaces: z.int(),
  polarity: PolaritySchema,
  latest: Latest.nullable(),
  expected: nullableNumber.describe("The value the target's trajectory expects for the latest period."),
  status: TargetStatus,
  trend: Trend,
  benchmark: z.object({ region: Benchmark, nation: Benchmark }),
  realism: z.string().nullable(),
  stale: z.boolean(),
  actions: z.int().describe("Actions linked to the indicator."),
});

const Warning = z.object({
  kind: z.enum(["off-track-without-action", "action-without-indicator", "unrealistic-target", "stale-data"]),
  priorityId: z.int(),
  itemId: z.int(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  reason: z
    .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .optional(),
  text: z.string().describe("The warning in English."),
});

const Counts = z.object({
  "on-track": z.int(),
  "at-risk": z.int(),
  "off-track": z.int(),
  "no-data": z.int(),
});

/**
 * A plan's overview (`GET …/plans/{planId}/overview`).
 *
 * @example PlanOverviewAnswer.shape.counts.parse({ "on-track": 1, "at-risk": 0, "off-track": 2, "no-data": 0 })
 */
export const PlanOverviewAnswer = z.object({
  plan: PlanAnswer,
  priorities: z.array(
    z.object({
      priority: z.object({
        id: z.int(),
        version: z.int(),
        planId: z.int(),
        position: z.int(),
        fields: z.object({
          theme: z.string(),
          title: z.string(),
          ownerName: z.string(),
          steps: z.array(z.string()),
        }),
      }),
      indicators: z.array(OverviewIndicator),
      actionCount: z.int(),
    }),
  ),
  warnings: z.array(Warning),
  counts: Counts,
});

const Commentary = z.object({
  itemId: z.int(),
  period: z.string(),
  text: z.string(),
  updatedAt: z.string(),
  author: z.string().nullable(),
});

const ReportIndicator = OverviewIndicator.extend({
  commentary: Commentary.nullable().describe("The owner's commentary for the latest period."),
});

/**
 * A plan's performance report (`GET …/plans/{planId}/report`).
 *
 * @example PlanReportAnswer.shape.generatedAt.parse("2026-11-30T06:00:00.000Z")
 */
export const PlanReportAnswer = z.object({
  plan: PlanAnswer,
  counts: Counts,
  warnings: z.array(Warning),
  exceptions: z.array(ReportIndicator.extend({ priority: z.string(), owner: z.string() })),
  priorities: z.array(
    z.object({
      id: z.int(),
      title: z.string(),
      theme: z.string(),
      owner: z.string(),
      indicators: z.array(ReportIndicator),
      actions: z.array(
        z.object({
          id: z.int(),
          what: z.string(),
          lead: z.string(),
          organisation: z.string(),
          dueDate: z.string().nullable(),
          status: z.string(),
          percentComplete: nullableNumber,
          lastUpdate: z.object({ date: z.string(), note: z.string() }).nullable(),
          milestones: z.array(
            z.object({ title: z.string(), dueDate: z.string().nullable(), done: z.boolean() }),
          ),
        }),
      ),
    }),
  ),
  since: z.string().nullable().describe("When the report was last issued, or null."),
  changes: z.array(
    z
      .object({
        id: z.int(),
        plan_id: z.int(),
        item_id: z.int(),
        indicator_code: z.string(),
        period: z.string().nullable(),
        from_status: z.string().nullable(),
        to_status: z.string(),
        expected: nullableNumber,
        actual: nullableNumber,
        cause: z.string(),
        batch_id: z.int().nullable(),
        at: z.string(),
      })
      .describe("A target's status change since the report was last issued."),
  ),
  generatedAt: z.string(),
});

const Point = z.object({
  period: z.string(),
  value: nullableNumber,
  numerator: z.number().nullish(),
  denominator: z.number().nullish(),
  lower: nullableNumber,
  upper: nullableNumber,
  publisherJudgement: z.string().nullish(),
  judgementSource: z.string().nullish(),
  intervalMethod: z.string().nullish(),
});

/**
 * An indicator's series for areas (`GET /api/v1/indicators/{indicatorCode}/series`).
 *
 * @example IndicatorSeriesAnswer.shape.periods.parse(["2007 Q1", "2007 Q2"])
 */
export const IndicatorSeriesAnswer = z.object({
  indicator: z.object({
    id: z.int(),
    version: z.int(),
    updatedAt: z.string().nullable(),
    ...IndicatorFieldsSchema.shape,
  }),
  breakdown: z.string(),
  breakdowns: z.array(z.string()),
  periods: z.array(z.string()).describe("Every period any area has, in time order."),
  series: z.array(
    z.object({
      areaCode: z.string(),
      areaName: z.string(),
      points: z.array(Point),
      direction: z
        .object({ from: z.string(), to: z.string(), change: z.number(), judgement: z.string() })
        .nullable(),
      trend: Trend,
    }),
  ),
});

/**
 * A job (`GET /api/v1/jobs/{jobId}`).
 *
 * @example JobAnswer.shape.state.parse("succeeded")
 */
export const JobAnswer = z.object({
  id: z.int(),
  kind: z.string(),
  state: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
  payload: z.unknown().optional().describe("What the job was asked to do."),
  progress: z.object({ done: z.number(), total: nullableNumber }),
  message: z.string().nullable(),
  result: z
    .unknown()
    .optional()
    .describe("Once finished: for an import, { ok, result } or { ok: false, check }."),
  error: z.string().nullable(),
  partnershipId: z.int().nullable(),
  startedBy: z.int().nullable(),
  attempts: z.int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
});

/**
 * Observations written (`POST /api/v1/observations`, 200); a refusal is a 400 problem instead.
 *
 * @example ObservationsWrittenAnswer.shape.ok.parse(true)
 */
export const ObservationsWrittenAnswer = z.object({
  ok: z.literal(true),
  fileId: z.int(),
  batchId: z.int().nullable().describe("The import batch, or null when nothing changed."),
  pending: z.boolean().describe("True when the values wait for a lead's approval."),
  inserted: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  skipped: z.int(),
  indicators: z.array(
    z.object({ code: z.string(), rows: z.int(), firstPeriod: z.string(), lastPeriod: z.string() }),
  ),
});

/**
 * A report export started (`POST …/plans/{planId}/exports`, 202): the job that makes the file.
 *
 * @example ExportStartedAnswer.parse({ jobId: 12 })
 */
export const ExportStartedAnswer = z.object({
  jobId: z.int().describe("Follow it at /api/v1/jobs/{jobId}; download from /api/v1/report-exports/{jobId}."),
});

const PartnershipList = z.array(PartnershipAnswer);
const PlanList = z.array(PlanAnswer);

/**
 * Each JSON route's 2xx answer, by the procedure it calls, and its name among the OpenAPI
 * document's `components.schemas`.
 *
 * @example REST_ANSWERS["plan.overview"]?.name // "PlanOverview"
 */
export const REST_ANSWERS: Readonly<Record<string, { name: string; schema: z.ZodType }>> = {
  "partnership.mine": { name: "PartnershipList", schema: PartnershipList },
  "plan.list": { name: "PlanList", schema: PlanList },
  "plan.overview": { name: "PlanOverview", schema: PlanOverviewAnswer },
  "monitoring.report": { name: "PlanReport", schema: PlanReportAnswer },
  "observation.series": { name: "IndicatorSeries", schema: IndicatorSeriesAnswer },
  "jobs.get": { name: "Job", schema: JobAnswer },
  "observation.write": { name: "ObservationsWritten", schema: ObservationsWrittenAnswer },
  "monitoring.startExport": { name: "ExportStarted", schema: ExportStartedAnswer },
};

// Each procedure's answer must fit its schema's type: a type error here means the schema and the
// procedure disagree (the calls do nothing when run).
type Fits<Answer, Schema extends z.ZodType> = [Answer] extends [z.output<Schema>] ? true : false;
const fits = (_: true) => undefined;
fits(true as Fits<RouterOutputs["partnership"]["mine"], typeof PartnershipList>);
fits(true as Fits<RouterOutputs["plan"]["list"], typeof PlanList>);
fits(true as Fits<RouterOutputs["plan"]["overview"], typeof PlanOverviewAnswer>);
fits(true as Fits<RouterOutputs["monitoring"]["report"], typeof PlanReportAnswer>);
fits(true as Fits<RouterOutputs["observation"]["series"], typeof IndicatorSeriesAnswer>);
fits(true as Fits<RouterOutputs["jobs"]["get"], typeof JobAnswer>);
fits(true as Fits<RouterOutputs["monitoring"]["startExport"], typeof ExportStartedAnswer>);
fits(
  true as Fits<
    Extract<RouterOutputs["observation"]["write"], { ok: true }>,
    typeof ObservationsWrittenAnswer
  >,
);
