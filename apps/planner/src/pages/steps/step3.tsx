import { comparePeriods, trajectory } from "@fivestep/analytics";
import { planYears, priorityIndicatorSchemaFor, TRAJECTORY_SHAPES } from "@fivestep/domain";
import {
  Button,
  CheckboxInput,
  type Column,
  DataTable,
  Guidance,
  LineChart,
  SelectInput,
  StatusTag,
  TextInput,
  type Tone,
  useFieldArray,
  useI18n,
  useZodForm,
  ZodForm,
} from "@fivestep/ui";
import { z } from "zod";
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

/** The target form's values as typed: numbers as text (a decimal comma is welcome). */
interface TargetValues {
  baselinePeriod: string;
  baselineValue: string;
  tolerance: string;
  shape: (typeof TRAJECTORY_SHAPES)[number];
  stretch: boolean;
  milestones: Array<{ period: string; value: string; reason: string }>;
}

/** A typed number ("29,1" or "29.1"); NaN when empty, so the schema asks for one. */
const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s.replace(",", ".")));

/** The target to validate and save from what was typed: empty years left out. */
function fromForm(d: IndicatorItem["data"], v: TargetValues) {
  return {
    ...d,
    baselinePeriod: v.baselinePeriod || null,
    baselineValue: v.baselineValue.trim() === "" ? null : num(v.baselineValue),
    shape: v.shape,
    stretch: v.stretch,
    tolerance: num(v.tolerance),
    milestones: v.milestones
      .filter((r) => r.period || r.value)
      .map((r) => ({ period: r.period, value: num(r.value), reason: r.reason })),
  };
}

function TargetForm(props: StepProps & { item: IndicatorItem; analysis: Analysis }) {
  const { t } = useI18n();
  const rt = useRuleWords();
  const d = props.item.data;
  const { indicator } = props.analysis;
  const { startYear } = props.detail.plan;
  // The same rules item.save applies: the indicator's range, the plan's years, and in a refresh a
  // reason for each changed target; checked on the target the typed values make.
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
  const formSchema = z.preprocess((v) => fromForm(d, v as TargetValues), schema) as unknown as z.ZodType<
    z.output<typeof schema>,
    TargetValues
  >;
  const years = planYears(startYear);
  const form = useZodForm(
    formSchema,
    {
      baselinePeriod: d.baselinePeriod ?? props.analysis.latest?.period ?? "",
      baselineValue:
        d.baselineValue === null ? String(props.analysis.latest?.value ?? "") : String(d.baselineValue),
      tolerance: String(d.tolerance),
      shape: d.shape,
      stretch: d.stretch,
      milestones: d.milestones.length
        ? d.milestones.map((m) => ({ period: m.period, value: String(m.value), reason: m.reason }))
        : [{ period: "", value: "", reason: "" }],
    },
    rt,
  );
  const rows = useFieldArray({ control: form.control, name: "milestones" });
  const save = useSaveItem();
  // Fills the milestones between the baseline and the last target along the chosen shape.
  const fill = () => {
    const { baselineValue, milestones, shape } = form.getValues();
    const last = milestones.at(-1);
    const base = num(baselineValue);
    if (!last || Number.isNaN(base) || Number.isNaN(num(last.value))) return;
    const path = trajectory(base, num(last.value), milestones.length, shape);
    for (const [i] of milestones.entries())
      form.setValue(`milestones.${i}.value`, String(Math.round((path[i] ?? 0) * 100) / 100), {
        shouldDirty: true,
      });
  };
  return (
    <ZodForm
      form={form}
      className="fs-card"
      label={t("step3.formLabel", { code: d.indicatorCode })}
      heading={<h3>{t("step3.setTarget")}</h3>}
      errorsFrom={(e) => itemErrorsFrom(e, rt)}
      onSubmit={(data) =>
        save.mutateAsync({
          partnershipId: props.partnershipId,
          priorityId: props.detail.priority.id,
          id: props.item.id,
          version: props.item.version,
          item: { kind: "indicator", data },
        })
      }
    >
      <div className="fs-inline-form">
        <TextInput name="baselinePeriod" label={t("step3.baselinePeriod")} width="half" />
        <TextInput name="baselineValue" label={t("step3.baselineValue")} width="half" />
        <TextInput name="tolerance" label={t("step3.tolerance")} width="half" />
      </div>
      <fieldset>
        <legend>{t("step3.milestones")}</legend>
        <p className="fs-hint">{t("step3.milestonesHint")}</p>
        <p className="fs-hint">{t("step3.planYears", { from: years.from, to: years.to })}</p>
        {rows.fields.map((r, i) => (
          <div key={r.id} className="fs-inline-form" style={{ marginBottom: "0.75rem" }}>
            <TextInput
              name={`milestones.${i}.period`}
              label={t("step3.milestonePeriod", { n: i + 1 })}
              width="half"
            />
            <TextInput
              name={`milestones.${i}.value`}
              label={t("step3.milestoneValue", { n: i + 1 })}
              width="half"
            />
            <TextInput name={`milestones.${i}.reason`} label={t("step3.milestoneReason", { n: i + 1 })} />
          </div>
        ))}
        <div className="fs-button-group">
          <Button variant="secondary" onClick={() => rows.append({ period: "", value: "", reason: "" })}>
            {t("step3.addMilestone")}
          </Button>
          {rows.fields.length > 1 ? (
            <Button variant="secondary" onClick={() => rows.remove(rows.fields.length - 1)}>
              {t("step3.removeMilestone")}
            </Button>
          ) : null}
        </div>
      </fieldset>
      <SelectInput
        name="shape"
        label={t("step3.shape")}
        options={TRAJECTORY_SHAPES.map((s) => ({ value: s, label: t(`shape.${s}`) }))}
      />
      <Button variant="secondary" onClick={fill}>
        {t("step3.fill")}
      </Button>
      <CheckboxInput name="stretch" label={t("step3.stretchLabel")} />
      <Button type="submit" disabled={save.isPending}>
        {t("step3.save")}
      </Button>
      {save.isSuccess && !form.formState.isDirty ? <span role="status"> {t("common.saved")}</span> : null}
    </ZodForm>
  );
}
