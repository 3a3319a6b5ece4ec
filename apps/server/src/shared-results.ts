import { gzipSync } from "node:zlib";
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

/** An answer's bytes, as they are and gzipped (made when first asked for). */
interface Answer {
  plain: Buffer;
  gzipped?: Buffer;
}

// The answers' bytes, kept as long as the shared result they were made from (a single call, and a
// batch of one): no per-request UTF-8 encoding, length count or compression of 80 KB.
const singleAnswers = new WeakMap<object, Answer>();
const batchAnswers = new WeakMap<object, Answer>();

/** tRPC's answer to one successful call, `{"result":{"data":…}}`, wrapped in [] for a batch. */
function answerOf(data: unknown, batch: boolean): Answer {
  const make = () => {
    const body = `{"result":{"data":${jsonOf(data)}}}`;
    return { plain: Buffer.from(batch ? `[${body}]` : body) };
  };
  if (!isShared(data)) return make();
  const kept = batch ? batchAnswers : singleAnswers;
  let answer = kept.get(data);
  if (answer === undefined) {
    answer = make();
    kept.set(data, answer);
  }
  return answer;
}

/** Whether the client takes gzip (`Accept-Encoding: gzip`, not refused with q=0). */
function acceptsGzip(req: FastifyRequest): boolean {
  const header = req.headers["accept-encoding"];
  return typeof header === "string" && /(^|,)\s*gzip\s*(,|;(?!\s*q=0(\.0*)?\s*(,|$))|$)/i.test(header);
}

/**
 * Serves `plan.overview` (about 80 KB of JSON, the same object for every reader of a plan until
 * it changes) without re-serialising it for each request: the procedure runs through the real
 * router (`createCaller`, so the whole procedure ladder — session, membership, input checks — as
 * for any call), and its JSON (`jsonOf`), encoded once and kept with the cached overview, is sent as tRPC would send it, for a single
 * call or a batch of one. tRPC's own handler builds a Fetch Response for every answer, which for a
 * body this size cost more than the rest of the request (the CPU profile in
 * tooling/bench/README.md). A client that accepts gzip (every browser) gets the answer compressed,
 * also once per cached overview. Anything else — a failure, a malformed input, a larger batch — goes to
 * tRPC's handler (so do streaming clients' requests), so error answers are exactly tRPC's (the procedure then runs a second time).
 *
 * @example registerSharedResultRoutes(app, trpcOptions); // before registering fastifyTRPCPlugin
 */
export function registerSharedResultRoutes(app: FastifyInstance, trpcOptions: TrpcOptions): void {
  const path = "plan.overview";
  app.get(`/trpc/${path}`, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const batch = query.batch === "1";
    // A streaming client (httpBatchStreamLink) asks for JSON lines: tRPC's handler answers it.
    const streaming = req.headers["trpc-accept"] !== undefined;
    const input = streaming ? undefined : queryInput(query, batch);
    if (input !== undefined) {
      try {
        const ctx = await trpcOptions.createContext({ req, res: reply });
        // The procedure validates the input (a tRPC call from the client is checked the same way).
        const data = await createCaller(ctx).plan.overview(input as RouterInputs["plan"]["overview"]);
        const answer = answerOf(data, batch);
        reply.type("application/json").header("vary", "accept-encoding");
        // Browsers always accept gzip: a shared answer is compressed once (80 KB to about a tenth).
        if (isShared(data) && acceptsGzip(req)) {
          answer.gzipped ??= gzipSync(answer.plain);
          return reply.header("content-encoding", "gzip").send(answer.gzipped);
        }
        return reply.send(answer.plain);
      } catch {
        // tRPC's handler below answers with its own error shape and status.
      }
    }
    await fastifyRequestHandler({ ...trpcOptions, req, res: reply, path });
  });
}
