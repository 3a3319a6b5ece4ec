import type { FieldErrors, I18n } from "@fivestep/ui";

/** The reason code the server gives a new password that is too easy to guess. */
const TOO_GUESSABLE = "password-too-guessable";

interface Reason {
  code?: unknown;
  warning?: unknown;
  suggestions?: unknown;
}

/**
 * Replaces the server's English message for a refused password with the same explanation in the
 * reader's language, built from the codes in the error's `data.fieldReasons`: why it is easy to
 * guess (`passwordWarning.<code>`) and how to do better (`passwordSuggestion.<code>`). Other
 * fields and errors are left as they are.
 *
 * @example const errors = explainPasswordRefusal(fieldErrorsFrom(change.error), change.error, t);
 */
export function explainPasswordRefusal(errors: FieldErrors, error: unknown, t: I18n["t"]): FieldErrors {
  const reasons = (error as { data?: { fieldReasons?: Record<string, Reason> | null } } | null)?.data
    ?.fieldReasons;
  if (!reasons) return errors;
  const explained = { ...errors };
  for (const [field, reason] of Object.entries(reasons)) {
    if (reason?.code !== TOO_GUESSABLE) continue;
    // A code this version has no message for (a newer server) is left out, not shown as an id.
    const say = (id: string) => (t(id) === id ? null : t(id));
    const suggestions = Array.isArray(reason.suggestions) ? reason.suggestions : [];
    explained[field] = [
      t("password.tooGuessable"),
      typeof reason.warning === "string" ? say(`passwordWarning.${reason.warning}`) : null,
      ...suggestions.map((s) => say(`passwordSuggestion.${String(s)}`)),
    ]
      .filter((part) => part !== null)
      .join(" ");
  }
  return explained;
}
