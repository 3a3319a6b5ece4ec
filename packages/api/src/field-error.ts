import { TRPCError } from "@trpc/server";

/** A rule only the server can check, broken by one field's value. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "FieldError";
  }
}

/**
 * A BAD_REQUEST that the error formatter turns into a field-level message, like a zod error, for
 * rules only the server can check (a wrong current password, an email already taken).
 *
 * @example throw fieldError("email", "An account with this email address already exists");
 */
export function fieldError(field: string, message: string): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message, cause: new FieldError(field, message) });
}
