import { errorMessageId, usePageTitle, useTRPC } from "@fivestep/client";
import { validRange } from "@fivestep/domain";
import { Button, ErrorPanel, fieldErrorsFrom, Link, Skeleton, StatusTag, useI18n } from "@fivestep/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { IndicatorForm, type IndicatorRecord } from "./indicator-form.tsx";
import { IndicatorHistory } from "./indicator-history.tsx";
import { PeriodLocks } from "./period-locks.tsx";

const NEXT_STATUS = { draft: ["active"], active: ["retired"], retired: ["active"] } as const;

/** One indicator: every piece of its metadata, its status, an edit form and its definition history. */
export function IndicatorPage(props: { code: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const indicator = useQuery(trpc.indicator.byCode.queryOptions({ code: props.code }));
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  usePageTitle(indicator.data?.title ?? props.code);

  if (indicator.isPending) return <Skeleton label={t("common.loading")} lines={8} />;
  if (indicator.isError) {
    return (
      <>
        <p>
          <Link to="/">{t("indicator.back")}</Link>
        </p>
        <ErrorPanel title={t("indicator.notFound")} message={t(errorMessageId(indicator.error))} />
      </>
    );
  }
  const i = indicator.data;
  return (
    <>
      <p>
        <Link to="/">{t("indicator.back")}</Link>
      </p>
      <p className="fs-caption">{i.code}</p>
      <h1>{i.title}</h1>
      <p>
        <StatusTag
          tone={i.status === "active" ? "good" : "neutral"}
          symbol={i.status === "active" ? "●" : "○"}
          label={t(`indicatorStatus.${i.status}`)}
        />{" "}
        <a href={`/indicators/${encodeURIComponent(i.code)}`}>{t("indicator.openInPlanner")}</a>
      </p>
      {saved ? (
        <div className="fs-notice fs-notice--success" role="status">
          <p>{t("common.saved")}</p>
        </div>
      ) : null}
      <StatusChange indicator={i} />
      <h2>{t("indicator.metadata")}</h2>
      {editing ? (
        <>
          <IndicatorForm
            key={i.code}
            existing={i}
            onSaved={() => {
              setEditing(false);
              setSaved(true);
            }}
          />
          <Button variant="secondary" onClick={() => setEditing(false)}>
            {t("common.cancel")}
          </Button>
        </>
      ) : (
        <>
          <Summary indicator={i} />
          <Button
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {t("indicator.edit")}
          </Button>
        </>
      )}
      <PeriodLocks code={i.code} />
      <h2>{t("history.title")}</h2>
      <IndicatorHistory code={i.code} />
    </>
  );
}

/** Every field as a GOV.UK-style summary list. */
function Summary(props: { indicator: IndicatorRecord }) {
  const { t, formatNumber, formatDate } = useI18n();
  const i = props.indicator;
  const dash = "–";
  const n = (v: number | null) => (v === null ? dash : formatNumber(v));
  const implied = validRange(i);
  const rows: Array<[string, string]> = [
    ["code", i.code],
    ["definition", i.definition || dash],
    ["rationale", i.rationale || dash],
    ["valueType", t(`valueType.${i.valueType}`)],
    ["multiplier", formatNumber(i.multiplier)],
    ["unit", i.unit || dash],
    ["decimalPlaces", formatNumber(i.decimalPlaces)],
    ["polarity", t(`polarity.${i.polarity}`)],
    [
      "targetBand",
      i.targetBand ? `${formatNumber(i.targetBand.low)} – ${formatNumber(i.targetBand.high)}` : dash,
    ],
    [
      "validRange",
      i.validMin === null && i.validMax === null
        ? t("indicator.impliedRange", { range: `${n(implied.min)} – ${n(implied.max)}` })
        : `${n(i.validMin)} – ${n(i.validMax)}`,
    ],
    ["numeratorDefinition", i.numeratorDefinition || dash],
    ["denominatorDefinition", i.denominatorDefinition || dash],
    ["ciMethod", t(`ciMethod.${i.ciMethod}`)],
    ["frequency", t(`frequency.${i.frequency}`)],
    ["periodType", i.periodType ? t(`periodType.${i.periodType}`) : dash],
    ["releaseLagDays", n(i.releaseLagDays)],
    ["source", i.source || dash],
    ["publisher", i.publisher || dash],
    ["caveats", i.caveats || dash],
    ["owner", i.owner || dash],
    ["themes", i.themes.join(", ") || dash],
    ["tags", i.tags.join(", ") || dash],
    ["sets", i.sets.join(", ") || dash],
    ["status", t(`indicatorStatus.${i.status}`)],
    ["yearIntroduced", i.yearIntroduced === null ? dash : String(i.yearIntroduced)],
    ["yearRetired", i.yearRetired === null ? dash : String(i.yearRetired)],
    [
      "derivation",
      i.derivation === null
        ? dash
        : i.derivation.kind === "ratio"
          ? t("indicator.derivedRatio", {
              numerator: i.derivation.numeratorOf,
              denominator: i.derivation.denominatorOf,
              multiplier: formatNumber(i.derivation.multiplier),
            })
          : t("indicator.derivedRolling", { of: i.derivation.of, window: i.derivation.window }),
    ],
    ["updatedAt", i.updatedAt ? formatDate(i.updatedAt, { dateStyle: "medium", timeStyle: "short" }) : dash],
  ];
  return (
    <dl className="fs-summary-list">
      {rows.map(([field, value]) => (
        <div key={field} style={{ display: "contents" }}>
          <dt>{t(`indicatorField.${field}`)}</dt>
          <dd style={{ whiteSpace: "pre-line" }}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Moves an indicator along draft → active → retired (and back from retired), against its version. */
function StatusChange(props: { indicator: IndicatorRecord }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const i = props.indicator;
  const setStatus = useMutation(
    trpc.indicator.setStatus.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries({ queryKey: [["indicator"]] }),
    }),
  );
  const error = setStatus.error
    ? setStatus.error.data?.code === "CONFLICT"
      ? t("indicator.statusConflict")
      : (Object.values(fieldErrorsFrom(setStatus.error))[0] ?? setStatus.error.message)
    : null;
  return (
    <section aria-labelledby="status-title" className="fs-section">
      <h2 id="status-title">{t("indicator.statusTitle")}</h2>
      <p>{t(`indicatorStatus.${i.status}Hint`)}</p>
      {error ? (
        <div className="fs-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      <div className="fs-button-group">
        {NEXT_STATUS[i.status].map((next) => (
          <Button
            key={next}
            variant={next === "retired" ? "warning" : "primary"}
            disabled={setStatus.isPending}
            onClick={() => setStatus.mutate({ code: i.code, version: i.version, status: next })}
          >
            {t(`indicator.to.${next}`)}
          </Button>
        ))}
      </div>
    </section>
  );
}
