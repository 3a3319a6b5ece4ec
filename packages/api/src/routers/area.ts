import { listAreas } from "@fivestep/db";
import { createTRPCRouter, publicProcedure } from "../trpc.ts";

/** Areas and their hierarchy. */
export const areaRouter = createTRPCRouter({
  /** Every area, by type then name. */
  list: publicProcedure.query(({ ctx }) => listAreas(ctx.db)),
});
