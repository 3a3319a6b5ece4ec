/**
 * A parameter of an audit sentence: text as it is (names, codes, periods), a number (written in
 * the reader's notation), or a message id whose words stand in its place (a status, a role).
 */
export type AuditParam = string | number | { id: string };

/** One sentence of the audit trail as codes: a message id (`auditLine.*`) and its parameters. */
export interface AuditWords {
  id: string;
  params: Record<string, AuditParam>;
}

/** What `auditWords` reads of an audit entry (an `AuditEvent` as `listAudit` returns it). */
export interface AuditWordsInput {
  actorName: string | null;
  /** The API token the entry was made with, if one was. */
  actorTokenName?: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Names the stored record does not hold: people by their user id. */
export interface AuditNames {
  user?: (id: number) => string | null | undefined;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Milestone {
  period: string;
  value: number;
}
const milestonesOf = (data: Rec | null): Milestone[] =>
  Array.isArray(data?.milestones)
    ? (data.milestones as unknown[]).flatMap((m) => {
        const r = rec(m);
        const period = str(r?.period);
        const value = num(r?.value);
        return period !== null && value !== null ? [{ period, value }] : [];
      })
    : [];

/** What a plan item is called in a sentence: its indicator's code, its action's "what", its title. */
function itemLabel(item: Rec | null): string {
  const data = rec(item?.data);
  return str(data?.indicatorCode) ?? str(data?.what) ?? str(data?.title) ?? str(data?.audience) ?? "";
}

function planItemWords(who: AuditParam, e: AuditWordsInput): AuditWords[] {
  const before = rec(e.before);
  const after = rec(e.after);
  const kind = str(after?.kind) ?? str(before?.kind) ?? "item";
  const label = itemLabel(after ?? before);
  const known = kind === "indicator" || kind === "action";
  const kindWord = { id: `auditLine.kind.${kind}` };
  if (e.action === "create")
    return [
      {
        id: known ? `auditLine.${kind}.added` : "auditLine.item.added",
        params: { who, label, kind: kindWord },
      },
    ];
  if (e.action === "delete")
    return [
      {
        id: known ? `auditLine.${kind}.removed` : "auditLine.item.removed",
        params: { who, label, kind: kindWord },
      },
    ];
  const b = rec(before?.data);
  const a = rec(after?.data);
  const out: AuditWords[] = [];
  if (kind === "indicator") {
    const indicator = label;
    const from = num(b?.baselineValue);
    const to = num(a?.baselineValue);
    if (from !== null && to !== null && from !== to)
      out.push({ id: "auditLine.baseline.changed", params: { who, indicator, from, to } });
    const old = new Map(milestonesOf(b).map((m) => [m.period, m.value]));
    const now = new Map(milestonesOf(a).map((m) => [m.period, m.value]));
    for (const [period, value] of now) {
      const was = old.get(period);
      if (was === undefined)
        out.push({ id: "auditLine.target.added", params: { who, indicator, period, to: value } });
      else if (was !== value)
        out.push({
          id: "auditLine.target.changed",
          params: { who, indicator, period, from: was, to: value },
        });
    }
    for (const [period, value] of old)
      if (!now.has(period))
        out.push({ id: "auditLine.target.removed", params: { who, indicator, period, from: value } });
  }
  if (kind === "action") {
    const from = str(b?.status);
    const to = str(a?.status);
    if (from && to && from !== to)
      out.push({
        id: "auditLine.action.status",
        params: {
          who,
          label,
          from: { id: `auditLine.actionStatus.${from}` },
          to: { id: `auditLine.actionStatus.${to}` },
        },
      });
  }
  if (before?.priorityId !== after?.priorityId && after?.priorityId != null && before)
    out.push({ id: "auditLine.item.moved", params: { who, label, kind: kindWord } });
  // Anything else that changed (other fields, or nothing but the order) is said once, generally.
  const described = new Set(["milestones", "baselineValue", "status"]);
  const others = Object.keys({ ...b, ...a }).filter((k) => !described.has(k) && !same(b?.[k], a?.[k]));
  if (out.length === 0 || others.length > 0)
    out.push({
      id: known ? `auditLine.${kind}.updated` : "auditLine.item.updated",
      params: { who, label, kind: kindWord },
    });
  return out;
}

function priorityWords(who: AuditParam, e: AuditWordsInput): AuditWords[] {
  const title = (v: unknown) => str(rec(rec(v)?.fields)?.title) ?? "";
  if (e.action === "create")
    return [{ id: "auditLine.priority.added", params: { who, title: title(e.after) } }];
  if (e.action === "delete")
    return [{ id: "auditLine.priority.removed", params: { who, title: title(e.before) } }];
  const from = title(e.before);
  const to = title(e.after);
  if (from !== to) return [{ id: "auditLine.priority.renamed", params: { who, from, to } }];
  return [{ id: "auditLine.priority.updated", params: { who, title: to } }];
}

function memberWords(who: AuditParam, e: AuditWordsInput, names: AuditNames): AuditWords[] {
  const before = rec(e.before);
  const after = rec(e.after);
  const userId = num(after?.userId) ?? num(before?.userId);
  const member = (userId !== null ? names.user?.(userId) : null) ?? (userId !== null ? `#${userId}` : "");
  const role = (v: unknown) => ({ id: `auditLine.role.${str(v) ?? "viewer"}` });
  if (e.action === "create")
    return [{ id: "auditLine.member.added", params: { who, member, role: role(after?.role) } }];
  if (e.action === "delete") return [{ id: "auditLine.member.removed", params: { who, member } }];
  return [
    { id: "auditLine.member.role", params: { who, member, from: role(before?.role), to: role(after?.role) } },
  ];
}

function importWords(who: AuditParam, e: AuditWordsInput): AuditWords[] {
  const after = rec(e.after);
  if (e.action === "rollback")
    return [{ id: "auditLine.import.rolledBack", params: { who, batch: e.entityId } }];
  if (e.action !== "import") return [];
  const params = {
    who,
    file: str(after?.fileName) ?? e.entityId,
    inserted: num(after?.inserted) ?? 0,
    updated: num(after?.updated) ?? 0,
  };
  return [
    { id: after?.status === "pending" ? "auditLine.import.pending" : "auditLine.import.committed", params },
  ];
}

function userWords(who: AuditParam, e: AuditWordsInput, names: AuditNames): AuditWords[] {
  const name =
    str(rec(e.after)?.displayName) ??
    str(rec(e.before)?.displayName) ??
    names.user?.(Number(e.entityId)) ??
    "";
  const ids: Record<string, string> = {
    create: "auditLine.user.created",
    update: "auditLine.user.updated",
    "accept-invite": "auditLine.user.acceptedInvite",
    invite: "auditLine.user.invited",
    deactivate: "auditLine.user.deactivated",
    reactivate: "auditLine.user.reactivated",
    "sign-in": "auditLine.user.signedIn",
    "sign-out": "auditLine.user.signedOut",
    "change-password": "auditLine.user.passwordChanged",
  };
  const id = ids[e.action];
  return id ? [{ id, params: { who, name } }] : [];
}

function namedWords(who: AuditParam, e: AuditWordsInput): AuditWords[] {
  const after = rec(e.after);
  const before = rec(e.before);
  const name = str(after?.name) ?? str(after?.title) ?? str(before?.name) ?? str(before?.title) ?? e.entityId;
  if (e.entity === "plan" && e.action === "set-published")
    return [
      {
        id: after?.published ? "auditLine.plan.published" : "auditLine.plan.unpublished",
        params: { who, name },
      },
    ];
  if (e.entity === "plan" && e.action === "set-status" && str(after?.status))
    return [
      {
        id: "auditLine.plan.status",
        params: { who, name, to: { id: `auditLine.planStatus.${after?.status}` } },
      },
    ];
  if (e.action === "create") return [{ id: `auditLine.${e.entity}.created`, params: { who, name } }];
  if (e.action === "update") return [{ id: `auditLine.${e.entity}.updated`, params: { who, name } }];
  return [];
}

/** The procedures API tokens call, each with words of its own (`auditLine.call.*`). */
const CALLS = [
  "imports.file",
  "imports.preview",
  "imports.commit",
  "imports.startCommit",
  "imports.status",
  "jobs.get",
  "partnership.mine",
  "partnership.byId",
  "monitoring.returns",
  "monitoring.submitReturn",
  "monitoring.dashboard",
  "monitoring.report",
  "monitoring.startExport",
  "reportExports.download",
  "observation.write",
  "observation.series",
  "plan.list",
  "plan.byId",
  "plan.overview",
  "plan.compare",
  "priority.byId",
  "priority.analysis",
  "priority.areaProfile",
] as const;

function tokenWords(who: AuditParam, e: AuditWordsInput): AuditWords[] {
  const after = rec(e.after);
  const before = rec(e.before);
  const name = str(after?.name) ?? str(before?.name) ?? e.actorTokenName ?? e.entityId;
  if (e.action === "create") return [{ id: "auditLine.api_token.created", params: { who, name } }];
  if (e.action === "revoke") return [{ id: "auditLine.api_token.revoked", params: { who, name } }];
  if (e.action !== "use") return [];
  const procedure = str(after?.procedure) ?? "";
  const what: AuditParam = (CALLS as readonly string[]).includes(procedure)
    ? { id: `auditLine.call.${procedure}` }
    : procedure;
  const ids = rec(after?.ids) ?? {};
  const named = Object.entries(ids)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : String(v)}`)
    .join("; ");
  const record = named === "" ? "" : ` (${named})`;
  const outcome = str(after?.outcome) ?? "ok";
  const token = e.actorTokenName ?? `#${e.entityId}`;
  if (outcome !== "ok")
    return [{ id: "auditLine.token.refused", params: { who, token, what, record, outcome } }];
  return [
    {
      id: after?.type === "mutation" ? "auditLine.token.wrote" : "auditLine.token.read",
      params: { who, token, what, record },
    },
  ];
}

/**
 * The audit trail in words: what an entry did, as one or more sentences (message ids `auditLine.*`
 * with their parameters) — who, what, which record by its name or code, from → to. A change
 * with no sentence of its own is said generally (`auditLine.generic`). The client puts the words in
 * the reader's language (`AUDIT_MESSAGES`).
 *
 * @example auditWords({ actorName: "Cara Lead", action: "update", entity: "plan_item", entityId: "7", before: { kind: "indicator", data: { indicatorCode: "NI 151", milestones: [{ period: "2010 Q4", value: 75.5 }] } }, after: { kind: "indicator", data: { indicatorCode: "NI 151", milestones: [{ period: "2010 Q4", value: 75 }] } } })
 * // [{ id: "auditLine.target.changed", params: { who: "Cara Lead", indicator: "NI 151", period: "2010 Q4", from: 75.5, to: 75 } }]
 */
export function auditWords(e: AuditWordsInput, names: AuditNames = {}): AuditWords[] {
  const who: AuditParam = e.actorName ?? { id: "auditLine.system" };
  const words =
    e.entity === "plan_item"
      ? planItemWords(who, e)
      : e.entity === "priority"
        ? priorityWords(who, e)
        : e.entity === "membership"
          ? memberWords(who, e, names)
          : e.entity === "import_batch"
            ? importWords(who, e)
            : e.entity === "app_user"
              ? userWords(who, e, names)
              : e.entity === "api_token"
                ? tokenWords(who, e)
                : e.entity === "partnership" || e.entity === "plan"
                  ? namedWords(who, e)
                  : [];
  return words.length > 0
    ? words
    : [{ id: "auditLine.generic", params: { who, action: e.action, entity: e.entity, record: e.entityId } }];
}

/**
 * The words of the audit trail's sentences, in English. Every key is also in `AUDIT_MESSAGES_HR`.
 *
 * @example AUDIT_MESSAGES_EN["auditLine.target.changed"] // "{who} changed the target for {indicator} in {period} from {from} to {to}"
 */
export const AUDIT_MESSAGES_EN = {
  "auditLine.system": "The system",
  "auditLine.role.lead": "lead",
  "auditLine.role.editor": "editor",
  "auditLine.role.contributor": "contributor",
  "auditLine.role.viewer": "viewer",
  "auditLine.actionStatus.planned": "Planned",
  "auditLine.actionStatus.in-progress": "In progress",
  "auditLine.actionStatus.done": "Done",
  "auditLine.actionStatus.stopped": "Stopped",
  "auditLine.planStatus.draft": "Draft",
  "auditLine.planStatus.submitted": "Submitted",
  "auditLine.planStatus.agreed": "Agreed",
  "auditLine.planStatus.in-delivery": "In delivery",
  "auditLine.planStatus.closed": "Closed",
  "auditLine.generic": "{who} made a change ({action}) to the record {entity} {record}",
  "auditLine.kind.indicator": "indicator",
  "auditLine.kind.action": "action",
  "auditLine.kind.evidence": "evidence",
  "auditLine.kind.option": "option",
  "auditLine.kind.communication": "communication",
  "auditLine.kind.report": "report schedule",
  "auditLine.kind.item": "item",
  "auditLine.target.changed": "{who} changed the target for {indicator} in {period} from {from} to {to}",
  "auditLine.target.added": "{who} set a target for {indicator} in {period} of {to}",
  "auditLine.target.removed": "{who} removed the target for {indicator} in {period} (it was {from})",
  "auditLine.baseline.changed": "{who} changed the baseline of {indicator} from {from} to {to}",
  "auditLine.indicator.added": "{who} chose the indicator {label}",
  "auditLine.indicator.removed": "{who} removed the indicator {label}",
  "auditLine.indicator.updated": "{who} changed the target of {label}",
  "auditLine.action.added": "{who} added the action “{label}”",
  "auditLine.action.removed": "{who} removed the action “{label}”",
  "auditLine.action.updated": "{who} changed the action “{label}”",
  "auditLine.action.status": "{who} changed the status of the action “{label}” from {from} to {to}",
  "auditLine.item.added": "{who} added the {kind} “{label}”",
  "auditLine.item.removed": "{who} removed the {kind} “{label}”",
  "auditLine.item.updated": "{who} changed the {kind} “{label}”",
  "auditLine.item.moved": "{who} moved the {kind} “{label}” to another priority",
  "auditLine.priority.added": "{who} added the priority “{title}”",
  "auditLine.priority.removed": "{who} removed the priority “{title}”",
  "auditLine.priority.renamed": "{who} renamed the priority “{from}” to “{to}”",
  "auditLine.priority.updated": "{who} changed the priority “{title}”",
  "auditLine.member.added": "{who} added {member} to the partnership as {role}",
  "auditLine.member.removed": "{who} removed {member} from the partnership",
  "auditLine.member.role": "{who} changed the role of {member} from {from} to {to}",
  "auditLine.import.committed": "{who} imported {file} (new values: {inserted}; changed: {updated})",
  "auditLine.import.pending":
    "{who} imported {file} (new values: {inserted}; changed: {updated}), waiting for approval",
  "auditLine.import.rolledBack": "{who} rolled back import {batch}",
  "auditLine.user.created": "{who} created the account of {name}",
  "auditLine.user.updated": "{who} changed the account of {name}",
  "auditLine.user.acceptedInvite": "{who} accepted the invitation and set a password",
  "auditLine.user.invited": "{who} invited {name}",
  "auditLine.user.deactivated": "{who} deactivated the account of {name}",
  "auditLine.user.reactivated": "{who} reactivated the account of {name}",
  "auditLine.user.signedIn": "{who} signed in",
  "auditLine.user.signedOut": "{who} signed out",
  "auditLine.user.passwordChanged": "{who} changed their password",
  "auditLine.partnership.created": "{who} created the partnership {name}",
  "auditLine.partnership.updated": "{who} changed the partnership {name}",
  "auditLine.plan.created": "{who} created the plan {name}",
  "auditLine.plan.updated": "{who} changed the plan {name}",
  "auditLine.plan.status": "{who} set the plan {name} to “{to}”",
  "auditLine.plan.published": "{who} published the plan {name} for the community",
  "auditLine.plan.unpublished": "{who} stopped publishing the plan {name}",
  "auditLine.api_token.created": "{who} made the API token “{name}”",
  "auditLine.api_token.revoked": "{who} revoked the API token “{name}”",
  "auditLine.token.read": "The API token “{token}” of {who} read {what}{record}",
  "auditLine.token.wrote": "The API token “{token}” of {who} sent {what}{record}",
  "auditLine.token.refused": "The API token “{token}” of {who} was refused {what}{record}: {outcome}",
  "auditLine.call.imports.file": "an uploaded file",
  "auditLine.call.imports.preview": "a check of a data file",
  "auditLine.call.imports.commit": "an import of a data file",
  "auditLine.call.imports.startCommit": "an import of a data file, as a job",
  "auditLine.call.imports.status": "an import's progress",
  "auditLine.call.jobs.get": "a job's progress",
  "auditLine.call.partnership.mine": "the list of its partnerships",
  "auditLine.call.partnership.byId": "a partnership",
  "auditLine.call.monitoring.returns": "the data returns",
  "auditLine.call.monitoring.submitReturn": "a data return",
  "auditLine.call.monitoring.dashboard": "the monitoring dashboard",
  "auditLine.call.monitoring.report": "a performance report",
  "auditLine.call.monitoring.startExport": "an export of a performance report",
  "auditLine.call.reportExports.download": "an exported report file",
  "auditLine.call.observation.write": "observations",
  "auditLine.call.observation.series": "an indicator's series",
  "auditLine.call.plan.list": "the list of plans",
  "auditLine.call.plan.byId": "a plan",
  "auditLine.call.plan.overview": "a plan's overview",
  "auditLine.call.plan.compare": "a comparison of plans",
  "auditLine.call.priority.byId": "a priority",
  "auditLine.call.priority.analysis": "a priority's analysis",
  "auditLine.call.priority.areaProfile": "an area profile",
} as const;

/** @example const id: AuditMessageId = "auditLine.member.added"; */
export type AuditMessageId = keyof typeof AUDIT_MESSAGES_EN;

/**
 * The words of the audit trail's sentences, in Croatian (impersonal, so no sentence depends on
 * who acted being a man or a woman).
 *
 * @example AUDIT_MESSAGES_HR["auditLine.target.changed"]
 */
export const AUDIT_MESSAGES_HR: Record<AuditMessageId, string> = {
  "auditLine.system": "Sustav",
  "auditLine.role.lead": "voditelj",
  "auditLine.role.editor": "urednik",
  "auditLine.role.contributor": "suradnik",
  "auditLine.role.viewer": "čitatelj",
  "auditLine.actionStatus.planned": "Planirano",
  "auditLine.actionStatus.in-progress": "U tijeku",
  "auditLine.actionStatus.done": "Završeno",
  "auditLine.actionStatus.stopped": "Zaustavljeno",
  "auditLine.planStatus.draft": "Nacrt",
  "auditLine.planStatus.submitted": "Podnesen",
  "auditLine.planStatus.agreed": "Usuglašen",
  "auditLine.planStatus.in-delivery": "U provedbi",
  "auditLine.planStatus.closed": "Zatvoren",
  "auditLine.generic": "{who}: promjena ({action}) zapisa {entity} {record}",
  "auditLine.kind.indicator": "pokazatelj",
  "auditLine.kind.action": "aktivnost",
  "auditLine.kind.evidence": "dokaz",
  "auditLine.kind.option": "mogućnost",
  "auditLine.kind.communication": "priopćenje",
  "auditLine.kind.report": "raspored izvješćivanja",
  "auditLine.kind.item": "stavka",
  "auditLine.target.changed":
    "{who}: cilj za {indicator} u razdoblju {period} promijenjen je s {from} na {to}",
  "auditLine.target.added": "{who}: za {indicator} u razdoblju {period} postavljen je cilj {to}",
  "auditLine.target.removed": "{who}: uklonjen je cilj za {indicator} u razdoblju {period} (bio je {from})",
  "auditLine.baseline.changed": "{who}: polazna vrijednost za {indicator} promijenjena je s {from} na {to}",
  "auditLine.indicator.added": "{who}: odabran je pokazatelj {label}",
  "auditLine.indicator.removed": "{who}: uklonjen je pokazatelj {label}",
  "auditLine.indicator.updated": "{who}: promijenjen je cilj za {label}",
  "auditLine.action.added": "{who}: dodana je aktivnost „{label}”",
  "auditLine.action.removed": "{who}: uklonjena je aktivnost „{label}”",
  "auditLine.action.updated": "{who}: promijenjena je aktivnost „{label}”",
  "auditLine.action.status": "{who}: status aktivnosti „{label}” promijenjen je s „{from}” na „{to}”",
  "auditLine.item.added": "{who}: dodano ({kind}) „{label}”",
  "auditLine.item.removed": "{who}: uklonjeno ({kind}) „{label}”",
  "auditLine.item.updated": "{who}: promijenjeno ({kind}) „{label}”",
  "auditLine.item.moved": "{who}: „{label}” ({kind}) premješteno je u drugi prioritet",
  "auditLine.priority.added": "{who}: dodan je prioritet „{title}”",
  "auditLine.priority.removed": "{who}: uklonjen je prioritet „{title}”",
  "auditLine.priority.renamed": "{who}: prioritet „{from}” preimenovan je u „{to}”",
  "auditLine.priority.updated": "{who}: promijenjen je prioritet „{title}”",
  "auditLine.member.added": "{who}: u partnerstvo je dodan član {member} s ulogom {role}",
  "auditLine.member.removed": "{who}: iz partnerstva je uklonjen član {member}",
  "auditLine.member.role": "{who}: uloga člana {member} promijenjena je s {from} na {to}",
  "auditLine.import.committed":
    "{who}: uvezena je datoteka {file} (novih vrijednosti: {inserted}; promijenjenih: {updated})",
  "auditLine.import.pending":
    "{who}: uvezena je datoteka {file} (novih vrijednosti: {inserted}; promijenjenih: {updated}), čeka odobrenje",
  "auditLine.import.rolledBack": "{who}: poništen je uvoz {batch}",
  "auditLine.user.created": "{who}: izrađen je račun korisnika {name}",
  "auditLine.user.updated": "{who}: promijenjen je račun korisnika {name}",
  "auditLine.user.acceptedInvite": "{who}: prihvaćen je poziv i postavljena lozinka",
  "auditLine.user.invited": "{who}: pozvan je korisnik {name}",
  "auditLine.user.deactivated": "{who}: deaktiviran je račun korisnika {name}",
  "auditLine.user.reactivated": "{who}: ponovno je aktiviran račun korisnika {name}",
  "auditLine.user.signedIn": "{who}: prijava",
  "auditLine.user.signedOut": "{who}: odjava",
  "auditLine.user.passwordChanged": "{who}: promijenjena je vlastita lozinka",
  "auditLine.partnership.created": "{who}: osnovano je partnerstvo {name}",
  "auditLine.partnership.updated": "{who}: promijenjeno je partnerstvo {name}",
  "auditLine.plan.created": "{who}: izrađen je plan {name}",
  "auditLine.plan.updated": "{who}: promijenjen je plan {name}",
  "auditLine.plan.status": "{who}: stanje plana {name} sada je „{to}”",
  "auditLine.plan.published": "{who}: plan {name} objavljen je za zajednicu",
  "auditLine.plan.unpublished": "{who}: plan {name} više nije objavljen",
  "auditLine.api_token.created": "{who}: izrađen je API token „{name}”",
  "auditLine.api_token.revoked": "{who}: opozvan je API token „{name}”",
  "auditLine.token.read": "API token „{token}” ({who}) pročitao je: {what}{record}",
  "auditLine.token.wrote": "API token „{token}” ({who}) poslao je: {what}{record}",
  "auditLine.token.refused": "API tokenu „{token}” ({who}) odbijen je zahtjev: {what}{record}: {outcome}",
  "auditLine.call.imports.file": "učitana datoteka",
  "auditLine.call.imports.preview": "provjera podatkovne datoteke",
  "auditLine.call.imports.commit": "uvoz podatkovne datoteke",
  "auditLine.call.imports.startCommit": "uvoz podatkovne datoteke kao posao",
  "auditLine.call.imports.status": "napredak uvoza",
  "auditLine.call.jobs.get": "napredak posla",
  "auditLine.call.partnership.mine": "popis njegovih partnerstava",
  "auditLine.call.partnership.byId": "partnerstvo",
  "auditLine.call.monitoring.returns": "povrati podataka",
  "auditLine.call.monitoring.submitReturn": "povrat podataka",
  "auditLine.call.monitoring.dashboard": "nadzorna ploča praćenja",
  "auditLine.call.monitoring.report": "izvješće o uspješnosti",
  "auditLine.call.monitoring.startExport": "izvoz izvješća o uspješnosti",
  "auditLine.call.reportExports.download": "datoteka izvezenog izvješća",
  "auditLine.call.observation.write": "opažanja",
  "auditLine.call.observation.series": "niz vrijednosti pokazatelja",
  "auditLine.call.plan.list": "popis planova",
  "auditLine.call.plan.byId": "plan",
  "auditLine.call.plan.overview": "pregled plana",
  "auditLine.call.plan.compare": "usporedba planova",
  "auditLine.call.priority.byId": "prioritet",
  "auditLine.call.priority.analysis": "analiza prioriteta",
  "auditLine.call.priority.areaProfile": "profil područja",
};

/**
 * Both languages' words for the audit trail, to merge into an app's catalogues.
 *
 * @example const en = { ...AUDIT_MESSAGES["en-GB"], ...enGB };
 */
export const AUDIT_MESSAGES = { "en-GB": AUDIT_MESSAGES_EN, "hr-HR": AUDIT_MESSAGES_HR } as const;
