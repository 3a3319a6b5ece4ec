import { join } from "node:path";
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  AUDIENCES,
  EVIDENCE_KINDS,
  EVIDENCE_STRENGTHS,
  OPTION_DECISIONS,
  PLAN_STATUSES,
  POLARITIES,
  ROLES,
  STEP_STATUSES,
  TRAJECTORY_SHAPES,
  WHERE_SCOPES,
} from "@fivestep/domain";
import { PASSWORD_SUGGESTIONS, PASSWORD_WARNINGS } from "@fivestep/domain/password-strength";
import { describeCatalogues } from "@fivestep/ui/testing";
import { describe, expect, it } from "vitest";
import { catalogues } from "./index.ts";

describeCatalogues("planner translations", catalogues, join(import.meta.dirname, ".."));

describe("planner translations by prefix", () => {
  it("has a message for every value the screens name by prefix", () => {
    const dynamic: Record<string, readonly string[]> = {
      actionKind: ACTION_KINDS,
      actionStatus: ACTION_STATUSES,
      audience: AUDIENCES,
      evidenceKind: EVIDENCE_KINDS,
      strength: EVIDENCE_STRENGTHS,
      decision: OPTION_DECISIONS,
      planStatus: PLAN_STATUSES,
      planMove: PLAN_STATUSES,
      polarity: POLARITIES,
      passwordWarning: PASSWORD_WARNINGS,
      passwordSuggestion: PASSWORD_SUGGESTIONS,
      role: ROLES,
      stepStatus: STEP_STATUSES,
      shape: TRAJECTORY_SHAPES,
      scope: WHERE_SCOPES,
      targetStatus: ["on-track", "at-risk", "off-track", "no-data"],
      trend: [
        "increasing",
        "decreasing",
        "no-significant-change",
        "cannot-be-calculated",
        "getting-better",
        "getting-worse",
      ],
      benchmark: ["better", "similar", "worse", "higher", "lower", "not-compared"],
      realism: ["realistic", "stretching", "unrealistic"],
      "analysis.whyNot": ["no-data", "no-benchmark-area", "no-benchmark-value", "no-interval"],
      "analysis.rankWhyNot": ["no-group", "no-data", "too-few"],
      "funnel.whyNot": ["not-proportion", "no-group", "no-data", "no-counts", "too-few-areas"],
      "funnel.place": ["high-99.8", "high-95", "within", "low-95", "low-99.8"],
      "analysis.intervalMethod": ["publisher", "wilson", "byars", "exact"],
      "trend.method": ["chi-square-for-trend", "mann-kendall"],
      "trend.reason": ["too-few-points", "outlier-found"],
      warning: ["off-track-without-action", "action-without-indicator", "unrealistic-target", "stale-data"],
      frequency: ["monthly", "quarterly", "six-monthly", "annual"],
      "trend.change": ["up", "down", "same"],
      "spine.judgement": ["better", "similar", "worse", "higher", "lower", "not-compared"],
      step1: ["title"],
      step2: ["title"],
      step3: ["title"],
      step4: ["title"],
      step5: ["title"],
    };
    const missing = Object.entries(dynamic).flatMap(([prefix, values]) =>
      values.map((v) => `${prefix}.${v}`).filter((id) => !(id in catalogues["en-GB"])),
    );
    expect(missing).toEqual([]);
  });
});

describe("the server's reasons, worded by the catalogue", () => {
  it("gives a target's realism reasons in en-GB exactly as the analysis writes them, and in hr-HR without English", async () => {
    const { targetRealism } = await import("@fivestep/analytics");
    const { formatMessage } = await import("@fivestep/ui");
    const cases = [
      { history: [70.1, 70.4, 70.2, 70.9, 71.0], target: 75.5, steps: 3, peers: [[60, 62, 64, 66, 68]] },
      { history: [29.1, 29.4, 29.2], target: 34, steps: 2 },
      {
        history: [5.2, 5.0, 4.7, 4.4, 4.1, 3.9],
        target: 4.5,
        steps: 4,
        peers: [
          [6, 5.8],
          [7, 6.1, 5.5],
        ],
      },
      { history: [41], target: 41, steps: 1 },
      { history: [], baseline: 12, target: 10, steps: 1 },
    ];
    for (const input of cases) {
      const r = targetRealism(input);
      expect(r.reasonCodes.length).toBe(r.reasons.length);
      const en = r.reasonCodes.map((c) =>
        formatMessage("en-GB", catalogues["en-GB"][`realismReason.${c.code}`] ?? c.code, c.params),
      );
      expect(en).toEqual(r.reasons);
      for (const c of r.reasonCodes) {
        const hr = formatMessage("hr-HR", catalogues["hr-HR"][`realismReason.${c.code}`] ?? c.code, c.params);
        expect(hr).not.toMatch(/\{|\b(the|area|period|target)\b/);
      }
    }
  });
});
