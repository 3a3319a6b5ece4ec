import { fieldError } from "../field-error.ts";

/** The `FieldReason` code of a password refused as too easy to guess. */
export const PASSWORD_TOO_GUESSABLE = "password-too-guessable";

/**
 * Refuses a new password that is too easy to guess (`checkPasswordStrength` from
 * `@fivestep/domain/password-strength`: zxcvbn score below 3 given the person's email address,
 * their name and "fivestep") with a field error on `field`, whose reason carries the warning and
 * suggestion codes the apps translate. The dictionaries load on the first call, not at start.
 *
 * @example await requireGuessResistantPassword("newPassword", input.newPassword, { email, displayName });
 */
export async function requireGuessResistantPassword(
  field: string,
  password: string,
  person: { email: string; displayName: string },
): Promise<void> {
  const { checkPasswordStrength } = await import("@fivestep/domain/password-strength");
  const verdict = checkPasswordStrength(password, [person.email, person.displayName]);
  if (verdict.ok) return;
  throw fieldError(
    field,
    "This password would be too easy to guess. Use a few unrelated words, not built from your name or email address.",
    { code: PASSWORD_TOO_GUESSABLE, warning: verdict.warning, suggestions: verdict.suggestions },
  );
}
