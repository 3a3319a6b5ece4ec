import type { AuditWords } from "@fivestep/domain";
import { DataTable } from "./data-table.tsx";
import { type I18n, useI18n } from "./i18n.tsx";

/** One audit entry as the api returns it. */
export interface AuditRow {
  id: number;
  at: string;
  actorName: string | null;
  /** The API token the change was made with, if any (its creator is `actorName`). */
  actorTokenName?: string | null;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** The change in words (`auditWords`), as the api sends it. */
  words?: readonly AuditWords[];
}

/**
 * One audit sentence in the reader's language: numbers in the locale's notation, a status or
 * role in its own words, names and codes as they are.
 *
 * @example auditSentence({ id: "auditLine.target.changed", params: { who: "Cara Lead", indicator: "NI 151", period: "2010 Q4", from: 75.5, to: 75 } }, useI18n())
 * // "Cara Lead changed the target for NI 151 in 2010 Q4 from 75.5 to 75"
 */
export function auditSentence(words: AuditWords, i18n: Pick<I18n, "t" | "formatNumber">): string {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(words.params))
    params[key] =
      typeof value === "number"
        ? i18n.formatNumber(value, { maximumFractionDigits: 6 })
        : typeof value === "string"
          ? value
          : i18n.t(value.id);
  return i18n.t(words.id, params);
}

const show = (v: unknown) =>
  v === null || v === undefined ? "–" : typeof v === "object" ? JSON.stringify(v) : String(v);

/**
 * The fields that differ between before and after, as "field: old → new" lines; for a record
 * created or deleted, its fields.
 *
 * @example changes({ role: "viewer", version: 1 }, { role: "editor", version: 2 }) // ["role: viewer → editor", "version: 1 → 2"]
 */
export function changes(before: unknown, after: unknown): string[] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => show(b[k]) !== show(a[k]))
    .map((k) =>
      k in b && k in a
        ? `${k}: ${show(b[k])} → ${show(a[k])}`
        : k in a
          ? `${k}: ${show(a[k])}`
          : `${k}: ${show(b[k])} → –`,
    );
}

/**
 * The audit trail as a table: when, who, what happened in words, and behind a disclosure the
 * record's kind, id and changed fields. Uses the message ids `audit.*` and `auditLine.*`.
 *
 * @example <AuditTable rows={events} caption="Changes" />
 */
export function AuditTable(props: { rows: readonly AuditRow[]; caption: string }) {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  return (
    <DataTable
      caption={props.caption}
      rows={props.rows}
      rowKey={(r) => String(r.id)}
      empty={t("audit.empty")}
      columns={[
        {
          key: "at",
          header: t("audit.when"),
          cell: (r) => formatDate(r.at, { dateStyle: "medium", timeStyle: "medium" }),
          rowHeader: true,
        },
        {
          key: "who",
          header: t("audit.who"),
          cell: (r) =>
            r.actorTokenName
              ? t("audit.byToken", { token: r.actorTokenName, name: r.actorName ?? t("audit.system") })
              : (r.actorName ?? t("audit.system")),
        },
        {
          key: "happened",
          header: t("audit.happened"),
          cell: (r) =>
            r.words && r.words.length > 0 ? (
              <ul className="fs-changes">
                {r.words.map((w, k) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: one entry's sentences never reorder
                  <li key={k}>{auditSentence(w, i18n)}</li>
                ))}
              </ul>
            ) : (
              `${r.action} ${r.entity} ${r.entityId}`
            ),
        },
        {
          key: "details",
          header: t("audit.details"),
          cell: (r) => (
            // The record as stored, for those who need it: its kind, id and every field that changed.
            <details className="fs-audit-details">
              <summary>{t("audit.showDetails")}</summary>
              <p>
                {r.action} · {r.entity} {r.entityId}
              </p>
              <ul className="fs-changes">
                {changes(r.before, r.after).map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </details>
          ),
        },
      ]}
    />
  );
}
