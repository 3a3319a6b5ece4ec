import type { RouterOutputs } from "@fivestep/api";
import { type Column, DataTable, Link, useI18n } from "@fivestep/ui";
import { useEffect, useRef } from "react";

type Committed = Extract<RouterOutputs["imports"]["commit"], { ok: true }>["result"];
type Found = Committed["indicators"][number];

/** What a commit wrote: counts, the batch, and a link to each indicator's page in the planner. */
export function ImportResult(props: { result: Committed }) {
  const { t, formatNumber } = useI18n();
  const r = props.result;
  const heading = useRef<HTMLHeadingElement>(null);
  // Move focus to the outcome, so keyboard and screen-reader users hear it at once.
  useEffect(() => heading.current?.focus(), []);
  const columns: Column<Found>[] = [
    {
      key: "code",
      header: t("catalogue.code"),
      cell: (f) => (
        <a href={`/indicators/${encodeURIComponent(f.code)}`}>
          {t("result.openInPlanner", { code: f.code })}
        </a>
      ),
      rowHeader: true,
    },
    { key: "rows", header: t("check.rows"), cell: (f) => formatNumber(f.rows), numeric: true },
    { key: "from", header: t("check.firstPeriod"), cell: (f) => f.firstPeriod },
    { key: "to", header: t("check.lastPeriod"), cell: (f) => f.lastPeriod },
  ];
  return (
    <section aria-labelledby="result-title" className="fs-notice fs-notice--success">
      <h2 id="result-title" style={{ marginTop: 0 }} tabIndex={-1} ref={heading}>
        {r.batchId === null
          ? t("result.nothingChanged")
          : r.pending
            ? t("result.heldTitle", { batch: r.batchId })
            : t("result.title", { batch: r.batchId })}
      </h2>
      {r.pending ? <p>{t("result.heldHint")}</p> : null}
      <dl className="fs-summary-list">
        <dt>{r.pending ? t("review.wouldInsert") : t("result.inserted")}</dt>
        <dd>{formatNumber(r.inserted)}</dd>
        <dt>{r.pending ? t("review.wouldUpdate") : t("result.updated")}</dt>
        <dd>{formatNumber(r.updated)}</dd>
        <dt>{t("result.unchanged")}</dt>
        <dd>{formatNumber(r.unchanged)}</dd>
        <dt>{t("check.skipped")}</dt>
        <dd>{formatNumber(r.skipped)}</dd>
        {r.filtered > 0 ? (
          <>
            <dt>{t("check.filtered")}</dt>
            <dd>{formatNumber(r.filtered)}</dd>
          </>
        ) : null}
        <dt>{t("check.rejected")}</dt>
        <dd>{formatNumber(r.rejected)}</dd>
      </dl>
      <DataTable
        caption={t("result.indicators")}
        columns={columns}
        rows={r.indicators}
        rowKey={(f) => f.code}
        empty={t("check.noIndicators")}
      />
      {r.batchId !== null ? (
        <p>
          <Link to={`/batches/${r.batchId}`}>
            {r.pending
              ? t("result.seeHeld", { batch: r.batchId })
              : t("result.seeBatch", { batch: r.batchId })}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
