import type { RouterOutputs } from "@fivestep/api";
import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import {
  Button,
  type Column,
  DataTable,
  Link,
  SelectField,
  TextField,
  useI18n,
  useRouter,
} from "@fivestep/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AreaForm } from "./area-form.tsx";
import { AreaImport } from "./area-import.tsx";
import { AreaTypes } from "./area-types.tsx";

type Area = RouterOutputs["area"]["list"][number];
const SHOWN = 200;

/** The areas by type (top of the hierarchy first) with their parents; create one; import an ONS lookup. */
export function AreasPage() {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const areas = useQuery(trpc.area.list.queryOptions());
  const types = useQuery(trpc.area.types.queryOptions());
  const [type, setType] = useState("");
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState(false);
  usePageTitle(t("areas.title"));

  const rank = new Map((types.data ?? []).map((x) => [x.name, x.rank]));
  const byCode = new Map((areas.data ?? []).map((a) => [a.code, a]));
  const q = search.trim().toLowerCase();
  const matching = (areas.data ?? [])
    .filter((a) => (!type || a.type === type) && (!q || `${a.code} ${a.name}`.toLowerCase().includes(q)))
    .sort((a, b) => (rank.get(a.type) ?? 99) - (rank.get(b.type) ?? 99) || a.name.localeCompare(b.name) || 0);
  const shown = matching.slice(0, SHOWN);
  const counts = new Map<string, number>();
  for (const a of areas.data ?? []) counts.set(a.type, (counts.get(a.type) ?? 0) + 1);

  const columns: Column<Area>[] = [
    {
      key: "name",
      header: t("areas.name"),
      cell: (a) => <Link to={`/areas/${encodeURIComponent(a.code)}`}>{a.name}</Link>,
      rowHeader: true,
    },
    { key: "code", header: t("areas.code"), cell: (a) => a.code },
    { key: "type", header: t("areas.type"), cell: (a) => a.type },
    {
      key: "parent",
      header: t("areas.parent"),
      cell: (a) =>
        a.parentCode ? `${byCode.get(a.parentCode)?.name ?? a.parentCode} (${a.parentCode})` : "–",
    },
  ];

  return (
    <>
      <h1>{t("areas.title")}</h1>
      <p className="fs-lead">{t("areas.lead")}</p>
      {creating ? (
        <section aria-labelledby="new-area" className="fs-card" style={{ marginBottom: "1.5rem" }}>
          <h2 id="new-area" style={{ marginTop: 0 }}>
            {t("areas.new")}
          </h2>
          <AreaForm existing={null} onSaved={(code) => navigate(`/areas/${encodeURIComponent(code)}`)} />
          <Button variant="secondary" onClick={() => setCreating(false)}>
            {t("common.cancel")}
          </Button>
        </section>
      ) : (
        <p>
          <Button onClick={() => setCreating(true)}>{t("areas.new")}</Button>
        </p>
      )}
      <fieldset className="fs-filters">
        <legend className="fs-visually-hidden">{t("areas.filters")}</legend>
        <SelectField
          name="areaType"
          label={t("areas.type")}
          value={type}
          onChange={setType}
          options={[
            { value: "", label: t("areas.allTypes") },
            ...(types.data ?? []).map((x) => ({
              value: x.name,
              label: `${x.name} (${formatNumber(counts.get(x.name) ?? 0)})`,
            })),
          ]}
        />
        <TextField
          name="search"
          type="search"
          label={t("areas.search")}
          value={search}
          onChange={setSearch}
        />
      </fieldset>
      <QueryView query={areas} lines={6}>
        {(data) => (
          <>
            <DataTable
              caption={t("areas.caption", { count: matching.length })}
              columns={columns}
              rows={shown}
              rowKey={(a) => a.code}
              empty={data.length === 0 ? t("areas.empty") : t("areas.emptyFiltered")}
            />
            {matching.length > SHOWN ? (
              <p className="fs-hint">
                {t("areas.more", { shown: formatNumber(SHOWN), total: formatNumber(matching.length) })}
              </p>
            ) : null}
          </>
        )}
      </QueryView>
      <AreaImport />
      <AreaTypes />
    </>
  );
}
