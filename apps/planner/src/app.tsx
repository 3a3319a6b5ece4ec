import { AppShell, matchPath, useI18n, useRouter } from "@fivestep/ui";
import { useEffect } from "react";
import { IndicatorPage } from "./pages/indicator-page.tsx";
import { IndicatorsPage } from "./pages/indicators-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";

/** The planner's routes inside its shell. */
export function App() {
  const { t } = useI18n();
  const { path } = useRouter();
  const indicator = matchPath("/indicators/:code", path);

  // Move focus to the page on navigation so screen readers announce the new content.
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);

  let page: React.ReactNode;
  if (path === "/" || path === "/indicators") page = <IndicatorsPage />;
  else if (indicator?.code) page = <IndicatorPage code={indicator.code} />;
  else page = <NotFoundPage />;

  return (
    <AppShell title={t("app.title")} nav={[{ to: "/", label: t("nav.whereAreWeNow") }]}>
      {page}
    </AppShell>
  );
}
