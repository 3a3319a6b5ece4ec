import type { RouterOutputs } from "@fivestep/api";
import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import { type Column, DataTable, Link, StatusTag, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

type Batch = RouterOutputs["imports"]["batches"][number];

/** Every committed import, newest first, with its counts and whether it was rolled back. */
export function BatchesPage() {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const batches = useQuery(trpc.imports.batches.queryOptions({ limit: 200 }));
  usePageTitle(t("batches.title"));
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
      <QueryView query={batches} lines={5}>
        {(data) => (
          <DataTable
            caption={t("batches.caption", { count: data.length })}
            columns={columns}
            rows={data}
            rowKey={(b) => String(b.id)}
            empty={
              <>
                {t("batches.empty")} <Link to="/import">{t("batches.emptyLink")}</Link>
              </>
            }
          />
        )}
      </QueryView>
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
