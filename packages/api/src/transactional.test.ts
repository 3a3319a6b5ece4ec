import { createTestDb } from "@fivestep/db/testing";
import { TRPCError } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createContextInner } from "./context.ts";
import { createCallerFactory, createTRPCRouter, publicProcedure, transactional } from "./trpc.ts";

/** A router whose one mutation writes an area type and an audit entry, then fails when told to. */
const router = createTRPCRouter({
  addType: publicProcedure
    .use(transactional)
    .input(z.object({ name: z.string(), fail: z.enum(["no", "throw", "trpc"]) }))
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.trx
        .insertInto("area_type")
        .values({ name: input.name, rank: 99, lookup_prefix: null })
        .returning("id")
        .executeTakeFirstOrThrow();
      await ctx.audit({
        action: "create",
        entity: "area_type",
        entityId: row.id,
        partnershipId: null,
        before: null,
        after: { name: input.name },
      });
      if (input.fail === "throw") throw new Error("the handler broke after writing");
      if (input.fail === "trpc") throw new TRPCError({ code: "CONFLICT", message: "changed meanwhile" });
      return row.id;
    }),
});

let db: Awaited<ReturnType<typeof createTestDb>>;
beforeEach(async () => {
  db = await createTestDb();
});
afterEach(() => db.destroy());

const caller = () => createCallerFactory(router)(createContextInner({ db, requestId: "test-trx" }));
const stored = async (name: string) => ({
  types: (await db.selectFrom("area_type").select("name").where("name", "=", name).execute()).length,
  audit: (
    await db
      .selectFrom("audit_event")
      .select("id")
      .where("entity", "=", "area_type")
      .where("after_json", "like", `%${name}%`)
      .execute()
  ).length,
});

describe("transactional procedures", () => {
  it("commit the handler's writes and its audit entry together", async () => {
    const id = await caller().addType({ name: "Test ward", fail: "no" });
    expect(id).toBeGreaterThan(0);
    expect(await stored("Test ward")).toEqual({ types: 1, audit: 1 });
  });

  it("roll back every write, audit included, when the handler throws or answers with an error", async () => {
    await expect(caller().addType({ name: "Broken ward", fail: "throw" })).rejects.toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
    });
    await expect(caller().addType({ name: "Stale ward", fail: "trpc" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await stored("Broken ward")).toEqual({ types: 0, audit: 0 });
    expect(await stored("Stale ward")).toEqual({ types: 0, audit: 0 });
  });
});
