// Prints the functions with the most self time in a V8 CPU profile (`node --cpu-prof`), and the
// share of the sampled time spent under a few named frames, without a profiler UI.
//   node --import tsx src/profile-top.ts <file.cpuprofile> [top N] [frame names to total, comma-separated]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, framesArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: profile-top.ts <file.cpuprofile> [top N] [frame,names]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
let total = 0;
for (const [k, id] of profile.samples.entries()) {
  const dt = profile.timeDeltas[k] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
}
const label = (n: ProfileNode) => {
  const url = n.callFrame.url
    .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "")
    .replace(/^file:\/\/.*?\/(packages|apps)\//, "$1/");
  return `${n.callFrame.functionName || "(anonymous)"} ${url}:${n.callFrame.lineNumber + 1}`;
};
const selfByLabel = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id);
  if (n) selfByLabel.set(label(n), (selfByLabel.get(label(n)) ?? 0) + t);
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log(`total sampled ${(total / 1e6).toFixed(1)} s`);
for (const [l, t] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 40)))
  console.log(`${pct(t)}  ${l}`);
// Inclusive time under frames whose function name matches (each sample counted once per name).
for (const name of (framesArg ?? "").split(",").filter((x) => x !== "")) {
  let under = 0;
  for (const [id, t] of self) {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)?.callFrame.functionName === name) {
        under += t;
        break;
      }
    }
  }
  console.log(`${pct(under)}  under ${name}`);
}
