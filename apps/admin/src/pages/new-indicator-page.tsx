import { usePageTitle } from "@fivestep/client";
import { Link, useI18n, useRouter } from "@fivestep/ui";
import { IndicatorForm } from "./indicator-form.tsx";

/** Adds an indicator to the catalogue; on success opens its page. */
export function NewIndicatorPage() {
  const { t } = useI18n();
  const { navigate } = useRouter();
  usePageTitle(t("indicatorForm.title"));
  return (
    <>
      <p>
        <Link to="/">{t("indicator.back")}</Link>
      </p>
      <h1>{t("indicatorForm.title")}</h1>
      <p className="fs-lead">{t("indicatorForm.lead")}</p>
      <IndicatorForm
        existing={null}
        headingLevel={2}
        onSaved={(i) => navigate(`/indicators/${encodeURIComponent(i.code)}`)}
      />
    </>
  );
}
