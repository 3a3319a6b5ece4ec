import { appRouter } from "@fivestep/api";
import { z } from "zod";
import { REST_ANSWERS } from "./answers.ts";
import {
  FormatQuerySchema,
  ImportAcceptedSchema,
  ImportQuerySchema,
  ProblemSchema,
  pathParams,
  REST_ROUTES,
} from "./routes.ts";

/** A JSON Schema object, as `z.toJSONSchema` writes one. */
type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document (the parts Fivestep writes). @example const doc: OpenApiDocument = buildOpenApiDocument(); */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
  security: Array<Record<string, string[]>>;
}

/** One operation of the document, with the scope that admits it (`x-fivestep-scope`). @example doc.paths["/api/v1/jobs/{jobId}"]?.get?.["x-fivestep-scope"] // "import:write" */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  "x-fivestep-scope": string;
  "x-fivestep-procedure": string;
  parameters: Array<{
    name: string;
    in: "path" | "query";
    required: boolean;
    description?: string;
    schema: JsonSchema;
    style?: string;
    explode?: boolean;
  }>;
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

/** A zod schema as JSON Schema for a request (what a caller may send), without `$schema`. */
function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/**
 * The schemas the document's answers name (`#/components/schemas/…`): the problem, the accepted
 * upload and each JSON route's answer, as JSON Schema (draft 2020-12, OpenAPI 3.1's dialect).
 */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  registry.add(ProblemSchema, { id: "Problem" });
  registry.add(ImportAcceptedSchema, { id: "ImportAccepted" });
  for (const { name, schema } of Object.values(REST_ANSWERS)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    io: "output",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _uri, id: _id, ...rest }]) => [id, rest]),
  );
}

interface ProcedureDef {
  _def: { inputs: z.ZodType[] };
}

/**
 * A procedure's whole input as one JSON Schema object: its input parsers (a partnership's
 * procedures add `partnershipId` to their own) merged, properties and required names together.
 *
 * @example procedureInputSchema("plan.overview").required // ["partnershipId", "planId"]
 */
export function procedureInputSchema(path: string): {
  properties: Record<string, JsonSchema>;
  required: string[];
} {
  const procedure = (appRouter._def.procedures as unknown as Record<string, ProcedureDef | undefined>)[path];
  if (!procedure) throw new Error(`No procedure ${path}`);
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const input of procedure._def.inputs) {
    const s = jsonSchema(input);
    Object.assign(properties, (s.properties as Record<string, JsonSchema> | undefined) ?? {});
    required.push(...((s.required as string[] | undefined) ?? []));
  }
  return { properties, required: [...new Set(required)] };
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const REFUSALS = {
  "401": problem(
    "No API token, or one that is mistyped, expired or revoked (answered before any body is read).",
  ),
  "403": problem("The token's scopes do not admit this, or its maker may not."),
  "429": problem("The token has made too many requests this minute; see Retry-After."),
};

/**
 * The OpenAPI 3.1 document of the REST API, built from the route table and the zod schemas of
 * the procedures the routes call (the same schemas that check every request), so it cannot
 * drift from what the server accepts.
 *
 * @example const doc = buildOpenApiDocument(); Object.keys(doc.paths) // ["/api/v1/imports", …]
 */
export function buildOpenApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const route of REST_ROUTES) {
    const inPath = pathParams(route.path);
    const operation: OpenApiOperation = {
      operationId: route.operationId,
      summary: route.summary,
      description: `${route.description}\n\nToken scope: \`${route.scope}\`.`,
      tags: [route.tag],
      "x-fivestep-scope": route.scope,
      "x-fivestep-procedure": route.procedure,
      parameters: [],
      responses: {},
    };
    if (route.upload) {
      const query = jsonSchema(ImportQuerySchema);
      const props = query.properties as Record<string, JsonSchema>;
      const required = (query.required as string[] | undefined) ?? [];
      operation.parameters = Object.entries(props).map(([name, schema]) => ({
        name,
        in: "query" as const,
        required: required.includes(name),
        ...(typeof schema.description === "string" ? { description: schema.description } : {}),
        schema,
      }));
      operation.requestBody = {
        required: true,
        description: "The data file itself (CSV or XLSX), not JSON and not base64.",
        content: {
          "text/csv": { schema: { type: "string", contentMediaType: "text/csv" } },
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            schema: { type: "string", contentEncoding: "binary" },
          },
          "application/octet-stream": { schema: { type: "string", contentEncoding: "binary" } },
        },
      };
      operation.responses["202"] = {
        description: "The file is stored and checked; a job commits it.",
        content: { "application/json": { schema: { $ref: "#/components/schemas/ImportAccepted" } } },
      };
      operation.responses["400"] = problem(
        "The query, the file or the mapping is wrong (the field is named).",
      );
      operation.responses["404"] = problem("No mapping is saved under that name.");
      operation.responses["413"] = problem("The file is larger than the server accepts.");
      operation.responses["415"] = problem("The file is neither CSV nor XLSX.");
    } else if (route.download) {
      operation.parameters = inPath.map((name) => ({
        name,
        in: "path" as const,
        required: true,
        schema: { type: "integer", minimum: 1 },
      }));
      operation.responses["200"] = {
        description: "The file, as an attachment.",
        content: {
          "text/csv": { schema: { type: "string", contentMediaType: "text/csv" } },
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            schema: { type: "string", contentEncoding: "binary" },
          },
        },
      };
      operation.responses["404"] = problem("No such export, not made yet, or another partnership's.");
      operation.responses["410"] = problem("The export has expired (files are kept for a day).");
    } else {
      const input = procedureInputSchema(route.procedure);
      for (const name of inPath) {
        operation.parameters.push({ name, in: "path", required: true, schema: input.properties[name] ?? {} });
      }
      const rest = Object.entries(input.properties).filter(([name]) => !inPath.includes(name));
      if (route.method === "GET") {
        for (const [name, schema] of rest) {
          const list = route.lists?.includes(name);
          operation.parameters.push({
            name,
            in: "query",
            required: input.required.includes(name),
            ...(typeof schema.description === "string" ? { description: schema.description } : {}),
            schema,
            ...(list ? { style: "form", explode: false } : {}),
          });
        }
      } else {
        operation.requestBody = {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: Object.fromEntries(rest),
                required: input.required.filter((n) => !inPath.includes(n)),
              },
            },
          },
        };
      }
      if (route.csv) {
        const format = (jsonSchema(FormatQuerySchema).properties as Record<string, JsonSchema>).format ?? {};
        operation.parameters.push({
          name: "format",
          in: "query",
          required: false,
          ...(typeof format.description === "string" ? { description: format.description } : {}),
          schema: format,
        });
      }
      const answer = REST_ANSWERS[route.procedure];
      if (!answer) throw new Error(`No answer schema for ${route.procedure} (rest/answers.ts)`);
      operation.responses[String(route.status)] = {
        description: route.csv ? "The answer, or with format=csv its tables." : "The answer.",
        content: {
          "application/json": { schema: { $ref: `#/components/schemas/${answer.name}` } },
          ...(route.csv ? { "text/csv": { schema: { type: "string", contentMediaType: "text/csv" } } } : {}),
        },
      };
      operation.responses["400"] = problem(
        route.procedure === "observation.write"
          ? "The request or an observation is refused; each problem names the observation and field, and nothing was written."
          : "A parameter is refused (the problem names it).",
      );
      operation.responses["404"] = problem("Nothing with that id, or nothing the token may read.");
    }
    Object.assign(operation.responses, REFUSALS);
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Fivestep API",
      version: "1.0.0",
      description:
        "Load data and read plans and reports with an API token. Every request sends `Authorization: Bearer fst_…`; each token scope admits its own routes only, and every change is audited under the token's maker.",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Imports", description: "Upload data files and follow their import." },
      { name: "Observations", description: "Write values sent as JSON." },
      { name: "Data", description: "Read indicators' values." },
      { name: "Plans", description: "Read partnerships' plans." },
      { name: "Reports", description: "Read plans' performance reports." },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "An API token (fst_…), made in the planner (a partnership's lead) or the admin console.",
        },
      },
      schemas: componentSchemas(),
    },
    security: [{ bearer: [] }],
  };
}
