import { AppShell, useI18n, useRouter } from "@fivestep/ui";
import { useEffect } from "react";
import { CataloguePage } from "./pages/catalogue-page.tsx";

/** The admin console's routes inside its shell. */
export function App() {
  const { t } = useI18n();
  const { path } = useRouter();
  useEffect(() => {
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);

  const page =
    path === "/" || path === "/indicators" ? (
      <CataloguePage />
    ) : (
      <>
        <h1>{t("notFound.title")}</h1>
        <p>{t("notFound.body")}</p>
      </>
    );
  return (
    <AppShell title={t("app.title")} nav={[{ to: "/", label: t("nav.catalogue") }]}>
      {page}
    </AppShell>
  );
}
