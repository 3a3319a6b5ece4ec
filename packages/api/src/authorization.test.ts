import { testEngine } from "@fivestep/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { appRouter } from "./root.ts";
import { MATRIX } from "./testing/authorization-matrix.ts";
import { ACTORS, type Actor, createFixture, type Fixture, procedureAt } from "./testing/fixtures.ts";

describe("authorization matrix", () => {
  it("has an entry for every procedure in the router", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(procedures).toEqual(Object.keys(MATRIX).sort());
  });

  // Every procedure is called by every actor. On SQLite each call gets a database of its own. On
  // PostgreSQL a new database is a copy of a template, which costs a third of a second or more on
  // a busy machine, about all that 700 calls would spend; so there a procedure's seven calls share
  // one database. The actors it must refuse go first, so each meets the database as it was made
  // but for their sessions (unless a call before was wrongly let in, and that case fails). Then
  // come the actors it must let in, for whom any answer but UNAUTHORIZED or FORBIDDEN passes: what
  // one of them changed cannot let the next one in, since only the administrator may change
  // accounts, roles or memberships, and is the only one let in to those procedures.
  const shared = testEngine() === "postgres";
  const actors = Object.keys(ACTORS) as Actor[];
  for (const [path, spec] of Object.entries(MATRIX)) {
    const refusedFirst = [
      ...actors.filter((a) => spec.access[a] === "deny"),
      ...actors.filter((a) => spec.access[a] !== "deny"),
    ];
    describe(path, () => {
      let sharedFixture: Promise<Fixture> | undefined;
      const fixture = () => {
        if (!shared) return createFixture();
        sharedFixture ??= createFixture();
        return sharedFixture;
      };
      afterAll(async () => {
        if (sharedFixture) await (await sharedFixture).db.destroy();
      });

      it.each(refusedFirst)(`${path} as %s`, async (actor) => {
        const fx = await fixture();
        try {
          const call = procedureAt(await fx.caller(actor), path);
          const outcome = await call(await spec.input(fx)).then(
            () => "allow" as const,
            (error: unknown) => {
              if (!(error instanceof TRPCError)) throw error;
              if (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN") return "deny" as const;
              // Any other answer (not found, bad request, conflict) means the gate let the call in.
              return "allow" as const;
            },
          );
          expect(outcome).toBe(spec.access[actor]);
        } finally {
          if (!shared) await fx.db.destroy();
        }
      });
    });
  }
});
