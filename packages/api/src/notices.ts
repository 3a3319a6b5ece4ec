import { type MessageCode, type MessageParams, renderMessage } from "./mail/messages.ts";

/** Inbox messages that are never emailed, by code. */
export type InAppNoticeCode =
  | "dataReturn.approved"
  | "dataReturn.rejected"
  | "dataReturn.pending"
  | "import.approved"
  | "import.rejected";

/** Every code an inbox entry can have: the reminders' (also emailed) and the in-app ones. */
export type NoticeCode = MessageCode | InAppNoticeCode;

/**
 * The English sentence of each in-app notice, stored beside its code and parameters for readers
 * that know no codes (the planner words them from its catalogues, `notice.<code>`).
 *
 * @example IN_APP_NOTICES["import.rejected"] // "Import batch {batch} ({file}) was rejected by {by}: {reason}"
 */
export const IN_APP_NOTICES: Record<InAppNoticeCode, string> = {
  "dataReturn.approved": "Your data return for {indicator} {period} ({value}) was approved by {by}.",
  "dataReturn.rejected": "{by} sent back your data return for {indicator} {period} ({value}): {reason}",
  "dataReturn.pending": "{by} sent {value} for {indicator} {period}; it waits for your approval.",
  "import.approved":
    "Import batch {batch} ({file}) was approved by {by}: {inserted} new and {updated} changed values.",
  "import.rejected": "Import batch {batch} ({file}) was rejected by {by}: {reason}",
};

/**
 * A notice's English sentence from its code and parameters (reminders as their emails word them).
 *
 * @example noticeText("import.rejected", { batch: "7", file: "a.csv", by: "Ana", reason: "Wrong year" }) // "Import batch 7 (a.csv) was rejected by Ana: Wrong year"
 */
export function noticeText(code: NoticeCode, params: MessageParams): string {
  if (code in IN_APP_NOTICES) {
    return IN_APP_NOTICES[code as InAppNoticeCode].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined ? whole : String(params[name]),
    );
  }
  return renderMessage("en-GB", code as MessageCode, params).body;
}
