import type { RouterOutputs } from "@fivestep/api";
import { useTRPC } from "@fivestep/client";
import {
  Button,
  type Column,
  ConfirmDialog,
  DataTable,
  ErrorSummary,
  type FieldErrors,
  fieldErrorsFrom,
  ruleTranslator,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

type Batch = RouterOutputs["imports"]["batch"];
type Held = NonNullable<Batch["held"]>["values"][number];
type Approved = RouterOutputs["imports"]["approveBatch"];

/**
 * A held import batch, for the administrator who reviews it: what it would write (each value
 * beside the one stored now), then approve it into the data or reject it with a reason (after a
 * confirmation). The administrator who sent it may only withdraw it (reject); another must approve.
 * `onDecided` is called once it is approved or rejected (the page keeps showing the outcome).
 */
export function BatchReview(props: { batch: Batch; onDecided(): void }) {
  const { t, formatNumber, formatDate } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const b = props.batch;
  const [reason, setReason] = useState("");
  const [revisionReason, setRevisionReason] = useState("");
  const [checked, setChecked] = useState<FieldErrors>({});
  const [confirmingReject, setConfirmingReject] = useState(false);
  const [approved, setApproved] = useState<Approved | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [["imports"]] });
  const approve = useMutation(
    trpc.imports.approveBatch.mutationOptions({
      onSuccess: (r) => {
        setApproved(r);
        props.onDecided();
      },
      onSettled: refresh,
    }),
  );
  const reject = useMutation(
    trpc.imports.rejectBatch.mutationOptions({
      onSuccess: () => props.onDecided(),
      onSettled: () => {
        setConfirmingReject(false);
        refresh();
      },
    }),
  );
  // Focus the outcome once a decision is made, so it is heard at once.
  useEffect(() => {
    if (approved || reject.isSuccess) outcome.current?.focus();
  }, [approved, reject.isSuccess]);

  const serverError = approve.error ?? reject.error;
  const errors: FieldErrors = serverError
    ? serverError.data?.code === "CONFLICT"
      ? { form: t("batches.conflict") }
      : fieldErrorsFrom(serverError, ruleTranslator(t, { formatNumber, formatDate }))
    : checked;
  const summary = Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [k === "batchId" ? "form" : k, v]),
  );
  const n = (v: number | null) => (v === null ? "–" : formatNumber(v, { maximumFractionDigits: 4 }));
  const columns: Column<Held>[] = [
    {
      key: "what",
      header: t("revisions.value"),
      cell: (r) =>
        `${r.indicatorCode}, ${r.areaName} (${r.areaCode}), ${r.period}${r.breakdown ? `, ${r.breakdown}` : ""}`,
      rowHeader: true,
    },
    { key: "now", header: t("review.now"), cell: (r) => n(r.current), numeric: true },
    { key: "new", header: t("review.new"), cell: (r) => n(r.value), numeric: true },
    {
      key: "kind",
      header: t("review.kind"),
      cell: (r) => (r.kind === "new" ? t("review.kindNew") : t("review.kindChanged")),
    },
  ];

  if (approved) {
    return (
      <div className="fs-notice fs-notice--success" role="status" tabIndex={-1} ref={outcome}>
        <p>
          {t("review.approved", {
            inserted: formatNumber(approved.inserted),
            updated: formatNumber(approved.updated),
          })}
        </p>
        {approved.changes.length > 0 ? (
          <ul>
            {approved.changes.map((c) => (
              <li key={c.itemId}>
                {t("review.statusChange", {
                  code: c.indicatorCode,
                  from: c.from ? t(`targetStatus.${c.from}`) : "–",
                  to: t(`targetStatus.${c.to}`),
                })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("review.noStatusChange")}</p>
        )}
      </div>
    );
  }
  if (reject.isSuccess) {
    return (
      <div className="fs-notice fs-notice--success" role="status" tabIndex={-1} ref={outcome}>
        <p>{t("review.rejected")}</p>
      </div>
    );
  }
  const held = b.held;
  return (
    <section aria-labelledby="review-title" className="fs-section">
      <h2 id="review-title">{t("review.title")}</h2>
      <p>{t("review.lead")}</p>
      {held ? (
        <>
          <p>
            {t("review.counts", {
              total: held.total,
              inserted: b.inserted,
              updated: b.updated,
            })}
          </p>
          <ul>
            {held.byIndicator.map((i) => (
              <li key={i.code}>{t("review.perIndicator", { code: i.code, rows: i.rows })}</li>
            ))}
          </ul>
          <DataTable
            caption={
              held.total > held.values.length
                ? t("review.captionFirst", {
                    shown: formatNumber(held.values.length),
                    total: formatNumber(held.total),
                  })
                : t("review.caption", { total: held.total })
            }
            columns={columns}
            rows={held.values}
            rowKey={(r) => `${r.indicatorCode}|${r.areaCode}|${r.period}|${r.breakdown}`}
            empty={t("review.empty")}
          />
        </>
      ) : null}
      {b.revisionReason ? (
        <p>
          <strong>{t("review.reasonGiven")}</strong> {b.revisionReason}
        </p>
      ) : null}
      <form onSubmit={(e) => e.preventDefault()} noValidate aria-labelledby="decide-title">
        <h3 id="decide-title">{t("review.decide")}</h3>
        <ErrorSummary title={t("form.errorTitle")} errors={summary} />
        {b.mine ? (
          <p className="fs-notice">{t("review.mine")}</p>
        ) : (
          <>
            <TextField
              name="revisionReason"
              label={t("review.revisionReason")}
              hint={t("review.revisionReasonHint")}
              value={revisionReason}
              onChange={setRevisionReason}
              error={errors.revisionReason}
              multiline
            />
            <div className="fs-button-group">
              <Button
                disabled={approve.isPending || reject.isPending}
                onClick={() => {
                  reject.reset();
                  setChecked({});
                  approve.mutate({ batchId: b.id, version: b.version, revisionReason });
                }}
              >
                {t("review.approve")}
              </Button>
            </div>
          </>
        )}
        <TextField
          name="reason"
          label={t("review.reason")}
          hint={b.mine ? t("review.withdrawHint") : t("review.reasonHint")}
          value={reason}
          onChange={setReason}
          error={errors.reason}
          multiline
        />
        <div className="fs-button-group">
          <Button
            variant="warning"
            disabled={approve.isPending || reject.isPending}
            onClick={() => {
              approve.reset();
              if (reason.trim() === "") return setChecked({ reason: t("review.reasonMissing") });
              setChecked({});
              setConfirmingReject(true);
            }}
          >
            {b.mine ? t("review.withdraw") : t("review.reject")}
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirmingReject}
        title={t("review.rejectConfirm", { id: b.id })}
        confirmLabel={b.mine ? t("review.withdraw") : t("review.reject")}
        cancelLabel={t("common.cancel")}
        busy={reject.isPending}
        onCancel={() => setConfirmingReject(false)}
        onConfirm={() => reject.mutate({ batchId: b.id, version: b.version, reason })}
      >
        <p>{t("review.rejectHint", { total: held?.total ?? 0 })}</p>
      </ConfirmDialog>
    </section>
  );
}
