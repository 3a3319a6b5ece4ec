import { toNestErrors } from "@hookform/resolvers";
import {
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
} from "react";
import {
  type DefaultValues,
  type FieldError,
  type FieldValues,
  FormProvider,
  type FieldErrors as HookFieldErrors,
  type Resolver,
  type UseFormReturn,
  useController,
  useForm,
  useFormContext,
} from "react-hook-form";
import type { z } from "zod";
import { type FieldErrors, type Translate, validate } from "./forms.tsx";
import { useI18n } from "./i18n.tsx";
import { useLeaveWarning } from "./router.tsx";

/**
 * A react-hook-form resolver over a domain zod schema, worded as `validate` words it: a broken
 * domain rule (an issue carrying `params.rule`) from the catalogue with the reader's numbers and
 * dates, other issues with the schema's own message. (`zodResolver` from `@hookform/resolvers/zod`
 * keeps only the message, so the rule codes would be lost.)
 *
 * @example useForm({ resolver: zodFormResolver(OptionSchema, t) })
 */
export function zodFormResolver<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  translate?: Translate,
): Resolver<z.input<S>, unknown, z.output<S>> {
  return (values, _context, options) => {
    const parsed = schema.safeParse(values);
    if (parsed.success) return { values: parsed.data, errors: {} };
    const flat: Record<string, FieldError> = {};
    for (const [path, message] of Object.entries(validate(schema, values, translate)))
      flat[path === "form" ? "root.form" : path] = { type: "validate", message };
    return { values: {}, errors: toNestErrors(flat, options) };
  };
}

/**
 * A form's state from a domain zod schema: react-hook-form with `zodFormResolver`, starting from
 * `defaults` (what "reset" goes back to). Errors are shown by `<ZodForm>`'s summary, which takes
 * the focus, so the first invalid field is not focused as well.
 *
 * @example const form = useZodForm(OptionSchema, { title: "", score: 0, evidenceIds: [] });
 */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  defaults: z.input<S>,
  translate?: Translate,
): UseFormReturn<z.input<S>, unknown, z.output<S>> {
  return useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodFormResolver(schema, translate),
    defaultValues: defaults as DefaultValues<z.input<S>>,
    shouldFocusError: false,
  });
}

/**
 * Flattens react-hook-form's nested errors into dotted paths and their messages, a form-level
 * message ("root.*") under "form".
 *
 * @example flattenErrors({ milestones: [{ title: { type: "x", message: "Enter a milestone" } }] }) // { "milestones.0.title": "Enter a milestone" }
 */
export function flattenErrors(errors: HookFieldErrors, prefix = ""): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, value] of Object.entries(errors ?? {})) {
    if (!value || typeof value !== "object" || key === "ref") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (path.startsWith("root")) {
      const message = (value as FieldError).message;
      if (typeof message === "string") out.form ??= message;
      for (const [k, v] of Object.entries(flattenErrors(value as HookFieldErrors, path))) out[k] ??= v;
      continue;
    }
    const message = (value as FieldError).message;
    if (typeof message === "string" && "type" in value) out[path] = message;
    else Object.assign(out, flattenErrors(value as HookFieldErrors, path));
  }
  return out;
}

interface FormFields {
  /** The id of a field's input on this page, from its name ("milestones.0.title"). */
  idFor(name: string): string;
  /** Its message, if refused. */
  errorOf(name: string): string | undefined;
}

const FormFieldsContext = createContext<FormFields | null>(null);

function useFormFields(): FormFields {
  const value = useContext(FormFieldsContext);
  if (!value) throw new Error("Fields must be inside <ZodForm>");
  return value;
}

/**
 * The message at a dotted path of react-hook-form's nested errors; for a list typed in one input
 * (area codes, one a line), the first message about any of its entries.
 */
function errorAt(errors: HookFieldErrors, name: string): string | undefined {
  let node: unknown = errors;
  for (const part of name.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  const message = (node as FieldError | undefined)?.message;
  if (typeof message === "string") return message;
  return Object.values(flattenErrors((node ?? {}) as HookFieldErrors))[0];
}

/**
 * A form over `useZodForm`: `noValidate`, its fields' ids unique on the page (`useId`), an error
 * summary at the top whose links focus their fields and which takes the focus when a submit is
 * refused, a warning before leaving unsaved changes (the browser's prompt, and a question before
 * an in-app link). `onSubmit` gets the schema's parsed values; when it throws, `errorsFrom` turns
 * the error into field messages (a refused save, a stale version). After a save the form goes back
 * to `reset` ("defaults" for an add form, so the next entry starts empty; "saved" for an edit
 * form, which keeps what was saved), then `onSaved` runs with what the save answered.
 *
 * @example <ZodForm form={form} heading={<h3 id={h}>Add an option</h3>} labelledBy={h} onSubmit={(o) => save.mutateAsync(o)} errorsFrom={(e) => fieldErrorsFrom(e)} reset="defaults">…</ZodForm>
 */
export function ZodForm<In extends FieldValues, Out, Result = unknown>(props: {
  form: UseFormReturn<In, unknown, Out>;
  onSubmit(values: Out): Promise<Result> | Result;
  errorsFrom?(error: unknown): FieldErrors;
  reset?: "defaults" | "saved" | "none";
  /** After a save, with what the save answered (the new record, say). */
  onSaved?(values: Out, result: Result): void;
  heading?: ReactNode;
  labelledBy?: string;
  label?: string;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { form } = props;
  const prefix = useId();
  const letGo = useLeaveWarning(form.formState.isDirty, t("form.leaveUnsaved"));
  const errors = flattenErrors(form.formState.errors as HookFieldErrors);
  const idFor = useCallback((name: string) => `${prefix}-${name.replace(/[^\w-]/g, "-")}`, [prefix]);
  const { errors: stateErrors } = form.formState;
  const fields = useMemo<FormFields>(
    () => ({ idFor, errorOf: (name) => errorAt(stateErrors as HookFieldErrors, name) }),
    [idFor, stateErrors],
  );
  const submit = form.handleSubmit(async (values) => {
    let result: Result;
    try {
      result = await props.onSubmit(values);
    } catch (error) {
      const found = props.errorsFrom?.(error) ?? { form: String((error as Error)?.message ?? error) };
      for (const [path, message] of Object.entries(found))
        form.setError((path === "form" ? "root.server" : path) as never, { type: "server", message });
      return;
    }
    letGo();
    if (props.reset === "defaults") form.reset();
    else if (props.reset !== "none") form.reset(form.getValues());
    props.onSaved?.(values, result);
  });
  return (
    <FormProvider {...form}>
      <FormFieldsContext.Provider value={fields}>
        <form
          noValidate
          onSubmit={submit}
          className={props.className ?? "fs-card fs-narrow"}
          aria-labelledby={props.labelledBy}
          aria-label={props.label}
        >
          {props.heading}
          <ErrorList
            title={t("form.errorTitle")}
            errors={errors}
            submits={form.formState.submitCount}
            idFor={idFor}
            focus={(name) => focusField(form, idFor, name)}
          />
          {props.children}
        </form>
      </FormFieldsContext.Provider>
    </FormProvider>
  );
}

/** Focuses the field a message belongs to, or the nearest field its path lies within. */
function focusField<In extends FieldValues, Out>(
  form: UseFormReturn<In, unknown, Out>,
  idFor: (name: string) => string,
  name: string,
): boolean {
  const parts = name.split(".");
  for (let n = parts.length; n > 0; n--) {
    const path = parts.slice(0, n).join(".");
    const target =
      document.getElementById(idFor(path)) ??
      document.querySelector<HTMLElement>(`[id^="${CSS.escape(`${idFor(path)}-`)}"]`);
    if (target) {
      const label = document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
      (label ?? target).scrollIntoView?.({ block: "center" });
      target.focus({ preventScroll: true });
      return true;
    }
  }
  form.setFocus(name as never);
  return false;
}

/** The summary of a refused submit; focused after each refused submit so it is announced. */
function ErrorList(props: {
  title: string;
  errors: FieldErrors;
  submits: number;
  idFor(name: string): string;
  focus(name: string): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const entries = Object.entries(props.errors);
  const key = entries.map(([k, v]) => `${k}:${v}`).join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again after each refused submit or new refusal
  useEffect(() => {
    if (entries.length > 0) ref.current?.focus();
  }, [key, props.submits]);
  if (entries.length === 0) return null;
  const follow = (name: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    props.focus(name);
  };
  return (
    <div className="fs-error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li key={name}>
            {name === "form" ? (
              message
            ) : (
              <a href={`#${props.idFor(name)}`} onClick={follow(name)}>
                {message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What `<Field>` hands its input: the id, and the aria attributes tying in hint and message. */
export interface FieldControl {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/**
 * A labelled field of a `<ZodForm>`: label, hint and message around the input that `children`
 * draws with the ids it is given (unique on the page, so the same form twice does not clash).
 *
 * @example <Field name="title" label="Title">{(c) => <input {...c} {...register("title")} />}</Field>
 */
export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  /** A checkbox: the label after the input. */
  inline?: boolean;
  children(control: FieldControl): ReactNode;
}) {
  const { idFor, errorOf } = useFormFields();
  const id = idFor(props.name);
  const error = errorOf(props.name);
  const describedBy = [props.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const control: FieldControl = {
    id,
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
    ...(error ? { "aria-invalid": true as const } : {}),
  };
  const label = (
    <label htmlFor={id} className={props.inline ? undefined : "fs-label"}>
      {props.label}
    </label>
  );
  const notes = (
    <>
      {props.hint ? (
        <p id={`${id}-hint`} className="fs-hint">
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="fs-field-error">
          {error}
        </p>
      ) : null}
    </>
  );
  if (props.inline)
    return (
      <div className="fs-field fs-checkbox">
        {props.children(control)}
        {label}
        {notes}
      </div>
    );
  return (
    <div className={`fs-field${error ? " fs-field--error" : ""}`}>
      {label}
      {notes}
      {props.children(control)}
    </div>
  );
}

/** How an input's text becomes the schema's value. */
type Parse = "text" | "number" | "numberOrNull" | "textOrNull";

// react-hook-form also passes values already parsed (a reset's null or number), not only the
// input's text, so each parser leaves those as they are.
const PARSERS: Record<Parse, ((v: unknown) => unknown) | undefined> = {
  text: undefined,
  number: (v) => (typeof v !== "string" ? v : v === "" ? Number.NaN : Number(v)),
  numberOrNull: (v) => (typeof v !== "string" ? (v ?? null) : v === "" ? null : Number(v)),
  textOrNull: (v) => (v === "" || v === undefined ? null : v),
};

/** An input's registration with its form, its text parsed into the schema's value. */
function useRegistered(name: string, parse: Parse = "text") {
  return useFormContext().register(name, { setValueAs: PARSERS[parse] });
}

/**
 * A text box (or text area) of a `<ZodForm>`, registered under `name`; `parse` turns its text into
 * the schema's value ("" → null for an optional date).
 *
 * @example <TextInput name="startDate" label="Start" type="date" parse="textOrNull" width="half" />
 */
export function TextInput(props: {
  name: string;
  label: string;
  hint?: string;
  type?: "text" | "email" | "password" | "date" | "number" | "url" | "search";
  multiline?: boolean;
  width?: "full" | "half";
  autoComplete?: string;
  parse?: Parse;
}) {
  const field = useRegistered(props.name, props.parse);
  return (
    <Field {...props}>
      {(control) => {
        const className = `fs-input${control["aria-invalid"] ? " fs-input--error" : ""}${props.width === "half" ? " fs-input--half" : ""}`;
        return props.multiline ? (
          <textarea {...control} {...field} rows={5} className={className} />
        ) : (
          <input
            {...control}
            {...field}
            type={props.type ?? "text"}
            autoComplete={props.autoComplete}
            className={className}
          />
        );
      }}
    </Field>
  );
}

/**
 * A select of a `<ZodForm>`; `parse` turns the chosen value into the schema's ("" → null for "none").
 *
 * @example <SelectInput name="score" label="Score" parse="number" options={[0, 1, 2].map((n) => ({ value: String(n), label: String(n) }))} />
 */
export function SelectInput(props: {
  name: string;
  label: string;
  hint?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  parse?: Parse;
}) {
  const field = useRegistered(props.name, props.parse);
  return (
    <Field {...props}>
      {(control) => (
        <select {...control} {...field} className="fs-select">
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A checkbox of a `<ZodForm>` for a true/false field, its label beside it.
 *
 * @example <CheckboxInput name="milestones.0.done" label="Done" />
 */
export function CheckboxInput(props: { name: string; label: string; hint?: string }) {
  const { register } = useFormContext();
  return (
    <Field name={props.name} label={props.label} hint={props.hint} inline>
      {(control) => <input {...control} {...register(props.name)} type="checkbox" />}
    </Field>
  );
}

/**
 * A group of checkboxes of a `<ZodForm>` choosing some of `options` for a list of ids (numbers)
 * or codes (strings), under one legend and an optional hint; its message belongs to the first box.
 *
 * @example <CheckboxGroup name="evidenceIds" legend="Evidence" options={[{ value: 4, label: "Business survey" }]} />
 * @example <CheckboxGroup name="scopes" legend="Scopes" options={[{ value: "plans:read", label: "read plans" }]} />
 */
export function CheckboxGroup(props: {
  name: string;
  legend: string;
  hint?: string;
  empty?: string;
  options: ReadonlyArray<{ value: number | string; label: string }>;
}) {
  const { idFor, errorOf } = useFormFields();
  const { field } = useController({ name: props.name });
  const chosen: Array<number | string> = Array.isArray(field.value) ? field.value : [];
  const error = errorOf(props.name);
  const base = idFor(props.name);
  const describedBy = [props.hint ? `${base}-hint` : "", error ? `${base}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <fieldset aria-describedby={describedBy || undefined}>
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p id={`${base}-hint`} className="fs-hint">
          {props.hint}
        </p>
      ) : null}
      {props.options.length === 0 && props.empty ? <p className="fs-hint">{props.empty}</p> : null}
      {error ? (
        <p id={`${base}-error`} className="fs-field-error">
          {error}
        </p>
      ) : null}
      {props.options.map((o, i) => (
        <div key={o.value} className="fs-field fs-checkbox">
          <input
            id={`${base}-${String(o.value).replace(/[^\w-]/g, "-")}`}
            ref={i === 0 ? field.ref : undefined}
            type="checkbox"
            name={props.name}
            checked={chosen.includes(o.value)}
            onBlur={field.onBlur}
            onChange={(e) =>
              field.onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((x) => x !== o.value))
            }
          />
          <label htmlFor={`${base}-${String(o.value).replace(/[^\w-]/g, "-")}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
