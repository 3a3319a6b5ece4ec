import { RequireSignIn, UserMenu, useMe } from "@fivestep/client";
import { AppShell, matchPath, Skeleton, useI18n, useRouter } from "@fivestep/ui";
import { lazy, type ReactNode, Suspense, useEffect } from "react";
import { AcceptInvitePage } from "./pages/accept-invite-page.tsx";
import { HomePage } from "./pages/home-page.tsx";
import { IndicatorsPage } from "./pages/indicators-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { PartnershipPage } from "./pages/partnership-page.tsx";

// Pages beyond the first are loaded when first opened, so the first page needs less JavaScript.
const DashboardPage = lazy(() =>
  import("./pages/monitoring/dashboard-page.tsx").then((m) => ({ default: m.DashboardPage })),
);
const PublicPlanPage = lazy(() =>
  import("./pages/monitoring/public-plan-page.tsx").then((m) => ({ default: m.PublicPlanPage })),
);
const ReportPage = lazy(() =>
  import("./pages/monitoring/report-page.tsx").then((m) => ({ default: m.ReportPage })),
);
const ReturnsPage = lazy(() =>
  import("./pages/monitoring/returns-page.tsx").then((m) => ({ default: m.ReturnsPage })),
);
const ApprovalsPage = lazy(() =>
  import("./pages/monitoring/approvals-page.tsx").then((m) => ({ default: m.ApprovalsPage })),
);
const AreaProfilePage = lazy(() =>
  import("./pages/plans/area-profile-page.tsx").then((m) => ({ default: m.AreaProfilePage })),
);
const PlanComparePage = lazy(() =>
  import("./pages/plans/plan-compare-page.tsx").then((m) => ({ default: m.PlanComparePage })),
);
const PlanOverviewPage = lazy(() =>
  import("./pages/plans/plan-overview-page.tsx").then((m) => ({ default: m.PlanOverviewPage })),
);
const PlanPage = lazy(() => import("./pages/plans/plan-page.tsx").then((m) => ({ default: m.PlanPage })));
const PriorityStepPage = lazy(() =>
  import("./pages/steps/priority-page.tsx").then((m) => ({ default: m.PriorityStepPage })),
);
const PartnershipAuditPage = lazy(() =>
  import("./pages/partnership-audit-page.tsx").then((m) => ({ default: m.PartnershipAuditPage })),
);
const PartnershipTokensPage = lazy(() =>
  import("./pages/partnership-tokens-page.tsx").then((m) => ({ default: m.PartnershipTokensPage })),
);
const AccountPage = lazy(() => import("./pages/account-page.tsx").then((m) => ({ default: m.AccountPage })));
const IndicatorPage = lazy(() =>
  import("./pages/indicator-page.tsx").then((m) => ({ default: m.IndicatorPage })),
);

function route(path: string): ReactNode {
  if (path === "/") return <HomePage />;
  if (path === "/indicators") return <IndicatorsPage />;
  if (path === "/account") return <AccountPage />;
  const indicator = matchPath("/indicators/:code", path);
  if (indicator?.code) return <IndicatorPage code={indicator.code} />;
  const n = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : null);
  const step = matchPath("/partnerships/:pid/priorities/:id/step/:step", path);
  if (step && n(step.pid) && n(step.id) && /^[1-5]$/.test(step.step ?? "")) {
    return (
      <PriorityStepPage
        partnershipId={Number(step.pid)}
        priorityId={Number(step.id)}
        step={Number(step.step)}
      />
    );
  }
  if (path === "/returns") return <ReturnsPage />;
  const approvals = matchPath("/partnerships/:pid/approvals", path);
  if (approvals && n(approvals.pid)) return <ApprovalsPage partnershipId={Number(approvals.pid)} />;
  const dashboard = matchPath("/partnerships/:pid/plans/:id/dashboard", path);
  if (dashboard && n(dashboard.pid) && n(dashboard.id))
    return <DashboardPage partnershipId={Number(dashboard.pid)} planId={Number(dashboard.id)} />;
  const report = matchPath("/partnerships/:pid/plans/:id/report", path);
  if (report && n(report.pid) && n(report.id))
    return <ReportPage partnershipId={Number(report.pid)} planId={Number(report.id)} />;
  const overview = matchPath("/partnerships/:pid/plans/:id/overview", path);
  if (overview && n(overview.pid) && n(overview.id))
    return <PlanOverviewPage partnershipId={Number(overview.pid)} planId={Number(overview.id)} />;
  const compare = matchPath("/partnerships/:pid/plans/:from/compare/:to", path);
  if (compare && n(compare.pid) && n(compare.from) && n(compare.to)) {
    return (
      <PlanComparePage
        partnershipId={Number(compare.pid)}
        fromPlanId={Number(compare.from)}
        toPlanId={Number(compare.to)}
      />
    );
  }
  const plan = matchPath("/partnerships/:pid/plans/:id", path);
  if (plan && n(plan.pid) && n(plan.id))
    return <PlanPage partnershipId={Number(plan.pid)} planId={Number(plan.id)} />;
  const profile = matchPath("/partnerships/:pid/profile", path);
  if (profile && n(profile.pid)) return <AreaProfilePage partnershipId={Number(profile.pid)} />;
  const audit = matchPath("/partnerships/:id/audit", path);
  if (audit?.id && /^\d+$/.test(audit.id)) return <PartnershipAuditPage id={Number(audit.id)} />;
  const tokens = matchPath("/partnerships/:pid/tokens", path);
  if (tokens && n(tokens.pid)) return <PartnershipTokensPage partnershipId={Number(tokens.pid)} />;
  const partnership = matchPath("/partnerships/:id", path);
  if (partnership?.id && /^\d+$/.test(partnership.id)) return <PartnershipPage id={Number(partnership.id)} />;
  return <NotFoundPage />;
}

/** The planner's routes inside its shell; everything but the invitation page needs a sign-in. */
export function App() {
  const { t } = useI18n();
  const { path } = useRouter();
  const me = useMe();
  const publicPlan = matchPath("/public/plans/:id", path);

  // Move focus to the page on navigation so screen readers announce the new content.
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);

  const nav = me.data
    ? [
        { to: "/", label: t("nav.partnerships") },
        { to: "/indicators", label: t("nav.whereAreWeNow") },
        { to: "/returns", label: t("nav.returns") },
        { to: "/account", label: t("nav.account") },
      ]
    : [];
  return (
    <AppShell title={t("app.title")} nav={nav} actions={<UserMenu />}>
      <Suspense fallback={<Skeleton label={t("common.loading")} lines={6} />}>
        {path === "/accept-invite" ? (
          <AcceptInvitePage />
        ) : publicPlan?.id && /^\d+$/.test(publicPlan.id) ? (
          <PublicPlanPage planId={Number(publicPlan.id)} />
        ) : (
          <RequireSignIn>{route(path)}</RequireSignIn>
        )}
      </Suspense>
    </AppShell>
  );
}
