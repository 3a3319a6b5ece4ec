import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { PartnershipSchema } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  ErrorPanel,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  SelectField,
  Skeleton,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type Partnership = RouterOutputs["partnership"]["list"][number];

/** Every partnership with its area and size, and a form to create one. */
export function PartnershipsPage() {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const list = useQuery(trpc.partnership.list.queryOptions());
  usePageTitle(t("partnerships.title"));
  const columns: Column<Partnership>[] = [
    {
      key: "name",
      header: t("partnerships.name"),
      cell: (p) => <Link to={`/partnerships/${p.id}`}>{p.name}</Link>,
      rowHeader: true,
    },
    { key: "area", header: t("partnerships.area"), cell: (p) => `${p.areaName} (${p.areaCode})` },
    {
      key: "members",
      header: t("partnerships.members"),
      cell: (p) => formatNumber(p.memberCount),
      numeric: true,
    },
  ];
  return (
    <>
      <h1>{t("partnerships.title")}</h1>
      {list.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : list.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(list.error))} />
      ) : (
        <DataTable
          caption={t("partnerships.caption", { count: list.data.length })}
          columns={columns}
          rows={list.data}
          rowKey={(p) => String(p.id)}
          empty={t("partnerships.empty")}
        />
      )}
      <PartnershipForm />
    </>
  );
}

/**
 * Creates a partnership, or edits one when `existing` is given (against its version; a stale
 * edit is reported with the newer values).
 */
export function PartnershipForm(props: {
  existing?: { id: number; version: number; name: string; areaCode: string };
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const areas = useQuery(trpc.area.list.queryOptions());
  const [name, setName] = useState(props.existing?.name ?? "");
  const [areaCode, setAreaCode] = useState(props.existing?.areaCode ?? "");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [["partnership"]] });
  const create = useMutation(
    trpc.partnership.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setAreaCode("");
        void refresh();
      },
    }),
  );
  const update = useMutation(
    trpc.partnership.update.mutationOptions({
      onSuccess: () => {
        setConflict(null);
        void refresh();
      },
      onError: (error) => {
        const current = error.data?.current as { name: string; areaCode: string } | null | undefined;
        if (error.data?.code === "CONFLICT" && current) {
          setConflict(t("conflict.partnership", { name: current.name, area: current.areaCode }));
          setName(current.name);
          setAreaCode(current.areaCode);
          void refresh();
        }
      },
    }),
  );
  const mutation = props.existing ? update : create;
  const serverError =
    mutation.error && mutation.error.data?.code !== "CONFLICT" ? fieldErrorsFrom(mutation.error) : {};
  const errors = Object.keys(clientErrors).length ? clientErrors : serverError;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validate(PartnershipSchema, { name, areaCode });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    if (props.existing)
      update.mutate({ id: props.existing.id, version: props.existing.version, name, areaCode });
    else create.mutate({ name, areaCode });
  };

  return (
    <section aria-labelledby="partnership-form-title" className="fs-narrow">
      <h2 id="partnership-form-title">
        {props.existing ? t("partnerships.edit") : t("partnerships.create")}
      </h2>
      {conflict ? (
        <div className="fs-notice" role="alert">
          <p>
            <strong>{t("conflict.title")}</strong>
          </p>
          <p>{conflict}</p>
        </div>
      ) : null}
      {mutation.isSuccess && !conflict ? (
        <p className="fs-notice fs-notice--success" role="status">
          {t("common.saved")}
        </p>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField
          name="name"
          label={t("partnerships.name")}
          value={name}
          onChange={setName}
          error={errors.name}
        />
        <SelectField
          name="areaCode"
          label={t("partnerships.area")}
          value={areaCode}
          onChange={setAreaCode}
          error={errors.areaCode}
          options={[
            { value: "", label: t("partnerships.chooseArea") },
            ...(areas.data ?? []).map((a) => ({ value: a.code, label: `${a.name} (${a.type})` })),
          ]}
        />
        <Button type="submit" disabled={mutation.isPending}>
          {props.existing ? t("common.save") : t("partnerships.create")}
        </Button>
      </form>
    </section>
  );
}
