import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { AuditTable, Button, ErrorPanel, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useInfiniteQuery } from "@tanstack/react-query";

/** A partnership's audit trail, for its leads: newest first, fifty at a time. */
export function PartnershipAuditPage(props: { id: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const pages = useInfiniteQuery(
    trpc.audit.forPartnership.infiniteQueryOptions(
      { partnershipId: props.id, limit: 50 },
      {
        retry: false,
        initialCursor: undefined,
        getNextPageParam: (last) => (last.length === 50 ? last.at(-1)?.id : undefined),
      },
    ),
  );
  usePageTitle(t("audit.title"));
  return (
    <>
      <p>
        <Link to={`/partnerships/${props.id}`}>{t("audit.back")}</Link>
      </p>
      <h1>{t("audit.title")}</h1>
      <p className="fs-lead">{t("audit.lead")}</p>
      {pages.isPending ? (
        <Skeleton label={t("common.loading")} lines={6} />
      ) : pages.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(pages.error))} />
      ) : (
        <>
          <AuditTable caption={t("audit.caption")} rows={pages.data.pages.flat()} />
          {pages.hasNextPage ? (
            <Button
              variant="secondary"
              onClick={() => void pages.fetchNextPage()}
              disabled={pages.isFetchingNextPage}
            >
              {t("audit.older")}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}
