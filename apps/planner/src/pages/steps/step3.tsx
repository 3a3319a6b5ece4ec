import { comparePeriods, trajectory } from "@fivestep/analytics";
import { planYears, priorityIndicatorSchemaFor, TRAJECTORY_SHAPES } from "@fivestep/domain";
import {
  Button,
  CheckboxField,
  type Column,
  DataTable,
  ErrorSummary,
  type FieldErrors,
  Guidance,
  LineChart,
  SelectField,
  StatusTag,
  TextField,
  type Tone,
  useI18n,
  useUnsavedChangesWarning,
  validate,
} from "@fivestep/ui";
import { type FormEvent, useState } from "react";
import type { Analysis } from "./indicator-analysis.tsx";
import { WithAnalysis } from "./indicator-analysis.tsx";
import { itemErrorsFrom, itemsOf, type StepProps, useRuleWords, useSaveItem } from "./shared.tsx";

type IndicatorItem = ReturnType<typeof itemsOf<"indicator">>[number];

/** The status of a target in words, with shape and colour. */
export const STATUS_TONE: Record<string, Tone> = {
  "on-track": "good",
  "at-risk": "neutral",
  "off-track": "bad",
  "no-data": "neutral",
};

/** Step 3, "Where are we trying to reach?": baseline, the target trajectory, the "do nothing" forecast and whether the target is realistic. */
export function Step3(props: StepProps) {
  const { t } = useI18n();
  const indicators = itemsOf(props.detail, "indicator");
  return (
    <>
      <Guidance summary={t("guidance.summary")}>
        <ul>
          <li>{t("step3.prompt1")}</li>
          <li>{t("step3.prompt2")}</li>
          <li>{t("step3.prompt3")}</li>
        </ul>
      </Guidance>
      {indicators.length === 0 ? <p>{t("step3.empty")}</p> : null}
      {indicators.map((item) => (
        <section key={item.id} className="fs-section" aria-labelledby={`target-${item.id}`}>
          <WithAnalysis partnershipId={props.partnershipId} itemId={item.id}>
            {(a) => (
              <>
                <h2 id={`target-${item.id}`}>
                  {a.indicator.code} {a.indicator.title}
                </h2>
                <TargetView analysis={a} />
                {props.canEdit ? <TargetForm {...props} item={item} analysis={a} /> : null}
              </>
            )}
          </WithAnalysis>
        </section>
      ))}
    </>
  );
}

function TargetView(props: { analysis: Analysis }) {
  const { t, formatNumber } = useI18n();
  const a = props.analysis;
  const fmt = (v: number | null | undefined) =>
    v == null ? "–" : formatNumber(v, { maximumFractionDigits: 2 });
  const own = a.series.find((s) => s.areaCode === a.context.area.code)?.points ?? [];
  const milestones = a.target.milestones;
  const forecast = a.target.forecast.filter((f) => !f.period.startsWith("+"));
  const periods = [
    ...new Set([
      ...own.map((p) => p.period),
      ...(a.target.baselinePeriod ? [a.target.baselinePeriod] : []),
      ...milestones.map((m) => m.period),
    ]),
  ].sort(comparePeriods);
  const trajectoryAt = (p: string) =>
    p === a.target.baselinePeriod
      ? a.target.baselineValue
      : (milestones.find((m) => m.period === p)?.value ?? null);
  const rows = periods.map((p) => ({
    period: p,
    actual: own.find((x) => x.period === p)?.value ?? null,
    target: trajectoryAt(p),
    forecast: forecast.find((f) => f.period === p) ?? null,
  }));
  const columns: Column<(typeof rows)[number]>[] = [
    { key: "period", header: t("table.period"), cell: (r) => r.period, rowHeader: true },
    { key: "actual", header: t("step3.actual"), cell: (r) => fmt(r.actual), numeric: true },
    { key: "target", header: t("step3.trajectory"), cell: (r) => fmt(r.target), numeric: true },
    {
      key: "forecast",
      header: t("step3.forecast"),
      cell: (r) =>
        r.forecast ? `${fmt(r.forecast.value)} (${fmt(r.forecast.lower)}–${fmt(r.forecast.upper)})` : "–",
      numeric: true,
    },
  ];
  const realism = a.target.realism;
  return (
    <>
      <dl className="fs-summary-list">
        <dt>{t("step3.baseline")}</dt>
        <dd>
          {a.target.baselinePeriod
            ? `${fmt(a.target.baselineValue)} (${a.target.baselinePeriod})`
            : t("step3.noBaseline")}
        </dd>
        <dt>{t("step3.status")}</dt>
        <dd>
          <StatusTag
            tone={STATUS_TONE[a.target.status] ?? "neutral"}
            label={t(`targetStatus.${a.target.status}`)}
          />{" "}
          {a.target.expected !== null && a.latest
            ? t("step3.statusDetail", {
                actual: fmt(a.latest.value),
                expected: fmt(a.target.expected),
                period: a.latest.period,
              })
            : ""}
        </dd>
        <dt>{t("step3.realism")}</dt>
        <dd>
          {realism ? (
            <>
              <strong>{t(`realism.${realism.rating}`)}</strong>
              <ul>
                {realism.reasonCodes.map((r) => (
                  <li key={r.code}>{t(`realismReason.${r.code}`, r.params)}</li>
                ))}
              </ul>
            </>
          ) : (
            t("step3.noRealism")
          )}
        </dd>
        {a.target.stretch ? (
          <>
            <dt>{t("step3.stretch")}</dt>
            <dd>{t("common.yes")}</dd>
          </>
        ) : null}
      </dl>
      <LineChart
        title={t("step3.chartTitle", { title: a.indicator.title })}
        summary={t("step3.chartSummary", {
          rating: realism ? t(`realism.${realism.rating}`) : "–",
          status: t(`targetStatus.${a.target.status}`),
        })}
        categories={periods}
        yLabel={a.indicator.unit}
        formatValue={(v) => formatNumber(v, { maximumFractionDigits: 1 })}
        series={[
          {
            name: `${a.context.area.name} (${t("step3.actual")})`,
            values: rows.map((r) => ({ value: r.actual })),
          },
          { name: t("step3.trajectory"), dashed: true, values: rows.map((r) => ({ value: r.target })) },
          {
            name: t("step3.forecastBand"),
            band: true,
            values: rows.map((r) => ({
              value: r.forecast?.value ?? null,
              lower: r.forecast?.lower ?? null,
              upper: r.forecast?.upper ?? null,
            })),
          },
        ]}
      />
      <DataTable
        caption={t("step3.tableCaption", { title: a.indicator.title })}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.period}
        empty={t("analysis.noData")}
      />
    </>
  );
}

type MilestoneRow = { period: string; value: string; reason: string };

function TargetForm(props: StepProps & { item: IndicatorItem; analysis: Analysis }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const d = props.item.data;
  const { indicator } = props.analysis;
  const { startYear } = props.detail.plan;
  // The same rules item.save applies: the indicator's range, the plan's years, and in a refresh a
  // reason for each changed target.
  const schema = priorityIndicatorSchemaFor({
    indicator: {
      code: indicator.code,
      valueType: indicator.valueType,
      validMin: indicator.validMin,
      validMax: indicator.validMax,
    },
    startYear,
    previousMilestones:
      props.detail.previousTargets.find((p) => p.itemId === props.item.id)?.milestones ?? null,
  });
  const years = planYears(startYear);
  const [baselinePeriod, setBaselinePeriod] = useState(
    d.baselinePeriod ?? props.analysis.latest?.period ?? "",
  );
  const [baselineValue, setBaselineValue] = useState(
    d.baselineValue === null ? String(props.analysis.latest?.value ?? "") : String(d.baselineValue),
  );
  const [shape, setShape] = useState<string>(d.shape);
  const [stretch, setStretch] = useState(d.stretch);
  const [tolerance, setTolerance] = useState(String(d.tolerance));
  const [rows, setRows] = useState<MilestoneRow[]>(
    d.milestones.length
      ? d.milestones.map((m) => ({ period: m.period, value: String(m.value), reason: m.reason }))
      : [{ period: "", value: "", reason: "" }],
  );
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const save = useSaveItem();
  const [dirty, setDirty] = useState(false);
  useUnsavedChangesWarning(dirty);
  const update = (i: number, patch: Partial<MilestoneRow>) => {
    setDirty(true);
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s.replace(",", ".")));
  // Fills the milestones between the baseline and the last target along the chosen shape.
  const fill = () => {
    const last = rows.at(-1);
    const base = num(baselineValue);
    if (!last || Number.isNaN(base) || Number.isNaN(num(last.value)) || rows.length < 1) return;
    const path = trajectory(base, num(last.value), rows.length, shape as (typeof TRAJECTORY_SHAPES)[number]);
    setRows(rows.map((r, i) => ({ ...r, value: String(Math.round((path[i] ?? 0) * 100) / 100) })));
    setDirty(true);
  };
  const errors = Object.keys(clientErrors).length
    ? clientErrors
    : save.error
      ? itemErrorsFrom(save.error, rt)
      : {};
  // The error summary links each message to its input.
  const inputName = (key: string) => {
    const m = /^milestones\.(\d+)\.(period|value|reason)$/.exec(key);
    if (m) return `m-${m[2]}-${props.item.id}-${m[1]}`;
    // A message about a year as a whole, or about the years together: its (first) period.
    const year = /^milestones(?:\.(\d+))?$/.exec(key);
    if (year) return `m-period-${props.item.id}-${year[1] ?? 0}`;
    return ["baselinePeriod", "baselineValue", "tolerance", "shape", "stretch"].includes(key)
      ? `${key}-${props.item.id}`
      : key;
  };
  const summary = Object.fromEntries(Object.entries(errors).map(([k, v]) => [inputName(k), v]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const data = {
      ...d,
      baselinePeriod: baselinePeriod || null,
      baselineValue: baselineValue.trim() === "" ? null : num(baselineValue),
      shape,
      stretch,
      tolerance: num(tolerance),
      milestones: rows
        .filter((r) => r.period || r.value)
        .map((r) => ({ period: r.period, value: num(r.value), reason: r.reason })),
    };
    const found = validate(schema, data, rt);
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      {
        partnershipId: props.partnershipId,
        priorityId: props.detail.priority.id,
        id: props.item.id,
        version: props.item.version,
        item: { kind: "indicator", data: schema.parse(data) },
      },
      { onSuccess: () => setDirty(false) },
    );
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      className="fs-card"
      aria-label={t("step3.formLabel", { code: d.indicatorCode })}
    >
      <h3>{t("step3.setTarget")}</h3>
      <ErrorSummary title={t("form.errorTitle")} errors={summary} />
      <div className="fs-inline-form">
        <TextField
          name={`baselinePeriod-${props.item.id}`}
          label={t("step3.baselinePeriod")}
          value={baselinePeriod}
          onChange={(v) => (setDirty(true), setBaselinePeriod(v))}
          error={errors.baselinePeriod}
          width="half"
        />
        <TextField
          name={`baselineValue-${props.item.id}`}
          label={t("step3.baselineValue")}
          value={baselineValue}
          onChange={(v) => (setDirty(true), setBaselineValue(v))}
          error={errors.baselineValue}
          width="half"
        />
        <TextField
          name={`tolerance-${props.item.id}`}
          label={t("step3.tolerance")}
          value={tolerance}
          onChange={(v) => (setDirty(true), setTolerance(v))}
          error={errors.tolerance}
          width="half"
        />
      </div>
      <fieldset>
        <legend>{t("step3.milestones")}</legend>
        <p className="fs-hint">{t("step3.milestonesHint")}</p>
        <p className="fs-hint">{t("step3.planYears", { from: years.from, to: years.to })}</p>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their position is their identity
          <div key={i} className="fs-inline-form" style={{ marginBottom: "0.75rem" }}>
            <TextField
              name={`m-period-${props.item.id}-${i}`}
              label={t("step3.milestonePeriod", { n: i + 1 })}
              value={r.period}
              onChange={(v) => update(i, { period: v })}
              error={errors[`milestones.${i}.period`]}
              width="half"
            />
            <TextField
              name={`m-value-${props.item.id}-${i}`}
              label={t("step3.milestoneValue", { n: i + 1 })}
              value={r.value}
              onChange={(v) => update(i, { value: v })}
              error={errors[`milestones.${i}.value`]}
              width="half"
            />
            <TextField
              name={`m-reason-${props.item.id}-${i}`}
              label={t("step3.milestoneReason", { n: i + 1 })}
              value={r.reason}
              onChange={(v) => update(i, { reason: v })}
              error={errors[`milestones.${i}.reason`]}
            />
          </div>
        ))}
        <div className="fs-button-group">
          <Button
            variant="secondary"
            onClick={() => setRows([...rows, { period: "", value: "", reason: "" }])}
          >
            {t("step3.addMilestone")}
          </Button>
          {rows.length > 1 ? (
            <Button variant="secondary" onClick={() => setRows(rows.slice(0, -1))}>
              {t("step3.removeMilestone")}
            </Button>
          ) : null}
        </div>
      </fieldset>
      <SelectField
        name={`shape-${props.item.id}`}
        label={t("step3.shape")}
        value={shape}
        onChange={setShape}
        options={TRAJECTORY_SHAPES.map((s) => ({ value: s, label: t(`shape.${s}`) }))}
      />
      <Button variant="secondary" onClick={fill}>
        {t("step3.fill")}
      </Button>
      <CheckboxField
        name={`stretch-${props.item.id}`}
        label={t("step3.stretchLabel")}
        checked={stretch}
        onChange={(v) => (setDirty(true), setStretch(v))}
      />
      <Button type="submit" disabled={save.isPending}>
        {t("step3.save")}
      </Button>
      {save.isSuccess && !dirty ? <span role="status"> {t("common.saved")}</span> : null}
    </form>
  );
}
