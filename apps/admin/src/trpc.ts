import type { AppRouter } from "@fivestep/api";
import { createTRPCContext } from "@trpc/tanstack-react-query";

// Only the router's type crosses into the browser bundle; no server code is imported.
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
