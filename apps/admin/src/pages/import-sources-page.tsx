import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { CheckboxField, EmptyState, ErrorPanel, Skeleton, useI18n } from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

/**
 * Import sources: for each source with a saved mapping, whether its imports arrive pending —
 * held for approval rather than going straight into the data.
 */
export function ImportSourcesPage() {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sources = useQuery(trpc.importSource.list.queryOptions());
  const save = useMutation(
    trpc.importSource.setArrivesPending.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.importSource.list.queryKey() }),
    }),
  );
  usePageTitle(t("sources.title"));
  return (
    <>
      <h1>{t("sources.title")}</h1>
      <p className="fs-lead">{t("sources.lead")}</p>
      {save.error ? (
        <div className="fs-error" role="alert">
          <p>{save.error.data?.code === "CONFLICT" ? t("sources.conflict") : save.error.message}</p>
        </div>
      ) : null}
      {save.isSuccess ? (
        <p role="status">
          {save.data.arrivesPending
            ? t("sources.nowPending", { source: save.data.source })
            : t("sources.nowDirect", { source: save.data.source })}
        </p>
      ) : null}
      {sources.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : sources.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(sources.error))} />
      ) : sources.data.length === 0 ? (
        <EmptyState title={t("sources.none")}>
          <p>{t("sources.noneHint")}</p>
        </EmptyState>
      ) : (
        <ul style={{ listStyle: "none", padding: 0 }}>
          {sources.data.map((s) => (
            <li key={s.id} className="fs-card" style={{ marginBottom: "1rem" }}>
              <h2 style={{ marginTop: 0 }}>{s.source}</h2>
              <p className="fs-caption">
                {t("sources.updated", { date: formatDate(s.updatedAt, { dateStyle: "medium" }) })}
              </p>
              <CheckboxField
                name={`arrivesPending-${s.id}`}
                label={t("sources.arrivesPending")}
                hint={t("sources.arrivesPendingHint")}
                checked={s.arrivesPending}
                onChange={(on) => {
                  save.reset();
                  save.mutate({ id: s.id, version: s.version, arrivesPending: on });
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
