import { FieldError } from "@fivestep/api";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";

/** The media type of a refusal (RFC 9457). @example reply.type(PROBLEM_TYPE) */
export const PROBLEM_TYPE = "application/problem+json";

/** One field or row at fault in a refused request. @example const item: ProblemItem = { pointer: "/observations/1/value", detail: "740 is above the largest value NI 151 can take (0 to 100)" }; */
export interface ProblemItem {
  /** A JSON pointer into the request ("/observations/1/value"), or the parameter's name. */
  pointer: string;
  detail: string;
  code?: string;
  index?: number;
  field?: string;
  value?: string;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/**
 * A JSON pointer for a zod issue's or a field error's path.
 *
 * @example pointerOf(["observations", 1, "value"]) // "/observations/1/value"
 */
export function pointerOf(path: readonly PropertyKey[]): string {
  return `/${path.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

/**
 * Answers a refusal as problem details: status, title, the reason, the error code, the request id
 * and, when given, the fields or rows at fault.
 *
 * @example return sendProblem(req, reply, 404, "NOT_FOUND", "No such plan in this partnership");
 */
export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: ProblemItem[],
): FastifyReply {
  return reply
    .code(status)
    .type(PROBLEM_TYPE)
    .send({
      type: "about:blank",
      title: TITLES[status] ?? "Error",
      status,
      detail,
      code,
      instance: req.id,
      ...(errors && errors.length > 0 ? { errors } : {}),
    });
}

/**
 * Answers an error a procedure threw: its tRPC code as the HTTP status tRPC itself would send, a
 * refused input's zod issues or field error as `errors`. A failure that is the server's fault is
 * logged and answered with the request id only (its text could name tables or paths).
 *
 * @example catch (error) { return sendError(req, reply, error); }
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const trpc = error instanceof TRPCError ? error : null;
  if (!trpc || trpc.code === "INTERNAL_SERVER_ERROR") {
    req.log.error({ err: trpc?.cause ?? error }, "request failed");
    return sendProblem(
      req,
      reply,
      500,
      "INTERNAL_SERVER_ERROR",
      `Something went wrong (reference ${req.id})`,
    );
  }
  const status = getHTTPStatusCodeFromError(trpc);
  const cause = trpc.cause;
  if (cause instanceof ZodError) {
    const errors = cause.issues.map((i) => ({ pointer: pointerOf(i.path), detail: i.message, code: i.code }));
    const first = errors[0];
    const detail = first ? `${first.pointer.slice(1).replaceAll("/", ".") || "input"}: ${first.detail}` : "";
    return sendProblem(req, reply, status, trpc.code, detail, errors);
  }
  if (cause instanceof FieldError) {
    const errors = [
      {
        pointer: pointerOf(cause.field.split(".")),
        detail: cause.message,
        ...(cause.reason ? { code: cause.reason.code } : {}),
      },
    ];
    return sendProblem(req, reply, status, trpc.code, trpc.message, errors);
  }
  return sendProblem(req, reply, status, trpc.code, trpc.message);
}
