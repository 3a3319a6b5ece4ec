import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { type Column, DataTable, ErrorPanel, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { PlansSection } from "./plans/plans-section.tsx";

type Member = RouterOutputs["partnership"]["byId"]["members"][number];

/** One partnership: its area, the reader's role, its members, and (for leads) its audit trail and API tokens. */
export function PartnershipPage(props: { id: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const query = useQuery(trpc.partnership.byId.queryOptions({ partnershipId: props.id }, { retry: false }));
  const name = query.data?.name;
  usePageTitle(name ?? t("partnership.title"));

  if (query.isPending) return <Skeleton label={t("common.loading")} lines={6} />;
  if (query.isError) {
    const forbidden = query.error.data?.code === "FORBIDDEN";
    return (
      <ErrorPanel
        title={forbidden ? t("partnership.noAccessTitle") : t("common.errorTitle")}
        message={t(errorMessageId(query.error))}
        retryLabel={t("common.retry")}
        onRetry={forbidden ? undefined : () => void query.refetch()}
      />
    );
  }
  const p = query.data;
  const columns: Column<Member>[] = [
    { key: "name", header: t("partnership.member"), cell: (m) => m.displayName, rowHeader: true },
    { key: "role", header: t("partnership.role"), cell: (m) => t(`role.${m.role}`) },
    { key: "status", header: t("partnership.status"), cell: (m) => t(`status.${m.status}`) },
  ];
  return (
    <>
      <p>
        <Link to="/">{t("partnership.back")}</Link>
      </p>
      <h1>{p.name}</h1>
      <dl className="fs-summary-list">
        <dt>{t("partnership.area")}</dt>
        <dd>
          {p.areaName} ({p.areaCode})
        </dd>
        <dt>{t("partnership.yourRole")}</dt>
        <dd>{p.role ? t(`role.${p.role}`) : t("home.adminView")}</dd>
      </dl>
      <PlansSection partnershipId={p.id} role={p.role} />
      <h2>{t("partnership.dataHeading")}</h2>
      <p>{t("partnership.dataLead", { area: p.areaName })}</p>
      <p>
        <Link to={`/partnerships/${p.id}/profile`}>{t("partnership.profileLink", { area: p.areaName })}</Link>
      </p>
      <p>
        <Link to="/indicators">{t("home.indicatorsLink")}</Link>
      </p>
      <h2>{t("partnership.membersHeading")}</h2>
      <DataTable
        caption={t("partnership.membersCaption", { name: p.name })}
        captionHidden
        columns={columns}
        rows={p.members}
        rowKey={(m) => String(m.id)}
        empty={t("partnership.noMembers")}
      />
      {p.role === "lead" ? (
        <p>
          <Link to={`/partnerships/${p.id}/audit`}>{t("partnership.auditLink")}</Link>
        </p>
      ) : null}
      {p.role === "lead" ? (
        <p>
          <Link to={`/partnerships/${p.id}/tokens`}>{t("partnership.tokensLink")}</Link>
        </p>
      ) : null}
    </>
  );
}
