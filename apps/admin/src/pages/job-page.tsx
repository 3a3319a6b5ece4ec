import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { Button, ConfirmDialog, ErrorPanel, Link, ProgressBar, Skeleton, useI18n } from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ImportCheck } from "./import-check.tsx";
import { ImportResult } from "./import-result.tsx";

type Job = RouterOutputs["jobs"]["get"];
type Committed = Extract<RouterOutputs["imports"]["commit"], { ok: true }>["result"];
type Refused = Extract<RouterOutputs["imports"]["commit"], { ok: false }>["check"];

/** An import job's result as `imports.commit` answers it (the job's result is JSON the server wrote). */
function importOutcome(job: Job): { ok: true; result: Committed } | { ok: false; check: Refused } | null {
  if (job.kind !== "import.commit" || job.result === null || typeof job.result !== "object") return null;
  const r = job.result as { ok?: unknown; result?: unknown; check?: unknown };
  if (r.ok === true && r.result) return { ok: true, result: r.result as Committed };
  if (r.ok === false && r.check) return { ok: false, check: r.check as Refused };
  return null;
}

/** The uploaded file an import job commits, from its payload. */
function fileIdOf(job: Job): number | null {
  const p = job.payload as { fileId?: unknown } | null;
  return p && typeof p.fileId === "number" ? p.fileId : null;
}

/** A recompute job's result: targets judged, statuses changed. */
function recomputeOutcome(job: Job): { targetsJudged: number; statusesChanged: number } | null {
  if (job.kind !== "monitoring.recompute" || job.result === null || typeof job.result !== "object")
    return null;
  const r = job.result as { targetsJudged?: unknown; statusesChanged?: unknown };
  return typeof r.targetsJudged === "number" && typeof r.statusesChanged === "number"
    ? { targetsJudged: r.targetsJudged, statusesChanged: r.statusesChanged }
    : null;
}

/** The states in which a job has ended. */
export const FINISHED: ReadonlySet<string> = new Set(["succeeded", "failed", "cancelled"]);

/** Every job kind the server runs; each has a `job.kind.*` message (the catalogue test checks them against the registry). */
export const KNOWN_KINDS: ReadonlySet<string> = new Set([
  "import.commit",
  "monitoring.recompute",
  "report.export",
  "report.scheduled",
  "email.reminders",
  "email.digest",
]);
// Kinds whose work stops at checkpoints once running; any job can be cancelled while queued.
const STOPPABLE_KINDS = new Set(["monitoring.recompute", "import.commit"]);

/**
 * What a kind of job does, in words (a kind this console does not know shows its code).
 *
 * @example jobKindLabel(t, "monitoring.recompute") // "Judges targets again against their trajectories"
 */
export function jobKindLabel(t: (id: string) => string, kind: string): string {
  return KNOWN_KINDS.has(kind) ? t(`job.kind.${kind}`) : kind;
}

/**
 * One job, followed until it ends (its id is in the address, so a refresh keeps following it):
 * its state in words, a progress bar with counts while it runs, and then its result (an
 * import's counts and batch) or its error (with the problems that stopped an import). A queued
 * job can be cancelled at once; a running one whose work stops at checkpoints (an import's
 * commit, a recompute) after a confirmation, since what it has done so far is then thrown away.
 */
export function JobPage(props: { id: number }) {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const job = useQuery(
    trpc.jobs.get.queryOptions(
      { jobId: props.id },
      {
        refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.state) ? false : 500),
        staleTime: 0,
      },
    ),
  );
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSettled: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.get.queryKey({ jobId: props.id }) }),
    }),
  );
  usePageTitle(t("job.title", { id: props.id }));

  if (job.isPending) return <Skeleton label={t("common.loading")} lines={4} />;
  if (job.isError) {
    return (
      <>
        <h1>{t("job.title", { id: props.id })}</h1>
        <ErrorPanel title={t("job.missing")} message={t(errorMessageId(job.error))} />
      </>
    );
  }
  const j = job.data;
  const fileId = fileIdOf(j);
  const outcome = importOutcome(j);
  const recomputed = recomputeOutcome(j);
  const recompute = j.kind === "monitoring.recompute";
  const running = !FINISHED.has(j.state);
  const { done, total } = j.progress;
  const percent = total && total > 0 ? Math.min(100, Math.round((100 * done) / total)) : null;
  return (
    <>
      <p>
        {fileId !== null ? (
          <>
            <Link to={`/import/${fileId}`}>{t("job.backToFile")}</Link>
            {" · "}
          </>
        ) : null}
        {recompute ? (
          <Link to="/jobs">{t("jobs.back")}</Link>
        ) : (
          <Link to="/import">{t("import.another")}</Link>
        )}
      </p>
      <h1>{t("job.title", { id: j.id })}</h1>
      <dl className="fs-summary-list">
        <dt>{t("job.kind")}</dt>
        <dd>{jobKindLabel(t, j.kind)}</dd>
        <dt>{t("job.state")}</dt>
        <dd>
          <span role="status">{t(`job.state.${j.state}`)}</span>
        </dd>
        <dt>{t("job.queuedAt")}</dt>
        <dd>{formatDate(j.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</dd>
        {j.finishedAt ? (
          <>
            <dt>{t("job.finishedAt")}</dt>
            <dd>{formatDate(j.finishedAt, { dateStyle: "medium", timeStyle: "medium" })}</dd>
          </>
        ) : null}
        {j.attempts > 1 ? (
          <>
            <dt>{t("job.attempts")}</dt>
            <dd>{formatNumber(j.attempts)}</dd>
          </>
        ) : null}
      </dl>
      {running ? (
        <ProgressBar
          label={recompute ? t("job.recomputeProgressLabel") : t("job.progressLabel")}
          value={done}
          {...(total !== null ? { max: total } : {})}
          text={
            j.state === "queued"
              ? t("job.waiting")
              : total !== null && percent !== null
                ? t(recompute ? "job.recomputeProgressText" : "job.progressText", {
                    done: formatNumber(done),
                    total: formatNumber(total),
                    percent: formatNumber(percent),
                  })
                : t("job.progressStarting", { done: formatNumber(done) })
          }
        />
      ) : null}
      {j.state === "queued" || (j.state === "running" && STOPPABLE_KINDS.has(j.kind)) ? (
        <p>
          <Button
            variant="secondary"
            disabled={cancel.isPending}
            onClick={() => (j.state === "running" ? setConfirming(true) : cancel.mutate({ jobId: j.id }))}
          >
            {t("job.cancel")}
          </Button>
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming && j.state === "running"}
        title={t("job.cancelConfirmTitle")}
        confirmLabel={t("job.cancelConfirm")}
        cancelLabel={t("job.cancelKeepRunning")}
        busy={cancel.isPending}
        onConfirm={() => {
          setConfirming(false);
          cancel.mutate({ jobId: j.id });
        }}
        onCancel={() => setConfirming(false)}
      >
        <p>{t(j.kind === "import.commit" ? "job.cancelConfirmImport" : "job.cancelConfirmText")}</p>
      </ConfirmDialog>
      {cancel.isError ? (
        <ErrorPanel title={t("job.cancelFailed")} message={t(errorMessageId(cancel.error))} />
      ) : null}
      {j.state === "cancelled" ? (
        <p role="note">
          {!j.finishedAt
            ? t("job.cancelling")
            : j.kind === "import.commit"
              ? t("job.importCancelledNote")
              : t("job.cancelledNote")}
        </p>
      ) : null}
      {recomputed ? (
        <dl className="fs-summary-list">
          <dt>{t("job.targetsJudged")}</dt>
          <dd>{formatNumber(recomputed.targetsJudged)}</dd>
          <dt>{t("job.statusesChanged")}</dt>
          <dd>{formatNumber(recomputed.statusesChanged)}</dd>
        </dl>
      ) : null}
      {j.state === "failed" ? (
        <ErrorPanel title={t("job.failed")} message={j.error ?? t("job.failedNoReason")} />
      ) : null}
      {outcome && !outcome.ok ? (
        <ImportCheck check={outcome.check} heading={t("commit.refusedTitle")} id="refused" />
      ) : null}
      {outcome?.ok ? <ImportResult result={outcome.result} /> : null}
    </>
  );
}
