import type { AppRouter } from "@fivestep/api";
import { createTRPCContext } from "@trpc/tanstack-react-query";

/**
 * The tRPC hooks both apps use. Only the router's type crosses into the browser bundle; no server
 * code is imported.
 *
 * @example
 * const trpc = useTRPC();
 * const me = useQuery(trpc.auth.me.queryOptions());
 */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
