import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import {
  IMPORT_FIELDS,
  type ImportField,
  type ImportMappingInput,
  ImportMappingSchema,
  indicatorColumnsOf,
  indicatorText,
} from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type FileInfo = RouterOutputs["imports"]["file"];
type Check = RouterOutputs["imports"]["preview"];
type Columns = Partial<Record<ImportField, string | string[]>>;

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

/**
 * The mapping as it is sent: empty choices left out (no code for a text, a blank respelling, a
 * filter column with no values kept).
 */
export function cleanMapping(m: ImportMappingInput): ImportMappingInput {
  return {
    ...m,
    indicatorCode: m.indicatorCode || undefined,
    indicatorValues: Object.fromEntries(Object.entries(m.indicatorValues ?? {}).filter(([, v]) => v)),
    periodValues: Object.fromEntries(Object.entries(m.periodValues ?? {}).filter(([, v]) => v.trim())),
    rowFilter: Object.fromEntries(Object.entries(m.rowFilter ?? {}).filter(([, v]) => v.length > 0)),
  };
}

const REQUIRED: readonly ImportField[] = ["area", "period", "value"];
const MAX_INDICATOR_COLUMNS = 5;

/**
 * Which column is which field (the indicator from one column or several joined), or one indicator
 * for the whole file; which rows to keep; what the file's indicator texts mean in the catalogue
 * (every distinct text of the whole file, from the last preview); how unreadable periods are
 * spelled; remembered mappings per source.
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
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const indicators = useQuery(trpc.indicator.list.queryOptions());
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [filterColumn, setFilterColumn] = useState("");
  const [extraValue, setExtraValue] = useState<Record<string, string>>({});
  const m = props.mapping;
  const columns = m.columns as Columns;
  const errors = Object.keys(clientErrors).length > 0 ? clientErrors : props.serverErrors;
  const update = (next: Partial<ImportMappingInput>) => props.onChange({ ...m, ...next });
  const setColumns = (next: Columns) => update({ columns: next as ImportMappingInput["columns"] });
  const setColumn = (field: ImportField, column: string) => {
    const next: Columns = { ...columns };
    if (column) next[field] = column;
    else if (REQUIRED.includes(field)) next[field] = "";
    else delete next[field];
    setColumns(next);
  };
  // The indicator's columns: the first as the "Indicator" field, the others joined after it.
  const indicatorColumns = indicatorColumnsOf(columns.indicator);
  const setIndicatorColumn = (k: number, column: string) => {
    const list = [...indicatorColumns];
    if (column) list[k] = column;
    else list.splice(k, 1);
    const next: Columns = { ...columns };
    if (list.length === 0) delete next.indicator;
    else next.indicator = list.length === 1 ? (list[0] as string) : list;
    setColumns(next);
  };
  const sampleCell = (row: string[], column: string) => row[props.file.columns.indexOf(column)] ?? "";

  // The indicator texts: the whole file's from the last preview (with their rows), or the first
  // rows' before any preview, and those already mapped.
  const fromFile = new Map((props.check?.indicatorTexts ?? []).map((x) => [x.text, x.rows]));
  const indicatorTexts = [
    ...new Set([
      ...fromFile.keys(),
      // Before a preview, the first rows' texts; after one, the file's own (the filter may leave some out).
      ...(!props.check &&
      indicatorColumns.length > 0 &&
      indicatorColumns.every((c) => props.file.columns.includes(c))
        ? props.file.sample.map((r) => indicatorText(indicatorColumns.map((c) => sampleCell(r, c))))
        : []
      ).filter((x) => x.replaceAll("|", "").trim() !== ""),
      ...Object.keys(m.indicatorValues ?? {}),
    ]),
  ];
  // Period texts the last preview could not read, to respell.
  const periodTexts = [
    ...new Set([
      ...(props.check?.problems.filter((p) => p.code === "import.badPeriod").map((p) => p.value) ?? []),
      ...Object.keys(m.periodValues ?? {}),
    ]),
  ];
  const codes = indicators.data?.map((i) => ({ value: i.code, label: `${i.code} – ${i.title}` })) ?? [];

  // Row filter: per column, the texts to keep; the choices are the texts of the first rows and any added.
  const rowFilter = m.rowFilter ?? {};
  const setFilter = (column: string, values: string[] | null) => {
    const next = { ...rowFilter };
    if (values === null) delete next[column];
    else next[column] = values;
    update({ rowFilter: next });
  };
  const filterChoices = (column: string) =>
    [
      ...new Set([
        ...props.file.sample.map((r) => sampleCell(r, column).trim()).filter((x) => x !== ""),
        ...(rowFilter[column] ?? []),
      ]),
    ].sort((a, b) => a.localeCompare(b));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const cleaned = cleanMapping(m);
    const found = validate(ImportMappingSchema, cleaned, t);
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
  const textCount = props.check?.indicatorTextCount ?? 0;

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
          {IMPORT_FIELDS.map((field) =>
            field === "indicator" ? (
              <SelectField
                key={field}
                name="columns.indicator"
                label={t("importField.indicator")}
                value={indicatorColumns[0] ?? ""}
                onChange={(c) => setIndicatorColumn(0, c)}
                error={errors["columns.indicator"]}
                options={columnOptions(field)}
              />
            ) : (
              <SelectField
                key={field}
                name={`columns.${field}`}
                label={t(`importField.${field}`)}
                value={(columns[field] as string | undefined) ?? ""}
                onChange={(c) => setColumn(field, c)}
                error={errors[`columns.${field}`]}
                options={columnOptions(field)}
              />
            ),
          )}
        </div>
        {indicatorColumns.length > 1 ? <p className="fs-hint">{t("mapping.indicatorJoinedHint")}</p> : null}
        <div className="fs-mapping">
          {indicatorColumns.slice(1).map((column, k) => (
            <SelectField
              key={`${k + 1}`}
              name={`columns.indicator.${k + 1}`}
              label={t("mapping.indicatorJoined", { n: k + 2 })}
              value={column}
              onChange={(c) => setIndicatorColumn(k + 1, c)}
              options={[
                { value: "", label: t("mapping.removeColumn") },
                ...props.file.columns.map((c) => ({ value: c, label: c })),
              ]}
            />
          ))}
        </div>
        {indicatorColumns.length > 0 && indicatorColumns.length < MAX_INDICATOR_COLUMNS ? (
          <Button
            variant="secondary"
            onClick={() => {
              const unused = props.file.columns.find((c) => !indicatorColumns.includes(c));
              if (unused) setColumns({ ...columns, indicator: [...indicatorColumns, unused] });
            }}
          >
            {t("mapping.addIndicatorColumn")}
          </Button>
        ) : null}
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
      <fieldset className="fs-section">
        <legend>
          <h3 style={{ margin: 0 }}>{t("mapping.filterTitle")}</h3>
        </legend>
        <p className="fs-hint">{t("mapping.filterHint")}</p>
        {errors.rowFilter ? <p className="fs-field-error">{errors.rowFilter}</p> : null}
        {Object.keys(rowFilter).map((column) => (
          <fieldset key={column} className="fs-section">
            <legend>{t("mapping.filterKeep", { column })}</legend>
            {filterChoices(column).map((value, k) => (
              <CheckboxField
                key={value}
                name={`rowFilter.${column}.${k}`}
                label={value}
                checked={(rowFilter[column] ?? []).includes(value)}
                onChange={(on) =>
                  setFilter(
                    column,
                    on
                      ? [...(rowFilter[column] ?? []), value]
                      : (rowFilter[column] ?? []).filter((v) => v !== value),
                  )
                }
              />
            ))}
            <TextField
              name={`rowFilter.${column}.more`}
              label={t("mapping.filterAnother", { column })}
              value={extraValue[column] ?? ""}
              onChange={(v) => setExtraValue({ ...extraValue, [column]: v })}
              width="half"
            />
            <div className="fs-button-group">
              <Button
                variant="secondary"
                onClick={() => {
                  const v = (extraValue[column] ?? "").trim();
                  if (v && !(rowFilter[column] ?? []).includes(v))
                    setFilter(column, [...(rowFilter[column] ?? []), v]);
                  setExtraValue({ ...extraValue, [column]: "" });
                }}
              >
                {t("mapping.filterAdd")}
              </Button>
              <Button variant="secondary" onClick={() => setFilter(column, null)}>
                {t("mapping.filterRemove", { column })}
              </Button>
            </div>
          </fieldset>
        ))}
        <SelectField
          name="filterColumn"
          label={t("mapping.filterColumn")}
          value={filterColumn}
          onChange={setFilterColumn}
          options={[
            { value: "", label: t("mapping.chooseColumn") },
            ...props.file.columns.filter((c) => !(c in rowFilter)).map((c) => ({ value: c, label: c })),
          ]}
        />
        <Button
          variant="secondary"
          disabled={filterColumn === ""}
          onClick={() => {
            setFilter(filterColumn, []);
            setFilterColumn("");
          }}
        >
          {t("mapping.filterStart")}
        </Button>
      </fieldset>
      {indicatorColumns.length > 0 && indicatorTexts.length > 0 ? (
        <fieldset className="fs-section">
          <legend>
            <h3 style={{ margin: 0 }}>{t("mapping.valuesTitle")}</h3>
          </legend>
          <p className="fs-hint">{t("mapping.valuesHint", { column: indicatorColumns.join(" | ") })}</p>
          {props.check ? (
            <p className="fs-hint">
              {textCount > fromFile.size
                ? t("mapping.valuesMost", {
                    count: formatNumber(textCount),
                    shown: formatNumber(fromFile.size),
                  })
                : t("mapping.valuesAll", { count: formatNumber(textCount) })}
            </p>
          ) : (
            <p className="fs-hint">{t("mapping.valuesFirstRows")}</p>
          )}
          {indicatorTexts.map((text, k) => (
            <SelectField
              key={text}
              name={`indicatorValues.${k}`}
              label={t("mapping.valueFor", { text })}
              hint={fromFile.has(text) ? t("mapping.textRows", { rows: fromFile.get(text) ?? 0 }) : undefined}
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
