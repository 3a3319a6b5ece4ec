import { z } from "zod";
import { AreaCodeSchema } from "./area.ts";

/**
 * Roles within a partnership, weakest first. A lead runs the plan; an editor writes it; a
 * contributor updates the actions and data returns assigned to them; a viewer reads.
 *
 * @example ROLES.indexOf("editor") > ROLES.indexOf("viewer") // true
 */
export const ROLES = ["viewer", "contributor", "editor", "lead"] as const;
/** @example RoleSchema.parse("lead") */
export const RoleSchema = z.enum(ROLES);
/** @example const r: Role = "editor"; */
export type Role = z.infer<typeof RoleSchema>;

/**
 * True when `held` is at least as strong as `needed`.
 *
 * @example roleAtLeast("lead", "editor") // true
 */
export function roleAtLeast(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** Account states: invited (no password yet), active, deactivated (kept for its history). */
export const USER_STATUSES = ["invited", "active", "deactivated"] as const;
/** @example UserStatusSchema.parse("active") */
export const UserStatusSchema = z.enum(USER_STATUSES);
/** @example const s: UserStatus = "deactivated"; */
export type UserStatus = z.infer<typeof UserStatusSchema>;

/** An email address, trimmed and lower-cased. @example EmailSchema.parse(" Ana@Example.org ") // "ana@example.org" */
export const EmailSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter an email address", abort: true })
  .max(254, "An email address has at most 254 characters")
  .toLowerCase()
  .pipe(z.email("Enter an email address in the right format, like name@example.org"));

/**
 * A new password: long rather than complicated (NCSC guidance), at most 200 characters. The
 * server also refuses one that is easy to guess (`checkPasswordStrength` in
 * `@fivestep/domain/password-strength`, kept apart for the size of its dictionaries).
 *
 * @example NewPasswordSchema.parse("correct horse battery staple")
 */
export const NewPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(200, "Use at most 200 characters")
  .refine((p) => p.trim().length >= 12, "Use at least 12 characters that are not spaces");

/** @example SignInSchema.parse({ email: "lead@coventry.example", password: "…" }) */
export const SignInSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, "Enter your password").max(200, "Use at most 200 characters"),
});

/** @example ChangePasswordSchema.parse({ currentPassword: "old…", newPassword: "new and long enough" }) */
export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(200),
    newPassword: NewPasswordSchema,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    message: "Choose a password different from the current one",
    path: ["newPassword"],
  });

/** @example AcceptInviteSchema.parse({ token: "…", password: "a long new password" }) */
export const AcceptInviteSchema = z.object({
  token: z.string().min(20, "This invitation link is not valid").max(200),
  password: NewPasswordSchema,
});

/** A person's name as shown to colleagues. @example DisplayNameSchema.parse("Ana Horvat") */
export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(120, "Use at most 120 characters");

/** A database id. @example IdSchema.parse(3) */
export const IdSchema = z
  .int("Must be a whole number")
  .positive("Must be a positive id")
  // Ids are 32-bit integers on PostgreSQL; a larger one can name nothing on either engine.
  .max(2_147_483_647, "No record has an id this large");

/** The version an edit was made against (optimistic concurrency). @example VersionSchema.parse(1) */
export const VersionSchema = z.int().min(1).max(2_147_483_647);

/**
 * What an administrator fills in to invite someone.
 *
 * @example InviteUserSchema.parse({ email: "ana@example.org", displayName: "Ana", isAdmin: false })
 */
export const InviteUserSchema = z.object({
  email: EmailSchema,
  displayName: DisplayNameSchema,
  isAdmin: z.boolean().default(false),
  membership: z.object({ partnershipId: IdSchema, role: RoleSchema }).nullable().default(null),
});

/** @example UpdateUserSchema.parse({ id: 2, version: 1, displayName: "Ana Horvat", isAdmin: false }) */
export const UpdateUserSchema = z.object({
  id: IdSchema,
  version: VersionSchema,
  displayName: DisplayNameSchema,
  isAdmin: z.boolean(),
});

/**
 * A partnership: the bodies working for one area.
 *
 * @example PartnershipSchema.parse({ name: "Coventry Partnership", areaCode: "E08000026" })
 */
export const PartnershipSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(200, "Use at most 200 characters"),
  areaCode: AreaCodeSchema,
});

/** A signed-in person as the apps see them. @example const u: CurrentUser = (await trpc.auth.me())!; */
export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  isAdmin: boolean;
  memberships: Array<{ partnershipId: number; partnershipName: string; role: Role }>;
}

/** The languages Fivestep writes to people in. @example MESSAGE_LOCALES[1] // "hr-HR" */
export const MESSAGE_LOCALES = ["en-GB", "hr-HR"] as const;

/**
 * A person's saved language (their emails and notifications are written in it) and which
 * reminders they receive by email, and whether they want the weekly digest.
 *
 * @example EmailSettingsSchema.parse({ locale: "hr-HR", dataReturns: true, actions: false, targets: true })
 */
export const EmailSettingsSchema = z
  .object({
    locale: z.enum(MESSAGE_LOCALES),
    dataReturns: z.boolean(),
    actions: z.boolean(),
    targets: z.boolean(),
    /** A weekly digest of each of the person's partnerships (off unless chosen). */
    weeklyDigest: z.boolean().default(false),
  })
  .strict();
/** @example const s: EmailSettings = { locale: "en-GB", dataReturns: true, actions: true, targets: true, weeklyDigest: false }; */
export type EmailSettings = z.infer<typeof EmailSettingsSchema>;
