import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holtForecast, linearForecast } from "./forecast.ts";

describe("linearForecast", () => {
  it("follows the OLS prediction interval, checked by hand", () => {
    // y = [10, 12, 13, 15, 16] on t = 0…4: t̄ = 2, Sxx = 10, Sxy = 15 → slope 1.5, intercept 10.2;
    // residuals −0.2, 0.3, −0.2, 0.3, −0.2 → RSS 0.3, s = √0.1; t(0.975, 3) = 3.182446305284263.
    const f = linearForecast([10, 12, 13, 15, 16], 2);
    expect(f.slope).toBeCloseTo(1.5, 12);
    expect(f.intercept).toBeCloseTo(10.2, 12);
    expect(f.residualSd).toBeCloseTo(Math.sqrt(0.1), 12);
    const half1 = 3.182446305284263 * Math.sqrt(0.1) * Math.sqrt(1 + 1 / 5 + 9 / 10);
    expect(f[0]!.step).toBe(1);
    expect(f[0]!.value).toBeCloseTo(17.7, 12);
    expect(f[0]!.upper - f[0]!.value).toBeCloseTo(half1, 9);
    const half2 = 3.182446305284263 * Math.sqrt(0.1) * Math.sqrt(1 + 1 / 5 + 16 / 10);
    expect(f[1]!.value).toBeCloseTo(19.2, 12);
    expect(f[1]!.value - f[1]!.lower).toBeCloseTo(half2, 9);
  });

  it("continues an exact line with no uncertainty", () => {
    const f = linearForecast([3, 5, 7], 3);
    expect(f.map((s) => [s.value, s.lower, s.upper])).toEqual([
      [9, 9, 9],
      [11, 11, 11],
      [13, 13, 13],
    ]);
  });

  it("widens with the horizon and with confidence", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 3, maxLength: 30 }),
        (values) => {
          const f95 = linearForecast(values, 4);
          const f80 = linearForecast(values, 4, { confidence: 0.8 });
          for (let h = 0; h < 4; h++) {
            const s = f95[h]!;
            expect(s.lower).toBeLessThanOrEqual(s.value);
            expect(s.value).toBeLessThanOrEqual(s.upper);
            expect(s.upper - s.lower).toBeGreaterThanOrEqual(f80[h]!.upper - f80[h]!.lower - 1e-9);
            if (h > 0)
              expect(s.upper - s.lower).toBeGreaterThanOrEqual(f95[h - 1]!.upper - f95[h - 1]!.lower - 1e-9);
          }
        },
      ),
    );
  });

  it("refuses fewer than 3 values and bad horizons", () => {
    expect(() => linearForecast([1, 2], 1)).toThrow(/values/);
    expect(() => linearForecast([1, 2, Number.NaN], 1)).toThrow(/values/);
    expect(() => linearForecast([1, 2, 3], -1)).toThrow(/horizon/);
    expect(() => linearForecast([1, 2, 3], 1, { confidence: 0 })).toThrow(/confidence/);
    expect(linearForecast([1, 2, 3], 0)).toHaveLength(0);
  });
});

describe("holtForecast", () => {
  it("matches the closed form for alpha = beta = 1 (level = last value, trend = last change)", () => {
    // One-step errors from the third point are the second differences: y = [1, 3, 4, 8, 9]
    // → 4 − 5 = −1, 8 − 5 = 3, 9 − 12 = −3; σ² = (1 + 9 + 9)/3. Forecast 9 + h·1.
    const f = holtForecast([1, 3, 4, 8, 9], 3, { alpha: 1, beta: 1 });
    const sigma2 = 19 / 3;
    expect(f.sigma2).toBeCloseTo(sigma2, 12);
    expect(f.map((s) => s.value)).toEqual([10, 11, 12]);
    // Var(h) = σ²(1 + Σⱼ₌₁ʰ⁻¹ (1 + j)²): h = 1 → 1, h = 2 → 1 + 4, h = 3 → 1 + 4 + 9.
    const z = 1.959963984540054;
    [1, 5, 14].forEach((k, i) => {
      expect(f[i]!.upper - f[i]!.value).toBeCloseTo(z * Math.sqrt(sigma2 * k), 9);
    });
  });

  it("matches a hand-run recursion for fixed parameters", () => {
    // α = 0.5, β = 0.5 on [2, 4, 5]: l₀ = 2, b₀ = 2; t = 1: ŷ = 4, l = 4, b = 2;
    // t = 2: ŷ = 6, e = −1, l = 0.5·5 + 0.5·6 = 5.5, b = 0.5·1.5 + 0.5·2 = 1.75.
    const f = holtForecast([2, 4, 5], 2, { alpha: 0.5, beta: 0.5 });
    expect(f.level).toBeCloseTo(5.5, 12);
    expect(f.trend).toBeCloseTo(1.75, 12);
    expect(f.sigma2).toBeCloseTo(1, 12);
    expect(f[0]!.value).toBeCloseTo(7.25, 12);
    expect(f[1]!.value).toBeCloseTo(9, 12);
    expect(f.alpha).toBe(0.5);
    expect(f.beta).toBe(0.5);
  });

  it("continues an exact line with no uncertainty", () => {
    const f = holtForecast([5, 7, 9, 11, 13], 2);
    expect(f.map((s) => [s.value, s.lower, s.upper])).toEqual([
      [15, 15, 15],
      [17, 17, 17],
    ]);
  });

  it("chooses alpha and beta that no grid point beats", () => {
    const values = [12, 14, 13, 17, 18, 17.5, 21, 22, 21, 25, 26.5, 26];
    const fitted = holtForecast(values, 1);
    expect(fitted.alpha).toBeGreaterThanOrEqual(0);
    expect(fitted.alpha).toBeLessThanOrEqual(1);
    expect(fitted.beta).toBeGreaterThanOrEqual(0);
    expect(fitted.beta).toBeLessThanOrEqual(1);
    for (let a = 0; a <= 1.0001; a += 0.02) {
      for (let b = 0; b <= 1.0001; b += 0.02) {
        const other = holtForecast(values, 1, { alpha: Math.min(a, 1), beta: Math.min(b, 1) });
        expect(fitted.sigma2).toBeLessThanOrEqual(other.sigma2 + 1e-12);
      }
    }
    const onlyBeta = holtForecast(values, 1, { alpha: 0.3 });
    expect(onlyBeta.alpha).toBe(0.3);
  });

  it("keeps lower ≤ value ≤ upper and widens with the horizon", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 3, maxLength: 25 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, alpha, beta) => {
          const f = holtForecast(values, 5, { alpha, beta });
          f.forEach((s, i) => {
            expect(s.lower).toBeLessThanOrEqual(s.value);
            expect(s.value).toBeLessThanOrEqual(s.upper);
            if (i > 0)
              expect(s.upper - s.lower).toBeGreaterThanOrEqual(f[i - 1]!.upper - f[i - 1]!.lower - 1e-9);
          });
        },
      ),
    );
  });

  it("refuses bad parameters", () => {
    expect(() => holtForecast([1, 2, 3], 1, { alpha: 1.5 })).toThrow(/alpha/);
    expect(() => holtForecast([1, 2, 3], 1, { beta: -0.1 })).toThrow(/beta/);
    expect(() => holtForecast([1, 2], 1)).toThrow(/values/);
  });
});
