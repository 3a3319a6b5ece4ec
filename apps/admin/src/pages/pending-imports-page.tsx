import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { type Column, DataTable, EmptyState, ErrorPanel, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

type Held = RouterOutputs["imports"]["pendingBatches"][number];

/**
 * The administrators' approval queue: import batches held because their source's imports arrive
 * pending, oldest first, each linking to its review. A batch the reader sent waits for another
 * administrator.
 */
export function PendingImportsPage() {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const queue = useQuery(trpc.imports.pendingBatches.queryOptions());
  usePageTitle(t("pending.title"));
  const columns: Column<Held>[] = [
    {
      key: "batch",
      header: t("batches.batch"),
      cell: (b) => <Link to={`/batches/${b.id}`}>{t("pending.review", { id: b.id })}</Link>,
      rowHeader: true,
    },
    { key: "file", header: t("batches.file"), cell: (b) => b.fileName },
    { key: "source", header: t("mapping.source"), cell: (b) => b.source },
    {
      key: "sent",
      header: t("pending.sent"),
      cell: (b) =>
        `${formatDate(b.committedAt, { dateStyle: "medium", timeStyle: "short" })}, ${b.committedBy ?? t("pending.commandLine")}${b.mine ? ` (${t("pending.you")})` : ""}`,
    },
    { key: "new", header: t("result.inserted"), cell: (b) => formatNumber(b.inserted), numeric: true },
    { key: "changed", header: t("pending.changed"), cell: (b) => formatNumber(b.updated), numeric: true },
  ];
  return (
    <>
      <h1>{t("pending.title")}</h1>
      <p className="fs-lead">{t("pending.lead")}</p>
      {queue.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : queue.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(queue.error))} />
      ) : queue.data.length === 0 ? (
        <EmptyState title={t("pending.none")}>
          <p>
            {t("pending.noneHint")} <Link to="/import-sources">{t("nav.sources")}</Link>
          </p>
        </EmptyState>
      ) : (
        <DataTable
          caption={t("pending.caption", { count: queue.data.length })}
          columns={columns}
          rows={queue.data}
          rowKey={(b) => String(b.id)}
          empty={t("pending.none")}
        />
      )}
    </>
  );
}
