import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { ComparatorGroupSchema } from "@fivestep/domain";
import {
  Button,
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorPanel,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  SelectField,
  Skeleton,
  TextField,
  TextInput,
  useI18n,
  useZodForm,
  validate,
  ZodForm,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { parseCodes } from "./groups-page.tsx";

type Group = RouterOutputs["comparatorGroup"]["byId"];
type Member = Group["areas"][number];

/** One comparator group: rename it, add areas (chosen or pasted codes), remove an area after confirming. */
export function GroupPage(props: { id: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const group = useQuery(trpc.comparatorGroup.byId.queryOptions({ id: props.id }));
  const [removing, setRemoving] = useState<Member | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [["comparatorGroup"]] });
  const remove = useMutation(
    trpc.comparatorGroup.removeArea.mutationOptions({
      onSettled: () => {
        setRemoving(null);
        void refresh();
      },
    }),
  );
  usePageTitle(group.data?.name ?? t("groups.title"));

  const back = (
    <p>
      <Link to="/groups">{t("groups.back")}</Link>
    </p>
  );
  if (group.isPending) return <Skeleton label={t("common.loading")} lines={5} />;
  if (group.isError) {
    return (
      <>
        {back}
        <ErrorPanel title={t("groups.notFound")} message={t(errorMessageId(group.error))} />
      </>
    );
  }
  const g = group.data;
  const columns: Column<Member>[] = [
    { key: "name", header: t("areas.name"), cell: (a) => a.name, rowHeader: true },
    { key: "code", header: t("areas.code"), cell: (a) => a.code },
    { key: "type", header: t("areas.type"), cell: (a) => a.type },
    {
      key: "remove",
      header: t("members.actions"),
      cell: (a) => (
        <Button variant="secondary" onClick={() => setRemoving(a)}>
          {t("members.remove")}
          <span className="fs-visually-hidden"> {a.name}</span>
        </Button>
      ),
    },
  ];
  return (
    <>
      {back}
      <h1>{g.name}</h1>
      {g.description ? <p className="fs-lead">{g.description}</p> : null}
      {remove.error ? (
        <ErrorPanel
          title={remove.error.data?.code === "CONFLICT" ? t("conflict.title") : t("common.errorTitle")}
          message={t(errorMessageId(remove.error))}
        />
      ) : null}
      <DataTable
        caption={t("groups.members", { name: g.name, count: g.areas.length })}
        columns={columns}
        rows={g.areas}
        rowKey={(a) => a.code}
        empty={t("groups.noAreas")}
      />
      <AddAreas group={g} />
      <RenameGroup key={g.version} group={g} />
      <ConfirmDialog
        open={removing !== null}
        title={t("groups.removeConfirm", { area: removing?.name ?? "", group: g.name })}
        confirmLabel={t("members.remove")}
        cancelLabel={t("common.cancel")}
        busy={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ id: g.id, version: g.version, areaCode: removing.code })}
      >
        <p>{t("groups.removeHint")}</p>
      </ConfirmDialog>
    </>
  );
}

function AddAreas(props: { group: Group }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const areas = useQuery(trpc.area.list.queryOptions());
  const [chosen, setChosen] = useState("");
  const [codes, setCodes] = useState("");
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const add = useMutation(
    trpc.comparatorGroup.addAreas.mutationOptions({
      onSuccess: () => {
        setChosen("");
        setCodes("");
      },
      onSettled: () => void queryClient.invalidateQueries({ queryKey: [["comparatorGroup"]] }),
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : add.error
      ? add.error.data?.code === "CONFLICT"
        ? { form: t("groups.conflict") }
        : fieldErrorsFrom(add.error)
      : {};
  const inGroup = new Set(props.group.areas.map((a) => a.code));
  const candidates = (areas.data ?? []).filter((a) => !inGroup.has(a.code));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const areaCodes = [...new Set([...(chosen ? [chosen] : []), ...parseCodes(codes)])];
    if (areaCodes.length === 0) {
      setClientErrors({ areaCodes: t("groups.chooseAreas") });
      return;
    }
    const found = validate(ComparatorGroupSchema, { name: props.group.name, areaCodes });
    const shown = Object.fromEntries(
      Object.entries(found).map(([k, v]) => [k.startsWith("areaCodes") ? "areaCodes" : k, v]),
    );
    setClientErrors(shown);
    if (Object.keys(shown).length === 0)
      add.mutate({ id: props.group.id, version: props.group.version, areaCodes });
  };
  return (
    <section aria-labelledby="add-areas" className="fs-section fs-narrow">
      <h2 id="add-areas">{t("groups.add")}</h2>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <form onSubmit={submit} noValidate>
        <SelectField
          name="chosenArea"
          label={t("groups.chooseArea")}
          value={chosen}
          onChange={setChosen}
          options={[
            { value: "", label: t("groups.noneChosen") },
            ...candidates.map((a) => ({ value: a.code, label: `${a.name} (${a.code}, ${a.type})` })),
          ]}
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
        <Button type="submit" disabled={add.isPending}>
          {t("groups.addButton")}
        </Button>
      </form>
    </section>
  );
}

function RenameGroup(props: { group: Group }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<Group | null>(null);
  const form = useZodForm(ComparatorGroupSchema.pick({ name: true, description: true }), {
    name: props.group.name,
    description: props.group.description,
  });
  const update = useMutation(trpc.comparatorGroup.update.mutationOptions());
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="fs-section fs-narrow">
      <ZodForm
        form={form}
        className=""
        labelledBy={headingId}
        heading={
          <>
            <h2 id={headingId}>{t("groups.rename")}</h2>
            {conflict ? (
              <div className="fs-notice" role="alert">
                <p>
                  <strong>{t("conflict.title")}</strong>
                </p>
                <p>{t("conflict.body")}</p>
              </div>
            ) : null}
          </>
        }
        errorsFrom={(error) => {
          const data = (error as typeof update.error)?.data;
          const current = data?.current as Group | null | undefined;
          if (data?.code !== "CONFLICT" || !current) return fieldErrorsFrom(error);
          // A stale save: the form shows the newer name and description, saved against their version.
          setConflict(current);
          form.reset({ name: current.name, description: current.description });
          return {};
        }}
        onSubmit={(values) =>
          update.mutateAsync({
            id: props.group.id,
            version: conflict?.version ?? props.group.version,
            ...values,
          })
        }
        // Only after a save: refetching after a conflict would remount this form and hide the notice.
        onSaved={() => void queryClient.invalidateQueries({ queryKey: [["comparatorGroup"]] })}
      >
        <TextInput name="name" label={t("groups.name")} />
        <TextInput name="description" label={t("groups.descriptionOptional")} multiline />
        <Button type="submit" disabled={update.isPending}>
          {t("common.save")}
        </Button>
      </ZodForm>
    </section>
  );
}
