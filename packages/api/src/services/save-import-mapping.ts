import { type Executor, nowIso, rememberImportMapping } from "@fivestep/db";
import type { ImportMapping } from "@fivestep/domain";
import { audit } from "../audit.ts";
import type { Context } from "../context.ts";

/** Who saves: the signed-in person (a request) or nobody (the command line, as the machine). */
export type Actor = Pick<Context, "session" | "requestId"> & Partial<Pick<Context, "token">>;

/** What saving a mapping did. */
export interface SavedMapping {
  id: number;
  version: number;
  name: string;
  action: "create" | "update" | "unchanged";
}

/**
 * Saves a mapping under a name (replacing the one saved under it before), inside the caller's
 * transaction, with one `import_mapping` audit entry when it changed. The only way a saved mapping
 * changes: previews and commits never save one unless asked.
 *
 * @example const saved = await saveImportMapping(trx, ctx, "Nomis claimant count", mapping);
 */
export async function saveImportMapping(
  trx: Executor,
  actor: Actor,
  name: string,
  mapping: ImportMapping,
): Promise<SavedMapping> {
  const saved = await rememberImportMapping(trx, name, mapping, nowIso());
  if (saved.action !== "unchanged") {
    await audit(trx, actor, {
      action: saved.action,
      entity: "import_mapping",
      entityId: saved.id,
      partnershipId: null,
      before: saved.before === null ? null : { version: saved.version - 1, mapping: saved.before },
      after: { version: saved.version, source: name, mapping },
    });
  }
  return { id: saved.id, version: saved.version, name, action: saved.action };
}
