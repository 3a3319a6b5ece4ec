import { type PathViolation, type RuleViolation, ruleText } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { type ZodError, ZodRealError } from "zod";

/**
 * Why a field was refused, as codes a client translates into its own language (the message stays
 * plain English for any other caller). The error formatter sends it as `data.fieldReasons[field]`.
 *
 * @example const reason: FieldReason = { code: "password-too-guessable", warning: "simpleRepeat", suggestions: ["repeated"] };
 */
export interface FieldReason {
  code: string;
  /** A broken domain rule's parameters (`RuleViolation.params`). */
  params?: Record<string, string | number>;
  warning?: string | null;
  suggestions?: readonly string[];
}

/** A rule only the server can check, broken by one field's value. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly reason: FieldReason | null = null,
  ) {
    super(message);
    this.name = "FieldError";
  }
}

/**
 * A BAD_REQUEST that the error formatter turns into a field-level message, like a zod error, for
 * rules only the server can check (a wrong current password, an email already taken).
 *
 * `reason`, when given, carries codes for the client to translate (see `FieldReason`).
 *
 * @example throw fieldError("email", "An account with this email address already exists");
 */
export function fieldError(field: string, message: string, reason?: FieldReason): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message,
    cause: new FieldError(field, message, reason ?? null),
  });
}

/**
 * A BAD_REQUEST for a broken domain rule only the server can check (it needs stored data, such as
 * the indicator's range): the English text as the message, the code and parameters as the field's
 * reason for the client to show in its own language.
 *
 * @example throw ruleError("value", valueViolation(indicator, 150));
 */
export function ruleError(field: string, violation: RuleViolation): TRPCError {
  return fieldError(field, ruleText(violation), { code: violation.code, params: violation.params });
}

/**
 * A BAD_REQUEST for a schema's refusal found after the input was read (a schema factory given
 * stored context), its issues moved under `prefix` (the input's path to the value checked), so
 * the error formatter sends them as for the input schema: field messages, and broken domain rules
 * as `data.fieldReasons[path]`.
 *
 * @example const r = priorityIndicatorSchemaFor(context).safeParse(data); if (!r.success) throw schemaError(r.error, ["item", "data"]);
 */
export function schemaError(error: ZodError, prefix: PropertyKey[] = []): TRPCError {
  // zod 4's plain `new ZodError()` is no Error (only the ones parsing makes are), and tRPC keeps
  // only an Error as a cause; ZodRealError is the same error that is one.
  const moved = new ZodRealError(
    error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })),
  );
  return new TRPCError({
    code: "BAD_REQUEST",
    message: moved.issues[0]?.message ?? "Invalid input",
    cause: moved,
  });
}

/**
 * A BAD_REQUEST for several broken domain rules at once, each at its field path (under `prefix`):
 * the error formatter sends each as `data.fieldReasons[path]`, and the first one's English text as
 * the message.
 *
 * @example const found = planSubmissionViolations(priorities); if (found.length > 0) throw rulesError(found);
 */
export function rulesError(violations: readonly PathViolation[], prefix: PropertyKey[] = []): TRPCError {
  return schemaError(
    new ZodRealError(
      violations.map((v) => ({
        code: "custom" as const,
        path: [...prefix, ...v.path],
        message: ruleText(v.violation),
        params: { rule: v.violation.code, ...v.violation.params },
        input: undefined,
      })),
    ),
  );
}
