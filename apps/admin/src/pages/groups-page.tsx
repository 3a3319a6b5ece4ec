import type { RouterOutputs } from "@fivestep/api";
import { QueryView, usePageTitle, useTRPC } from "@fivestep/client";
import { ComparatorGroupSchema } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  fieldErrorsFrom,
  Link,
  TextInput,
  useI18n,
  useRouter,
  useZodForm,
  ZodForm,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { z } from "zod";

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
  usePageTitle(t("groups.title"));
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
      <QueryView query={groups} lines={4}>
        {(data) => (
          <DataTable
            caption={t("groups.caption", { count: data.length })}
            columns={columns}
            rows={data}
            rowKey={(g) => String(g.id)}
            empty={t("groups.empty")}
          />
        )}
      </QueryView>
      <NewGroupForm />
    </>
  );
}

/**
 * The group form's schema: the area codes typed in one box, one a line (or separated by commas or
 * spaces), made into the list the group holds.
 *
 * @example useZodForm(GroupFormSchema, { name: "", description: "", areaCodes: "E08000026" })
 */
export const GroupFormSchema = z.preprocess(
  (v) => ({
    ...(v as object),
    areaCodes: parseCodes(String((v as { areaCodes?: unknown }).areaCodes ?? "")),
  }),
  ComparatorGroupSchema,
) as unknown as z.ZodType<z.output<typeof ComparatorGroupSchema>, GroupFormValues>;

/** The group form's values as typed. */
export interface GroupFormValues {
  name: string;
  description: string;
  areaCodes: string;
}

function NewGroupForm() {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { navigate } = useRouter();
  const form = useZodForm(GroupFormSchema, { name: "", description: "", areaCodes: "" });
  const create = useMutation(trpc.comparatorGroup.create.mutationOptions());
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="fs-section fs-narrow">
      <ZodForm
        form={form}
        className=""
        labelledBy={headingId}
        heading={<h2 id={headingId}>{t("groups.new")}</h2>}
        errorsFrom={(e) => fieldErrorsFrom(e)}
        onSubmit={(values) => create.mutateAsync(values)}
        onSaved={(_, g) => {
          void queryClient.invalidateQueries({ queryKey: [["comparatorGroup"]] });
          navigate(`/groups/${g.id}`);
        }}
      >
        <TextInput name="name" label={t("groups.name")} />
        <TextInput name="description" label={t("groups.descriptionOptional")} multiline />
        <TextInput name="areaCodes" label={t("groups.codes")} hint={t("groups.codesHint")} multiline />
        <Button type="submit" disabled={create.isPending}>
          {t("groups.create")}
        </Button>
      </ZodForm>
    </section>
  );
}
