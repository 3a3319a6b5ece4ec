import type { RouterOutputs } from "@fivestep/api";
import { ComparatorGroupSchema } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  ErrorPanel,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  Skeleton,
  TextField,
  useI18n,
  useRouter,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTRPC } from "../trpc.ts";

type Group = RouterOutputs["comparatorGroup"]["list"][number];

/** Splits a pasted list of area codes (one a line, or separated by commas or spaces). */
export function parseCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

/** The comparator groups (named sets of areas for benchmarking) and a form to create one. */
export function GroupsPage() {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const groups = useQuery(trpc.comparatorGroup.list.queryOptions());
  useEffect(() => {
    document.title = `${t("groups.title")} – ${t("app.title")}`;
  }, [t]);
  const columns: Column<Group>[] = [
    {
      key: "name",
      header: t("groups.name"),
      cell: (g) => <Link to={`/groups/${g.id}`}>{g.name}</Link>,
      rowHeader: true,
    },
    { key: "description", header: t("groups.description"), cell: (g) => g.description || "–" },
    { key: "areas", header: t("groups.areas"), cell: (g) => formatNumber(g.areas.length), numeric: true },
  ];
  return (
    <>
      <h1>{t("groups.title")}</h1>
      <p className="fs-lead">{t("groups.lead")}</p>
      {groups.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : groups.isError ? (
        <ErrorPanel
          title={t("common.errorTitle")}
          message={groups.error.message}
          retryLabel={t("common.retry")}
          onRetry={() => void groups.refetch()}
        />
      ) : (
        <DataTable
          caption={t("groups.caption", { count: groups.data.length })}
          columns={columns}
          rows={groups.data}
          rowKey={(g) => String(g.id)}
          empty={t("groups.empty")}
        />
      )}
      <NewGroupForm />
    </>
  );
}

function NewGroupForm() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [codes, setCodes] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const create = useMutation(
    trpc.comparatorGroup.create.mutationOptions({
      onSuccess: (g) => {
        void queryClient.invalidateQueries({ queryKey: [["comparatorGroup"]] });
        navigate(`/groups/${g.id}`);
      },
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : create.error
      ? fieldErrorsFrom(create.error)
      : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = { name, description, areaCodes: parseCodes(codes) };
    const found = validate(ComparatorGroupSchema, values);
    // A bad code's message belongs beside the list, not an input of its own.
    const shown = Object.fromEntries(
      Object.entries(found).map(([k, v]) => [k.startsWith("areaCodes") ? "areaCodes" : k, v]),
    );
    setClientErrors(shown);
    if (Object.keys(shown).length === 0) create.mutate(values);
  };
  return (
    <section aria-labelledby="new-group" className="fs-section fs-narrow">
      <h2 id="new-group">{t("groups.new")}</h2>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <TextField name="name" label={t("groups.name")} value={name} onChange={setName} error={errors.name} />
        <TextField
          name="description"
          label={t("groups.descriptionOptional")}
          value={description}
          onChange={setDescription}
          error={errors.description}
          multiline
        />
        <TextField
          name="areaCodes"
          label={t("groups.codes")}
          hint={t("groups.codesHint")}
          value={codes}
          onChange={setCodes}
          error={errors.areaCodes}
          multiline
        />
        <Button type="submit" disabled={create.isPending}>
          {t("groups.create")}
        </Button>
      </form>
    </section>
  );
}
