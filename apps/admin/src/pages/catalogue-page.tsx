import type { RouterOutputs } from "@fivestep/api";
import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import { INDICATOR_STATUSES, type IndicatorStatus } from "@fivestep/domain";
import { type Column, DataTable, Link, SelectField, useI18n } from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

type Indicator = RouterOutputs["indicator"]["list"][number];

/** The indicator catalogue as a table, filtered by status and named set, each code a link to its page. */
export function CataloguePage() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [status, setStatus] = useState<IndicatorStatus | "">("");
  const [set, setSet] = useState("");
  const filter = { ...(status ? { status } : {}), ...(set ? { set } : {}) };
  const indicators = useQuery(
    trpc.indicator.list.queryOptions(Object.keys(filter).length ? filter : undefined, {
      placeholderData: (previous) => previous,
    }),
  );
  const sets = useQuery(trpc.indicator.sets.queryOptions());
  usePageTitle(t("catalogue.title"));

  const columns: Column<Indicator>[] = [
    {
      key: "code",
      header: t("catalogue.code"),
      cell: (i) => (
        <Link to={`/indicators/${encodeURIComponent(i.code)}`} className="fs-nowrap">
          {i.code}
        </Link>
      ),
      rowHeader: true,
    },
    { key: "title", header: t("catalogue.indicator"), cell: (i) => i.title },
    { key: "unit", header: t("catalogue.unit"), cell: (i) => i.unit },
    { key: "valueType", header: t("catalogue.valueType"), cell: (i) => t(`valueType.${i.valueType}`) },
    { key: "polarity", header: t("catalogue.polarity"), cell: (i) => t(`polarity.${i.polarity}`) },
    { key: "frequency", header: t("catalogue.frequency"), cell: (i) => t(`frequency.${i.frequency}`) },
    { key: "status", header: t("catalogue.status"), cell: (i) => t(`indicatorStatus.${i.status}`) },
    { key: "source", header: t("catalogue.source"), cell: (i) => i.source },
  ];

  return (
    <>
      <h1>{t("catalogue.title")}</h1>
      <p className="fs-lead">{t("catalogue.lead")}</p>
      <p>
        <Link to="/indicators/new" className="fs-button">
          {t("catalogue.new")}
        </Link>
      </p>
      <fieldset className="fs-filters">
        <legend className="fs-visually-hidden">{t("catalogue.filters")}</legend>
        <SelectField
          name="status"
          label={t("catalogue.status")}
          value={status}
          onChange={(v) => setStatus(v as IndicatorStatus | "")}
          options={[
            { value: "", label: t("catalogue.allStatuses") },
            ...INDICATOR_STATUSES.map((s) => ({ value: s, label: t(`indicatorStatus.${s}`) })),
          ]}
        />
        <SelectField
          name="set"
          label={t("catalogue.set")}
          value={set}
          onChange={setSet}
          options={[
            { value: "", label: t("catalogue.allSets") },
            ...(sets.data ?? []).map((s) => ({ value: s.name, label: `${s.name} (${s.indicators})` })),
          ]}
        />
      </fieldset>
      <QueryView query={indicators} lines={4}>
        {(data) => (
          <DataTable
            caption={t("catalogue.caption", { count: data.length })}
            columns={columns}
            rows={data}
            rowKey={(i) => i.code}
            empty={status || set ? t("catalogue.emptyFiltered") : t("catalogue.empty")}
          />
        )}
      </QueryView>
    </>
  );
}
