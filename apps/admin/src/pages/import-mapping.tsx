import type { RouterOutputs } from "@fivestep/api";
import {
  IMPORT_FIELDS,
  type ImportField,
  type ImportMappingInput,
  ImportMappingSchema,
} from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "../trpc.ts";

type FileInfo = RouterOutputs["imports"]["file"];
type Check = RouterOutputs["imports"]["preview"];

/** The mapping this file starts with: its last preview's, a remembered one, or a guess from the column names. */
export function initialMapping(file: FileInfo): ImportMappingInput {
  if (file.mapping) return file.mapping;
  const remembered = file.rememberedMappings[0]?.mapping;
  if (remembered) return remembered;
  const s = file.suggestedColumns as Partial<Record<ImportField, string>>;
  return {
    source: file.name.replace(/\.(csv|xlsx)$/i, ""),
    columns: { ...s, area: s.area ?? "", period: s.period ?? "", value: s.value ?? "" },
    indicatorValues: {},
    periodValues: {},
  };
}

const REQUIRED: readonly ImportField[] = ["area", "period", "value"];

/**
 * Which column is which field, or one indicator for the whole file; what the indicator column's
 * texts mean in the catalogue; how unreadable periods are spelled; remembered mappings per source.
 */
export function MappingForm(props: {
  file: FileInfo;
  mapping: ImportMappingInput;
  onChange(mapping: ImportMappingInput): void;
  check: Check | null;
  serverErrors: FieldErrors;
  busy: boolean;
  onPreview(mapping: ImportMappingInput): void;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const indicators = useQuery(trpc.indicator.list.queryOptions());
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const m = props.mapping;
  const columns = m.columns as Partial<Record<ImportField, string>>;
  const errors = Object.keys(clientErrors).length > 0 ? clientErrors : props.serverErrors;
  const update = (next: Partial<ImportMappingInput>) => props.onChange({ ...m, ...next });
  const setColumn = (field: ImportField, column: string) => {
    const next: Record<string, string> = { ...(m.columns as Record<string, string>) };
    if (column) next[field] = column;
    else if (REQUIRED.includes(field)) next[field] = "";
    else delete next[field];
    update({ columns: next as ImportMappingInput["columns"] });
  };

  // The indicator column's texts: from the sample rows, the last preview's unknown ones, and those already mapped.
  const indicatorColumn = columns.indicator;
  const at = indicatorColumn ? props.file.columns.indexOf(indicatorColumn) : -1;
  const indicatorTexts = [
    ...new Set([
      ...(at >= 0 ? props.file.sample.map((r) => r[at] ?? "").filter(Boolean) : []),
      ...(props.check?.unknownIndicators.map((u) => u.value) ?? []),
      ...Object.keys(m.indicatorValues ?? {}),
    ]),
  ];
  // Period texts the last preview could not read, to respell.
  const periodTexts = [
    ...new Set([
      ...(props.check?.problems.filter((p) => p.column === columns.period).map((p) => p.value) ?? []),
      ...Object.keys(m.periodValues ?? {}),
    ]),
  ];
  const codes = indicators.data?.map((i) => ({ value: i.code, label: `${i.code} – ${i.title}` })) ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const cleaned: ImportMappingInput = {
      ...m,
      indicatorCode: m.indicatorCode || undefined,
      indicatorValues: Object.fromEntries(Object.entries(m.indicatorValues ?? {}).filter(([, v]) => v)),
      periodValues: Object.fromEntries(Object.entries(m.periodValues ?? {}).filter(([, v]) => v.trim())),
    };
    const found = validate(ImportMappingSchema, cleaned);
    setClientErrors(found);
    if (Object.keys(found).length === 0) props.onPreview(cleaned);
  };

  const columnOptions = (field: ImportField) => [
    {
      value: "",
      label: REQUIRED.includes(field) ? t("mapping.chooseColumn") : t("mapping.notInFile"),
    },
    ...props.file.columns.map((c) => ({ value: c, label: c })),
  ];

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      {props.file.rememberedMappings.length > 0 ? (
        <SelectField
          name="remembered"
          label={t("mapping.remembered")}
          hint={t("mapping.rememberedHint")}
          value=""
          onChange={(source) => {
            const found = props.file.rememberedMappings.find((r) => r.source === source);
            if (found) props.onChange(found.mapping);
          }}
          options={[
            { value: "", label: t("mapping.chooseRemembered") },
            ...props.file.rememberedMappings.map((r) => ({ value: r.source, label: r.source })),
          ]}
        />
      ) : null}
      <TextField
        name="source"
        label={t("mapping.source")}
        hint={t("mapping.sourceHint")}
        value={m.source}
        onChange={(source) => update({ source })}
        error={errors.source}
      />
      <fieldset className="fs-section">
        <legend>
          <h3 style={{ margin: 0 }}>{t("mapping.columnsTitle")}</h3>
        </legend>
        <p className="fs-hint">{t("mapping.columnsHint")}</p>
        <div className="fs-mapping">
          {IMPORT_FIELDS.map((field) => (
            <SelectField
              key={field}
              name={`columns.${field}`}
              label={t(`importField.${field}`)}
              value={columns[field] ?? ""}
              onChange={(c) => setColumn(field, c)}
              error={errors[`columns.${field}`]}
              options={columnOptions(field)}
            />
          ))}
        </div>
        <SelectField
          name="indicatorCode"
          label={t("mapping.indicatorCode")}
          hint={t("mapping.indicatorCodeHint")}
          value={m.indicatorCode ?? ""}
          onChange={(code) => update({ indicatorCode: code || undefined })}
          error={errors.indicatorCode}
          options={[{ value: "", label: t("mapping.fromColumn") }, ...codes]}
        />
        <SelectField
          name="defaultStatus"
          label={t("mapping.defaultStatus")}
          value={m.defaultStatus ?? "final"}
          onChange={(v) => update({ defaultStatus: v as "final" | "provisional" })}
          options={[
            { value: "final", label: t("observationStatus.final") },
            { value: "provisional", label: t("observationStatus.provisional") },
          ]}
        />
      </fieldset>
      {indicatorColumn && indicatorTexts.length > 0 ? (
        <fieldset className="fs-section">
          <legend>
            <h3 style={{ margin: 0 }}>{t("mapping.valuesTitle")}</h3>
          </legend>
          <p className="fs-hint">{t("mapping.valuesHint", { column: indicatorColumn })}</p>
          {indicatorTexts.map((text, k) => (
            <SelectField
              key={text}
              name={`indicatorValues.${k}`}
              label={t("mapping.valueFor", { text })}
              value={m.indicatorValues?.[text] ?? ""}
              onChange={(code) => update({ indicatorValues: { ...m.indicatorValues, [text]: code } })}
              options={[{ value: "", label: t("mapping.asWritten") }, ...codes]}
            />
          ))}
        </fieldset>
      ) : null}
      {periodTexts.length > 0 ? (
        <fieldset className="fs-section">
          <legend>
            <h3 style={{ margin: 0 }}>{t("mapping.periodsTitle")}</h3>
          </legend>
          <p className="fs-hint">{t("mapping.periodsHint")}</p>
          {periodTexts.map((text, k) => (
            <TextField
              key={text}
              name={`periodValues.${k}`}
              label={t("mapping.readAs", { text })}
              value={m.periodValues?.[text] ?? ""}
              onChange={(v) => update({ periodValues: { ...m.periodValues, [text]: v } })}
              width="half"
            />
          ))}
        </fieldset>
      ) : null}
      <Button type="submit" disabled={props.busy}>
        {t("mapping.preview")}
      </Button>
    </form>
  );
}
