import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { ErrorPanel, Link, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AreaForm } from "./area-form.tsx";

/** One area: its place in the hierarchy and an edit form. */
export function AreaPage(props: { code: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const area = useQuery(trpc.area.byCode.queryOptions({ code: props.code }));
  const [saved, setSaved] = useState(false);
  usePageTitle(area.data?.name ?? props.code);
  const back = (
    <p>
      <Link to="/areas">{t("areas.back")}</Link>
    </p>
  );
  if (area.isPending) return <Skeleton label={t("common.loading")} lines={4} />;
  if (area.isError) {
    return (
      <>
        {back}
        <ErrorPanel title={t("areas.notFound")} message={t(errorMessageId(area.error))} />
      </>
    );
  }
  return (
    <>
      {back}
      <p className="fs-caption">
        {area.data.code} · {area.data.type}
      </p>
      <h1>{area.data.name}</h1>
      {saved ? (
        <div className="fs-notice fs-notice--success" role="status">
          <p>{t("common.saved")}</p>
        </div>
      ) : null}
      <AreaForm key={area.data.code} existing={area.data} onSaved={() => setSaved(true)} />
    </>
  );
}
