import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { lockViolation, submitReturnSchemaFor, validRange } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  EmptyState,
  ErrorPanel,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  ruleTranslator,
  Skeleton,
  StatusTag,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

type Return = RouterOutputs["monitoring"]["myReturns"][number];

/**
 * The signed-in person's data returns: a form for each one due (late ones marked, one sent back
 * with the lead's reason), the values waiting for a lead's approval, and their notifications.
 */
export function ReturnsPage() {
  const { t, formatDate, formatNumber } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const returns = useQuery(trpc.monitoring.myReturns.queryOptions());
  const inbox = useQuery(trpc.monitoring.notifications.queryOptions());
  const markRead = useMutation(
    trpc.monitoring.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.notifications.queryKey() }),
    }),
  );
  usePageTitle(t("returns.title"));
  const unread = (inbox.data ?? []).filter((n) => n.readAt === null);
  const due = (returns.data ?? []).filter((r) => r.status === "due");
  const pending = (returns.data ?? []).filter((r) => r.status === "pending");
  const n = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 4 }));
  const pendingColumns: Column<Return>[] = [
    {
      key: "return",
      header: t("returns.return"),
      cell: (r) => `${r.indicator_code} ${r.period}`,
      rowHeader: true,
    },
    { key: "sent", header: t("returns.valueSent"), cell: (r) => n(r.value), numeric: true },
    { key: "now", header: t("returns.valueNow"), cell: (r) => n(r.approvedValue), numeric: true },
    {
      key: "when",
      header: t("returns.sentOn"),
      cell: (r) => (r.submitted_at ? formatDate(r.submitted_at, { dateStyle: "medium" }) : "–"),
    },
    {
      key: "status",
      header: t("returns.status"),
      cell: () => <StatusTag tone="neutral" symbol="◷" label={t("returns.pending")} />,
    },
  ];
  return (
    <>
      <h1>{t("returns.title")}</h1>
      <p className="fs-lead">{t("returns.lead")}</p>
      {returns.isPending ? (
        <Skeleton label={t("common.loading")} lines={4} />
      ) : returns.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(returns.error))} />
      ) : due.length === 0 && pending.length === 0 ? (
        <EmptyState title={t("returns.none")}>
          <p>{t("returns.noneHint")}</p>
        </EmptyState>
      ) : (
        <>
          {due.map((r) => (
            <ReturnForm key={`${r.id}-${r.version}`} r={r} />
          ))}
          {pending.length > 0 ? (
            <>
              <h2>{t("returns.waitingTitle")}</h2>
              <p>{t("returns.waitingHint")}</p>
              <DataTable
                caption={t("returns.waitingTitle")}
                captionHidden
                columns={pendingColumns}
                rows={pending}
                rowKey={(r) => String(r.id)}
                empty=""
              />
            </>
          ) : null}
        </>
      )}
      <h2>{t("returns.notifications")}</h2>
      {(inbox.data ?? []).length === 0 ? <p>{t("returns.noNotifications")}</p> : null}
      <ul>
        {(inbox.data ?? []).map((n) => (
          <li key={n.id}>
            {n.readAt === null ? <strong>{t("returns.new")} </strong> : null}
            {noticeText(n, t, formatDate)}{" "}
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

/**
 * One due return: the value (checked against the indicator's range as the server checks it), a
 * note, and — when its period is locked — the reason for revising the locked value.
 */
function ReturnForm(props: { r: Return }) {
  const { t, formatDate, formatNumber } = useI18n();
  // Broken rules worded with their numbers and dates in the reader's notation.
  const tr = ruleTranslator(t, { formatNumber, formatDate });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const r = props.r;
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");
  const [reason, setReason] = useState("");
  const [checked, setChecked] = useState<FieldErrors>({});
  const submit = useMutation(
    trpc.monitoring.submitReturn.mutationOptions({
      // On a refusal too: the period may have been locked since the page was read.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.myReturns.queryKey() }),
    }),
  );
  const limits = {
    code: r.indicator_code,
    valueType: r.valueType ?? "mean",
    validMin: r.validMin,
    validMax: r.validMax,
  };
  const range = validRange(limits);
  const n = (v: number) => formatNumber(v, { maximumFractionDigits: 4 });
  const locked = r.locked && r.approvedValue !== null;
  const errors = submit.error ? fieldErrorsFrom(submit.error, tr) : checked;
  const field = (name: string) => `${name}-${r.id}`;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.reset();
    const number = Number(value.trim().replace(",", "."));
    if (value.trim() === "" || !Number.isFinite(number)) {
      setChecked({ value: t("returns.enterNumber") });
      return;
    }
    const found = validate(
      submitReturnSchemaFor(limits),
      { value: number, note, revisionReason: reason },
      tr,
    );
    const lock = lockViolation({
      indicator: r.indicator_code,
      period: r.period,
      locked,
      current: r.approvedValue,
      value: number,
      reason,
    });
    if (lock) found.revisionReason = tr(`rule.${lock.code}`, lock.params);
    setChecked(found);
    if (Object.keys(found).length > 0) return;
    submit.mutate({
      partnershipId: r.partnership_id,
      id: r.id,
      version: r.version,
      value: number,
      note,
      revisionReason: reason,
    });
  };
  const summary = Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [k === "form" ? "form" : field(k), v]),
  );
  const rangeHint =
    range.min !== null && range.max !== null
      ? t("returns.rangeBoth", { min: n(range.min), max: n(range.max) })
      : range.min !== null
        ? t("returns.rangeMin", { min: n(range.min) })
        : range.max !== null
          ? t("returns.rangeMax", { max: n(range.max) })
          : undefined;
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="fs-card fs-narrow"
      style={{ marginBottom: "1rem" }}
      aria-label={t("returns.formLabel", { code: r.indicator_code, period: r.period })}
    >
      <h2 style={{ marginTop: 0 }}>
        {r.indicator_code} · {r.period}
      </h2>
      {r.indicatorTitle ? <p className="fs-caption">{r.indicatorTitle}</p> : null}
      <p>
        {r.partnershipName} · {t("returns.dueOn", { date: formatDate(r.due_date, { dateStyle: "long" }) })}{" "}
        {r.late ? <strong className="fs-field-error">{t("returns.late")}</strong> : null}
      </p>
      {r.review_note ? (
        <div className="fs-notice" role="note">
          <p>
            <strong>
              {t("returns.sentBack", {
                name: r.reviewedByName ?? "–",
                value: r.value === null ? "–" : n(r.value),
              })}
            </strong>
          </p>
          <p>{r.review_note}</p>
        </div>
      ) : null}
      {locked ? (
        <p>
          <StatusTag tone="neutral" symbol="■" label={t("returns.locked")} />{" "}
          {t("returns.lockedHint", { period: r.period, value: n(r.approvedValue ?? 0) })}
        </p>
      ) : r.approvedValue !== null ? (
        <p>{t("returns.inDataNow", { value: n(r.approvedValue) })}</p>
      ) : null}
      <ErrorSummary title={t("form.errorTitle")} errors={summary} />
      <TextField
        name={field("value")}
        label={t("returns.value")}
        hint={rangeHint}
        value={value}
        onChange={setValue}
        error={errors.value}
        width="half"
      />
      <TextField
        name={field("note")}
        label={t("returns.note")}
        value={note}
        onChange={setNote}
        error={errors.note}
      />
      {locked ? (
        <TextField
          name={field("revisionReason")}
          label={t("returns.revisionReason")}
          hint={t("returns.revisionReasonHint")}
          value={reason}
          onChange={setReason}
          error={errors.revisionReason}
          multiline
        />
      ) : null}
      <Button type="submit" disabled={submit.isPending}>
        {t("returns.submit")}
      </Button>
    </form>
  );
}

/**
 * A notification in the reader's language: worded from its code and parameters (a due date in
 * the reader's notation), or its stored sentence for those written before codes or with a code
 * this version does not know.
 */
function noticeText(
  n: { text: string; code: string | null; params: Record<string, string | number> | null },
  t: (key: string, params?: Record<string, string | number>) => string,
  formatDate: (value: string, options?: Intl.DateTimeFormatOptions) => string,
): string {
  if (!n.code) return n.text;
  const key = `notice.${n.code}`;
  const params = { ...(n.params ?? {}) };
  if (typeof params.due === "string" && /^\d{4}-\d{2}-\d{2}$/.test(params.due))
    params.due = formatDate(params.due, { dateStyle: "long" });
  const worded = t(key, params);
  return worded === key ? n.text : worded;
}
