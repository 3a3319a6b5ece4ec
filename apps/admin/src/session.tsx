import { RequireSignIn } from "@fivestep/client";
import type { ReactNode } from "react";

export { UserMenu, useMe } from "@fivestep/client";

/** Shows its children to system administrators, the sign-in form to everyone signed out, and a plain refusal to anyone else. @example <RequireAdmin><UsersPage /></RequireAdmin> */
export function RequireAdmin(props: { children: ReactNode }) {
  return <RequireSignIn admin>{props.children}</RequireSignIn>;
}
