import type { RouterOutputs } from "@fivestep/api";
import { type Column, DataTable, ErrorPanel, Link, Skeleton, StatusTag, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "../trpc.ts";

type Batch = RouterOutputs["imports"]["batches"][number];

/** Every committed import, newest first, with its counts and whether it was rolled back. */
export function BatchesPage() {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const batches = useQuery(trpc.imports.batches.queryOptions({ limit: 200 }));
  useEffect(() => {
    document.title = `${t("batches.title")} – ${t("app.title")}`;
  }, [t]);
  const columns: Column<Batch>[] = [
    {
      key: "id",
      header: t("batches.batch"),
      cell: (b) => <Link to={`/batches/${b.id}`}>{t("batches.number", { id: b.id })}</Link>,
      rowHeader: true,
    },
    { key: "file", header: t("batches.file"), cell: (b) => `${b.fileName} (${b.source})` },
    {
      key: "when",
      header: t("batches.committed"),
      cell: (b) =>
        `${formatDate(b.committedAt, { dateStyle: "medium", timeStyle: "short" })}, ${b.committedBy ?? "–"}`,
    },
    { key: "inserted", header: t("result.inserted"), cell: (b) => formatNumber(b.inserted), numeric: true },
    { key: "updated", header: t("result.updated"), cell: (b) => formatNumber(b.updated), numeric: true },
    { key: "rejected", header: t("check.rejected"), cell: (b) => formatNumber(b.rejected), numeric: true },
    { key: "status", header: t("batches.status"), cell: (b) => <BatchStatus status={b.status} /> },
  ];
  return (
    <>
      <h1>{t("batches.title")}</h1>
      <p className="fs-lead">{t("batches.lead")}</p>
      {batches.isPending ? (
        <Skeleton label={t("common.loading")} lines={5} />
      ) : batches.isError ? (
        <ErrorPanel
          title={t("common.errorTitle")}
          message={batches.error.message}
          retryLabel={t("common.retry")}
          onRetry={() => void batches.refetch()}
        />
      ) : (
        <DataTable
          caption={t("batches.caption", { count: batches.data.length })}
          columns={columns}
          rows={batches.data}
          rowKey={(b) => String(b.id)}
          empty={
            <>
              {t("batches.empty")} <Link to="/import">{t("batches.emptyLink")}</Link>
            </>
          }
        />
      )}
    </>
  );
}

/** A batch's status in words with a shape. */
export function BatchStatus(props: { status: "committed" | "rolled-back" | "pending" | "rejected" }) {
  const { t } = useI18n();
  switch (props.status) {
    case "committed":
      return <StatusTag tone="good" symbol="✓" label={t("batches.statusCommitted")} />;
    case "pending":
      return <StatusTag tone="neutral" symbol="○" label={t("batches.statusPending")} />;
    case "rejected":
      return <StatusTag tone="bad" symbol="✕" label={t("batches.statusRejected")} />;
    default:
      return <StatusTag tone="neutral" symbol="↺" label={t("batches.statusRolledBack")} />;
  }
}
