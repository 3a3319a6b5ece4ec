import { DataTable } from "./data-table.tsx";
import { useI18n } from "./i18n.tsx";

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
 * The audit trail as a table: when, who, what, which record, and what changed. Uses the message
 * ids `audit.*`.
 *
 * @example <AuditTable rows={events} caption="Changes" />
 */
export function AuditTable(props: { rows: readonly AuditRow[]; caption: string }) {
  const { t, formatDate } = useI18n();
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
        { key: "action", header: t("audit.action"), cell: (r) => r.action },
        { key: "record", header: t("audit.record"), cell: (r) => `${r.entity} ${r.entityId}` },
        {
          key: "changes",
          header: t("audit.changes"),
          cell: (r) => (
            <ul className="fs-changes">
              {changes(r.before, r.after).map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}
