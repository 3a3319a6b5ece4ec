import type { RouterOutputs } from "@fivestep/api";
import { Button, EmptyState, ErrorPanel, fieldErrorsFrom, Skeleton, TextField, useI18n } from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { useTRPC } from "../../trpc.ts";

type Return = RouterOutputs["monitoring"]["myReturns"][number];

/** The signed-in person's data returns (due and late) with a form for each, and their notifications. */
export function ReturnsPage() {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const returns = useQuery(trpc.monitoring.myReturns.queryOptions());
  const inbox = useQuery(trpc.monitoring.notifications.queryOptions());
  const markRead = useMutation(
    trpc.monitoring.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.notifications.queryKey() }),
    }),
  );
  useEffect(() => {
    document.title = `${t("returns.title")} – ${t("app.title")}`;
  }, [t]);
  const unread = (inbox.data ?? []).filter((n) => n.readAt === null);
  return (
    <>
      <h1>{t("returns.title")}</h1>
      <p className="fs-lead">{t("returns.lead")}</p>
      {returns.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : returns.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={returns.error.message} />
      ) : returns.data.length === 0 ? (
        <EmptyState title={t("returns.none")}>
          <p>{t("returns.noneHint")}</p>
        </EmptyState>
      ) : (
        returns.data.map((r) => <ReturnForm key={r.id} r={r} />)
      )}
      <h2>{t("returns.notifications")}</h2>
      {(inbox.data ?? []).length === 0 ? <p>{t("returns.noNotifications")}</p> : null}
      <ul>
        {(inbox.data ?? []).map((n) => (
          <li key={n.id}>
            {n.readAt === null ? <strong>{t("returns.new")} </strong> : null}
            {n.text}{" "}
            <span className="fs-caption">
              ({formatDate(n.createdAt, { dateStyle: "medium", timeStyle: "short" })})
            </span>
          </li>
        ))}
      </ul>
      {unread.length > 0 ? (
        <Button variant="secondary" onClick={() => markRead.mutate({ ids: unread.map((n) => n.id) })}>
          {t("returns.markRead")}
        </Button>
      ) : null}
    </>
  );
}

function ReturnForm(props: { r: Return }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");
  const submit = useMutation(
    trpc.monitoring.submitReturn.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.myReturns.queryKey() }),
    }),
  );
  const errors = submit.error ? fieldErrorsFrom(submit.error) : {};
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value.replace(",", "."));
    submit.mutate({
      partnershipId: props.r.partnership_id,
      id: props.r.id,
      version: props.r.version,
      value: n,
      note,
    });
  };
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="fs-card fs-narrow"
      style={{ marginBottom: "1rem" }}
      aria-label={t("returns.formLabel", { code: props.r.indicator_code, period: props.r.period })}
    >
      <h2 style={{ marginTop: 0 }}>
        {props.r.indicator_code} · {props.r.period}
      </h2>
      <p>
        {props.r.partnershipName} · {t("returns.dueOn", { date: props.r.due_date })}{" "}
        {props.r.late ? <strong className="fs-field-error">{t("returns.late")}</strong> : null}
      </p>
      <TextField
        name={`value-${props.r.id}`}
        label={t("returns.value")}
        value={value}
        onChange={setValue}
        error={errors.value ?? errors.form}
        width="half"
      />
      <TextField name={`note-${props.r.id}`} label={t("returns.note")} value={note} onChange={setNote} />
      <Button type="submit" disabled={submit.isPending}>
        {t("returns.submit")}
      </Button>
    </form>
  );
}
