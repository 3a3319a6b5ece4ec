import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import { AreaSchema } from "@fivestep/domain";
import {
  Button,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  SelectField,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

export type AreaRecord = RouterOutputs["area"]["byCode"];

/**
 * Creates an area or edits one against the version seen (a stale save shows the newer values).
 * Its type comes from the area types (data), its parent from the areas one level or more above.
 */
export function AreaForm(props: { existing: AreaRecord | null; onSaved(code: string): void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const types = useQuery(trpc.area.types.queryOptions());
  const areas = useQuery(trpc.area.list.queryOptions());
  const e = props.existing;
  const [code, setCode] = useState(e?.code ?? "");
  const [name, setName] = useState(e?.name ?? "");
  const [type, setType] = useState(e?.type ?? "");
  const [parentCode, setParentCode] = useState(e?.parentCode ?? "");
  const [version, setVersion] = useState(e?.version ?? 0);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<AreaRecord | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [["area"]] });
  const onSuccess = (saved: AreaRecord) => {
    setConflict(null);
    setVersion(saved.version);
    void refresh();
    props.onSaved(saved.code);
  };
  const create = useMutation(trpc.area.create.mutationOptions({ onSuccess }));
  const update = useMutation(
    trpc.area.update.mutationOptions({
      onSuccess,
      onError: (error) => {
        const current = error.data?.current as AreaRecord | null | undefined;
        if (error.data?.code === "CONFLICT" && current) {
          setConflict(current);
          setName(current.name);
          setType(current.type);
          setParentCode(current.parentCode ?? "");
          setVersion(current.version);
          void refresh();
        }
      },
    }),
  );
  const mutation = e ? update : create;
  const errors =
    Object.keys(clientErrors).length > 0
      ? clientErrors
      : mutation.error && mutation.error.data?.code !== "CONFLICT"
        ? fieldErrorsFrom(mutation.error)
        : {};

  const rank = new Map((types.data ?? []).map((x) => [x.name, x.rank]));
  const ownRank = rank.get(type) ?? Number.POSITIVE_INFINITY;
  const parents = (areas.data ?? []).filter(
    (a) => a.code !== code && (rank.get(a.type) ?? Number.POSITIVE_INFINITY) < ownRank,
  );
  const typeNames = types.data?.map((x) => x.name) ?? [];
  if (type && !typeNames.includes(type)) typeNames.push(type);

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const values = { code, name, type, parentCode: parentCode || null };
    const found = validate(AreaSchema, values);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    if (e) update.mutate({ ...values, code: e.code, version });
    else create.mutate(values);
  };

  return (
    <form onSubmit={submit} noValidate className="fs-narrow">
      {conflict ? (
        <div className="fs-notice" role="alert">
          <p>
            <strong>{t("conflict.title")}</strong>
          </p>
          <p>{t("conflict.body")}</p>
          <p>
            {t("conflict.area", {
              name: conflict.name,
              type: conflict.type,
              parent: conflict.parentCode ?? "–",
            })}
          </p>
        </div>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      {e ? null : (
        <TextField
          name="code"
          label={t("areas.code")}
          hint={t("areas.codeHint")}
          value={code}
          onChange={setCode}
          error={errors.code}
          width="half"
        />
      )}
      <TextField name="name" label={t("areas.name")} value={name} onChange={setName} error={errors.name} />
      <SelectField
        name="type"
        label={t("areas.type")}
        value={type}
        onChange={setType}
        error={errors.type}
        options={[
          { value: "", label: t("areas.chooseType") },
          ...typeNames.map((x) => ({ value: x, label: x })),
        ]}
      />
      <SelectField
        name="parentCode"
        label={t("areas.parent")}
        hint={t("areas.parentHint")}
        value={parentCode}
        onChange={setParentCode}
        error={errors.parentCode}
        options={[
          { value: "", label: t("areas.noParent") },
          ...parents.map((a) => ({ value: a.code, label: `${a.name} (${a.code}, ${a.type})` })),
        ]}
      />
      <Button type="submit" disabled={mutation.isPending}>
        {e ? t("common.save") : t("areas.create")}
      </Button>
    </form>
  );
}
