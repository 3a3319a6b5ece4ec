import { RequireSignIn, UserMenu, useMe, useTRPC } from "@fivestep/client";
import { AppShell, matchPath, useI18n, useRouter } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect } from "react";
import { AreaPage } from "./pages/area-page.tsx";
import { AreasPage } from "./pages/areas-page.tsx";
import { AuditPage } from "./pages/audit-page.tsx";
import { BatchPage } from "./pages/batch-page.tsx";
import { BatchesPage } from "./pages/batches-page.tsx";
import { CataloguePage } from "./pages/catalogue-page.tsx";
import { GroupPage } from "./pages/group-page.tsx";
import { GroupsPage } from "./pages/groups-page.tsx";
import { ImportFilePage } from "./pages/import-file-page.tsx";
import { ImportPage } from "./pages/import-page.tsx";
import { ImportSourcesPage } from "./pages/import-sources-page.tsx";
import { IndicatorPage } from "./pages/indicator-page.tsx";
import { JobPage } from "./pages/job-page.tsx";
import { JobsPage } from "./pages/jobs-page.tsx";
import { NewIndicatorPage } from "./pages/new-indicator-page.tsx";
import { PartnershipPage } from "./pages/partnership-page.tsx";
import { PartnershipsPage } from "./pages/partnerships-page.tsx";
import { PendingImportsPage } from "./pages/pending-imports-page.tsx";
import { QualityPage } from "./pages/quality-page.tsx";
import { TokensPage } from "./pages/tokens-page.tsx";
import { UserPage } from "./pages/user-page.tsx";
import { UsersPage } from "./pages/users-page.tsx";

function route(path: string, t: (id: string) => string): ReactNode {
  if (path === "/" || path === "/indicators") return <CataloguePage />;
  if (path === "/users") return <UsersPage />;
  if (path === "/partnerships") return <PartnershipsPage />;
  if (path === "/audit") return <AuditPage />;
  if (path === "/indicators/new") return <NewIndicatorPage />;
  if (path === "/areas") return <AreasPage />;
  if (path === "/groups") return <GroupsPage />;
  if (path === "/import") return <ImportPage />;
  if (path === "/batches") return <BatchesPage />;
  if (path === "/import-sources") return <ImportSourcesPage />;
  if (path === "/pending-imports") return <PendingImportsPage />;
  if (path === "/quality") return <QualityPage />;
  if (path === "/tokens") return <TokensPage />;
  if (path === "/jobs") return <JobsPage />;
  const indicator = matchPath("/indicators/:code", path);
  if (indicator?.code) return <IndicatorPage key={indicator.code} code={indicator.code} />;
  const area = matchPath("/areas/:code", path);
  if (area?.code) return <AreaPage key={area.code} code={area.code} />;
  const group = matchPath("/groups/:id", path);
  if (group?.id && /^\d+$/.test(group.id)) return <GroupPage key={group.id} id={Number(group.id)} />;
  const file = matchPath("/import/:fileId", path);
  if (file?.fileId && /^\d+$/.test(file.fileId))
    return <ImportFilePage key={file.fileId} fileId={Number(file.fileId)} />;
  const job = matchPath("/jobs/:id", path);
  if (job?.id && /^\d+$/.test(job.id)) return <JobPage key={job.id} id={Number(job.id)} />;
  const batch = matchPath("/batches/:id", path);
  if (batch?.id && /^\d+$/.test(batch.id)) return <BatchPage key={batch.id} id={Number(batch.id)} />;
  const user = matchPath("/users/:id", path);
  if (user?.id && /^\d+$/.test(user.id)) return <UserPage id={Number(user.id)} />;
  const partnership = matchPath("/partnerships/:id", path);
  if (partnership?.id && /^\d+$/.test(partnership.id)) return <PartnershipPage id={Number(partnership.id)} />;
  return (
    <>
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
    </>
  );
}

/** The admin console's routes inside its shell; every page needs a system administrator. */
export function App() {
  const { t } = useI18n();
  const { path } = useRouter();
  const me = useMe();
  const trpc = useTRPC();
  // The approval queue's size, in the navigation: held imports wait for another administrator.
  const held = useQuery({
    ...trpc.imports.pendingBatches.queryOptions(),
    enabled: me.data?.isAdmin === true,
  });
  const heldCount = held.data?.length ?? 0;
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);
  const nav = me.data?.isAdmin
    ? [
        { to: "/", label: t("nav.catalogue") },
        { to: "/areas", label: t("nav.areas") },
        { to: "/groups", label: t("nav.groups") },
        { to: "/import", label: t("nav.import") },
        { to: "/batches", label: t("nav.batches") },
        {
          to: "/pending-imports",
          label: heldCount > 0 ? t("nav.pendingCount", { count: heldCount }) : t("nav.pending"),
        },
        { to: "/import-sources", label: t("nav.sources") },
        { to: "/quality", label: t("nav.quality") },
        { to: "/partnerships", label: t("nav.partnerships") },
        { to: "/users", label: t("nav.users") },
        { to: "/jobs", label: t("nav.jobs") },
        { to: "/tokens", label: t("nav.tokens") },
        { to: "/audit", label: t("nav.audit") },
      ]
    : [];
  return (
    <AppShell title={t("app.title")} nav={nav} actions={<UserMenu />}>
      <RequireSignIn admin>{route(path, t)}</RequireSignIn>
    </AppShell>
  );
}
