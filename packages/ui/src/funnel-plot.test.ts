import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FunnelPlot, type FunnelPlotLimit, funnelValueRange } from "./funnel-plot.tsx";

const limits: FunnelPlotLimit[] = [
  { population: 1, lower95: 0, upper95: 100, lower998: 0, upper998: 100 },
  { population: 50, lower95: 10, upper95: 30, lower998: 5, upper998: 35 },
  { population: 400, lower95: 16, upper95: 24, lower998: 14, upper998: 26 },
];

describe("funnelValueRange", () => {
  it("covers the areas and the limits from half the smallest denominator, leaving out the funnel's mouth", () => {
    expect(funnelValueRange([{ value: 20, denominator: 100 }], limits, 20)).toEqual([3.5, 36.5]);
    const [lo, hi] = funnelValueRange([{ value: 40, denominator: 300 }], limits, 20);
    expect(lo).toBeLessThan(14);
    expect(hi).toBeGreaterThan(40);
    expect(hi).toBeLessThan(100);
  });
});

describe("FunnelPlot", () => {
  it("is one named image whose markers' shapes say above, within and below", () => {
    const html = renderToStaticMarkup(
      createElement(FunnelPlot, {
        title: "Excess weight",
        summary: "Trafford 21.9%, within the 95% limits",
        baseline: 20,
        limits,
        areas: [
          { key: "a", label: "Trafford", denominator: 200, value: 21.9, own: true, place: "within" },
          { key: "b", label: "Bury", denominator: 300, value: 27, own: false, place: "high-99.8" },
          { key: "c", label: "Stockport", denominator: 350, value: 13, own: false, place: "low-99.8" },
        ],
        xLabel: "Children measured",
        yLabel: "%",
        formatValue: (v) => v.toFixed(1),
        formatCount: (v) => String(v),
        labels: {
          baseline: "Average",
          limits95: "95% limits",
          limits998: "99.8% limits",
          own: "Trafford",
          others: "Other areas",
          above: "Above",
          below: "Below",
        },
      }),
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Excess weight. Trafford 21.9%, within the 95% limits"');
    // The own area is named on the plot; the others are in the table beside it.
    expect(html).toContain(">Trafford</text>");
    expect(html).not.toContain(">Bury</text>");
    // Four limit lines and a baseline, clipped to the plotting area.
    expect(html.match(/stroke="#6f777b"/g)?.length).toBeGreaterThanOrEqual(4);
    expect(html).toMatch(/<clipPath id="fs-funnel-/);
  });
});
