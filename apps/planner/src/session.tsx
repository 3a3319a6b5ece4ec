// Pages import the shared session hooks through this module.
export { RequireSignIn, UserMenu, useMe } from "@fivestep/client";
