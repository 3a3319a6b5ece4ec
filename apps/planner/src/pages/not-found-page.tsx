import { Link, useI18n } from "@fivestep/ui";

/** Shown for a path the planner does not know. */
export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </>
  );
}
