import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import {
  Button,
  type Column,
  DataTable,
  ErrorPanel,
  Link,
  StatusTag,
  useI18n,
  useRouter,
} from "@fivestep/ui";
import { useMutation, useQuery } from "@tanstack/react-query";
import { FINISHED, jobKindLabel } from "./job-page.tsx";

type Job = RouterOutputs["jobs"]["list"][number];

/**
 * Recent jobs, newest first: what each does, its state, how far it got, who started it, when it
 * started and finished, and a link to its page. Refreshed while any is unfinished. From here an
 * administrator starts a recompute of every target's status.
 */
export function JobsPage() {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const jobs = useQuery(
    trpc.jobs.list.queryOptions(
      { limit: 100 },
      { refetchInterval: (q) => (q.state.data?.some((j) => !FINISHED.has(j.state)) ? 1000 : false) },
    ),
  );
  const recompute = useMutation(
    trpc.monitoring.startRecomputeAll.mutationOptions({
      onSuccess: ({ jobId }) => navigate(`/jobs/${jobId}`),
    }),
  );
  usePageTitle(t("jobs.title"));
  const when = (iso: string | null) =>
    iso ? formatDate(iso, { dateStyle: "medium", timeStyle: "short" }) : "–";
  const columns: Column<Job>[] = [
    {
      key: "id",
      header: t("jobs.job"),
      cell: (j) => <Link to={`/jobs/${j.id}`}>{t("job.title", { id: j.id })}</Link>,
      rowHeader: true,
    },
    { key: "kind", header: t("job.kind"), cell: (j) => jobKindLabel(t, j.kind) },
    { key: "state", header: t("job.state"), cell: (j) => <JobState state={j.state} /> },
    {
      key: "progress",
      header: t("jobs.progress"),
      cell: (j) =>
        j.progress.total !== null
          ? t("jobs.progressOf", {
              done: formatNumber(j.progress.done),
              total: formatNumber(j.progress.total),
            })
          : formatNumber(j.progress.done),
      numeric: true,
    },
    { key: "who", header: t("jobs.startedBy"), cell: (j) => j.startedByName ?? t("jobs.system") },
    { key: "started", header: t("job.queuedAt"), cell: (j) => when(j.createdAt) },
    { key: "finished", header: t("job.finishedAt"), cell: (j) => when(j.finishedAt) },
  ];
  return (
    <>
      <h1>{t("jobs.title")}</h1>
      <p className="fs-lead">{t("jobs.lead")}</p>
      <p>
        <Button variant="secondary" disabled={recompute.isPending} onClick={() => recompute.mutate({})}>
          {t("jobs.recomputeAll")}
        </Button>
      </p>
      {recompute.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(recompute.error))} />
      ) : null}
      <QueryView query={jobs} lines={5}>
        {(data) => (
          <DataTable
            caption={t("jobs.caption", { count: data.length })}
            columns={columns}
            rows={data}
            rowKey={(j) => String(j.id)}
            empty={t("jobs.empty")}
          />
        )}
      </QueryView>
    </>
  );
}

/** A job's state in words with a shape. */
export function JobState(props: { state: Job["state"] }) {
  const { t } = useI18n();
  const label = t(`job.state.${props.state}`);
  switch (props.state) {
    case "succeeded":
      return <StatusTag tone="good" symbol="✓" label={label} />;
    case "failed":
      return <StatusTag tone="bad" symbol="✕" label={label} />;
    case "running":
      return <StatusTag tone="neutral" symbol="▶" label={label} />;
    case "cancelled":
      return <StatusTag tone="neutral" symbol="■" label={label} />;
    default:
      return <StatusTag tone="neutral" symbol="○" label={label} />;
  }
}
