import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, useTRPC } from "@fivestep/client";
import { type Column, DataTable, ErrorPanel, ProgressBar, useI18n } from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FileUpload } from "../components/file-upload.tsx";

type Level = RouterOutputs["area"]["import"]["levels"][number];

/** Uploads an ONS-style lookup CSV and imports its areas, then says what was inserted and updated. */
export function AreaImport() {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useMutation(
    trpc.area.import.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: [["area"]] }),
    }),
  );
  const columns: Column<Level>[] = [
    { key: "type", header: t("areas.type"), cell: (l) => l.type, rowHeader: true },
    { key: "code", header: t("areaImport.codeColumn"), cell: (l) => l.codeColumn },
    { key: "name", header: t("areaImport.nameColumn"), cell: (l) => l.nameColumn },
  ];
  return (
    <section aria-labelledby="area-import" className="fs-section">
      <h2 id="area-import">{t("areaImport.title")}</h2>
      <p>{t("areaImport.lead")}</p>
      <FileUpload
        name="lookupFile"
        label={t("areaImport.file")}
        hint={t("areaImport.fileHint")}
        submitLabel={t("areaImport.submit")}
        onUploaded={(file) => run.mutate({ fileId: file.fileId })}
      />
      {run.isPending ? <ProgressBar label={t("areaImport.running")} /> : null}
      {run.isError ? (
        <ErrorPanel title={t("areaImport.failed")} message={t(errorMessageId(run.error))} />
      ) : null}
      {run.data ? (
        <div className="fs-notice fs-notice--success" role="status">
          <h3 style={{ marginTop: 0 }}>{t("areaImport.done", { file: run.data.fileName })}</h3>
          <dl className="fs-summary-list">
            <dt>{t("areaImport.rows")}</dt>
            <dd>{formatNumber(run.data.rows)}</dd>
            <dt>{t("result.inserted")}</dt>
            <dd>{formatNumber(run.data.inserted)}</dd>
            <dt>{t("result.updated")}</dt>
            <dd>{formatNumber(run.data.updated)}</dd>
            <dt>{t("result.unchanged")}</dt>
            <dd>{formatNumber(run.data.unchanged)}</dd>
          </dl>
          <DataTable
            caption={t("areaImport.levels")}
            columns={columns}
            rows={run.data.levels}
            rowKey={(l) => l.type}
            empty={t("areaImport.noLevels")}
          />
        </div>
      ) : null}
    </section>
  );
}
