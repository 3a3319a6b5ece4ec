import { type AreaRecord, type Database, findAreaByCode, listAreaTypes, upsertArea } from "@fivestep/db";
import type { Area } from "@fivestep/domain";
import type { Kysely } from "kysely";
import { audit } from "../audit.ts";
import { fieldError } from "../field-error.ts";
import type { Actor } from "./save-import-mapping.ts";

/**
 * Adds areas in one transaction (for instance the unknown codes an import preview lists, named
 * from the file), each audited as an `area` "create". Each code must be new, each type a known area
 * type, and each parent an existing area or one added earlier in the same list. A refusal is a
 * field error on `areas.<n>.<field>` and adds nothing.
 *
 * @example const created = await createAreas(db, ctx, [{ code: "E06000061", name: "North Northamptonshire", type: "district", parentCode: "E12000004" }]);
 */
export async function createAreas(
  db: Kysely<Database>,
  actor: Actor,
  areas: readonly Area[],
): Promise<AreaRecord[]> {
  return db.transaction().execute(async (trx) => {
    const types = new Set((await listAreaTypes(trx)).map((t) => t.name));
    const adding = new Set<string>();
    const created: AreaRecord[] = [];
    for (const [k, area] of areas.entries()) {
      if (adding.has(area.code) || (await findAreaByCode(trx, area.code)))
        throw fieldError(`areas.${k}.code`, `An area with code "${area.code}" already exists`);
      if (!types.has(area.type))
        throw fieldError(
          `areas.${k}.type`,
          `"${area.type}" is not an area type; the types are ${[...types].join(", ")}`,
        );
      if (area.parentCode !== null && !adding.has(area.parentCode)) {
        if (!(await findAreaByCode(trx, area.parentCode)))
          throw fieldError(`areas.${k}.parentCode`, `No area with code "${area.parentCode}"`);
      }
      await upsertArea(trx, area);
      adding.add(area.code);
      const record = (await findAreaByCode(trx, area.code)) as AreaRecord;
      await audit(trx, actor, {
        action: "create",
        entity: "area",
        entityId: record.id,
        partnershipId: null,
        before: null,
        after: record,
      });
      created.push(record);
    }
    return created;
  });
}
