import { AppShell, matchPath, useI18n, useRouter } from "@fivestep/ui";
import { type ReactNode, useEffect } from "react";
import { AcceptInvitePage } from "./pages/accept-invite-page.tsx";
import { AccountPage } from "./pages/account-page.tsx";
import { HomePage } from "./pages/home-page.tsx";
import { IndicatorPage } from "./pages/indicator-page.tsx";
import { IndicatorsPage } from "./pages/indicators-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { PartnershipAuditPage } from "./pages/partnership-audit-page.tsx";
import { PartnershipPage } from "./pages/partnership-page.tsx";
import { RequireSignIn, UserMenu, useMe } from "./session.tsx";

function route(path: string): ReactNode {
  if (path === "/") return <HomePage />;
  if (path === "/indicators") return <IndicatorsPage />;
  if (path === "/account") return <AccountPage />;
  const indicator = matchPath("/indicators/:code", path);
  if (indicator?.code) return <IndicatorPage code={indicator.code} />;
  const audit = matchPath("/partnerships/:id/audit", path);
  if (audit?.id && /^\d+$/.test(audit.id)) return <PartnershipAuditPage id={Number(audit.id)} />;
  const partnership = matchPath("/partnerships/:id", path);
  if (partnership?.id && /^\d+$/.test(partnership.id)) return <PartnershipPage id={Number(partnership.id)} />;
  return <NotFoundPage />;
}

/** The planner's routes inside its shell; everything but the invitation page needs a sign-in. */
export function App() {
  const { t } = useI18n();
  const { path } = useRouter();
  const me = useMe();

  // Move focus to the page on navigation so screen readers announce the new content.
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);

  const nav = me.data
    ? [
        { to: "/", label: t("nav.partnerships") },
        { to: "/indicators", label: t("nav.whereAreWeNow") },
        { to: "/account", label: t("nav.account") },
      ]
    : [];
  return (
    <AppShell title={t("app.title")} nav={nav} actions={<UserMenu />}>
      {path === "/accept-invite" ? <AcceptInvitePage /> : <RequireSignIn>{route(path)}</RequireSignIn>}
    </AppShell>
  );
}
