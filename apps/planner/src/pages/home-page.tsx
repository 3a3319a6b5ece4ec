import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import { EmptyState, Link, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";

/** The signed-in start page: the partnerships the person works in. */
export function HomePage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const mine = useQuery(trpc.partnership.mine.queryOptions());
  usePageTitle(t("home.title"));

  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="fs-lead">{t("home.lead")}</p>
      <QueryView
        query={mine}
        lines={3}
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title={t("home.emptyTitle")}>
            <p>{t("home.emptyHint")}</p>
          </EmptyState>
        }
      >
        {(list) => (
          <ul className="fs-grid" aria-label={t("home.listLabel")} style={{ listStyle: "none", padding: 0 }}>
            {list.map((p) => (
              <li key={p.id} className="fs-card" data-partnership={p.name}>
                <h2 style={{ margin: "0 0 0.25rem", fontSize: "1.15rem" }}>
                  <Link to={`/partnerships/${p.id}`}>{p.name}</Link>
                </h2>
                <p>{t("home.area", { area: p.areaName })}</p>
                <p>{p.role ? t("home.yourRole", { role: t(`role.${p.role}`) }) : t("home.adminView")}</p>
                <p className="fs-caption">{t("home.members", { count: p.memberCount })}</p>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
      <h2>{t("home.dataHeading")}</h2>
      <p>
        <Link to="/indicators">{t("home.indicatorsLink")}</Link>
      </p>
    </>
  );
}
