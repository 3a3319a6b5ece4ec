import { QueryState, useTRPC } from "@fivestep/client";
import { EmptyState, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

/** An indicator's saved versions, newest first, each saying in words which fields changed. */
export function IndicatorHistory(props: { code: string }) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const history = useQuery(trpc.indicator.history.queryOptions({ code: props.code }));
  if (!history.isSuccess) return <QueryState query={history} lines={3} />;
  if (history.data.length === 0) {
    return <EmptyState title={t("history.empty")}>{t("history.emptyHint")}</EmptyState>;
  }
  const last = history.data.length - 1;
  return (
    <ol className="fs-history" aria-label={t("history.title")}>
      {history.data.map((v, k) => (
        <li key={v.version}>
          <p style={{ margin: 0 }}>
            <strong>{t("history.version", { version: v.version })}</strong>{" "}
            {t("history.savedAt", {
              when: formatDate(v.savedAt, { dateStyle: "medium", timeStyle: "short" }),
              who: v.savedBy ?? t("audit.system"),
            })}
          </p>
          <p style={{ margin: 0 }}>
            {k === last && v.changed.length === 0
              ? t("history.first")
              : v.changed.length === 0
                ? t("history.noFields")
                : t("history.changed", {
                    fields: v.changed.map((f) => t(`indicatorField.${f}`)).join(", "),
                  })}
          </p>
          {v.changeNote ? <p style={{ margin: 0 }}>{t("history.note", { note: v.changeNote })}</p> : null}
        </li>
      ))}
    </ol>
  );
}
