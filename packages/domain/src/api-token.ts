import { z } from "zod";
import { IdSchema } from "./account.ts";

/**
 * What an API token may do. Each scope admits a fixed list of procedures (the api package's
 * `TOKEN_SCOPE_PROCEDURES`): `import:write` sends data files from named sources, `observations:write`
 * sends data-return values (which wait for a lead's approval), `plans:read` and `reports:read` read.
 *
 * @example API_TOKEN_SCOPES.includes("plans:read") // true
 */
export const API_TOKEN_SCOPES = ["import:write", "observations:write", "plans:read", "reports:read"] as const;
/** @example const s: ApiTokenScope = "reports:read"; */
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
/** @example ApiTokenScopeSchema.parse("plans:read") */
export const ApiTokenScopeSchema = z.enum(API_TOKEN_SCOPES);

/**
 * Scopes only an administrator may grant: writes to the shared catalogue data.
 *
 * @example ADMIN_ONLY_SCOPES.includes("import:write") // true
 */
export const ADMIN_ONLY_SCOPES: readonly ApiTokenScope[] = ["import:write"];

/** The longest life of a token, in days (a year). @example MAX_TOKEN_DAYS // 366 */
export const MAX_TOKEN_DAYS = 366;

/** A token's name, as its audit entries show it. @example TokenNameSchema.parse("Warehouse nightly") */
export const TokenNameSchema = z
  .string()
  .trim()
  .min(1, "Give the token a name")
  .max(80, "Use at most 80 characters")
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, "Use letters, digits, spaces and punctuation only");

/** An import source name a token may send data for. @example SourceNameSchema.parse("ONS APS") */
export const SourceNameSchema = z.string().trim().min(1, "Name the source").max(120);

/**
 * A new token: its name, scopes, the import sources `import:write` covers, the partnership a
 * lead's token acts for, and how many days it lasts (1 to 366).
 *
 * @example CreateApiTokenSchema.parse({ name: "Warehouse nightly", scopes: ["import:write"], sources: ["ONS APS"], partnershipId: null, days: 90 })
 */
export const CreateApiTokenSchema = z
  .object({
    name: TokenNameSchema,
    scopes: z
      .array(ApiTokenScopeSchema)
      .min(1, "Choose at least one scope")
      .max(API_TOKEN_SCOPES.length)
      .refine((s) => new Set(s).size === s.length, "Choose each scope once"),
    sources: z.array(SourceNameSchema).max(50).default([]),
    partnershipId: IdSchema.nullable().default(null),
    days: z.int().min(1, "A token lasts at least a day").max(MAX_TOKEN_DAYS, "A token lasts at most a year"),
  })
  .superRefine((v, ctx) => {
    const imports = v.scopes.includes("import:write");
    if (imports && v.sources.length === 0)
      ctx.addIssue({ code: "custom", path: ["sources"], message: "Name the sources this token may import" });
    if (!imports && v.sources.length > 0)
      ctx.addIssue({ code: "custom", path: ["sources"], message: "Sources are only for import:write" });
  });
/** @example const input: CreateApiTokenInput = { name: "Dashboard", scopes: ["reports:read"], partnershipId: 2, days: 30 }; */
export type CreateApiTokenInput = z.input<typeof CreateApiTokenSchema>;
