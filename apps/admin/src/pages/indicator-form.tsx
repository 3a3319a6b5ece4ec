import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import {
  CI_METHODS,
  FREQUENCIES,
  type INDICATOR_STATUSES,
  IndicatorSchema,
  PERIOD_TYPES,
  POLARITIES,
  UpdateIndicatorSchema,
  VALUE_TYPES,
} from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  SelectField,
  TextField,
  useI18n,
  useUnsavedChangesWarning,
  validate,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

export type IndicatorRecord = RouterOutputs["indicator"]["byCode"];

/** The form's text values, one per field (lists comma-separated, numbers as typed). */
type Values = Record<string, string>;

const TEXT_FIELDS = [
  "title",
  "definition",
  "rationale",
  "unit",
  "numeratorDefinition",
  "denominatorDefinition",
  "source",
  "publisher",
  "caveats",
  "owner",
] as const;

function blank(): Values {
  return {
    code: "",
    valueType: "percentage",
    polarity: "high-is-good",
    frequency: "annual",
    periodType: "",
    multiplier: "1",
    decimalPlaces: "1",
    ciMethod: "none",
    status: "draft",
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, ""])),
  };
}

/** A record as the form's text values. */
export function toValues(i: IndicatorRecord): Values {
  const n = (v: number | null) => (v === null ? "" : String(v));
  return {
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, i[f]])),
    code: i.code,
    valueType: i.valueType,
    polarity: i.polarity,
    frequency: i.frequency,
    periodType: i.periodType ?? "",
    multiplier: String(i.multiplier),
    decimalPlaces: String(i.decimalPlaces),
    releaseLagDays: n(i.releaseLagDays),
    ciMethod: i.ciMethod,
    themes: i.themes.join(", "),
    tags: i.tags.join(", "),
    sets: i.sets.join(", "),
    status: i.status,
    yearIntroduced: n(i.yearIntroduced),
    yearRetired: n(i.yearRetired),
    validMin: n(i.validMin),
    validMax: n(i.validMax),
    targetLow: n(i.targetBand?.low ?? null),
    targetHigh: n(i.targetBand?.high ?? null),
  };
}

const num = (s: string | undefined) => (s === undefined || s.trim() === "" ? null : Number(s.trim()));
const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** The form's values as the API's indicator input (derivation kept from the record). */
function fromValues(v: Values, existing: IndicatorRecord | null) {
  const low = num(v.targetLow);
  const high = num(v.targetHigh);
  return {
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, v[f] ?? ""])),
    title: v.title ?? "",
    code: v.code ?? "",
    valueType: v.valueType as (typeof VALUE_TYPES)[number],
    polarity: v.polarity as (typeof POLARITIES)[number],
    frequency: v.frequency as (typeof FREQUENCIES)[number],
    periodType: v.periodType ? (v.periodType as (typeof PERIOD_TYPES)[number]) : null,
    multiplier: num(v.multiplier) ?? 1,
    decimalPlaces: num(v.decimalPlaces) ?? 1,
    releaseLagDays: num(v.releaseLagDays),
    ciMethod: v.ciMethod as (typeof CI_METHODS)[number],
    themes: list(v.themes),
    tags: list(v.tags),
    sets: list(v.sets),
    status: v.status as (typeof INDICATOR_STATUSES)[number],
    yearIntroduced: num(v.yearIntroduced),
    yearRetired: num(v.yearRetired),
    validMin: num(v.validMin),
    validMax: num(v.validMax),
    targetBand: low === null && high === null ? null : { low: low ?? Number.NaN, high: high ?? Number.NaN },
    derivation: existing?.derivation ?? null,
  };
}

/** The target band's messages belong beside its two inputs. */
function renameBandErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const name = key === "targetBand.high" ? "targetHigh" : key.startsWith("targetBand") ? "targetLow" : key;
    out[name] ??= message;
  }
  return out;
}

/**
 * Creates an indicator, or edits one against the version the editor saw: a stale save is refused
 * and the form then shows the newer values. Field messages beside each field and in a summary.
 */
export function IndicatorForm(props: {
  existing: IndicatorRecord | null;
  onSaved(i: IndicatorRecord): void;
  /** The level of the form's section headings: one below the heading above the form. */
  headingLevel?: 2 | 3;
}) {
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => (props.existing ? toValues(props.existing) : blank()));
  const [version, setVersion] = useState(props.existing?.version ?? 0);
  const [changeNote, setChangeNote] = useState("");
  const [dirty, setDirty] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<IndicatorRecord | null>(null);
  useUnsavedChangesWarning(dirty);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [["indicator"]] });
  const onSuccess = (saved: IndicatorRecord) => {
    setDirty(false);
    setConflict(null);
    void refresh();
    props.onSaved(saved);
  };
  const create = useMutation(trpc.indicator.create.mutationOptions({ onSuccess }));
  const update = useMutation(
    trpc.indicator.update.mutationOptions({
      onSuccess,
      onError: (error) => {
        const current = error.data?.current as IndicatorRecord | null | undefined;
        if (error.data?.code === "CONFLICT" && current) {
          setConflict(current);
          setValues(toValues(current));
          setVersion(current.version);
          setDirty(false);
          void refresh();
        }
      },
    }),
  );
  const mutation = props.existing ? update : create;
  const serverErrors =
    mutation.error && mutation.error.data?.code !== "CONFLICT" ? fieldErrorsFrom(mutation.error) : {};
  const errors = renameBandErrors(Object.keys(clientErrors).length > 0 ? clientErrors : serverErrors);

  const set = (name: string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setDirty(true);
  };
  const field = (name: string, opts: { hint?: string; multiline?: boolean; half?: boolean } = {}) => (
    <TextField
      name={name}
      label={t(`indicatorField.${name}`)}
      hint={opts.hint}
      value={values[name] ?? ""}
      onChange={set(name)}
      error={errors[name]}
      multiline={opts.multiline}
      width={opts.half ? "half" : "full"}
    />
  );
  const select = (name: string, options: readonly string[], prefix: string, allowNone = false) => (
    <SelectField
      name={name}
      label={t(`indicatorField.${name}`)}
      value={values[name] ?? ""}
      onChange={set(name)}
      error={errors[name]}
      options={[
        ...(allowNone ? [{ value: "", label: t("indicatorForm.none") }] : []),
        ...options.map((o) => ({ value: o, label: t(`${prefix}.${o}`) })),
      ]}
    />
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = fromValues(values, props.existing);
    if (props.existing) {
      const full = { ...input, code: props.existing.code, version, changeNote };
      const found = validate(UpdateIndicatorSchema, full);
      setClientErrors(found);
      if (Object.keys(found).length === 0) update.mutate(full);
    } else {
      const found = validate(IndicatorSchema, input);
      setClientErrors(found);
      if (Object.keys(found).length === 0) create.mutate(input);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="fs-narrow">
      {conflict ? (
        <div className="fs-notice" role="alert">
          <p>
            <strong>{t("conflict.title")}</strong>
          </p>
          <p>{t("conflict.body")}</p>
          <p>{t("conflict.indicator", { title: conflict.title, version: conflict.version })}</p>
        </div>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      {props.existing ? null : field("code", { hint: t("indicatorForm.codeHint"), half: true })}
      {field("title")}
      {field("definition", { multiline: true })}
      {field("rationale", { multiline: true })}
      <Heading>{t("indicatorForm.measure")}</Heading>
      {select("valueType", VALUE_TYPES, "valueType")}
      {field("multiplier", { hint: t("indicatorForm.multiplierHint"), half: true })}
      {field("unit", { hint: t("indicatorForm.unitHint") })}
      {field("decimalPlaces", { half: true })}
      {select("polarity", POLARITIES, "polarity")}
      {field("targetLow", { hint: t("indicatorForm.targetHint"), half: true })}
      {field("targetHigh", { half: true })}
      {field("validMin", { hint: t("indicatorForm.validHint"), half: true })}
      {field("validMax", { half: true })}
      {field("numeratorDefinition", { multiline: true })}
      {field("denominatorDefinition", { multiline: true })}
      {select("ciMethod", CI_METHODS, "ciMethod")}
      <Heading>{t("indicatorForm.release")}</Heading>
      {select("frequency", FREQUENCIES, "frequency")}
      {select("periodType", PERIOD_TYPES, "periodType", true)}
      {field("releaseLagDays", { hint: t("indicatorForm.lagHint"), half: true })}
      {field("source")}
      {field("publisher")}
      {field("caveats", { multiline: true })}
      <Heading>{t("indicatorForm.ownership")}</Heading>
      {field("owner")}
      {field("themes", { hint: t("indicatorForm.listHint") })}
      {field("tags", { hint: t("indicatorForm.listHint") })}
      {field("sets", { hint: t("indicatorForm.setsHint") })}
      {props.existing ? null : select("status", ["draft", "active"], "indicatorStatus")}
      {field("yearIntroduced", { half: true })}
      {field("yearRetired", { half: true })}
      {props.existing ? (
        <TextField
          name="changeNote"
          label={t("indicatorForm.changeNote")}
          hint={t("indicatorForm.changeNoteHint")}
          value={changeNote}
          onChange={setChangeNote}
          error={errors.changeNote}
        />
      ) : null}
      <div className="fs-button-group">
        <Button type="submit" disabled={mutation.isPending}>
          {props.existing ? t("common.save") : t("indicatorForm.create")}
        </Button>
      </div>
    </form>
  );
}
