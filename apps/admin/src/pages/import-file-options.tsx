import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import {
  IMPORT_ENCODINGS,
  IMPORT_SEPARATORS,
  type ImportEncoding,
  type ImportMappingInput,
  type ImportReading,
  type ImportSeparator,
} from "@fivestep/domain";
import { CheckboxField, SelectField, TextField, useI18n } from "@fivestep/ui";
import { useIsFetching } from "@tanstack/react-query";
import { useEffect, useState } from "react";

type FileInfo = RouterOutputs["imports"]["file"];

/**
 * The reading choices a mapping holds (encoding, separator, decimal comma, header row, sheet), or
 * undefined when it holds none: the `read` of `imports.file`, so the file is read as chosen.
 *
 * @example trpc.imports.file.queryOptions({ fileId, read: readChoicesOf(mapping) })
 */
export function readChoicesOf(mapping: ImportMappingInput | null): ImportReading | undefined {
  if (!mapping) return undefined;
  const read: ImportReading = {};
  if (mapping.encoding !== undefined) read.encoding = mapping.encoding;
  if (mapping.separator !== undefined) read.separator = mapping.separator;
  if (mapping.decimalComma !== undefined) read.decimalComma = mapping.decimalComma;
  if (mapping.headerRow !== undefined) read.headerRow = mapping.headerRow;
  if (mapping.sheet) read.sheet = mapping.sheet;
  return Object.keys(read).length > 0 ? read : undefined;
}

const ENCODING_LABELS: Record<ImportEncoding, string> = {
  "utf-8": "UTF-8",
  "utf-16le": "UTF-16 LE",
  "utf-16be": "UTF-16 BE",
  "windows-1252": "Windows-1252",
  "windows-1250": "Windows-1250",
};
const SEPARATOR_KEYS = {
  ",": "reading.separator.comma",
  ";": "reading.separator.semicolon",
  "\t": "reading.separator.tab",
  "|": "reading.separator.bar",
} as const satisfies Record<ImportSeparator, string>;
type EncodingFrom = NonNullable<NonNullable<FileInfo["reading"]>["encodingFrom"]>;
const FROM_KEYS = {
  "byte-order mark": "reading.from.bom",
  "zero bytes": "reading.from.zeros",
  "utf-8": "reading.from.utf8",
  detector: "reading.from.detector",
  chosen: "reading.from.chosen",
} as const satisfies Record<EncodingFrom, string>;

/**
 * How the uploaded file is read, and the administrator's choice of each: the encoding and column
 * separator (detected, or chosen), decimal commas, the worksheet and the row holding the column
 * names, with the texts that have accented or other non-ASCII letters so a person can see they
 * read right ("Ynys Môn", not "Ynys MÃ´n"). A change goes into the mapping, which reads the file
 * again.
 *
 * @example <ImportFileOptions file={file} mapping={mapping} onChange={setMapping} />
 */
export function ImportFileOptions(props: {
  file: FileInfo;
  mapping: ImportMappingInput;
  onChange(mapping: ImportMappingInput): void;
}) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const rereading = useIsFetching({ queryKey: trpc.imports.file.queryKey() }) > 0;
  const m = props.mapping;
  const reading = props.file.reading;
  const csv = props.file.format === "csv";
  const [headerRow, setHeaderRow] = useState(String(m.headerRow ?? 1));
  useEffect(() => setHeaderRow(String(m.headerRow ?? 1)), [m.headerRow]);
  const [headerError, setHeaderError] = useState<string | undefined>();

  const choose = (next: Partial<ImportMappingInput>) => {
    const merged: Record<string, unknown> = { ...m, ...next };
    for (const key of Object.keys(next)) if (merged[key] === undefined) delete merged[key];
    props.onChange(merged as ImportMappingInput);
  };
  const separatorName = (s: ImportSeparator) => t(SEPARATOR_KEYS[s]);
  const encodingFrom = reading?.encodingFrom ? t(FROM_KEYS[reading.encodingFrom]) : "";
  const separator = reading?.separator ?? null;

  return (
    <section aria-labelledby="reading-title" className="fs-section">
      <h2 id="reading-title">{t("reading.title")}</h2>
      <p className="fs-hint">{csv ? t("reading.leadCsv") : t("reading.leadXlsx")}</p>
      {props.file.readError ? (
        <div className="fs-error" role="alert">
          <p>{t("reading.cannotRead")}</p>
          <p>{props.file.readError}</p>
        </div>
      ) : null}
      {reading ? (
        <dl className="fs-summary-list">
          {reading.encoding ? (
            <>
              <dt>{t("reading.encoding")}</dt>
              <dd>{t("reading.readAs", { name: ENCODING_LABELS[reading.encoding], from: encodingFrom })}</dd>
            </>
          ) : null}
          {separator ? (
            <>
              <dt>{t("reading.separator")}</dt>
              <dd>
                {t("reading.readAs", {
                  name: separatorName(separator),
                  from: t(reading.separatorFrom === "chosen" ? "reading.from.chosen" : "reading.from.lines"),
                })}
              </dd>
              <dt>{t("reading.numbers")}</dt>
              <dd>{reading.decimalComma ? t("reading.numbersComma") : t("reading.numbersPoint")}</dd>
            </>
          ) : null}
          {reading.sheet ? (
            <>
              <dt>{t("reading.sheet")}</dt>
              <dd>{reading.sheet}</dd>
            </>
          ) : null}
          <dt>{t("reading.headerRow")}</dt>
          <dd>{formatNumber(reading.headerRow)}</dd>
        </dl>
      ) : null}
      <fieldset className="fs-section">
        <legend>
          <h3 style={{ margin: 0 }}>{t("reading.changeTitle")}</h3>
        </legend>
        {csv ? (
          <>
            <SelectField
              name="reading.encoding"
              label={t("reading.encoding")}
              hint={t("reading.encodingHint")}
              value={m.encoding ?? ""}
              onChange={(v) => choose({ encoding: v === "" ? undefined : (v as ImportEncoding) })}
              options={[
                { value: "", label: t("reading.detect") },
                ...IMPORT_ENCODINGS.map((e) => ({ value: e, label: ENCODING_LABELS[e] })),
              ]}
            />
            <SelectField
              name="reading.separator"
              label={t("reading.separator")}
              value={m.separator ?? ""}
              onChange={(v) => {
                const chosen = v === "" ? undefined : (v as ImportSeparator);
                // A decimal comma cannot go with commas between columns.
                choose(
                  chosen === "," ? { separator: chosen, decimalComma: undefined } : { separator: chosen },
                );
              }}
              options={[
                { value: "", label: t("reading.detect") },
                ...IMPORT_SEPARATORS.map((s) => ({ value: s, label: separatorName(s) })),
              ]}
            />
            {separator && separator !== "," ? (
              <CheckboxField
                name="reading.decimalComma"
                label={t("reading.decimalComma")}
                hint={t("reading.decimalCommaHint")}
                checked={reading?.decimalComma ?? false}
                onChange={(checked) => choose({ decimalComma: checked })}
              />
            ) : null}
          </>
        ) : (
          <SelectField
            name="reading.sheet"
            label={t("reading.sheet")}
            hint={t("reading.sheetHint")}
            value={m.sheet ?? reading?.sheet ?? ""}
            onChange={(v) => choose({ sheet: v === "" ? undefined : v })}
            options={(reading?.sheets ?? []).map((s) => ({ value: s, label: s }))}
          />
        )}
        <TextField
          name="reading.headerRow"
          label={t("reading.headerRow")}
          hint={t("reading.headerRowHint")}
          value={headerRow}
          width="half"
          error={headerError}
          onChange={(text) => {
            setHeaderRow(text);
            const n = Number(text.trim());
            if (text.trim() === "") {
              setHeaderError(undefined);
              choose({ headerRow: undefined });
            } else if (Number.isInteger(n) && n >= 1 && n <= 1000) {
              setHeaderError(undefined);
              choose({ headerRow: n === 1 ? undefined : n });
            } else {
              setHeaderError(t("reading.headerRowInvalid", { max: formatNumber(1000) }));
            }
          }}
        />
      </fieldset>
      {rereading ? (
        <p role="status" className="fs-hint">
          {t("reading.rereading")}
        </p>
      ) : null}
      {reading ? (
        <>
          <h3 id="reading-texts">{t("reading.textsTitle")}</h3>
          {reading.nonAscii.length > 0 ? (
            <>
              <p className="fs-hint">{t("reading.textsHint")}</p>
              <ul aria-labelledby="reading-texts">
                {reading.nonAscii.map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            </>
          ) : (
            <p className="fs-hint">{t("reading.textsNone")}</p>
          )}
        </>
      ) : null}
    </section>
  );
}
