import { describe, expect, it } from "vitest";
import { localRuleParams, ruleTranslator } from "./rule-words.ts";

const croatian = {
  formatNumber: (n: number, o?: Intl.NumberFormatOptions) => new Intl.NumberFormat("hr-HR", o).format(n),
  formatDate: (d: string | Date, o?: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat("hr-HR", o).format(typeof d === "string" ? new Date(d) : d),
};

describe("words of broken rules", () => {
  it("write a rule's numbers and dates in the reader's notation, and leave other text alone", () => {
    expect(
      localRuleParams(
        { value: 12_000.5, before: 74.5, step: 3, period: "2009 Q4", due: "2009-03-31", indicator: "NI 151" },
        croatian,
      ),
    ).toEqual({
      value: "12.000,5",
      before: "74,5",
      step: "3",
      period: "2009 Q4",
      due: new Intl.DateTimeFormat("hr-HR", { dateStyle: "medium", timeZone: "UTC" }).format(
        new Date("2009-03-31"),
      ),
      indicator: "NI 151",
    });
  });

  it("give a translator that words rule messages so, and every other message as it was", () => {
    const calls: Array<[string, unknown]> = [];
    const t = ruleTranslator((id, values) => {
      calls.push([id, values]);
      return id;
    }, croatian);
    t("rule.target.reasonNeeded", { period: "2009 Q4", before: 74.5, after: 74.2 });
    t("plan.revisionLine", { n: 2008 });
    expect(calls).toEqual([
      ["rule.target.reasonNeeded", { period: "2009 Q4", before: "74,5", after: "74,2" }],
      ["plan.revisionLine", { n: 2008 }],
    ]);
  });
});
