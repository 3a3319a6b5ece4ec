import type { RouterOutputs } from "@fivestep/api";
import { QueryState, usePageTitle, useTRPC } from "@fivestep/client";
import {
  Button,
  EmptyState,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  Link,
  ruleTranslator,
  ScrollRegion,
  StatusTag,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

type Pending = RouterOutputs["monitoring"]["approvalQueue"][number];
type Approved = RouterOutputs["monitoring"]["approveReturns"];

/**
 * The lead's approval queue: the values contributors sent, by indicator (a schedule's returns
 * together), to approve into the data or send back with a reason — one, or several at once.
 * A value the lead sent themselves waits for another lead.
 */
export function ApprovalsPage(props: { partnershipId: number }) {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queue = useQuery(trpc.monitoring.approvalQueue.queryOptions({ partnershipId: props.partnershipId }));
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [reason, setReason] = useState("");
  const [revisionReason, setRevisionReason] = useState("");
  const [checked, setChecked] = useState<FieldErrors>({});
  const [done, setDone] = useState<
    { kind: "approved"; result: Approved } | { kind: "rejected"; count: number } | null
  >(null);
  const refresh = () => {
    setSelected(new Set());
    void queryClient.invalidateQueries({ queryKey: trpc.monitoring.approvalQueue.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.monitoring.dashboard.queryKey() });
  };
  const approve = useMutation(
    trpc.monitoring.approveReturns.mutationOptions({
      onSuccess: (result) => {
        setDone({ kind: "approved", result });
        setRevisionReason("");
        refresh();
      },
    }),
  );
  const reject = useMutation(
    trpc.monitoring.rejectReturns.mutationOptions({
      onSuccess: (result) => {
        setDone({ kind: "rejected", count: result.rejected.length });
        setReason("");
        refresh();
      },
    }),
  );
  usePageTitle(t("approvals.title"));

  if (!queue.isSuccess) return <QueryState query={queue} lines={6} />;
  const rows = queue.data;
  const n = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 4 }));
  const groups = [...new Set(rows.map((r) => r.indicator_code))].map((code) => ({
    code,
    rows: rows.filter((r) => r.indicator_code === code),
  }));
  const chosen = rows.filter((r) => selected.has(r.id));
  // A locked value being changed needs a reason, unless the contributor gave one.
  const needsReason = chosen.some(
    (r) => r.locked && r.approvedValue !== null && r.approvedValue !== r.value && !r.revision_reason,
  );
  const serverError = approve.error ?? reject.error;
  const errors: FieldErrors = serverError
    ? fieldErrorsFrom(serverError, ruleTranslator(t, { formatNumber, formatDate }))
    : checked;
  const summary = Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [k === "returns" || k === "value" ? "form" : k, v]),
  );
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const refs = chosen.map((r) => ({ id: r.id, version: r.version }));
  const onApprove = () => {
    approve.reset();
    reject.reset();
    setDone(null);
    if (refs.length === 0) return setChecked({ form: t("approvals.chooseFirst") });
    if (needsReason && revisionReason.trim() === "")
      return setChecked({ revisionReason: t("approvals.revisionReasonMissing") });
    setChecked({});
    approve.mutate({ partnershipId: props.partnershipId, returns: refs, revisionReason });
  };
  const onReject = () => {
    approve.reset();
    reject.reset();
    setDone(null);
    if (refs.length === 0) return setChecked({ form: t("approvals.chooseFirst") });
    if (reason.trim() === "") return setChecked({ reason: t("approvals.reasonMissing") });
    setChecked({});
    reject.mutate({ partnershipId: props.partnershipId, returns: refs, reason });
  };

  return (
    <>
      <p>
        <Link to={`/partnerships/${props.partnershipId}`}>{t("approvals.back")}</Link>
      </p>
      <h1>{t("approvals.title")}</h1>
      <p className="fs-lead">{t("approvals.lead")}</p>
      {done?.kind === "approved" ? (
        <div className="fs-notice fs-notice--success" role="status">
          <p>{t("approvals.approved", { count: done.result.approved.length })}</p>
          {done.result.changes.length > 0 ? (
            <ul>
              {done.result.changes.map((c) => (
                <li key={c.itemId}>
                  {t("approvals.statusChange", {
                    code: c.indicatorCode,
                    from: c.from ? t(`targetStatus.${c.from}`) : "–",
                    to: t(`targetStatus.${c.to}`),
                    period: c.period ?? "–",
                  })}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("approvals.noStatusChange")}</p>
          )}
        </div>
      ) : done?.kind === "rejected" ? (
        <div className="fs-notice fs-notice--success" role="status">
          <p>{t("approvals.rejected", { count: done.count })}</p>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={t("approvals.none")}>
          <p>{t("approvals.noneHint")}</p>
        </EmptyState>
      ) : (
        <form onSubmit={(e) => e.preventDefault()} noValidate aria-labelledby="approvals-form-title">
          <h2 id="approvals-form-title" className="fs-visually-hidden">
            {t("approvals.title")}
          </h2>
          <ErrorSummary title={t("form.errorTitle")} errors={summary} />
          {groups.map((g) => (
            <section key={g.code} aria-labelledby={`group-${g.code.replace(/\W/g, "-")}`}>
              <h2 id={`group-${g.code.replace(/\W/g, "-")}`}>
                {g.code} {g.rows[0]?.indicatorTitle ?? ""}
              </h2>
              <QueueTable
                rows={g.rows}
                selected={selected}
                onToggle={toggle}
                n={n}
                date={(d) => formatDate(d, { dateStyle: "medium" })}
              />
              <Button
                variant="secondary"
                onClick={() => {
                  const next = new Set(selected);
                  for (const r of g.rows) if (!r.mine) next.add(r.id);
                  setSelected(next);
                }}
              >
                {t("approvals.selectAll", { count: g.rows.filter((r) => !r.mine).length, code: g.code })}
              </Button>
            </section>
          ))}
          <h2>{t("approvals.decide", { count: chosen.length })}</h2>
          {needsReason ? (
            <TextField
              name="revisionReason"
              label={t("approvals.revisionReason")}
              hint={t("approvals.revisionReasonHint")}
              value={revisionReason}
              onChange={setRevisionReason}
              error={errors.revisionReason}
              multiline
            />
          ) : null}
          <div className="fs-button-group">
            <Button onClick={onApprove} disabled={approve.isPending || reject.isPending}>
              {t("approvals.approve", { count: chosen.length })}
            </Button>
          </div>
          <TextField
            name="reason"
            label={t("approvals.reason")}
            hint={t("approvals.reasonHint")}
            value={reason}
            onChange={setReason}
            error={errors.reason}
            multiline
          />
          <Button variant="warning" onClick={onReject} disabled={approve.isPending || reject.isPending}>
            {t("approvals.reject", { count: chosen.length })}
          </Button>
        </form>
      )}
    </>
  );
}

/** One indicator's pending values, each with a box to choose it. */
function QueueTable(props: {
  rows: Pending[];
  selected: ReadonlySet<number>;
  onToggle(id: number, on: boolean): void;
  n(v: number | null): string;
  date(d: string): string;
}) {
  const { t } = useI18n();
  const captionId = useId();
  return (
    <ScrollRegion labelledBy={captionId}>
      <table className="fs-table">
        <caption id={captionId} className="fs-visually-hidden">
          {t("approvals.tableCaption", { code: props.rows[0]?.indicator_code ?? "" })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("approvals.choose")}</th>
            <th scope="col">{t("approvals.period")}</th>
            <th scope="col" className="fs-num">
              {t("returns.valueSent")}
            </th>
            <th scope="col" className="fs-num">
              {t("returns.valueNow")}
            </th>
            <th scope="col">{t("approvals.sentBy")}</th>
            <th scope="col">{t("approvals.notes")}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const label = t("approvals.chooseRow", { code: r.indicator_code, period: r.period });
            return (
              <tr key={r.id}>
                <td>
                  {r.mine ? (
                    <span className="fs-caption">{t("approvals.mine")}</span>
                  ) : (
                    <input
                      type="checkbox"
                      className="fs-row-check"
                      style={{ width: "1.5rem", height: "1.5rem" }}
                      aria-label={label}
                      checked={props.selected.has(r.id)}
                      onChange={(e) => props.onToggle(r.id, e.target.checked)}
                    />
                  )}
                </td>
                <th scope="row">{r.period}</th>
                <td className="fs-num">{props.n(r.value)}</td>
                <td className="fs-num">{props.n(r.approvedValue)}</td>
                <td>
                  {r.submittedByName ?? "–"}
                  {r.submitted_at ? (
                    <span className="fs-caption"> ({props.date(r.submitted_at)})</span>
                  ) : null}
                </td>
                <td>
                  {r.locked ? <StatusTag tone="neutral" symbol="■" label={t("returns.locked")} /> : null}
                  {r.revision_reason ? (
                    <p>{t("approvals.theirReason", { reason: r.revision_reason })}</p>
                  ) : null}
                  {r.note ? <p>{r.note}</p> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
