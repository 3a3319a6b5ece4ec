import type { RouterOutputs } from "@fivestep/api";
import { errorMessageId, QueryState, useMe, useTRPC } from "@fivestep/client";
import { isPublishable } from "@fivestep/domain";
import {
  Button,
  type Column,
  DataTable,
  ErrorPanel,
  Link,
  ProgressBar,
  StatusTag,
  TextField,
  useI18n,
} from "@fivestep/ui";
import { useIsFetching, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { BenchmarkTag, IndicatorSeries, WithAnalysis } from "../steps/indicator-analysis.tsx";
import { STATUS_TONE } from "../steps/step3.tsx";
import { trendLabel } from "../trend-verdict.tsx";

type Report = RouterOutputs["monitoring"]["report"];
type Exception = Report["exceptions"][number];
type Pack = "full" | "board" | "operational";

/** The performance report: exceptions first with commentary, then each priority; packs per audience; print, PDF, CSV and XLSX. */
export function ReportPage(props: { partnershipId: number; planId: number }) {
  const { t, formatDate, locale } = useI18n();
  const trpc = useTRPC();
  const me = useMe();
  const q = useQuery(
    trpc.monitoring.report.queryOptions({ partnershipId: props.partnershipId, planId: props.planId }),
  );
  const search = new URLSearchParams(window.location.search);
  const printing = search.get("print") === "1";
  // The audience comes with the address, so the PDF of a pack is rendered as that pack.
  const [pack, setPack] = useState<Pack>(() => {
    const asked = search.get("pack");
    return asked === "board" || asked === "operational" ? asked : "full";
  });
  const fetching = useIsFetching();
  useEffect(() => {
    document.title = `${t("report.title")} – ${q.data?.plan.title ?? ""}`;
  }, [q.data, t]);
  if (!q.isSuccess) return <QueryState query={q} lines={10} />;
  const r = q.data;
  const role = me.data?.memberships.find((m) => m.partnershipId === props.partnershipId)?.role ?? null;
  const canComment = role === "lead" || role === "editor";
  const base = `/partnerships/${props.partnershipId}/plans/${props.planId}`;
  const exports = `/api/reports/${props.partnershipId}/${props.planId}`;
  return (
    <div className="fs-report" data-report-ready={fetching === 0 ? "" : undefined}>
      {!printing ? (
        <div className="fs-no-print">
          <p>
            <Link to={base}>{t("overview.back")}</Link>
          </p>
          <fieldset className="fs-button-group">
            <legend className="fs-visually-hidden">{t("report.packs")}</legend>
            {(["full", "board", "operational"] as const).map((p) => (
              <Button
                key={p}
                variant={pack === p ? "primary" : "secondary"}
                aria-pressed={pack === p}
                onClick={() => setPack(p)}
              >
                {t(`report.pack.${p}`)}
              </Button>
            ))}
          </fieldset>
          <p className="fs-button-group">
            <Button variant="secondary" onClick={() => window.print()}>
              {t("report.print")}
            </Button>
            <a href={`${exports}.csv?pack=${pack}&lang=${locale}`}>{t("report.csv")}</a>
            <a href={`${exports}.xlsx?pack=${pack}&lang=${locale}`}>{t("report.xlsx")}</a>
            <Link to={`${base}/dashboard`}>{t("report.dashboard")}</Link>
          </p>
          <ExportAsJob partnershipId={props.partnershipId} planId={props.planId} pack={pack} lang={locale} />
          {r.plan.published ? (
            <>
              <p className="fs-button-group">
                <span>{t("report.publicPack")}</span>
                <a href={`${exports}.csv?pack=public&lang=${locale}`}>{t("report.csv")}</a>
                <a href={`${exports}.xlsx?pack=public&lang=${locale}`}>{t("report.xlsx")}</a>
              </p>
              <ExportAsJob
                partnershipId={props.partnershipId}
                planId={props.planId}
                pack="public"
                lang={locale}
              />
            </>
          ) : null}
          {role === "lead" ? (
            <PublishToggle partnershipId={props.partnershipId} planId={props.planId} />
          ) : null}
        </div>
      ) : null}
      <h1>{t(`report.heading.${pack}`)}</h1>
      <p className="fs-lead">
        {r.plan.title} · {r.plan.periodLabel} ·{" "}
        {t("report.generated", {
          date: formatDate(r.generatedAt, { dateStyle: "long", timeStyle: "short" }),
        })}
      </p>
      <ul className="fs-grid" aria-label={t("overview.counts")} style={{ listStyle: "none", padding: 0 }}>
        {(["on-track", "at-risk", "off-track", "no-data"] as const).map((s) => (
          <li key={s} className="fs-card">
            <StatusTag tone={STATUS_TONE[s] ?? "neutral"} label={t(`targetStatus.${s}`)} />
            <p style={{ fontSize: "1.8rem", margin: 0 }}>{r.counts[s]}</p>
          </li>
        ))}
      </ul>
      <h2>{t("report.exceptions")}</h2>
      {r.exceptions.length === 0 ? <p>{t("report.noExceptions")}</p> : null}
      {r.exceptions.map((e) => (
        <ExceptionBlock
          key={e.itemId}
          e={e}
          partnershipId={props.partnershipId}
          canComment={canComment && !printing}
        />
      ))}
      {pack === "operational" ? <Operational report={r} /> : null}
      {pack === "full" || pack === "board"
        ? r.priorities.map((p) => (
            <section key={p.id} className="fs-report-priority" aria-labelledby={`rp-${p.id}`}>
              <h2 id={`rp-${p.id}`}>{p.title}</h2>
              <p className="fs-caption">
                {p.theme} · {t("plan.owner", { owner: p.owner })}
              </p>
              <IndicatorTable report={r} priorityId={p.id} />
              {pack === "full"
                ? p.indicators.map((i) => (
                    <div key={i.itemId} className="fs-report-indicator">
                      <WithAnalysis partnershipId={props.partnershipId} itemId={i.itemId}>
                        {(a) => (
                          <>
                            <h3>
                              {a.indicator.code} {a.indicator.title}
                            </h3>
                            <IndicatorSeries analysis={a} />
                          </>
                        )}
                      </WithAnalysis>
                    </div>
                  ))
                : null}
              {pack === "full" ? <ActionsTable actions={p.actions} /> : null}
            </section>
          ))
        : null}
    </div>
  );
}

function IndicatorTable(props: { report: Report; priorityId: number }) {
  const { t, formatNumber } = useI18n();
  const p = props.report.priorities.find((x) => x.id === props.priorityId);
  type Row = NonNullable<typeof p>["indicators"][number];
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const columns: Column<Row>[] = [
    {
      key: "indicator",
      header: t("overview.indicator"),
      cell: (i) => `${i.code} ${i.title}`,
      rowHeader: true,
    },
    {
      key: "latest",
      header: t("overview.latest"),
      cell: (i) => (i.latest ? `${fmt(i.latest.value)} (${i.latest.period})` : "–"),
      numeric: true,
    },
    { key: "expected", header: t("overview.expected"), cell: (i) => fmt(i.expected), numeric: true },
    {
      key: "status",
      header: t("overview.status"),
      cell: (i) => (
        <StatusTag tone={STATUS_TONE[i.status] ?? "neutral"} label={t(`targetStatus.${i.status}`)} />
      ),
    },
    {
      key: "trend",
      header: t("overview.trend"),
      cell: (i) => trendLabel(t, i.trend),
    },
    {
      key: "benchmark",
      header: t("overview.benchmark"),
      cell: (i) => <BenchmarkTag value={i.benchmark.region} against="" />,
    },
  ];
  return (
    <DataTable
      caption={t("report.indicatorsOf", { title: p?.title ?? "" })}
      captionHidden
      columns={columns}
      rows={p?.indicators ?? []}
      rowKey={(i) => String(i.itemId)}
      empty={t("report.noIndicators")}
    />
  );
}

function ActionsTable(props: { actions: Report["priorities"][number]["actions"] }) {
  const { t } = useI18n();
  type A = (typeof props.actions)[number];
  const columns: Column<A>[] = [
    { key: "what", header: t("step5.what"), cell: (a) => a.what, rowHeader: true },
    {
      key: "lead",
      header: t("step5.lead"),
      cell: (a) => [a.lead, a.organisation].filter(Boolean).join(", "),
    },
    { key: "due", header: t("step5.due"), cell: (a) => a.dueDate ?? "–" },
    { key: "status", header: t("step5.status"), cell: (a) => t(`actionStatus.${a.status}`) },
    {
      key: "progress",
      header: t("step5.progress"),
      cell: (a) =>
        a.lastUpdate ? `${a.percentComplete ?? 0}% · ${a.lastUpdate.date}: ${a.lastUpdate.note}` : "–",
    },
  ];
  return (
    <>
      <h3>{t("report.actions")}</h3>
      <DataTable
        caption={t("report.actions")}
        captionHidden
        columns={columns}
        rows={props.actions}
        rowKey={(a) => String(a.id)}
        empty={t("step5.noActions")}
      />
    </>
  );
}

function Operational(props: { report: Report }) {
  const { t } = useI18n();
  const actions = props.report.priorities.flatMap((p) => p.actions.map((a) => ({ ...a, priority: p.title })));
  type A = (typeof actions)[number];
  const columns: Column<A>[] = [
    { key: "what", header: t("step5.what"), cell: (a) => a.what, rowHeader: true },
    { key: "priority", header: t("overview.priority"), cell: (a) => a.priority },
    { key: "lead", header: t("step5.lead"), cell: (a) => a.lead },
    { key: "due", header: t("step5.due"), cell: (a) => a.dueDate ?? "–" },
    { key: "status", header: t("step5.status"), cell: (a) => t(`actionStatus.${a.status}`) },
    {
      key: "progress",
      header: t("step5.progress"),
      cell: (a) => (a.percentComplete === null ? "–" : `${a.percentComplete}%`),
    },
  ];
  const sorted = [...actions].sort((a, b) => (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999"));
  return (
    <>
      <h2>{t("report.operationalActions")}</h2>
      <DataTable
        caption={t("report.operationalActions")}
        captionHidden
        columns={columns}
        rows={sorted}
        rowKey={(a) => String(a.id)}
        empty={t("step5.noActions")}
      />
    </>
  );
}

function ExceptionBlock(props: { e: Exception; partnershipId: number; canComment: boolean }) {
  const { t, formatNumber } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState(props.e.commentary?.text ?? "");
  const save = useMutation(
    trpc.monitoring.saveCommentary.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.report.queryKey() }),
    }),
  );
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const period = props.e.latest?.period ?? "";
  return (
    <article className="fs-card" style={{ marginBottom: "1rem" }}>
      <h3>
        {props.e.code} {props.e.title}{" "}
        <StatusTag
          tone={STATUS_TONE[props.e.status] ?? "neutral"}
          label={t(`targetStatus.${props.e.status}`)}
        />
      </h3>
      <p>
        {t("report.exceptionLine", {
          priority: props.e.priority,
          owner: props.e.owner,
          actual: fmt(props.e.latest?.value),
          period,
          expected: fmt(props.e.expected),
        })}
      </p>
      <p>
        <strong>{t("report.commentary")}</strong>{" "}
        {props.e.commentary?.text ?? <em>{t("report.commentaryMissing")}</em>}
      </p>
      {props.canComment && period ? (
        <form
          onSubmit={(ev: FormEvent) => {
            ev.preventDefault();
            save.mutate({ partnershipId: props.partnershipId, itemId: props.e.itemId, period, text });
          }}
          className="fs-no-print"
        >
          <TextField
            name={`commentary-${props.e.itemId}`}
            label={t("report.commentaryLabel", { code: props.e.code })}
            value={text}
            onChange={setText}
            error={save.error?.message}
            multiline
          />
          <Button type="submit" variant="secondary" disabled={save.isPending}>
            {t("report.saveCommentary")}
          </Button>
        </form>
      ) : null}
    </article>
  );
}

function PublishToggle(props: { partnershipId: number; planId: number }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const plan = useQuery(
    trpc.plan.byId.queryOptions({ partnershipId: props.partnershipId, planId: props.planId }),
  );
  const [published, setPublished] = useState<boolean | null>(null);
  const toggle = useMutation(
    trpc.monitoring.setPublished.mutationOptions({
      onSuccess: (p) => {
        setPublished(p.published);
        void queryClient.invalidateQueries({ queryKey: trpc.plan.byId.queryKey() });
        // The report offers the public pack's downloads once the plan is published.
        void queryClient.invalidateQueries({ queryKey: trpc.monitoring.report.queryKey() });
      },
    }),
  );
  if (!plan.data) return null;
  const isPublished = published ?? plan.data.plan.published;
  return (
    <p className="fs-notice">
      {isPublished ? (
        <>
          {t("report.publicOn")} <Link to={`/public/plans/${props.planId}`}>
            {t("report.publicLink")}
          </Link>{" "}
        </>
      ) : (
        `${t("report.publicOff")} `
      )}
      {!isPublished && !isPublishable(plan.data.plan.status) ? (
        t("report.publishNeedsAgreement")
      ) : (
        <Button
          variant="secondary"
          onClick={() =>
            toggle.mutate({
              partnershipId: props.partnershipId,
              planId: props.planId,
              version: plan.data.plan.version,
              published: !isPublished,
            })
          }
          disabled={toggle.isPending}
        >
          {isPublished ? t("report.unpublish") : t("report.publish")}
        </Button>
      )}
      {toggle.error ? <span className="fs-field-error"> {toggle.error.message}</span> : null}
    </p>
  );
}

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

/** The formats a pack is prepared in as a job: the public pack as a PDF only. */
const JOB_FORMATS = { pdf: "report.pdfJob", xlsx: "report.exportJob" } as const;

/** A failed export's coded reason, in words when the page knows the code (else the server's text). */
function failureText(t: (id: string) => string, job: { error: string | null; result?: unknown }): string {
  const code = (job.result as { code?: unknown } | null)?.code;
  return code === "report.pdfUnavailable" ? t("report.pdfUnavailable") : (job.error ?? "");
}

/**
 * Prepares the chosen pack as a PDF (printed by the server's browser) or a spreadsheet, as a job
 * on the server: a button starts it, a progress bar follows it, and once written its file is
 * offered for a day (a large plan's export does not hold a request open, and any instance can
 * hand the file out).
 */
function ExportAsJob(props: {
  partnershipId: number;
  planId: number;
  pack: Pack | "public";
  lang: "en-GB" | "hr-HR";
}) {
  const { t, formatDate } = useI18n();
  const trpc = useTRPC();
  const [jobId, setJobId] = useState<number | null>(null);
  const start = useMutation(
    trpc.monitoring.startExport.mutationOptions({ onSuccess: (r) => setJobId(r.jobId) }),
  );
  const job = useQuery(
    trpc.jobs.get.queryOptions(
      { jobId: jobId ?? 0 },
      {
        enabled: jobId !== null,
        refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.state) ? false : 500),
        staleTime: 0,
      },
    ),
  );
  const j = jobId !== null ? job.data : undefined;
  const result = j?.state === "succeeded" ? (j.result as { fileName: string; expiresAt: string }) : null;
  const formats = props.pack === "public" ? (["pdf"] as const) : (["pdf", "xlsx"] as const);
  return (
    <div className="fs-export-job">
      <p className="fs-button-group">
        {formats.map((format) => (
          <Button
            key={format}
            variant="secondary"
            disabled={start.isPending || (j !== undefined && !FINISHED.has(j.state))}
            onClick={() => {
              setJobId(null);
              start.mutate({
                partnershipId: props.partnershipId,
                planId: props.planId,
                pack: props.pack,
                format,
                lang: props.lang,
              });
            }}
          >
            {props.pack === "public" ? t("report.pdfJobPublic") : t(JOB_FORMATS[format])}
          </Button>
        ))}
      </p>
      {start.isError ? (
        <ErrorPanel title={t("common.errorTitle")} message={t(errorMessageId(start.error))} />
      ) : null}
      {j && !FINISHED.has(j.state) ? (
        <ProgressBar
          label={t("report.exportPreparing")}
          value={j.progress.done}
          {...(j.progress.total !== null ? { max: j.progress.total } : {})}
        />
      ) : null}
      <div aria-live="polite">
        {result ? (
          <p>
            <a href={`/api/report-exports/${j?.id}`}>{t("report.exportReady", { name: result.fileName })}</a>{" "}
            {t("report.exportExpires", {
              date: formatDate(result.expiresAt, { dateStyle: "medium", timeStyle: "short" }),
            })}
          </p>
        ) : null}
        {j?.state === "failed" ? (
          <ErrorPanel title={t("report.exportFailed")} message={failureText(t, j)} />
        ) : null}
      </div>
    </div>
  );
}
