import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { EmptyState, ErrorPanel, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

/** "Where are we now?": the catalogue's indicators, each linking to its series. */
export function IndicatorsPage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const indicators = useQuery(trpc.indicator.list.queryOptions());
  usePageTitle(t("indicators.title"));

  return (
    <>
      <h1>{t("indicators.title")}</h1>
      <p className="fs-lead">{t("indicators.lead")}</p>
      {indicators.isPending ? (
        <Skeleton label={t("common.loading")} lines={3} />
      ) : indicators.isError ? (
        <ErrorPanel
          title={t("common.errorTitle")}
          message={t(errorMessageId(indicators.error))}
          retryLabel={t("common.retry")}
          onRetry={() => void indicators.refetch()}
        />
      ) : indicators.data.length === 0 ? (
        <EmptyState title={t("indicators.emptyTitle")}>
          <p>{t("indicators.emptyHint")}</p>
        </EmptyState>
      ) : (
        <ul
          className="fs-grid"
          aria-label={t("indicators.listLabel")}
          style={{ listStyle: "none", padding: 0 }}
        >
          {indicators.data.map((i) => (
            <li key={i.code} className="fs-card">
              <p className="fs-caption">{i.code}</p>
              <h2 style={{ margin: "0 0 0.25rem", fontSize: "1.1rem" }}>
                <Link to={`/indicators/${encodeURIComponent(i.code)}`}>{i.title}</Link>
              </h2>
              <p>{i.unit}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
