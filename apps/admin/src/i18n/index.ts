import { CLIENT_MESSAGES } from "@fivestep/client";
import { AUDIT_MESSAGES, RULE_MESSAGES } from "@fivestep/domain";
import type { Catalogue, Locale } from "@fivestep/ui";
import { enGB } from "./en-GB.ts";
import { hrHR } from "./hr-HR.ts";

/** The admin console's translation catalogues by locale. @example catalogues["hr-HR"]["app.title"] */
export const catalogues: Record<Locale, Catalogue> = {
  // Broken domain rules (`fieldReasons` codes) are worded from the domain's own messages.
  "en-GB": { ...CLIENT_MESSAGES["en-GB"], ...RULE_MESSAGES["en-GB"], ...AUDIT_MESSAGES["en-GB"], ...enGB },
  "hr-HR": { ...CLIENT_MESSAGES["hr-HR"], ...RULE_MESSAGES["hr-HR"], ...AUDIT_MESSAGES["hr-HR"], ...hrHR },
};
