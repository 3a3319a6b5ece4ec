// Pages import the shared tRPC hook through this module.
export { useTRPC } from "@fivestep/client";
