import type { RouterOutputs } from "@fivestep/api";
import { type I18n, StatusTag, type Tone, useI18n } from "@fivestep/ui";

/** The one trend verdict every page shows (step 1, the indicator page, the profile, the overview, the report). */
export type Trend = RouterOutputs["priority"]["analysis"]["trend"];

const TONE: Record<Trend["marker"], Tone> = {
  increasing: "higher",
  decreasing: "lower",
  "no-significant-change": "neutral",
  "cannot-be-calculated": "neutral",
};

/**
 * The verdict in words: "Increasing (getting worse)", "No significant change". The same words
 * whichever test gave it.
 *
 * @example trendLabel(t, { marker: "decreasing", judgement: "getting-better", … }) // "Decreasing (getting better)"
 */
export function trendLabel(t: I18n["t"], trend: Trend): string {
  const verdict = t(`trend.${trend.marker}`);
  return trend.judgement ? `${verdict} (${t(`trend.${trend.judgement}`)})` : verdict;
}

/**
 * How the verdict was reached, in plain words: the test, how many values it read and its p-value,
 * or why there is no verdict.
 *
 * @example trendMethod(t, formatNumber, trend) // "Mann–Kendall test over 12 values, p = 0.043"
 */
export function trendMethod(t: I18n["t"], formatNumber: I18n["formatNumber"], trend: Trend): string {
  if (trend.method === null) return t("trend.reason.too-few-points", { points: trend.points });
  const p =
    trend.p === null
      ? "–"
      : trend.p < 0.001
        ? t("trend.pBelow", { p: formatNumber(0.001) })
        : t("trend.p", { p: formatNumber(trend.p, { maximumFractionDigits: 3 }) });
  const method = t(`trend.method.${trend.method}`, { points: trend.points, p });
  return trend.reason === "outlier-found" ? `${method}; ${t("trend.reason.outlier-found")}` : method;
}

/**
 * The trend as a tag (symbol, colour and words; the judgement's tone when the indicator has a
 * polarity) followed by how it was reached.
 *
 * @example <TrendVerdict trend={analysis.trend} />
 */
export function TrendVerdict(props: { trend: Trend }) {
  const { t, formatNumber } = useI18n();
  const { trend } = props;
  const tone: Tone =
    trend.judgement === "getting-better"
      ? "good"
      : trend.judgement === "getting-worse"
        ? "bad"
        : TONE[trend.marker];
  return (
    <span className="fs-trend" data-trend={trend.marker}>
      <StatusTag tone={tone} label={trendLabel(t, trend)} /> {trendMethod(t, formatNumber, trend)}
    </span>
  );
}
