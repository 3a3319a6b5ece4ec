import {
  type DataReturnRow,
  type Executor,
  findAreaByCode,
  findDataReturn,
  findIndicatorByCode,
  listMemberships,
  listPartnerships,
  lockedChanges,
  reviseObservation,
  updateWithVersion,
} from "@fivestep/db";
import { lockViolation, valueViolation } from "@fivestep/domain";
import { TRPCError } from "@trpc/server";
import { audit } from "../audit.ts";
import type { SessionInfo } from "../auth/sessions.ts";
import type { Context } from "../context.ts";
import { staleOrMissing } from "../errors.ts";
import { ruleError } from "../field-error.ts";
import { inAppNotifier, recomputeStatuses, type StatusChangeResult } from "../monitoring.ts";

/** Who reviews, and the request it comes in (for the audit trail). */
type Reviewer = Pick<Context, "requestId"> & { session: SessionInfo };

/** A return named by id at the version the reviewer saw. */
export interface ReturnRef {
  id: number;
  version: number;
}

/** The partnership's area: the one its returns' values belong to. */
async function partnershipArea(db: Executor, partnershipId: number): Promise<{ code: string; id: number }> {
  const [partnership] = await listPartnerships(db, { ids: [partnershipId] });
  const area = partnership && (await findAreaByCode(db, partnership.areaCode));
  if (!partnership || !area) throw new TRPCError({ code: "NOT_FOUND", message: "No such partnership" });
  return { code: area.code, id: area.id };
}

/**
 * The returns named, each still at the version seen and with a value waiting: NOT_FOUND for one
 * that is not this partnership's (as for one that does not exist), CONFLICT for one changed
 * since, a field error for one with nothing pending. Each id once, in the order given.
 */
async function pendingReturns(
  db: Executor,
  partnershipId: number,
  refs: readonly ReturnRef[],
): Promise<Array<{ ref: ReturnRef; row: DataReturnRow }>> {
  const seen = new Set<number>();
  const out: Array<{ ref: ReturnRef; row: DataReturnRow }> = [];
  for (const ref of refs) {
    if (seen.has(ref.id)) continue;
    seen.add(ref.id);
    const row = await findDataReturn(db, partnershipId, ref.id);
    if (!row) throw staleOrMissing("data return", undefined);
    if (row.version !== ref.version) throw staleOrMissing("data return", row);
    if (row.status !== "pending")
      throw ruleError("returns", {
        code: "return.nothingPending",
        params: { indicator: row.indicator_code, period: row.period },
      });
    out.push({ ref, row });
  }
  return out;
}

/** "74.7" for the messages people read. */
/** A value for a notice: the number (worded in the reader's notation), or "–" for none. */
const shown = (value: number | null): number | string => (value === null ? "–" : value);

/** The people to tell about a return: its assignee, and whoever submitted it if someone else. */
const peopleOf = (row: DataReturnRow) =>
  [...new Set([row.assignee_user_id, row.submitted_by])].filter((id): id is number => id !== null);

/**
 * Approves pending data returns of one partnership, all in the caller's transaction: each value
 * is written into `observation` (a replaced value is kept as a revision, with the reason when its
 * period is locked), the return becomes approved, the change is audited, its people are told,
 * and then the targets of the partnership's area that use each indicator are judged again, once
 * per indicator, with the approval as the cause. Nobody approves a value they submitted. A value
 * that would change a locked period needs a reason: the approver's `revisionReason`, or the one
 * given with the submission.
 *
 * @example
 * await db.transaction().execute((trx) =>
 *   approveDataReturns(trx, ctx, { partnershipId: 1, returns: [{ id: 4, version: 2 }], revisionReason: "", at: nowIso() }),
 * );
 */
export async function approveDataReturns(
  db: Executor,
  ctx: Reviewer,
  input: { partnershipId: number; returns: readonly ReturnRef[]; revisionReason: string; at: string },
): Promise<{ approved: number[]; changes: StatusChangeResult[] }> {
  const me = ctx.session.user;
  const rows = await pendingReturns(db, input.partnershipId, input.returns);
  for (const { row } of rows) {
    if (row.submitted_by === me.id)
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `You submitted ${row.indicator_code} ${row.period} yourself: another lead must approve it.`,
      });
  }
  const area = await partnershipArea(db, input.partnershipId);
  const approvedByIndicator = new Map<string, string[]>();
  for (const { ref, row } of rows) {
    const indicator = await findIndicatorByCode(db, row.indicator_code);
    if (!indicator)
      throw new TRPCError({ code: "NOT_FOUND", message: `No indicator with code "${row.indicator_code}"` });
    // The indicator's range may have changed since the value was sent.
    const wrong = row.value === null ? null : valueViolation(indicator, row.value);
    if (wrong) throw ruleError("value", wrong);
    const key = { indicatorId: indicator.id, areaId: area.id, period: row.period, breakdown: "" };
    const reason = input.revisionReason.trim() || row.revision_reason?.trim() || "";
    const [locked] = await lockedChanges(db, [{ ...key, value: row.value }]);
    if (locked) {
      const v = lockViolation({
        indicator: row.indicator_code,
        period: row.period,
        locked: true,
        current: locked.current.value,
        value: row.value,
        reason,
      });
      if (v) throw ruleError("revisionReason", v);
    }
    const written = await reviseObservation(
      db,
      key,
      {
        value: row.value,
        numerator: null,
        denominator: null,
        lower: null,
        upper: null,
        status: "final",
        note: row.note || null,
      },
      { by: me.id, at: input.at, reason: reason || null, dataReturnId: row.id },
    );
    const after = await updateWithVersion(db, "data_return", row.id, ref.version, {
      status: "approved",
      reviewed_by: me.id,
      reviewed_at: input.at,
      review_note: null,
    });
    if (!after) throw staleOrMissing("data return", row);
    await audit(db, ctx, {
      action: "approve",
      entity: "data_return",
      entityId: row.id,
      partnershipId: input.partnershipId,
      before: { version: row.version, status: row.status, value: row.value },
      after: {
        version: after.version,
        status: after.status,
        value: after.value,
        replaced: written.old?.value ?? null,
        reason: reason || null,
      },
    });
    for (const userId of peopleOf(row)) {
      await inAppNotifier.notify(db, userId, {
        kind: "data-return-approved",
        code: "dataReturn.approved",
        params: {
          indicator: row.indicator_code,
          period: row.period,
          value: shown(row.value),
          by: me.displayName,
        },
        link: "/returns",
      });
    }
    approvedByIndicator.set(row.indicator_code, [
      ...(approvedByIndicator.get(row.indicator_code) ?? []),
      row.period,
    ]);
  }
  const changes: StatusChangeResult[] = [];
  for (const [code, periods] of approvedByIndicator) {
    const what =
      periods.length === 1
        ? `Data return ${code} ${periods[0]}`
        : `Data returns ${code} ${periods.join(", ")}`;
    changes.push(
      ...(await recomputeStatuses(db, {
        indicatorCodes: [code],
        // The values are the partnership's area's: only targets for that area can have moved.
        areaCodes: [area.code],
        cause: `${what} approved by ${me.displayName}`,
        at: input.at,
      })),
    );
  }
  return { approved: rows.map((r) => r.row.id), changes };
}

/**
 * Sends pending data returns back to their contributors with the lead's reason, in the caller's
 * transaction: each return is due again (its value kept to show what was sent), audited, and its
 * people are told why. Nothing reaches the data.
 *
 * @example await rejectDataReturns(trx, ctx, { partnershipId: 1, returns: [{ id: 4, version: 2 }], reason: "Check the decimal point", at: nowIso() });
 */
export async function rejectDataReturns(
  db: Executor,
  ctx: Reviewer,
  input: { partnershipId: number; returns: readonly ReturnRef[]; reason: string; at: string },
): Promise<{ rejected: number[] }> {
  const me = ctx.session.user;
  const rows = await pendingReturns(db, input.partnershipId, input.returns);
  for (const { ref, row } of rows) {
    const after = await updateWithVersion(db, "data_return", row.id, ref.version, {
      status: "due",
      review_note: input.reason,
      reviewed_by: me.id,
      reviewed_at: input.at,
    });
    if (!after) throw staleOrMissing("data return", row);
    await audit(db, ctx, {
      action: "reject",
      entity: "data_return",
      entityId: row.id,
      partnershipId: input.partnershipId,
      before: { version: row.version, status: row.status, value: row.value },
      after: { version: after.version, status: after.status, value: after.value, reason: input.reason },
    });
    for (const userId of peopleOf(row)) {
      await inAppNotifier.notify(db, userId, {
        kind: "data-return-rejected",
        code: "dataReturn.rejected",
        params: {
          indicator: row.indicator_code,
          period: row.period,
          value: shown(row.value),
          by: me.displayName,
          reason: input.reason,
        },
        link: "/returns",
      });
    }
  }
  return { rejected: rows.map((r) => r.row.id) };
}

/**
 * Tells the partnership's leads (other than the person who sent it) that a value waits for their
 * approval.
 *
 * @example await notifyApprovers(trx, row, "Cory Contributor");
 */
export async function notifyApprovers(db: Executor, row: DataReturnRow, submitter: string): Promise<void> {
  const leads = (await listMemberships(db, { partnershipId: row.partnership_id })).filter(
    (m) => m.role === "lead" && m.userId !== row.submitted_by,
  );
  for (const lead of leads) {
    await inAppNotifier.notify(db, lead.userId, {
      kind: "data-return-pending",
      code: "dataReturn.pending",
      params: { by: submitter, value: shown(row.value), indicator: row.indicator_code, period: row.period },
      link: `/partnerships/${row.partnership_id}/approvals`,
    });
  }
}
