import type { RouterOutputs } from "@fivestep/api";
import { type Column, DataTable, ErrorPanel, Skeleton, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTRPC } from "../trpc.ts";

type Indicator = RouterOutputs["indicator"]["list"][number];

/** The indicator catalogue as a table. */
export function CataloguePage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const indicators = useQuery(trpc.indicator.list.queryOptions());
  useEffect(() => {
    document.title = `${t("catalogue.title")} – ${t("app.title")}`;
  }, [t]);

  const columns: Column<Indicator>[] = [
    { key: "code", header: t("catalogue.code"), cell: (i) => i.code, rowHeader: true },
    { key: "title", header: t("catalogue.indicator"), cell: (i) => i.title },
    { key: "unit", header: t("catalogue.unit"), cell: (i) => i.unit },
    { key: "valueType", header: t("catalogue.valueType"), cell: (i) => t(`valueType.${i.valueType}`) },
    { key: "polarity", header: t("catalogue.polarity"), cell: (i) => t(`polarity.${i.polarity}`) },
    { key: "frequency", header: t("catalogue.frequency"), cell: (i) => t(`frequency.${i.frequency}`) },
    { key: "source", header: t("catalogue.source"), cell: (i) => i.source },
  ];

  return (
    <>
      <h1>{t("catalogue.title")}</h1>
      <p className="fs-lead">{t("catalogue.lead")}</p>
      {indicators.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : indicators.isError ? (
        <ErrorPanel
          title={t("common.errorTitle")}
          message={indicators.error.message}
          retryLabel={t("common.retry")}
          onRetry={() => void indicators.refetch()}
        />
      ) : (
        <DataTable
          caption={t("catalogue.caption", { count: indicators.data.length })}
          columns={columns}
          rows={indicators.data}
          rowKey={(i) => i.code}
          empty={t("catalogue.empty")}
        />
      )}
    </>
  );
}
