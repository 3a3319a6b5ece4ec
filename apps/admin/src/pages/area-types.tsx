import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import {
  Button,
  type Column,
  DataTable,
  ErrorSummary,
  fieldErrorsFrom,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type AreaType = RouterOutputs["area"]["types"][number];

/** The inputs' names of the fields the server names, so the error summary links to them. */
const INPUT_NAMES: Record<string, string> = {
  name: "typeName",
  rank: "typeRank",
  lookupPrefix: "typePrefix",
};

/** The levels of the area hierarchy, as data: list, add one, or change a level's rank or lookup prefix. */
export function AreaTypes() {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const types = useQuery(trpc.area.types.queryOptions());
  const [name, setName] = useState("");
  const [rank, setRank] = useState("");
  const [prefix, setPrefix] = useState("");
  const save = useMutation(
    trpc.area.saveType.mutationOptions({
      onSuccess: () => {
        setName("");
        setRank("");
        setPrefix("");
        void queryClient.invalidateQueries({ queryKey: trpc.area.types.queryKey() });
      },
    }),
  );
  const errors = save.error ? fieldErrorsFrom(save.error) : {};
  const columns: Column<AreaType>[] = [
    { key: "name", header: t("areaTypes.name"), cell: (x) => x.name, rowHeader: true },
    { key: "rank", header: t("areaTypes.rank"), cell: (x) => formatNumber(x.rank), numeric: true },
    { key: "prefix", header: t("areaTypes.prefix"), cell: (x) => x.lookupPrefix ?? "–" },
    {
      key: "edit",
      header: t("areaTypes.change"),
      cell: (x) => (
        <Button
          variant="secondary"
          onClick={() => {
            setName(x.name);
            setRank(String(x.rank));
            setPrefix(x.lookupPrefix ?? "");
          }}
        >
          {t("areaTypes.edit")}
          <span className="fs-visually-hidden"> {x.name}</span>
        </Button>
      ),
    },
  ];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ name, rank: Number(rank), lookupPrefix: prefix.trim() ? prefix.trim() : null });
  };
  return (
    <section aria-labelledby="area-types-title">
      <h2 id="area-types-title">{t("areaTypes.title")}</h2>
      <p>{t("areaTypes.lead")}</p>
      <DataTable
        caption={t("areaTypes.title")}
        captionHidden
        columns={columns}
        rows={types.data ?? []}
        rowKey={(x) => x.name}
        empty={t("areaTypes.empty")}
      />
      <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="area-type-form">
        <h3 id="area-type-form">{t("areaTypes.save")}</h3>
        <ErrorSummary
          title={t("form.errorTitle")}
          errors={Object.fromEntries(Object.entries(errors).map(([k, v]) => [INPUT_NAMES[k] ?? k, v]))}
        />
        <TextField
          name="typeName"
          label={t("areaTypes.name")}
          value={name}
          onChange={setName}
          error={errors.name}
        />
        <TextField
          name="typeRank"
          label={t("areaTypes.rank")}
          hint={t("areaTypes.rankHint")}
          value={rank}
          onChange={setRank}
          error={errors.rank}
          width="half"
        />
        <TextField
          name="typePrefix"
          label={t("areaTypes.prefix")}
          hint={t("areaTypes.prefixHint")}
          value={prefix}
          onChange={setPrefix}
          error={errors.lookupPrefix}
          width="half"
        />
        <Button type="submit" disabled={save.isPending}>
          {t("areaTypes.save")}
        </Button>
        {save.isSuccess ? <span role="status"> {t("common.saved")}</span> : null}
      </form>
    </section>
  );
}
