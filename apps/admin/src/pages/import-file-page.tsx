import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import type { ImportMappingInput } from "@fivestep/domain";
import {
  Button,
  DataTable,
  ErrorPanel,
  fieldErrorsFrom,
  Link,
  Skeleton,
  TextField,
  useI18n,
  useRouter,
} from "@fivestep/ui";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { formatBytes } from "../upload.ts";
import { ImportCheck } from "./import-check.tsx";
import { ImportFileOptions, readChoicesOf } from "./import-file-options.tsx";
import { cleanMapping, initialMapping, MappingForm } from "./import-mapping.tsx";
import { ImportProgress } from "./import-progress.tsx";
import { SaveMapping } from "./import-save-mapping.tsx";
import { AddUnknownAreas } from "./import-unknown-areas.tsx";

/**
 * An uploaded file: its columns and first rows, the mapping form (and "Save mapping as…"), the
 * preview of every problem (with the unknown areas to add from the file), and the commit (all
 * rows, or only the good ones), with progress while the preview runs. The commit starts a job and
 * goes to its page, which follows it to the end.
 */
export function ImportFilePage(props: { fileId: number }) {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const [mapping, setMapping] = useState<ImportMappingInput | null>(null);
  // One reason for all the locked values a file changes.
  const [revisionReason, setRevisionReason] = useState("");
  // The file is read again as the mapping's reading choices say (encoding, separator, header row, sheet).
  const file = useQuery(
    trpc.imports.file.queryOptions(
      { fileId: props.fileId, read: readChoicesOf(mapping) },
      { placeholderData: keepPreviousData },
    ),
  );
  const preview = useMutation(trpc.imports.preview.mutationOptions({ onSuccess: () => commit.reset() }));
  const { navigate } = useRouter();
  // The commit runs as a job: its page (with the job's id in the address) follows it to the end.
  const commit = useMutation(
    trpc.imports.startCommit.mutationOptions({ onSuccess: ({ jobId }) => navigate(`/jobs/${jobId}`) }),
  );
  usePageTitle(file.data?.name ?? t("import.title"));
  useEffect(() => {
    if (file.data && mapping === null) setMapping(initialMapping(file.data));
  }, [file.data, mapping]);

  const back = (
    <p>
      <Link to="/import">{t("import.another")}</Link>
    </p>
  );
  if (file.isPending || (file.data && !mapping)) return <Skeleton label={t("common.loading")} lines={6} />;
  if (file.isError) {
    return (
      <>
        {back}
        <ErrorPanel title={t("import.fileMissing")} message={t(errorMessageId(file.error))} />
      </>
    );
  }
  const f = file.data;
  const m = mapping ?? initialMapping(f);
  const check = preview.data ?? null;
  const running = preview.isPending || commit.isPending;
  // The preview again with the mapping it last ran with (after areas were added).
  const previewAgain = () => {
    const last = preview.variables;
    if (last) preview.mutate(last);
  };

  return (
    <>
      {back}
      <h1>{t("import.fileTitle", { name: f.name })}</h1>
      <p className="fs-caption">
        {t("import.fileFacts", {
          format: f.format.toUpperCase(),
          size: formatBytes(f.size, formatNumber),
          columns: formatNumber(f.columns.length),
          when: formatDate(f.uploadedAt, { dateStyle: "medium", timeStyle: "short" }),
        })}
      </p>
      <ImportFileOptions file={f} mapping={m} onChange={setMapping} />
      <DataTable
        caption={t("import.sample", { count: f.sample.length })}
        columns={f.columns.map((c, k) => ({ key: `${k}`, header: c, cell: (row: string[]) => row[k] ?? "" }))}
        rows={f.sample}
        rowKey={(row) => String(f.sample.indexOf(row))}
        empty={t("import.sampleEmpty")}
      />
      <h2>{t("mapping.title")}</h2>
      <MappingForm
        file={f}
        mapping={m}
        onChange={setMapping}
        check={check}
        serverErrors={preview.error ? fieldErrorsFrom(preview.error) : {}}
        busy={running}
        onPreview={(next) => {
          setMapping(next);
          preview.mutate({ fileId: f.fileId, mapping: next });
        }}
      />
      <SaveMapping mapping={m} clean={cleanMapping} />
      {preview.isPending ? <ImportProgress fileId={f.fileId} label={t("import.previewing")} /> : null}
      {check && !preview.isPending ? <ImportCheck check={check} heading={t("check.title")} /> : null}
      {check && !preview.isPending && check.unknownAreas.length > 0 ? (
        <AddUnknownAreas
          key={check.unknownAreas.map((u) => u.value).join(" ")}
          unknown={check.unknownAreas}
          onAdded={previewAgain}
        />
      ) : null}
      {check && !preview.isPending ? (
        <section aria-labelledby="commit-title" className="fs-section">
          <h2 id="commit-title">{t("commit.title")}</h2>
          {commit.error ? (
            <ErrorPanel title={t("commit.failed")} message={t(errorMessageId(commit.error))} />
          ) : null}
          {check.lockedChangeCount > 0 ? (
            <TextField
              name="revisionReason"
              label={t("commit.revisionReason")}
              hint={t("commit.revisionReasonHint", { count: formatNumber(check.lockedChangeCount) })}
              value={revisionReason}
              onChange={setRevisionReason}
              error={commit.error ? fieldErrorsFrom(commit.error, t).revisionReason : undefined}
              multiline
            />
          ) : null}
          {check.problemCount === 0 ? (
            <>
              <p>{t("commit.ready", { count: check.accepted })}</p>
              <Button
                disabled={running || check.accepted === 0}
                onClick={() => commit.mutate({ fileId: f.fileId, revisionReason })}
              >
                {t("commit.all", { count: check.accepted })}
              </Button>
            </>
          ) : (
            <>
              <p>{t("commit.withProblems", { rejected: formatNumber(check.rejected) })}</p>
              <Button
                variant="secondary"
                disabled={running || check.accepted === 0}
                onClick={() => commit.mutate({ fileId: f.fileId, acceptGoodRows: true, revisionReason })}
              >
                {t("commit.goodOnly", { count: check.accepted })}
              </Button>
            </>
          )}
        </section>
      ) : null}
    </>
  );
}
