import { compareWithBenchmark, type RealismReason, spineSummary } from "@fivestep/analytics";
import {
  type Database,
  districtValuesInPeriod,
  latestAuditId,
  listIndicators,
  listItems,
  listPriorities,
  listPriorityRemovals,
  type PlanRow,
  seriesFor,
} from "@fivestep/db";
import type { Kysely } from "kysely";
import {
  type AreaContext,
  analyseIndicator,
  areaContext,
  type IndicatorAnalysis,
  seriesTrend,
} from "./plan-analysis.ts";
import { type ItemView, toItemView, toPlanView, toPriorityView } from "./plan-views.ts";
import { markShared } from "./serialized-json.ts";

/**
 * A warning on the plan overview with the record it concerns: `kind` and `params` for a client to
 * word in the reader's language (`code` and `title` of the indicator; `period` and `dueBy` for
 * stale data; `what` for an action; `reason`, the first realism reason, for an unrealistic
 * target), and `text`, the same in English.
 *
 * @example const w: OverviewWarning = { kind: "stale-data", priorityId: 1, itemId: 2, params: { code: "NI 151", title: "Employment rate", period: "2007 Q2", dueBy: "2008-01-31" }, text: "…" };
 */
export interface OverviewWarning {
  kind: "off-track-without-action" | "action-without-indicator" | "unrealistic-target" | "stale-data";
  priorityId: number;
  itemId: number;
  params: Record<string, string | number>;
  reason?: RealismReason;
  text: string;
}

/**
 * The plan overview: every priority with its indicators' latest value, target status against the
 * trajectory, trend and benchmark, and the warnings a lead should act on — a red indicator with
 * no action, an action with no measurable link, a target judged unrealistic, data older than its
 * release calendar allows.
 *
 * @example const overview = await planOverview(db, plan, "E08000026");
 */
export async function planOverview(db: Kysely<Database>, plan: PlanRow, areaCode: string, now = new Date()) {
  const priorities = (await listPriorities(db, plan.id)).map(toPriorityView);
  const items = (await listItems(db, { planId: plan.id })).map(toItemView);
  const warnings: OverviewWarning[] = [];
  const contexts = new Map<number | null, Promise<AreaContext>>();
  const rows = [];
  for (const priority of priorities) {
    const mine = items.filter((i) => i.priorityId === priority.id);
    const actions = mine.filter((i): i is Extract<ItemView, { kind: "action" }> => i.kind === "action");
    const indicators: Array<{ itemId: number; analysis: IndicatorAnalysis; actions: number }> = [];
    for (const item of mine) {
      if (item.kind !== "indicator") continue;
      // The overview needs no forecast chart; area contexts are read once per comparator group.
      const analysis = await analyseIndicator(db, {
        areaCode,
        itemId: item.id,
        data: item.data,
        now,
        forecast: false,
        contexts,
      });
      const linked = actions.filter((a) => a.data.priorityIndicatorId === item.id).length;
      indicators.push({ itemId: item.id, analysis, actions: linked });
      const label = `${analysis.indicator.code} ${analysis.indicator.title}`;
      const named = { code: analysis.indicator.code, title: analysis.indicator.title };
      if (analysis.target.status === "off-track" && linked === 0) {
        warnings.push({
          kind: "off-track-without-action",
          priorityId: priority.id,
          itemId: item.id,
          params: named,
          text: `${label} is off track and no action is linked to it.`,
        });
      }
      if (analysis.target.realism?.rating === "unrealistic") {
        warnings.push({
          kind: "unrealistic-target",
          priorityId: priority.id,
          itemId: item.id,
          params: named,
          ...(analysis.target.realism.reasonCodes[0]
            ? { reason: analysis.target.realism.reasonCodes[0] }
            : {}),
          text: `The target for ${label} looks unrealistic: ${analysis.target.realism.reasons[0] ?? ""}`,
        });
      }
      if (analysis.freshness.stale) {
        warnings.push({
          kind: "stale-data",
          priorityId: priority.id,
          itemId: item.id,
          params: { ...named, period: analysis.latest?.period ?? "", dueBy: analysis.freshness.dueBy ?? "" },
          text: `${label}: the latest value is for ${analysis.latest?.period}; a newer one was due by ${analysis.freshness.dueBy}.`,
        });
      }
    }
    for (const a of actions) {
      if (a.data.priorityIndicatorId === null) {
        warnings.push({
          kind: "action-without-indicator",
          priorityId: priority.id,
          itemId: a.id,
          params: { what: a.data.what },
          text: `The action “${a.data.what}” is not linked to an indicator it should move.`,
        });
      }
    }
    rows.push({
      // Only what the overview shows: the step pages fetch the long texts of step 2.
      priority: {
        id: priority.id,
        version: priority.version,
        planId: priority.planId,
        position: priority.position,
        fields: {
          theme: priority.fields.theme,
          title: priority.fields.title,
          ownerName: priority.fields.ownerName,
          steps: priority.fields.steps,
        },
      },
      indicators: indicators.map(({ itemId, analysis, actions: linked }) => ({
        itemId,
        code: analysis.indicator.code,
        title: analysis.indicator.title,
        unit: analysis.indicator.unit,
        decimalPlaces: analysis.indicator.decimalPlaces,
        polarity: analysis.indicator.polarity,
        latest: analysis.latest,
        expected: analysis.target.expected,
        status: analysis.target.status,
        trend: analysis.trend,
        benchmark: analysis.benchmark,
        realism: analysis.target.realism?.rating ?? null,
        stale: analysis.freshness.stale,
        actions: linked,
      })),
      actionCount: actions.length,
    });
  }
  const counts = { "on-track": 0, "at-risk": 0, "off-track": 0, "no-data": 0 };
  for (const r of rows) for (const i of r.indicators) counts[i.status]++;
  return { plan: toPlanView(plan), priorities: rows, warnings, counts };
}

type OverviewCache = Map<string, Promise<Awaited<ReturnType<typeof planOverview>>>>;
// One cache per database: plan ids and audit counters are only unique within one (tests open many
// in one process, and their counters run in step).
const overviewCaches = new WeakMap<Kysely<Database>, OverviewCache>();
const CACHE_SIZE = 200;

/**
 * `planOverview`, remembered until anything changes. Every change Fivestep makes is audited in its
 * own transaction, so the newest audit entry's id is a counter of changes that every server
 * instance reads from the shared database: an overview cached under an older counter is never
 * served. Pass the counter read in the same query as the plan (`findPlanWithChangeCounter`), or
 * leave it out to read it here. The day is part of the key too, since data goes stale by the
 * calendar. The overview is shared by every request for it: it is marked (`markShared`) so its
 * JSON is made once, and must never be changed by a caller.
 *
 * @example const overview = await cachedPlanOverview(db, plan, "E08000026", found.changeCounter);
 */
export async function cachedPlanOverview(
  db: Kysely<Database>,
  plan: PlanRow,
  areaCode: string,
  changeCounter?: number,
) {
  const counter = changeCounter ?? (await latestAuditId(db));
  const key = `${plan.id}|${plan.version}|${areaCode}|${counter}|${new Date().toISOString().slice(0, 10)}`;
  const overviewCache: OverviewCache = overviewCaches.get(db) ?? new Map();
  overviewCaches.set(db, overviewCache);
  let pending = overviewCache.get(key);
  if (pending) {
    // Most recently used last, so the oldest entry is evicted first.
    overviewCache.delete(key);
  } else {
    pending = planOverview(db, plan, areaCode).then(markShared);
    pending.catch(() => overviewCache.delete(key));
    if (overviewCache.size >= CACHE_SIZE) overviewCache.delete(overviewCache.keys().next().value as string);
  }
  overviewCache.set(key, pending);
  return pending;
}

/**
 * The area profile: every active catalogue indicator for the partnership's area against its region
 * and nation, judged better/similar/worse, with its trend and England's range among districts and
 * unitary authorities (the spine chart), to choose priorities from evidence (like Fingertips' area
 * profile).
 *
 * @example const profile = await areaProfile(db, "E08000026");
 */
export async function areaProfile(db: Kysely<Database>, areaCode: string) {
  const ctx = await areaContext(db, areaCode, null);
  const indicators = (await listIndicators(db)).filter(
    (i) => (i as { status?: string }).status !== "retired",
  );
  const rows = [];
  for (const indicator of indicators) {
    const codes = [ctx.area.code, ctx.region?.code, ctx.nation?.code].filter(
      (c): c is string => typeof c === "string",
    );
    const series = await seriesFor(db, { indicatorCode: indicator.code, areaCodes: codes });
    const own = (series.find((s) => s.areaCode === ctx.area.code)?.points ?? []).filter(
      (p) => p.value !== null,
    );
    const latest = own.at(-1);
    const at = (code: string | undefined) =>
      series.find((s) => s.areaCode === code)?.points.find((p) => p.period === latest?.period)?.value ?? null;
    const judge = (b: number | null) =>
      latest?.value == null || b === null
        ? null
        : compareWithBenchmark(
            { value: latest.value, lower: latest.lower, upper: latest.upper },
            b,
            indicator.polarity,
          );
    const regionValue = at(ctx.region?.code);
    const nationValue = at(ctx.nation?.code);
    const trend = seriesTrend(indicator, own);
    // The spine: every English district's and unitary authority's value in the same period.
    const range = latest
      ? spineSummary(
          await districtValuesInPeriod(db, { indicatorCode: indicator.code, period: latest.period }),
        )
      : null;
    rows.push({
      code: indicator.code,
      title: indicator.title,
      unit: indicator.unit,
      polarity: indicator.polarity,
      latest: latest
        ? { period: latest.period, value: latest.value, lower: latest.lower, upper: latest.upper }
        : null,
      previous: own.at(-2)?.value ?? null,
      region: regionValue,
      nation: nationValue,
      vsRegion: judge(regionValue),
      vsNation: judge(nationValue),
      // Where no limits are published, say higher or lower rather than nothing.
      plainVsRegion:
        latest?.value == null || regionValue === null
          ? null
          : latest.value > regionValue
            ? "higher"
            : latest.value < regionValue
              ? "lower"
              : "same",
      trend,
      /** England's range among districts and unitary authorities for the spine chart (null below 2 values). */
      spine: range,
      /** The publisher's own judgement of the latest value against England (Fingertips' compared_to_England). */
      publisherVsNation: latest?.publisherJudgement ?? null,
    });
  }
  return { context: ctx, indicators: rows };
}

/**
 * What changed between two revisions of a plan: its fields, priorities added and removed, and
 * each target milestone whose value changed, with the reason recorded.
 *
 * @example const diff = await comparePlans(db, previous, current);
 */
export async function comparePlans(db: Kysely<Database>, from: PlanRow, to: PlanRow) {
  const load = async (plan: PlanRow) => {
    const priorities = (await listPriorities(db, plan.id)).map(toPriorityView);
    const items = (await listItems(db, { planId: plan.id })).map(toItemView);
    return { priorities, items };
  };
  const [a, b] = await Promise.all([load(from), load(to)]);
  const key = (title: string) => title.trim().toLowerCase();
  const fields: Array<{ field: string; before: string; after: string }> = [];
  if (from.title !== to.title) fields.push({ field: "title", before: from.title, after: to.title });
  if (from.vision !== to.vision) fields.push({ field: "vision", before: from.vision, after: to.vision });
  const added = b.priorities
    .filter((p) => !a.priorities.some((q) => key(q.fields.title) === key(p.fields.title)))
    .map((p) => p.fields.title);
  // A priority dropped in the refresh carries the reason given when it was removed.
  const reasons = new Map((await listPriorityRemovals(db, to.id)).map((r) => [key(r.title), r.reason]));
  const removed = a.priorities
    .filter((p) => !b.priorities.some((q) => key(q.fields.title) === key(p.fields.title)))
    .map((p) => ({ title: p.fields.title, reason: reasons.get(key(p.fields.title)) ?? "" }));
  const targets: Array<{
    priority: string;
    indicatorCode: string;
    period: string;
    before: number | null;
    after: number | null;
    reason: string;
  }> = [];
  for (const pb of b.priorities) {
    const pa = a.priorities.find((q) => key(q.fields.title) === key(pb.fields.title));
    if (!pa) continue;
    const indicatorsOf = (items: ItemView[], priorityId: number) =>
      items.filter(
        (i): i is Extract<ItemView, { kind: "indicator" }> =>
          i.kind === "indicator" && i.priorityId === priorityId,
      );
    for (const ib of indicatorsOf(b.items, pb.id)) {
      const ia = indicatorsOf(a.items, pa.id).find((i) => i.data.indicatorCode === ib.data.indicatorCode);
      const periods = new Set([
        ...(ia?.data.milestones ?? []).map((m) => m.period),
        ...ib.data.milestones.map((m) => m.period),
      ]);
      for (const period of periods) {
        const before = ia?.data.milestones.find((m) => m.period === period);
        const after = ib.data.milestones.find((m) => m.period === period);
        if (before?.value !== after?.value) {
          targets.push({
            priority: pb.fields.title,
            indicatorCode: ib.data.indicatorCode,
            period,
            before: before?.value ?? null,
            after: after?.value ?? null,
            reason: after?.reason ?? "",
          });
        }
      }
    }
  }
  return { from: toPlanView(from), to: toPlanView(to), fields, added, removed, targets };
}
