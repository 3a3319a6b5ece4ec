import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import {
  Button,
  CheckboxField,
  ErrorSummary,
  fieldErrorsFrom,
  SelectField,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type UnknownArea = RouterOutputs["imports"]["preview"]["unknownAreas"][number];

/**
 * Adds the area codes a preview did not know, named from the file's area-name column (or as
 * typed), with one type and parent for those chosen; then the preview runs again (`onAdded`).
 */
export function AddUnknownAreas(props: { unknown: UnknownArea[]; onAdded(): void }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const types = useQuery(trpc.area.types.queryOptions());
  const areas = useQuery(trpc.area.list.queryOptions());
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(props.unknown.map((u) => u.value)));
  const [names, setNames] = useState<Record<string, string>>(() =>
    Object.fromEntries(props.unknown.map((u) => [u.value, u.name ?? ""])),
  );
  const [type, setType] = useState("");
  const [parentCode, setParentCode] = useState("");
  const add = useMutation(
    trpc.imports.addAreas.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.area.list.queryFilter());
        props.onAdded();
      },
    }),
  );
  const errors = add.error ? fieldErrorsFrom(add.error, t) : {};
  const list = props.unknown.filter((u) => chosen.has(u.value));
  // The summary links each message to its input: every area's type and parent are the one
  // select each below (first message kept), a name is the box beside its area.
  const summary: typeof errors = {};
  for (const [key, message] of Object.entries(errors)) {
    const shared = /^areas\.\d+\.(type|parentCode)$/.exec(key)?.[1];
    const name = shared === "type" ? "addAreas.type" : shared ? "addAreas.parent" : key;
    summary[name] ??= message;
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({
      areas: list.map((u) => ({
        code: u.value,
        name: (names[u.value] ?? "").trim(),
        type,
        parentCode: parentCode || null,
      })),
    });
  };

  return (
    <form onSubmit={submit} noValidate className="fs-section" aria-labelledby="add-areas-title">
      <h3 id="add-areas-title">{t("addAreas.title")}</h3>
      <p className="fs-hint">{t("addAreas.hint")}</p>
      <ErrorSummary title={t("form.errorTitle")} errors={summary} />
      <fieldset>
        <legend>{t("addAreas.which")}</legend>
        {props.unknown.map((u, k) => (
          <div key={u.value}>
            <CheckboxField
              name={`addAreas.${k}`}
              label={t("addAreas.area", {
                code: u.value,
                name: names[u.value] || t("addAreas.noName"),
                rows: formatNumber(u.rows),
              })}
              checked={chosen.has(u.value)}
              onChange={(on) => {
                const next = new Set(chosen);
                if (on) next.add(u.value);
                else next.delete(u.value);
                setChosen(next);
              }}
            />
            {chosen.has(u.value) && !u.name ? (
              <TextField
                name={`areas.${list.indexOf(u)}.name`}
                label={t("addAreas.nameFor", { code: u.value })}
                value={names[u.value] ?? ""}
                onChange={(v) => setNames({ ...names, [u.value]: v })}
                error={errors[`areas.${list.indexOf(u)}.name`]}
                width="half"
              />
            ) : null}
          </div>
        ))}
      </fieldset>
      <SelectField
        name="addAreas.type"
        label={t("addAreas.type")}
        value={type}
        onChange={setType}
        error={summary["addAreas.type"]}
        options={[
          { value: "", label: t("addAreas.chooseType") },
          ...(types.data ?? []).map((x) => ({ value: x.name, label: x.name })),
        ]}
      />
      <SelectField
        name="addAreas.parent"
        label={t("addAreas.parent")}
        hint={t("addAreas.parentHint")}
        value={parentCode}
        onChange={setParentCode}
        error={summary["addAreas.parent"]}
        options={[
          { value: "", label: t("addAreas.noParent") },
          ...(areas.data ?? []).map((a) => ({ value: a.code, label: `${a.name} (${a.code}, ${a.type})` })),
        ]}
      />
      <Button type="submit" disabled={add.isPending || list.length === 0 || type === ""}>
        {t("addAreas.submit", { count: formatNumber(list.length) })}
      </Button>
    </form>
  );
}
