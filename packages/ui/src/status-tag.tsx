/** The judgement a tag conveys; each tone has a shape as well as a colour. */
export type Tone = "good" | "bad" | "neutral" | "higher" | "lower";

const SYMBOL: Record<Tone, string> = { good: "▲", bad: "▼", neutral: "●", higher: "▲", lower: "▼" };

/**
 * A short judgement in words with a symbol and colour ("improving", "worse than England").
 * Where there is no judgement (polarity unknown) use "higher"/"lower", drawn in blue and orange.
 *
 * @example <StatusTag tone="bad" label="Worsening" />
 */
export function StatusTag(props: { tone: Tone; label: string; symbol?: string }) {
  return (
    <span className={`fs-tag fs-tag--${props.tone}`}>
      <span aria-hidden="true">{props.symbol ?? SYMBOL[props.tone]}</span> {props.label}
    </span>
  );
}
