import type { AppUserRow, MembershipView } from "@fivestep/db";
import type { Role, UserStatus } from "@fivestep/domain";

/** A user as administrators see them and as the audit trail records them: never a password hash or token. */
export interface UserView {
  id: number;
  version: number;
  email: string;
  displayName: string;
  isAdmin: boolean;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

/** @example const view = toUserView(row); */
export function toUserView(row: AppUserRow): UserView {
  return {
    id: row.id,
    version: row.version,
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A membership as the audit trail records it. */
export interface MembershipRecord {
  id: number;
  version: number;
  userId: number;
  partnershipId: number;
  role: Role;
}

/** @example const record = toMembershipRecord(view); */
export function toMembershipRecord(
  m: MembershipView | { id: number; version: number; user_id: number; partnership_id: number; role: Role },
): MembershipRecord {
  return "userId" in m
    ? { id: m.id, version: m.version, userId: m.userId, partnershipId: m.partnershipId, role: m.role }
    : { id: m.id, version: m.version, userId: m.user_id, partnershipId: m.partnership_id, role: m.role };
}
