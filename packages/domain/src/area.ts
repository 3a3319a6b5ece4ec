import { z } from "zod";

/**
 * An area code: ONS-style ("E08000026") or any other scheme's, as data.
 *
 * @example AreaCodeSchema.parse("E08000026")
 */
export const AreaCodeSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter an area code", abort: true })
  .max(20, "An area code has at most 20 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Use letters, digits, dashes or underscores");

/**
 * An area in the hierarchy (country → region → county → district → ward). `type` is data
 * ("region", "županija"…), not a fixed list, so other countries' hierarchies fit.
 *
 * @example AreaSchema.parse({ code: "E08000026", name: "Coventry", type: "district", parentCode: "E12000005" })
 */
export const AreaSchema = z.object({
  code: AreaCodeSchema,
  name: z.string().trim().min(1, "Enter a name").max(200),
  type: z.string().trim().min(1, "Enter an area type").max(60),
  parentCode: AreaCodeSchema.nullable().default(null),
});
/** @example const a: Area = AreaSchema.parse(raw); */
export type Area = z.infer<typeof AreaSchema>;
