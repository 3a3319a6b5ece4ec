import type { ColumnType, Generated, Selectable } from "kysely";

/** The `area_type` table: the levels of the area hierarchy, as data. */
export interface AreaTypeTable {
  id: Generated<number>;
  name: string;
  rank: number;
  /** The ONS lookup column stem ("LAD" in LAD19CD) an area lookup import recognises. */
  lookup_prefix: string | null;
}

/** The `comparator_group` table: named sets of areas for benchmarking. */
export interface ComparatorGroupTable {
  id: Generated<number>;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** The `comparator_group_area` table: a group's members. */
export interface ComparatorGroupAreaTable {
  group_id: number;
  area_id: number;
}

/** The `import_mapping` table: the column mapping remembered per source. */
export interface ImportMappingTable {
  id: Generated<number>;
  source: string;
  mapping_json: string;
  updated_at: string;
  version: Generated<number>;
  /** 1 when imports from this source arrive pending (waiting for approval), 0 when they go straight in. */
  arrives_pending: Generated<number>;
}

/** The `import_file` table: an uploaded file waiting to be previewed and committed. */
export interface ImportFileTable {
  id: Generated<number>;
  name: string;
  path: string;
  format: "csv" | "xlsx";
  size: number;
  sha256: string;
  columns_json: string;
  /** The mapping of the last preview; the commit uses it. */
  mapping_json: string | null;
  uploaded_by: number | null;
  uploaded_at: string;
  version: Generated<number>;
}

/** The `import_staging_run` table: one preview or commit whose checks use the staging tables. */
export interface ImportStagingRunTable {
  id: Generated<number>;
  file_id: number | null;
  started_at: string;
}

/** The `import_staging_key` table: a run's accepted keys and the file row that gave each first. */
export interface ImportStagingKeyTable {
  run_id: number;
  indicator_id: number;
  area_id: number;
  period: string;
  breakdown: string;
  file_row: number;
}

/** The `import_staging_text` table: a run's distinct indicator texts, with their rows and first row. */
export interface ImportStagingTextTable {
  run_id: number;
  text: string;
  rows: number;
  first_row: number;
}

/**
 * The `import_batch` table: one import, and where it stands: "committed" (its values are in the
 * data), "rolled-back", "pending" (held in `pending_observation` until another administrator
 * approves it) or "rejected" (held, then refused with `review_note`; nothing was written).
 */
export interface ImportBatchTable {
  id: Generated<number>;
  file_id: number | null;
  source: string;
  file_name: string;
  status: "committed" | "rolled-back" | "pending" | "rejected";
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  committed_by: number | null;
  committed_at: string;
  rolled_back_by: number | null;
  rolled_back_at: string | null;
  version: Generated<number>;
  /** Why values of locked periods change (one reason for the batch's changes of them). */
  revision_reason: string | null;
  /** A rejection's reason. */
  review_note: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
}
/** @example const b: ImportBatchRow = await db.selectFrom("import_batch").selectAll().executeTakeFirstOrThrow(); */
export type ImportBatchRow = Selectable<ImportBatchTable>;

/**
 * The `pending_observation` table: a value of a held ("pending") import batch, waiting for
 * approval; `kind` says whether the key had a stored value when the batch was held.
 */
export interface PendingObservationTable {
  id: Generated<number>;
  batch_id: number;
  indicator_id: number;
  area_id: number;
  period: string;
  breakdown: string;
  period_type: string;
  period_start: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower: number | null;
  upper: number | null;
  publisher_judgement: string | null;
  judgement_source: string | null;
  interval_method: string | null;
  status: string;
  note: string | null;
  kind: "new" | "changed";
}

/**
 * The `observation_revision` table: a value an import batch or an approved data return changed
 * (old, new, which batch or return, who, when, and why when the period was locked).
 */
export interface ObservationRevisionTable {
  id: Generated<number>;
  observation_id: number;
  /** The import batch that changed the value; NULL when a data return did. */
  batch_id: number | null;
  previous_batch_id: number | null;
  old_json: string;
  new_json: string;
  changed_by: number | null;
  changed_at: string;
  /** Why a locked value was revised. */
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** The data return whose approval changed the value. */
  data_return_id: ColumnType<number | null, number | null | undefined, number | null>;
}

/** The stored values of an observation that an import may change (JSON in revisions). */
export interface ObservationValues {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  lower: number | null;
  upper: number | null;
  status: "final" | "provisional";
  note: string | null;
}
