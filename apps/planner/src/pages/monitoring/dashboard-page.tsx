import type { RouterOutputs } from "@fivestep/api";
import { QueryState, useMe, usePageTitle, useTRPC } from "@fivestep/client";
import { canSubmitReturns, scheduleReturnsSchemaFor } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  ruleTranslator,
  ScrollRegion,
  SelectField,
  StatusTag,
  TextField,
  useI18n,
  validate,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useRuleWords } from "../steps/shared.tsx";
import { STATUS_TONE } from "../steps/step3.tsx";

type Change = RouterOutputs["monitoring"]["dashboard"]["changes"][number];
type Due = RouterOutputs["monitoring"]["dashboard"]["due"][number];

/** The partnership dashboard: priorities × status at a glance, what changed since the last report, and returns due. */
export function DashboardPage(props: { partnershipId: number; planId: number }) {
  const { t, formatDate, formatNumber } = useI18n();
  const captionId = useId();
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const q = useQuery(
    trpc.monitoring.dashboard.queryOptions({ partnershipId: props.partnershipId, planId: props.planId }),
  );
  const issue = useMutation(
    trpc.monitoring.issue.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.dashboard.queryKey() }),
    }),
  );
  const isLead =
    me.data?.memberships.some((m) => m.partnershipId === props.partnershipId && m.role === "lead") ?? false;
  usePageTitle(t("dashboard.title"));
  if (!q.isSuccess) return <QueryState query={q} lines={8} />;
  const d = q.data;
  const base = `/partnerships/${props.partnershipId}/plans/${props.planId}`;
  const fmt = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 2 }));
  const changeColumns: Column<Change>[] = [
    { key: "indicator", header: t("overview.indicator"), cell: (c) => c.indicator_code, rowHeader: true },
    {
      key: "from",
      header: t("dashboard.from"),
      cell: (c) => (c.from_status ? t(`targetStatus.${c.from_status}`) : "–"),
    },
    {
      key: "to",
      header: t("dashboard.to"),
      cell: (c) => (
        <StatusTag tone={STATUS_TONE[c.to_status] ?? "neutral"} label={t(`targetStatus.${c.to_status}`)} />
      ),
    },
    {
      key: "value",
      header: t("dashboard.value"),
      cell: (c) => `${fmt(c.actual)} (${c.period ?? "–"})`,
      numeric: true,
    },
    { key: "cause", header: t("dashboard.cause"), cell: (c) => c.cause },
    {
      key: "at",
      header: t("dashboard.when"),
      cell: (c) => formatDate(c.at, { dateStyle: "medium", timeStyle: "short" }),
    },
  ];
  const dueColumns: Column<Due>[] = [
    {
      key: "indicator",
      header: t("overview.indicator"),
      cell: (r) => `${r.indicatorCode} ${r.period}`,
      rowHeader: true,
    },
    {
      key: "due",
      header: t("returns.due"),
      cell: (r) => (
        <>
          {r.dueDate}{" "}
          {r.dueDate < new Date().toISOString().slice(0, 10) ? (
            <strong className="fs-field-error">{t("returns.late")}</strong>
          ) : null}
        </>
      ),
    },
    { key: "who", header: t("returns.assignee"), cell: (r) => r.assignee },
  ];
  return (
    <>
      <p>
        <Link to={base}>{t("overview.back")}</Link>
      </p>
      <h1>{t("dashboard.title")}</h1>
      <p className="fs-lead">
        {d.plan.title} · {d.plan.periodLabel}
      </p>
      <p>
        <Link to={`${base}/report`}>{t("dashboard.reportLink")}</Link>
      </p>
      <h2>{t("dashboard.grid")}</h2>
      <ScrollRegion labelledBy={captionId}>
        <table className="fs-table">
          <caption id={captionId} className="fs-visually-hidden">
            {t("dashboard.grid")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("overview.priority")}</th>
              <th scope="col">{t("dashboard.targets")}</th>
            </tr>
          </thead>
          <tbody>
            {d.grid.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.title}</th>
                <td>
                  {p.statuses.length === 0
                    ? t("dashboard.noTargets")
                    : p.statuses.map((s) => (
                        <span key={s.code} style={{ marginRight: "0.75rem", display: "inline-block" }}>
                          {s.code}{" "}
                          <StatusTag
                            tone={STATUS_TONE[s.status] ?? "neutral"}
                            label={t(`targetStatus.${s.status}`)}
                          />
                        </span>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h2>
        {d.since
          ? t("dashboard.changedSince", { date: formatDate(d.since, { dateStyle: "long" }) })
          : t("dashboard.changedEver")}
      </h2>
      <DataTable
        caption={t("dashboard.changesCaption")}
        captionHidden
        columns={changeColumns}
        rows={d.changes}
        rowKey={(c) => String(c.id)}
        empty={t("dashboard.noChanges")}
      />
      {isLead ? (
        <Button
          variant="secondary"
          onClick={() =>
            issue.mutate({ partnershipId: props.partnershipId, planId: props.planId, audience: "board" })
          }
          disabled={issue.isPending}
        >
          {t("dashboard.markIssued")}
        </Button>
      ) : null}
      {issue.isSuccess ? <p role="status">{t("dashboard.issued")}</p> : null}
      {issue.error ? <IssueRefusal error={issue.error} reportLink={`${base}/report`} /> : null}
      <h2>{t("dashboard.awaitingTitle")}</h2>
      <p>
        {d.awaitingApproval > 0
          ? t("dashboard.awaiting", { count: d.awaitingApproval })
          : t("dashboard.noneAwaiting")}
      </p>
      {isLead && d.awaitingApproval > 0 ? (
        <p>
          <Link to={`/partnerships/${props.partnershipId}/approvals`}>{t("dashboard.openApprovals")}</Link>
        </p>
      ) : null}
      <h2>{t("dashboard.returnsDue")}</h2>
      <DataTable
        caption={t("dashboard.returnsDue")}
        captionHidden
        columns={dueColumns}
        rows={d.due}
        rowKey={(r) => String(r.id)}
        empty={t("dashboard.noReturns")}
      />
      {isLead ? <ScheduleReturns partnershipId={props.partnershipId} /> : null}
    </>
  );
}

/**
 * Why the board report could not be marked issued: the exceptions still without the owner's
 * commentary (the server's reasons, in the reader's language), and where to write it.
 */
function IssueRefusal(props: { error: unknown; reportLink: string }) {
  const { t } = useI18n();
  const errors = fieldErrorsFrom(props.error, useRuleWords());
  const exceptions = Object.entries(errors).filter(([field]) => field.startsWith("exceptions."));
  return (
    <div className="fs-error-summary" role="alert" aria-labelledby="issue-refusal">
      <h2 id="issue-refusal">{t("form.errorTitle")}</h2>
      <p>{errors.audience ?? errors.form ?? Object.values(errors)[0]}</p>
      {exceptions.length > 0 ? (
        <ul>
          {exceptions.map(([field, text]) => (
            <li key={field}>{text}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <Link to={props.reportLink}>{t("dashboard.writeCommentary")}</Link>
      </p>
    </div>
  );
}

/** Leads schedule data returns for a local indicator: who owes a value for which period, by when. */
function ScheduleReturns(props: { partnershipId: number }) {
  const { t, formatNumber, formatDate } = useI18n();
  // Broken rules worded with their numbers and dates in the reader's notation.
  const tr = ruleTranslator(t, { formatNumber, formatDate });
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const catalogue = useQuery(trpc.indicator.list.queryOptions());
  const partnership = useQuery(trpc.partnership.byId.queryOptions({ partnershipId: props.partnershipId }));
  const [indicatorCode, setCode] = useState("");
  const [assignee, setAssignee] = useState("");
  const [lines, setLines] = useState("");
  const schedule = useMutation(
    trpc.monitoring.scheduleReturns.mutationOptions({
      onSuccess: () => {
        setLines("");
        void queryClient.invalidateQueries({ queryKey: trpc.monitoring.dashboard.queryKey() });
      },
    }),
  );
  const [checked, setChecked] = useState<FieldErrors>({});
  // A return's own problem ("returns.1.dueDate") is shown at the periods' field.
  const byField = (found: FieldErrors): FieldErrors => {
    const out: FieldErrors = {};
    for (const [key, text] of Object.entries(found))
      out[key.startsWith("returns.") ? "returns" : key] ??= text;
    return out;
  };
  const errors = schedule.error ? byField(fieldErrorsFrom(schedule.error, tr)) : checked;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    schedule.reset();
    // One return per line: "period, due date", e.g. "2008 Q1, 2008-06-30".
    const returns = lines
      .split(/\n/)
      .map((l) => l.split(",").map((x) => x.trim()))
      .filter((p) => p[0])
      .map(([period, dueDate]) => ({ period: period ?? "", dueDate: dueDate ?? "" }));
    const input = { indicatorCode, assigneeUserId: Number(assignee), returns };
    // The same rules as the server: every due date today or later.
    const found = byField(
      validate(scheduleReturnsSchemaFor(new Date().toISOString().slice(0, 10)), input, tr),
    );
    setChecked(found);
    if (Object.keys(found).length > 0) return;
    schedule.mutate({ partnershipId: props.partnershipId, ...input });
  };
  return (
    <form onSubmit={submit} noValidate className="fs-card fs-narrow" aria-labelledby="schedule-title">
      <h3 id="schedule-title">{t("returns.schedule")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={errors} />
      <SelectField
        name="indicatorCode"
        label={t("overview.indicator")}
        value={indicatorCode}
        onChange={setCode}
        error={errors.indicatorCode}
        options={[
          { value: "", label: t("step1.chooseIndicator") },
          ...(catalogue.data ?? []).map((i) => ({ value: i.code, label: `${i.code} ${i.title}` })),
        ]}
      />
      <SelectField
        name="assigneeUserId"
        label={t("returns.assignee")}
        value={assignee}
        onChange={setAssignee}
        error={errors.assigneeUserId}
        hint={t("returns.assigneeHint")}
        options={[
          { value: "", label: t("returns.choosePerson") },
          ...(partnership.data?.members ?? [])
            .filter((m) => canSubmitReturns(m.role))
            .map((m) => ({ value: String(m.userId), label: m.displayName })),
        ]}
      />
      <TextField
        name="returns"
        label={t("returns.periods")}
        hint={t("returns.periodsHint")}
        value={lines}
        onChange={setLines}
        error={errors.returns}
        multiline
      />
      <Button type="submit" disabled={schedule.isPending || !indicatorCode || !assignee}>
        {t("returns.schedule")}
      </Button>
      {schedule.isSuccess ? (
        <span role="status"> {t("returns.scheduled", { count: schedule.data.ids.length })}</span>
      ) : null}
    </form>
  );
}
