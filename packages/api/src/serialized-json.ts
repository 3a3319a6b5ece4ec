// A result that many requests share (a cached overview is the same object for every reader of
// one plan until it changes) is turned into JSON once, not once per request.

const shared = new WeakSet<object>();
const texts = new WeakMap<object, string>();

/**
 * Marks a value that will not change again and is handed to many requests, so `jsonOf` turns it
 * into JSON once. Returns the value. Never mark a value that is later changed.
 *
 * @example const overview = markShared(await planOverview(db, plan, areaCode));
 */
export function markShared<T extends object>(value: T): T {
  shared.add(value);
  return value;
}

/**
 * Whether a value was marked with `markShared` (so whatever is derived from it alone may be kept
 * as long as the value is).
 *
 * @example if (isShared(overview)) bodies.set(overview, Buffer.from(jsonOf(overview)));
 */
export function isShared(value: unknown): value is object {
  return typeof value === "object" && value !== null && shared.has(value);
}

/**
 * The JSON text of a value: made once and kept for values marked with `markShared` (for as long
 * as the value itself is kept), made afresh for any other.
 *
 * @example reply.send(`{"result":{"data":${jsonOf(overview)}}}`);
 */
export function jsonOf(value: unknown): string {
  if (!isShared(value)) return JSON.stringify(value);
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}
