import type { Catalogue, Locale } from "@fivestep/ui";
import { enGB } from "./en-GB.ts";
import { hrHR } from "./hr-HR.ts";

/** The planner's translation catalogues by locale. @example catalogues["hr-HR"]["app.title"] // "Fivestep planer" */
export const catalogues: Record<Locale, Catalogue> = { "en-GB": enGB, "hr-HR": hrHR };
