import type { ApiTokenScope } from "@fivestep/domain";
import { z } from "zod";

/**
 * The query of `POST /api/v1/imports`: which saved mapping reads the file, and the commit's
 * choices. The file itself is the request body, streamed to disk.
 *
 * @example ImportQuerySchema.parse({ mapping: "Nomis claimant count" })
 */
export const ImportQuerySchema = z.object({
  mapping: z
    .string()
    .trim()
    .min(1, "Name the saved mapping that reads the file")
    .max(120)
    .describe("The name a mapping was saved under in the admin console (Imports, “Save mapping as…”)."),
  name: z.string().trim().max(200).optional().describe("The file's name, kept with the upload."),
  acceptGoodRows: z
    .enum(["true", "false"])
    .default("false")
    .describe("true: write the good rows even when others have problems (default: write nothing then)."),
  revisionReason: z
    .string()
    .trim()
    .max(1000)
    .default("")
    .describe("Why values of locked periods change; needed when the file changes any."),
});

/**
 * The answer to an accepted upload (202): the job that commits it and where to follow it, with
 * the preview's counts.
 *
 * @example const { jobId, links } = ImportAcceptedSchema.parse(await res.json());
 */
export const ImportAcceptedSchema = z.object({
  jobId: z.int().positive(),
  fileId: z.int().positive(),
  preview: z.object({
    totalRows: z.int(),
    accepted: z.int(),
    rejected: z.int(),
    problemCount: z.int(),
  }),
  links: z.object({ job: z.string().describe("Where to follow the job: GET it until it has finished.") }),
});

/**
 * A refusal, as RFC 9457 problem details (`application/problem+json`): the HTTP status, the
 * reason, and, for refused input, each field or row at fault.
 *
 * @example ProblemSchema.parse(await res.json()).errors?.[0]?.pointer // "/observations/1/value"
 */
export const ProblemSchema = z.object({
  type: z.string().describe('"about:blank": the status says what kind of problem it is.'),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  code: z.string().describe("The API's error code (BAD_REQUEST, FORBIDDEN, NOT_FOUND…)."),
  instance: z.string().describe("This request's id, as the server's log names it."),
  errors: z
    .array(
      z.object({
        pointer: z
          .string()
          .describe('A JSON pointer into the request ("/observations/1/value"), or the parameter.'),
        detail: z.string(),
        code: z.string().optional(),
        index: z.int().optional().describe("Which observation (from 0), for a refused observation."),
        field: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .optional(),
});

/**
 * One REST route of the open API and the procedure it calls.
 *
 * @example const route: RestRoute = { method: "GET", path: "/api/v1/jobs/{jobId}", operationId: "getJob", tag: "Imports", summary: "Follow a job", description: "…", procedure: "jobs.get", scope: "import:write", status: 200 };
 */
export interface RestRoute {
  method: "GET" | "POST";
  /** OpenAPI path template: `/api/v1/jobs/{jobId}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  /** The tRPC procedure the route calls (its zod input is the route's parameters' schema). */
  procedure: string;
  /** The token scope that admits the procedure. */
  scope: ApiTokenScope;
  /** The status of a success. */
  status: 200 | 202;
  /** Query parameters that are lists, sent comma-separated (`areaCodes=E08000026,E08000031`). */
  lists?: readonly string[];
  /** The route is the file upload (its body is the file; documented by hand). */
  upload?: true;
  /** The route sends a report export's file (documented by hand); `procedure` is what it reads. */
  download?: true;
  /** The answer is also a CSV file, with `?format=csv` (a report's tables, as the export gives them). */
  csv?: true;
}

/**
 * The `format` query parameter of a route that also answers CSV.
 *
 * @example FormatQuerySchema.parse({ format: "csv" }).format // "csv"
 */
export const FormatQuerySchema = z.object({
  format: z
    .enum(["json", "csv"])
    .default("json")
    .describe("json (the default), or csv: the report's tables as the planner's CSV export gives them."),
});

/**
 * Every REST route: one table that serves the requests, writes the OpenAPI document and its
 * reference page, so none of them can describe a route the others do not have.
 *
 * @example REST_ROUTES.find((r) => r.operationId === "getPlanOverview")?.procedure // "plan.overview"
 */
export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: "POST",
    path: "/api/v1/imports",
    operationId: "importFile",
    tag: "Imports",
    summary: "Upload a data file and import it with a saved mapping",
    description:
      "The request body is the file itself (CSV or XLSX, as `--data-binary`), streamed to disk, never held in memory. The saved mapping named by `mapping` reads it; its source must be one the token names. The file is checked at once (the preview's counts are in the answer) and committed by a job: follow `links.job` until its state is `succeeded` or `failed`. The job's result has the counts and the first 1,000 problems.",
    procedure: "imports.startCommit",
    scope: "import:write",
    status: 202,
    upload: true,
  },
  {
    method: "GET",
    path: "/api/v1/jobs/{jobId}",
    operationId: "getJob",
    tag: "Imports",
    summary: "Follow a job",
    description:
      "A job's state (queued, running, succeeded, failed, cancelled), progress and, once finished, its result: for an import, `{ ok: true, result }` with the counts written, or `{ ok: false, check }` with the problems (the first 1,000) and nothing written.",
    procedure: "jobs.get",
    scope: "import:write",
    status: 200,
  },
  {
    method: "POST",
    path: "/api/v1/observations",
    operationId: "writeObservations",
    tag: "Observations",
    summary: "Write observations sent as JSON",
    description:
      "Up to 10,000 values, with the checks of any import: the indicator's range, one value per indicator, area, period and breakdown, locked periods (they need `revisionReason`) and sources whose data waits for approval. All are written or none: with a problem the answer is 400 and each problem names the observation (`/observations/{index}/{field}`). Needs an administrator's token.",
    procedure: "observation.write",
    scope: "observations:write",
    status: 200,
  },
  {
    method: "GET",
    path: "/api/v1/indicators/{indicatorCode}/series",
    operationId: "getIndicatorSeries",
    tag: "Data",
    summary: "An indicator's series for areas",
    description:
      "The values of one indicator over time for the areas asked (comma-separated `areaCodes`; every area with values when none are given), each with its direction of travel, and the periods they cover in time order.",
    procedure: "observation.series",
    scope: "plans:read",
    status: 200,
    lists: ["areaCodes"],
  },
  {
    method: "GET",
    path: "/api/v1/partnerships",
    operationId: "listPartnerships",
    tag: "Plans",
    summary: "The partnerships the token acts for",
    description: "The partnerships the token may read, with their ids for the plan routes.",
    procedure: "partnership.mine",
    scope: "plans:read",
    status: 200,
  },
  {
    method: "GET",
    path: "/api/v1/partnerships/{partnershipId}/plans",
    operationId: "listPlans",
    tag: "Plans",
    summary: "A partnership's plans",
    description: "The partnership's plans, newest first.",
    procedure: "plan.list",
    scope: "plans:read",
    status: 200,
  },
  {
    method: "GET",
    path: "/api/v1/partnerships/{partnershipId}/plans/{planId}/overview",
    operationId: "getPlanOverview",
    tag: "Plans",
    summary: "A plan's overview",
    description:
      "The plan's priorities, their targets and how each is doing, as the planner's overview shows them.",
    procedure: "plan.overview",
    scope: "plans:read",
    status: 200,
  },
  {
    method: "GET",
    path: "/api/v1/partnerships/{partnershipId}/plans/{planId}/report",
    operationId: "getPlanReport",
    tag: "Reports",
    summary: "A plan's performance report",
    description:
      "The performance report of the plan: each target's latest value, status, trend and commentary, and the exceptions. With `format=csv`, the report's tables as a CSV file (the planner's full export).",
    procedure: "monitoring.report",
    scope: "reports:read",
    status: 200,
    csv: true,
  },
  {
    method: "POST",
    path: "/api/v1/partnerships/{partnershipId}/plans/{planId}/exports",
    operationId: "startReportExport",
    tag: "Reports",
    summary: "Export a plan's report as a file",
    description:
      "Starts an export of the plan's report for an audience (`pack`: full, board or public; the public pack only for a published plan) as CSV or XLSX in English or Croatian (`lang`), made by a job. Follow `GET /api/v1/jobs/{jobId}` until its state is `succeeded`, then download the file from `GET /api/v1/report-exports/{jobId}` (kept for a day).",
    procedure: "monitoring.startExport",
    scope: "reports:read",
    status: 202,
  },
  {
    method: "GET",
    path: "/api/v1/report-exports/{jobId}",
    operationId: "downloadReportExport",
    tag: "Reports",
    summary: "Download an exported report",
    description:
      "The file an export job wrote, as an attachment (CSV or XLSX), for a day after it was made; then 410. A job that has not finished yet, or another partnership's, is 404.",
    procedure: "monitoring.report",
    scope: "reports:read",
    status: 200,
    download: true,
  },
];

/**
 * The names of a path template's parameters.
 *
 * @example pathParams("/api/v1/jobs/{jobId}") // ["jobId"]
 */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

/**
 * A path template in Fastify's syntax.
 *
 * @example fastifyPath("/api/v1/jobs/{jobId}") // "/api/v1/jobs/:jobId"
 */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}
