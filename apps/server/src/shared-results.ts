import {
  type AppRouter,
  type Context,
  createCaller,
  isShared,
  jsonOf,
  type RouterInputs,
} from "@fivestep/api";
import { type FastifyTRPCPluginOptions, fastifyRequestHandler } from "@trpc/server/adapters/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** The tRPC options `buildServer` mounts, with the context maker it defines. */
export type TrpcOptions = FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] & {
  createContext(opts: { req: FastifyRequest; res: FastifyReply }): Promise<Context>;
};

/** A query's input from a GET's `input` parameter (tRPC's form, batched or not), or undefined. */
function queryInput(query: Record<string, unknown>, batch: boolean): unknown {
  if (typeof query.input !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(query.input);
    if (!batch) return parsed;
    return typeof parsed === "object" && parsed !== null && Object.keys(parsed).length === 1
      ? (parsed as Record<string, unknown>)["0"]
      : undefined;
  } catch {
    return undefined;
  }
}

// The answer's bytes, kept as long as the shared result they were made from (a single call, and a
// batch of one): no per-request UTF-8 encoding or length count of 80 KB.
const singleBodies = new WeakMap<object, Buffer>();
const batchBodies = new WeakMap<object, Buffer>();

/** tRPC's answer to one successful call, `{"result":{"data":…}}`, wrapped in [] for a batch. */
function answerBytes(data: unknown, batch: boolean): Buffer {
  const make = () => {
    const body = `{"result":{"data":${jsonOf(data)}}}`;
    return Buffer.from(batch ? `[${body}]` : body);
  };
  if (!isShared(data)) return make();
  const kept = batch ? batchBodies : singleBodies;
  let bytes = kept.get(data);
  if (bytes === undefined) {
    bytes = make();
    kept.set(data, bytes);
  }
  return bytes;
}

/**
 * Serves `plan.overview` (about 80 KB of JSON, the same object for every reader of a plan until
 * it changes) without re-serialising it for each request: the procedure runs through the real
 * router (`createCaller`, so the whole procedure ladder — session, membership, input checks — as
 * for any call), and its JSON (`jsonOf`), encoded once and kept with the cached overview, is sent as tRPC would send it, for a single
 * call or a batch of one. tRPC's own handler builds a Fetch Response for every answer, which for a
 * body this size cost more than the rest of the request (the CPU profile in
 * tooling/bench/README.md). Anything else — a failure, a malformed input, a larger batch — goes to
 * tRPC's handler, so error answers are exactly tRPC's (the procedure then runs a second time).
 *
 * @example registerSharedResultRoutes(app, trpcOptions); // before registering fastifyTRPCPlugin
 */
export function registerSharedResultRoutes(app: FastifyInstance, trpcOptions: TrpcOptions): void {
  const path = "plan.overview";
  app.get(`/trpc/${path}`, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const batch = query.batch === "1";
    const input = queryInput(query, batch);
    if (input !== undefined) {
      try {
        const ctx = await trpcOptions.createContext({ req, res: reply });
        // The procedure validates the input (a tRPC call from the client is checked the same way).
        const data = await createCaller(ctx).plan.overview(input as RouterInputs["plan"]["overview"]);
        return reply.type("application/json").send(answerBytes(data, batch));
      } catch {
        // tRPC's handler below answers with its own error shape and status.
      }
    }
    await fastifyRequestHandler({ ...trpcOptions, req, res: reply, path });
  });
}
