import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContextInner } from "../context.ts";
import { appRouter } from "../root.ts";
import type { Actor, Fixture } from "./fixtures.ts";

/** What a client receives when a mutation is refused: the status, message and reasons by field. */
export interface Refusal {
  status: number;
  message: string;
  /** `data.fieldReasons`: a broken rule's code and parameters by field path. */
  reasons: Record<string, { code: string; params?: Record<string, string | number> }>;
}

/**
 * Calls a mutation over HTTP as `actor` (through the real error formatter, as the apps see it)
 * and returns what came back. Throws when the call succeeds.
 *
 * @example const { reasons } = await refusalOf(fx, "editor", "item.save", input);
 */
export async function refusalOf(fx: Fixture, actor: Actor, path: string, input: unknown): Promise<Refusal> {
  const session = await fx.session(actor);
  const res = await fetchRequestHandler({
    endpoint: "/trpc",
    router: appRouter,
    req: new Request(`http://localhost/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    }),
    createContext: () => createContextInner({ db: fx.db, session }),
  });
  const body = (await res.json()) as {
    error?: { message: string; data?: { fieldReasons?: Refusal["reasons"] | null } };
  };
  if (!body.error) throw new Error(`${path} succeeded: ${JSON.stringify(body)}`);
  return { status: res.status, message: body.error.message, reasons: body.error.data?.fieldReasons ?? {} };
}

/**
 * The codes of a refusal's reasons by field path, for compact assertions.
 *
 * @example codesOf(refusal) // { "item.data.milestones.0.value": "value.aboveMax" }
 */
export function codesOf(refusal: Refusal): Record<string, string> {
  return Object.fromEntries(Object.entries(refusal.reasons).map(([k, v]) => [k, v.code]));
}
