import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import {
  Button,
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorPanel,
  fieldErrorsFrom,
  Link,
  Skeleton,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { BatchReview } from "./batch-review.tsx";
import { BatchStatus } from "./batches-page.tsx";

type Revision = RouterOutputs["imports"]["batch"]["revisions"][number];

/** One import batch: what it did, each value it changed (old and new), and rolling it back. */
export function BatchPage(props: { id: number }) {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const batch = useQuery(trpc.imports.batch.queryOptions({ batchId: props.id }));
  const [confirming, setConfirming] = useState(false);
  // Once a held batch is approved or rejected here, its review keeps showing the outcome.
  const [decided, setDecided] = useState(false);
  const rollback = useMutation(
    trpc.imports.rollback.mutationOptions({
      onSettled: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: [["imports"]] });
      },
    }),
  );
  usePageTitle(t("batches.number", { id: props.id }));

  const back = (
    <p>
      <Link to="/batches">{t("batches.back")}</Link>
    </p>
  );
  if (batch.isPending) return <Skeleton label={t("common.loading")} lines={6} />;
  if (batch.isError) {
    return (
      <>
        {back}
        <ErrorPanel title={t("batches.notFound")} message={t(errorMessageId(batch.error))} />
      </>
    );
  }
  const b = batch.data;
  const v = (x: number | null) => (x === null ? "–" : formatNumber(x));
  const columns: Column<Revision>[] = [
    {
      key: "what",
      header: t("revisions.value"),
      cell: (r) => `${r.indicatorCode}, ${r.areaCode}, ${r.period}${r.breakdown ? `, ${r.breakdown}` : ""}`,
      rowHeader: true,
    },
    { key: "old", header: t("revisions.old"), cell: (r) => v(r.old.value), numeric: true },
    { key: "new", header: t("revisions.new"), cell: (r) => v(r.new.value), numeric: true },
    {
      key: "when",
      header: t("revisions.when"),
      cell: (r) =>
        `${formatDate(r.changedAt, { dateStyle: "medium", timeStyle: "short" })}, ${r.changedBy ?? "–"}`,
    },
  ];
  const rollbackError = rollback.error
    ? rollback.error.data?.code === "CONFLICT"
      ? t("batches.conflict")
      : (Object.values(fieldErrorsFrom(rollback.error))[0] ?? rollback.error.message)
    : null;

  return (
    <>
      {back}
      <h1>{t("batches.number", { id: b.id })}</h1>
      <p>
        <BatchStatus status={b.status} />
      </p>
      <dl className="fs-summary-list">
        <dt>{t("batches.file")}</dt>
        <dd>{b.fileName}</dd>
        <dt>{t("mapping.source")}</dt>
        <dd>{b.source}</dd>
        <dt>
          {b.status === "committed" || b.status === "rolled-back"
            ? t("batches.committed")
            : t("pending.sent")}
        </dt>
        <dd>
          {formatDate(b.committedAt, { dateStyle: "medium", timeStyle: "short" })},{" "}
          {b.committedBy ?? t("pending.commandLine")}
        </dd>
        <dt>{b.status === "pending" ? t("review.wouldInsert") : t("result.inserted")}</dt>
        <dd>{formatNumber(b.inserted)}</dd>
        <dt>{b.status === "pending" ? t("review.wouldUpdate") : t("result.updated")}</dt>
        <dd>{formatNumber(b.updated)}</dd>
        <dt>{t("result.unchanged")}</dt>
        <dd>{formatNumber(b.unchanged)}</dd>
        <dt>{t("check.skipped")}</dt>
        <dd>{formatNumber(b.skipped)}</dd>
        <dt>{t("check.rejected")}</dt>
        <dd>{formatNumber(b.rejected)}</dd>
        {b.reviewedAt ? (
          <>
            <dt>{b.status === "rejected" ? t("batches.rejectedBy") : t("batches.approvedBy")}</dt>
            <dd>
              {formatDate(b.reviewedAt, { dateStyle: "medium", timeStyle: "short" })}, {b.reviewedBy ?? "–"}
            </dd>
          </>
        ) : null}
        {b.reviewNote ? (
          <>
            <dt>{t("batches.rejectionReason")}</dt>
            <dd>{b.reviewNote}</dd>
          </>
        ) : null}
        {b.rolledBackAt ? (
          <>
            <dt>{t("batches.rolledBack")}</dt>
            <dd>
              {formatDate(b.rolledBackAt, { dateStyle: "medium", timeStyle: "short" })},{" "}
              {b.rolledBackBy ?? "–"}
            </dd>
          </>
        ) : null}
      </dl>
      {rollbackError ? (
        <div className="fs-error" role="alert">
          <h2>{t("batches.rollbackFailed")}</h2>
          <p>{rollbackError}</p>
        </div>
      ) : null}
      {rollback.isSuccess ? (
        <div className="fs-notice fs-notice--success" role="status">
          <p>
            {t("batches.rolledBackDone", {
              deleted: formatNumber(rollback.data.deleted),
              restored: formatNumber(rollback.data.restored),
            })}
          </p>
        </div>
      ) : null}
      {b.status === "committed" ? (
        <Button variant="warning" onClick={() => setConfirming(true)}>
          {t("batches.rollback")}
        </Button>
      ) : null}
      {b.status === "pending" || decided ? (
        <BatchReview batch={b} onDecided={() => setDecided(true)} />
      ) : null}
      <h2>{t("revisions.title")}</h2>
      <DataTable
        caption={t("revisions.caption", { count: formatNumber(b.revisions.length) })}
        columns={columns}
        rows={b.revisions}
        rowKey={(r) => String(r.id)}
        empty={t("revisions.empty")}
      />
      <ConfirmDialog
        open={confirming}
        title={t("batches.rollbackConfirm", { id: b.id })}
        confirmLabel={t("batches.rollback")}
        cancelLabel={t("common.cancel")}
        busy={rollback.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => rollback.mutate({ batchId: b.id, version: b.version })}
      >
        <p>
          {t("batches.rollbackHint", {
            inserted: formatNumber(b.inserted),
            updated: formatNumber(b.updated),
          })}
        </p>
      </ConfirmDialog>
    </>
  );
}
