export { CLIENT_MESSAGES, type ErrorLike, errorMessageId } from "./messages.ts";
export { createQueryClient, type MountOptions, mountApp } from "./mount.tsx";
export { QueryState, QueryView, type QueryViewProps, usePageTitle } from "./query-view.tsx";
export { RequireSignIn, SignInPage, UserMenu, useMe } from "./session.tsx";
export { type ApiTokenRow, TokenTable } from "./token-table.tsx";
export { TRPCProvider, useTRPC } from "./trpc.ts";
