import { Button, ErrorSummary, fieldId, ProgressBar, useI18n } from "@fivestep/ui";
import { type FormEvent, useState } from "react";
import { formatBytes, type UploadedFile, uploadFile } from "../upload.ts";

/**
 * Choose a CSV or XLSX file and send it to the server, with a progress bar in percent and bytes.
 * The field's error sits beside it and in an error summary.
 */
export function FileUpload(props: {
  name: string;
  label: string;
  hint: string;
  submitLabel: string;
  onUploaded(file: UploadedFile): void;
}) {
  const { t, formatNumber } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState("");
  const id = fieldId(props.name);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(t("upload.chooseFile"));
      return;
    }
    setError("");
    setProgress({ sent: 0, total: file.size });
    try {
      const stored = await uploadFile(file, (sent, total) => setProgress({ sent, total }));
      props.onUploaded(stored);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((100 * progress.sent) / progress.total) : 0;
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary title={t("form.errorTitle")} errors={error ? { [props.name]: error } : {}} />
      <div className={`fs-field${error ? " fs-field--error" : ""}`}>
        <label htmlFor={id} className="fs-label">
          {props.label}
        </label>
        <p id={`${id}-hint`} className="fs-hint">
          {props.hint}
        </p>
        {error ? (
          <p id={`${id}-error`} className="fs-field-error">
            {error}
          </p>
        ) : null}
        <input
          id={id}
          name={props.name}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
          aria-invalid={error ? true : undefined}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      {progress ? (
        <ProgressBar
          label={t("upload.progress")}
          value={progress.sent}
          max={progress.total}
          text={t("upload.progressText", {
            percent,
            sent: formatBytes(progress.sent, formatNumber),
            total: formatBytes(progress.total, formatNumber),
          })}
        />
      ) : null}
      <Button type="submit" disabled={progress !== null}>
        {props.submitLabel}
      </Button>
    </form>
  );
}
