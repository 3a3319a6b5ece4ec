import {
  type ButtonHTMLAttributes,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
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

/** The inputs a message can belong to (not their hints or messages, which share the id's start). */
const CONTROLS = ["input", "select", "textarea", "button"];

/**
 * The input an error message belongs to, by the message's field (a dotted path, as `validate` and
 * `fieldErrorsFrom` key them): the input with that field's id; else the first input within it (a
 * group of checkboxes named `rowFilter.measure.0`, `rowFilter.measure.1` for `rowFilter.measure`);
 * else the nearest field the path lies within (`milestones.0.value` → `milestones`). Looked for in
 * `scope` (the summary's form) first, then in the whole page.
 *
 * @example errorTarget(form, "rowFilter.measure")?.id // "field-rowFilter-measure-0"
 */
export function errorTarget(scope: ParentNode | null, field: string): HTMLElement | null {
  const parts = field.split(".");
  for (const root of scope && scope !== document ? [scope, document] : [document]) {
    for (let n = parts.length; n > 0; n--) {
      const id = fieldId(parts.slice(0, n).join("."));
      const exact = root.querySelector<HTMLElement>(`#${CSS.escape(id)}`);
      if (exact) return exact;
      const within = root.querySelector<HTMLElement>(
        CONTROLS.map((c) => `${c}[id^="${CSS.escape(`${id}-`)}"]`).join(", "),
      );
      if (within) return within;
    }
  }
  return null;
}

/**
 * The GOV.UK-style error summary: a titled list at the top of a form, each message a link to its
 * field (see `errorTarget`), focused when it appears so screen readers announce it. Following a
 * link focuses the field and brings its label into view.
 *
 * @example <ErrorSummary title={t("form.errorTitle")} errors={errors} />
 */
export function ErrorSummary(props: { title: string; errors: FieldErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(props.errors);
  const key = entries.map(([k, v]) => `${k}:${v}`).join("|");
  // The ids of the inputs the messages belong to, found once the form is on the page.
  const [targets, setTargets] = useState<Record<string, string>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again whenever the set of errors changes
  useEffect(() => {
    if (entries.length === 0) return;
    const scope = ref.current?.closest("form") ?? ref.current?.parentElement ?? null;
    const found: Record<string, string> = {};
    for (const [field] of entries) {
      const id = errorTarget(scope, field)?.id;
      if (id) found[field] = id;
    }
    setTargets(found);
    ref.current?.focus();
  }, [key]);
  if (entries.length === 0) return null;
  const follow = (field: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    const scope = ref.current?.closest("form") ?? ref.current?.parentElement ?? null;
    const target = errorTarget(scope, field);
    if (!target) return;
    e.preventDefault();
    const label = target.id ? document.querySelector(`label[for="${CSS.escape(target.id)}"]`) : null;
    (label ?? target).scrollIntoView?.({ block: "center" });
    target.focus({ preventScroll: true });
  };
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
          <li key={field}>
            {field === "form" ? (
              message
            ) : (
              <a href={`#${targets[field] ?? fieldId(field)}`} onClick={follow(field)}>
                {message}
              </a>
            )}
          </li>
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
  const common = {
    id,
    name: props.name,
    value: props.value,
    "aria-describedby": describedBy(id, props),
    "aria-invalid": props.error ? true : undefined,
    className: `fs-input${props.error ? " fs-input--error" : ""}${props.width === "half" ? " fs-input--half" : ""}`,
  };
  return (
    <FieldFrame id={id} {...props}>
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
    </FieldFrame>
  );
}

/** The ids of a field's hint and message, for its input's aria-describedby. */
function describedBy(id: string, props: { hint?: string; error?: string }): string | undefined {
  return (
    [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined
  );
}

/** A field's label, hint and message above its input. */
function FieldFrame(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  const { id } = props;
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
      {props.children}
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
  return (
    <FieldFrame id={id} {...props}>
      <select
        id={id}
        name={props.name}
        className="fs-select"
        value={props.value}
        aria-describedby={describedBy(id, props)}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
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
  // Its own id: a page may hold several dialogs (one per priority, say), each named by its title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="fs-dialog" aria-labelledby={titleId} onCancel={props.onCancel}>
      <h2 id={titleId}>{props.title}</h2>
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
