import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { TOKEN_SCOPE_PROCEDURES } from "./auth/tokens.ts";
import { appRouter } from "./root.ts";
import { type Access, MATRIX } from "./testing/authorization-matrix.ts";
import { createFixture, procedureAt } from "./testing/fixtures.ts";
import { makeToken, TOKEN_ACTORS, tokenCaller } from "./testing/token-cases.ts";

// API tokens: a new kind of actor. Each procedure is called with a token of each scope, made by
// someone who may grant it. A token may call exactly the procedures its scope lists
// (`TOKEN_SCOPE_PROCEDURES`) that its creator may call; every other call is FORBIDDEN.
describe("authorization matrix: API tokens", () => {
  it("lists only procedures the router has, and each scope admits something", () => {
    const procedures = new Set(Object.keys(appRouter._def.procedures));
    for (const [scope, paths] of Object.entries(TOKEN_SCOPE_PROCEDURES)) {
      expect(
        paths.filter((p) => !procedures.has(p)),
        scope,
      ).toEqual([]);
      expect(paths.length, scope).toBeGreaterThan(0);
    }
  });

  it("no scope lets a token manage tokens, accounts or sign in", () => {
    const listed = Object.values(TOKEN_SCOPE_PROCEDURES).flat();
    expect(listed.filter((p) => /^(tokens|auth|user|membership)\./.test(p))).toEqual([]);
  });

  const tokenActors = Object.entries(TOKEN_ACTORS);
  for (const [path, spec] of Object.entries(MATRIX)) {
    const expected = (name: string): Access => {
      const token = TOKEN_ACTORS[name];
      if (!token) throw new Error(name);
      const listed = token.scopes.some((s) => TOKEN_SCOPE_PROCEDURES[s].includes(path));
      return listed && spec.access[token.creator] === "allow" ? "allow" : "deny";
    };
    // Refused tokens first, so they meet the database as it was made (as in authorization.test.ts).
    const order = [
      ...tokenActors.filter(([n]) => expected(n) === "deny"),
      ...tokenActors.filter(([n]) => expected(n) === "allow"),
    ].map(([n]) => n);
    it(`${path} with a token of each scope`, async () => {
      const fx = await createFixture();
      try {
        const outcomes: Record<string, string> = {};
        const wanted: Record<string, string> = {};
        for (const name of order) {
          const token = TOKEN_ACTORS[name];
          if (!token) throw new Error(name);
          const { secret } = await makeToken(fx, token);
          const call = procedureAt(await tokenCaller(fx, secret), path);
          outcomes[name] = await Promise.resolve(spec.input(fx))
            .then((input) => call(input))
            .then(
              () => "allow",
              (error: unknown) => {
                if (!(error instanceof TRPCError)) throw error;
                if (error.code === "FORBIDDEN") return "deny";
                // A token never meets UNAUTHORIZED from a procedure: it is authenticated.
                if (error.code === "UNAUTHORIZED") return "UNAUTHORIZED";
                return "allow";
              },
            );
          wanted[name] = expected(name);
        }
        expect(outcomes).toEqual(wanted);
      } finally {
        await fx.db.destroy();
      }
    });
  }
});
