// `pnpm bench`: the three workloads of issue 3, each timed through the public API and, as a
// ceiling, as the same arithmetic in a bare loop over typed arrays, in the same run. Single-threaded
// (one core). Inputs are built before timing; each workload is warmed up once, then the best of
// five runs is reported.
import type { Period } from "@fivestep/domain";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { holtForecast, proportionInterval, recentTrend, type TrendPoint } from "../src/index.ts";

let seed = 20240601;
const random = () => {
  // Park–Miller minimal standard generator: reproducible inputs without a dependency.
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
};

function time(fn: () => number): { ms: number; check: number } {
  fn();
  let best = Number.POSITIVE_INFINITY;
  let check = 0;
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    check = fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms < best) best = ms;
  }
  return { ms: best, check };
}

// 1. proportionInterval × 1,000,000
const P = 1_000_000;
const pn = new Float64Array(P);
const px = new Float64Array(P);
for (let i = 0; i < P; i++) {
  pn[i] = 1 + Math.floor(random() * 100000);
  px[i] = Math.floor(random() * (pn[i]! + 1));
}
const options = { confidence: 0.95, multiplier: 100 };
const apiProportion = time(() => {
  let sum = 0;
  for (let i = 0; i < P; i++) sum += proportionInterval(px[i]!, pn[i]!, options).upper;
  return sum;
});
const lowerOut = new Float64Array(P);
const upperOut = new Float64Array(P);
const valueOut = new Float64Array(P);
const bareProportion = time(() => {
  const z = normalQuantile(0.975, 0, 1);
  const z2 = z * z;
  let sum = 0;
  for (let i = 0; i < P; i++) {
    const x = px[i]!;
    const n = pn[i]!;
    const root = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
    const a = 2 * x + z2;
    const c = n + z2;
    valueOut[i] = (x / n) * 100;
    lowerOut[i] = x === 0 ? 0 : ((a - root) / 2 / c) * 100;
    upperOut[i] = x === n ? 100 : ((a + root) / 2 / c) * 100;
    sum += upperOut[i]!;
  }
  return sum;
});

// 2. recentTrend over 80,000 five-point series (200 indicators × 400 areas): proportions.
const S = 80_000;
const counts = new Float64Array(S * 5);
const denominators = new Float64Array(S * 5);
for (let i = 0; i < S * 5; i++) {
  denominators[i] = 500 + Math.floor(random() * 50000);
  counts[i] = 1 + Math.floor(random() * (denominators[i]! - 2) * (0.2 + 0.1 * (i % 5) * random()));
}
const years: Period[] = [2019, 2020, 2021, 2022, 2023].map((year) => ({ type: "calendar-year", year }));
const series: TrendPoint[][] = [];
for (let s = 0; s < S; s++) {
  const points: TrendPoint[] = [];
  for (let j = 0; j < 5; j++) {
    points.push({ period: years[j]!, count: counts[s * 5 + j]!, denominator: denominators[s * 5 + j]! });
  }
  series.push(points);
}
const trendOptions = { valueType: "proportion", polarity: "high-is-good" } as const;
const apiTrend = time(() => {
  let significant = 0;
  for (let s = 0; s < S; s++)
    if (recentTrend(series[s]!, trendOptions).marker !== "no-significant-change") significant++;
  return significant;
});
const chiOut = new Float64Array(S);
const slopeOut = new Float64Array(S);
const markerOut = new Int8Array(S);
const bareTrend = time(() => {
  const logit = new Float64Array(5);
  let significant = 0;
  for (let s = 0; s < S; s++) {
    const o = s * 5;
    let D = 0;
    let C = 0;
    let sct = 0;
    let sdt = 0;
    let sdtt = 0;
    for (let j = 0; j < 5; j++) {
      const c = counts[o + j]!;
      const d = denominators[o + j]!;
      const t = j - 4;
      D += d;
      C += c;
      sct += c * t;
      sdt += d * t;
      sdtt += d * t * t;
      logit[j] = Math.log(c / (d - c));
    }
    const chi = (D * (D * sct - C * sdt) ** 2) / (C * (D - C) * (D * sdtt - sdt * sdt));
    let marker = 0;
    let beta = 0;
    for (let skip = -1; skip < 5; skip++) {
      let n = 0;
      let st = 0;
      let sy = 0;
      let stt = 0;
      let sty = 0;
      for (let j = 0; j < 5; j++) {
        if (j === skip) continue;
        const t = j - 4;
        const y = logit[j]!;
        n++;
        st += t;
        sy += y;
        stt += t * t;
        sty += t * y;
      }
      const b = (n * sty - sy * st) / (n * stt - st * st);
      if (skip === -1) {
        beta = b;
        if (!(chi > 9.54953570608324)) break;
        marker = b < 0 ? -1 : 1;
      } else if (Math.sign(b) !== Math.sign(beta)) {
        marker = 0;
        break;
      }
    }
    chiOut[s] = chi;
    slopeOut[s] = beta;
    markerOut[s] = marker;
    if (marker !== 0) significant++;
  }
  return significant;
});

// 3. holtForecast, fixed parameters, over 80,000 twenty-point series (horizon 5).
const H = 5;
const L = 20;
const flat = new Float64Array(S * L);
for (let s = 0; s < S; s++) {
  let level = 50 + random() * 50;
  const slope = random() * 2 - 1;
  for (let t = 0; t < L; t++) {
    level += slope + (random() - 0.5) * 3;
    flat[s * L + t] = level;
  }
}
const holtSeries: number[][] = [];
for (let s = 0; s < S; s++) holtSeries.push(Array.from(flat.subarray(s * L, s * L + L)));
const holtOptions = { alpha: 0.5, beta: 0.2, confidence: 0.95 };
const apiHolt = time(() => {
  let sum = 0;
  for (let s = 0; s < S; s++) sum += holtForecast(holtSeries[s]!, H, holtOptions)[H - 1]!.upper;
  return sum;
});
const fOut = new Float64Array(S * H * 3);
const bareHolt = time(() => {
  const alpha = 0.5;
  const beta = 0.2;
  const z = normalQuantile(0.975, 0, 1);
  let sum = 0;
  for (let s = 0; s < S; s++) {
    const o = s * L;
    let level = flat[o]!;
    let trend = flat[o + 1]! - flat[o]!;
    let sse = 0;
    for (let t = 1; t < L; t++) {
      const y = flat[o + t]!;
      const f = level + trend;
      if (t >= 2) sse += (y - f) ** 2;
      const next = alpha * y + (1 - alpha) * f;
      trend = beta * (next - level) + (1 - beta) * trend;
      level = next;
    }
    const sigma2 = sse / (L - 2);
    let psi2 = 0;
    for (let h = 1; h <= H; h++) {
      if (h > 1) {
        const psi = alpha + alpha * beta * (h - 1);
        psi2 += psi * psi;
      }
      const value = level + h * trend;
      const half = z * Math.sqrt(sigma2 * (1 + psi2));
      const k = (s * H + h - 1) * 3;
      fOut[k] = value;
      fOut[k + 1] = value - half;
      fOut[k + 2] = value + half;
    }
    sum += fOut[(s * H + H - 1) * 3 + 2]!;
  }
  return sum;
});

const rows = [
  { name: "proportionInterval", items: P, api: apiProportion, bare: bareProportion },
  { name: "recentTrend (5 points)", items: S, api: apiTrend, bare: bareTrend },
  { name: "holtForecast (20 points, fixed α β)", items: S, api: apiHolt, bare: bareHolt },
];
const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
console.log(`node ${process.version}, ${process.arch}, single thread`);
console.log("workload | items | API ms | API items/s | bare ms | bare items/s | API/bare time");
for (const r of rows) {
  if (Math.abs(r.api.check - r.bare.check) > 1e-6 * Math.max(1, Math.abs(r.bare.check))) {
    throw new Error(`${r.name}: the API and the bare loop disagree (${r.api.check} vs ${r.bare.check})`);
  }
  console.log(
    `${r.name} | ${fmt(r.items)} | ${r.api.ms.toFixed(1)} | ${fmt(r.items / (r.api.ms / 1000))} | ${r.bare.ms.toFixed(1)} | ${fmt(r.items / (r.bare.ms / 1000))} | ${(r.api.ms / r.bare.ms).toFixed(2)}×`,
  );
}
const total = rows.reduce((a, r) => a + r.api.ms, 0);
console.log(`all three through the API: ${total.toFixed(0)} ms (goal < 3000 ms)`);
