import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import { PlanFieldsSchema, type Role, roleAtLeast } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  StatusTag,
  TextField,
  useI18n,
  useRouter,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type Plan = RouterOutputs["plan"]["list"][number];

/** The partnership's plans, and (for editors) a form to start one. */
export function PlansSection(props: { partnershipId: number; role: Role | null }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const plans = useQuery(trpc.plan.list.queryOptions({ partnershipId: props.partnershipId }));
  const canEdit = props.role !== null && roleAtLeast(props.role, "editor");
  const columns: Column<Plan>[] = [
    {
      key: "title",
      header: t("plans.plan"),
      cell: (p) => <Link to={`/partnerships/${props.partnershipId}/plans/${p.id}`}>{p.title}</Link>,
      rowHeader: true,
    },
    { key: "period", header: t("plans.period"), cell: (p) => p.periodLabel },
    {
      key: "revision",
      header: t("plans.revision"),
      cell: (p) => t("plans.revisionN", { n: p.revision }),
      numeric: true,
    },
    {
      key: "status",
      header: t("plans.status"),
      cell: (p) => <StatusTag tone="neutral" symbol="■" label={t(`planStatus.${p.status}`)} />,
    },
  ];
  return (
    <section aria-labelledby="plans-title">
      <h2 id="plans-title">{t("plans.title")}</h2>
      <DataTable
        caption={t("plans.caption")}
        captionHidden
        columns={columns}
        rows={plans.data ?? []}
        rowKey={(p) => String(p.id)}
        empty={plans.isPending ? t("common.loading") : canEdit ? t("plans.emptyEditor") : t("plans.empty")}
      />
      {canEdit ? <NewPlanForm partnershipId={props.partnershipId} /> : null}
    </section>
  );
}

function NewPlanForm(props: { partnershipId: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const [vision, setVision] = useState("");
  const [startYear, setStartYear] = useState(String(new Date().getFullYear()));
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const create = useMutation(
    trpc.plan.create.mutationOptions({
      onSuccess: async (plan) => {
        await queryClient.invalidateQueries({ queryKey: trpc.plan.list.queryKey() });
        navigate(`/partnerships/${props.partnershipId}/plans/${plan.id}`);
      },
    }),
  );
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : create.error
      ? fieldErrorsFrom(create.error)
      : {};
  if (!open) return <Button onClick={() => setOpen(true)}>{t("plans.new")}</Button>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = { title, vision, startYear: Number(startYear) };
    const found = validate(PlanFieldsSchema, values);
    setClientErrors(found);
    if (Object.keys(found).length === 0) create.mutate({ partnershipId: props.partnershipId, ...values });
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow">
      <h3>{t("plans.new")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <TextField
        name="title"
        label={t("plans.titleLabel")}
        value={title}
        onChange={setTitle}
        error={errors.title}
      />
      <TextField
        name="vision"
        label={t("plans.vision")}
        hint={t("plans.visionHint")}
        value={vision}
        onChange={setVision}
        error={errors.vision}
        multiline
      />
      <TextField
        name="startYear"
        label={t("plans.startYear")}
        hint={t("plans.startYearHint")}
        value={startYear}
        onChange={setStartYear}
        error={errors.startYear}
        width="half"
      />
      <div className="fs-button-group">
        <Button type="submit" disabled={create.isPending}>
          {t("plans.create")}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}
