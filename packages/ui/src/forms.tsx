import { type ButtonHTMLAttributes, type ReactNode, useEffect, useRef } from "react";
import type { z } from "zod";

/** Field id → message, as forms show them. */
export type FieldErrors = Record<string, string>;

/** Words a message id with its parameters, as `useI18n().t` does. */
export type Translate = (id: string, values?: Record<string, string | number>) => string;

/** A broken domain rule's message in the reader's language, when there is a translator and a code. */
function ruleMessage(
  t: Translate | undefined,
  rule: unknown,
  params: Record<string, unknown>,
): string | null {
  if (!t || typeof rule !== "string") return null;
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params))
    if (typeof v === "string" || typeof v === "number") values[k] = v;
  const id = `rule.${rule}`;
  const text = t(id, values);
  return text === id ? null : text;
}

/**
 * Validates form values with the same zod schema the server uses; returns the first message per
 * field (dotted path), or an empty object when the values are valid. With a translator, broken
 * domain rules (issues carrying `params.rule`) are worded from the catalogue (`rule.<code>`).
 *
 * @example const errors = validate(SignInSchema, { email, password }, t); if (Object.keys(errors).length) return;
 */
export function validate(schema: z.ZodType, values: unknown, t?: Translate): FieldErrors {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    const params = issue.code === "custom" ? ((issue.params ?? {}) as Record<string, unknown>) : {};
    errors[key] ??= ruleMessage(t, params.rule, params) ?? issue.message;
  }
  return errors;
}

/**
 * Field messages from an API error's data (`data.zodError.fieldErrors`), or a form-level
 * message under "form" for any other error. With a translator, fields whose reason is a broken
 * domain rule (`data.fieldReasons[field] = { code, params }`) are worded from the catalogue.
 *
 * @example const errors = fieldErrorsFrom(mutation.error, t);
 */
export function fieldErrorsFrom(error: unknown, t?: Translate): FieldErrors {
  if (!error || typeof error !== "object") return {};
  const data = (
    error as {
      data?: {
        zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
        fieldReasons?: Record<string, { code?: unknown; params?: Record<string, unknown> }> | null;
      };
    }
  ).data;
  const fields = data?.zodError?.fieldErrors;
  const errors: FieldErrors = {};
  if (fields) {
    for (const [key, messages] of Object.entries(fields)) if (messages?.[0]) errors[key] = messages[0];
  }
  for (const [key, reason] of Object.entries(data?.fieldReasons ?? {})) {
    const text = ruleMessage(t, reason?.code, reason?.params ?? {});
    if (text) errors[key] = text;
  }
  if (Object.keys(errors).length === 0) {
    const message = (error as { message?: unknown }).message;
    errors.form = typeof message === "string" ? message : "Something went wrong";
  }
  return errors;
}

/** The id of a field's input, from its name ("membership.role" → "field-membership-role"). */
export function fieldId(name: string): string {
  return `field-${name.replace(/[^\w-]/g, "-")}`;
}

/**
 * The GOV.UK-style error summary: a titled list at the top of a form, each message a link to its
 * field, focused when it appears so screen readers announce it.
 *
 * @example <ErrorSummary title={t("form.errorTitle")} errors={errors} />
 */
export function ErrorSummary(props: { title: string; errors: FieldErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(props.errors);
  const key = entries.map(([k, v]) => `${k}:${v}`).join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again whenever the set of errors changes
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus();
  }, [key]);
  if (entries.length === 0) return null;
  return (
    <div
      className="fs-error-summary"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">{props.title}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field === "form" ? message : <a href={`#${fieldId(field)}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A labelled text input with optional hint and error message, wired with aria-describedby.
 *
 * @example <TextField name="email" label="Email address" type="email" value={email} onChange={setEmail} error={errors.email} />
 */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: string;
  error?: string;
  type?: "text" | "email" | "password" | "date" | "datetime-local" | "search";
  autoComplete?: string;
  width?: "full" | "half";
  multiline?: boolean;
}) {
  const id = fieldId(props.name);
  const describedBy =
    [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    "aria-describedby": describedBy,
    "aria-invalid": props.error ? true : undefined,
    className: `fs-input${props.error ? " fs-input--error" : ""}${props.width === "half" ? " fs-input--half" : ""}`,
  };
  return (
    <div className={`fs-field${props.error ? " fs-field--error" : ""}`}>
      <label htmlFor={id} className="fs-label">
        {props.label}
      </label>
      {props.hint ? (
        <p id={`${id}-hint`} className="fs-hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} className="fs-field-error">
          {props.error}
        </p>
      ) : null}
      {props.multiline ? (
        <textarea {...common} rows={5} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? "text"}
          autoComplete={props.autoComplete}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </div>
  );
}

/**
 * A labelled select.
 *
 * @example <SelectField name="role" label="Role" value={role} onChange={setRole} options={[{ value: "lead", label: "Lead" }]} />
 */
export function SelectField(props: {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  options: ReadonlyArray<{ value: string; label: string }>;
  error?: string;
  hint?: string;
}) {
  const id = fieldId(props.name);
  const describedBy =
    [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`fs-field${props.error ? " fs-field--error" : ""}`}>
      <label htmlFor={id} className="fs-label">
        {props.label}
      </label>
      {props.hint ? (
        <p id={`${id}-hint`} className="fs-hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} className="fs-field-error">
          {props.error}
        </p>
      ) : null}
      <select
        id={id}
        name={props.name}
        className="fs-select"
        value={props.value}
        aria-describedby={describedBy}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A checkbox with its label beside it.
 *
 * @example <CheckboxField name="isAdmin" label="System administrator" checked={isAdmin} onChange={setIsAdmin} />
 */
export function CheckboxField(props: {
  name: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  hint?: string;
}) {
  const id = fieldId(props.name);
  return (
    <div className="fs-field fs-checkbox">
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? (
        <p id={`${id}-hint`} className="fs-hint">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A button: primary (green), secondary (grey) or warning (red, for destructive actions).
 *
 * @example <Button variant="warning" onClick={confirm}>Deactivate</Button>
 */
export function Button(
  props: { variant?: "primary" | "secondary" | "warning" } & ButtonHTMLAttributes<HTMLButtonElement>,
) {
  const { variant = "primary", className, type = "button", ...rest } = props;
  // biome-ignore lint/a11y/useButtonType: the type is a prop with a safe default of "button"
  return (
    <button type={type} className={`fs-button fs-button--${variant} ${className ?? ""}`.trim()} {...rest} />
  );
}

/**
 * A modal confirmation before something that cannot be undone easily; focus moves into it and
 * Escape cancels.
 *
 * @example <ConfirmDialog open={open} title="Deactivate Ana?" confirmLabel="Deactivate" cancelLabel="Cancel" onConfirm={…} onCancel={…}>…</ConfirmDialog>
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
  busy?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="fs-dialog" aria-labelledby="fs-dialog-title" onCancel={props.onCancel}>
      <h2 id="fs-dialog-title">{props.title}</h2>
      {props.children}
      <div className="fs-button-group">
        <Button variant="warning" onClick={props.onConfirm} disabled={props.busy}>
          {props.confirmLabel}
        </Button>
        <Button variant="secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </Button>
      </div>
    </dialog>
  );
}
