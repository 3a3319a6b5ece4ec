import type { Polarity } from "@fivestep/domain";

/** A judged direction of travel. @example const d: Direction = "improving"; */
export type Direction = "improving" | "worsening" | "no-change" | "increasing" | "decreasing";

/**
 * The direction of travel from the previous value to the latest, judged by polarity: for
 * "no-judgement" indicators it says only "increasing" or "decreasing".
 *
 * @example
 * directionOfTravel(73, 72.4, "high-is-good") // "worsening"
 * directionOfTravel(17.4, 17.5, "no-judgement") // "increasing"
 */
export function directionOfTravel(previous: number, latest: number, polarity: Polarity): Direction {
  if (!Number.isFinite(previous) || !Number.isFinite(latest)) {
    throw new RangeError(`directionOfTravel: previous and latest must be finite numbers`);
  }
  if (latest === previous) return "no-change";
  const up = latest > previous;
  if (polarity === "no-judgement") return up ? "increasing" : "decreasing";
  return up === (polarity === "high-is-good") ? "improving" : "worsening";
}
