import { useTRPC } from "@fivestep/client";
import {
  Button,
  fieldErrorsFrom,
  ruleTranslator,
  ScrollRegion,
  Skeleton,
  StatusTag,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";

/**
 * An indicator's reported periods, each with a control to lock it (or unlock it): a locked
 * period's values change only with a reason, kept with the revision.
 */
export function PeriodLocks(props: { code: string }) {
  const { t, formatNumber, formatDate } = useI18n();
  const captionId = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.periodLock.list.queryOptions({ indicatorCode: props.code }));
  const settled = {
    onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.periodLock.list.queryKey() }),
  };
  const lock = useMutation(trpc.periodLock.lock.mutationOptions(settled));
  const unlock = useMutation(trpc.periodLock.unlock.mutationOptions(settled));
  const failure = lock.error ?? unlock.error;
  const message = failure
    ? (Object.values(fieldErrorsFrom(failure, ruleTranslator(t, { formatNumber, formatDate })))[0] ??
      failure.message)
    : null;
  const busy = lock.isPending || unlock.isPending;
  return (
    <section aria-labelledby="locks-title" className="fs-section">
      <h2 id="locks-title">{t("locks.title")}</h2>
      <p>{t("locks.hint")}</p>
      {message ? (
        <div className="fs-error" role="alert">
          <p>{message}</p>
        </div>
      ) : null}
      {lock.isSuccess && !busy ? (
        <p role="status">{t("locks.locked", { period: lock.data.period })}</p>
      ) : unlock.isSuccess && !busy ? (
        <p role="status">{t("locks.unlocked", { period: unlock.variables.period })}</p>
      ) : null}
      {list.isPending ? (
        <Skeleton label={t("common.loading")} lines={3} />
      ) : list.isError ? (
        <p>{list.error.message}</p>
      ) : list.data.reported.length === 0 ? (
        <p>{t("locks.nothingReported")}</p>
      ) : (
        <ScrollRegion labelledBy={captionId}>
          <table className="fs-table">
            <caption id={captionId} className="fs-visually-hidden">
              {t("locks.caption", { code: props.code })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("locks.period")}</th>
                <th scope="col" className="fs-num">
                  {t("locks.values")}
                </th>
                <th scope="col">{t("locks.state")}</th>
                <th scope="col">{t("locks.action")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.reported.map((p) => {
                const held = list.data.locks.find((l) => l.period === p.period);
                return (
                  <tr key={p.period}>
                    <th scope="row">{p.period}</th>
                    <td className="fs-num">{formatNumber(p.values)}</td>
                    <td>
                      {held ? (
                        <>
                          <StatusTag tone="neutral" symbol="■" label={t("locks.isLocked")} />{" "}
                          <span className="fs-caption">
                            {t("locks.by", {
                              name: held.lockedBy ?? t("audit.system"),
                              date: formatDate(held.lockedAt, { dateStyle: "medium" }),
                            })}
                          </span>
                        </>
                      ) : (
                        t("locks.open")
                      )}
                    </td>
                    <td>
                      <Button
                        variant={held ? "secondary" : "primary"}
                        disabled={busy}
                        onClick={() => {
                          lock.reset();
                          unlock.reset();
                          const input = { indicatorCode: props.code, period: p.period };
                          if (held) unlock.mutate(input);
                          else lock.mutate(input);
                        }}
                      >
                        {held
                          ? t("locks.unlock", { period: p.period })
                          : t("locks.lock", { period: p.period })}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
