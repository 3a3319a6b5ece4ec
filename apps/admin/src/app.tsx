import { AppShell, matchPath, useI18n, useRouter } from "@fivestep/ui";
import { type ReactNode, useEffect } from "react";
import { AuditPage } from "./pages/audit-page.tsx";
import { CataloguePage } from "./pages/catalogue-page.tsx";
import { PartnershipPage } from "./pages/partnership-page.tsx";
import { PartnershipsPage } from "./pages/partnerships-page.tsx";
import { UserPage } from "./pages/user-page.tsx";
import { UsersPage } from "./pages/users-page.tsx";
import { RequireAdmin, UserMenu, useMe } from "./session.tsx";

function route(path: string, t: (id: string) => string): ReactNode {
  if (path === "/" || path === "/indicators") return <CataloguePage />;
  if (path === "/users") return <UsersPage />;
  if (path === "/partnerships") return <PartnershipsPage />;
  if (path === "/audit") return <AuditPage />;
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
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);
  const nav = me.data?.isAdmin
    ? [
        { to: "/", label: t("nav.catalogue") },
        { to: "/partnerships", label: t("nav.partnerships") },
        { to: "/users", label: t("nav.users") },
        { to: "/audit", label: t("nav.audit") },
      ]
    : [];
  return (
    <AppShell title={t("app.title")} nav={nav} actions={<UserMenu />}>
      <RequireAdmin>{route(path, t)}</RequireAdmin>
    </AppShell>
  );
}
