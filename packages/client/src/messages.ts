import type { Catalogue, Locale } from "@fivestep/ui";

/**
 * The words this package shows, in each language; each app spreads them into its catalogues.
 * A refused or failed read is worded from its tRPC code, never from the server's English message.
 *
 * @example const catalogues = { "en-GB": { ...CLIENT_MESSAGES["en-GB"], ...enGB }, … };
 */
export const CLIENT_MESSAGES: Record<Locale, Catalogue> = {
  "en-GB": {
    "client.error.NOT_FOUND": "We could not find this. It may have been removed, or the link may be wrong.",
    "client.error.FORBIDDEN": "Your account does not have access to this.",
    "client.error.UNAUTHORIZED": "You are signed out. Sign in again to continue.",
    "client.error.TOO_MANY_REQUESTS": "Too many requests in a short time. Wait a minute, then try again.",
    "client.error.BAD_REQUEST": "This address asks for something Fivestep does not understand.",
    "client.error.CONFLICT": "Someone else changed this in the meantime. Reload to see their version.",
    "client.error.network": "Fivestep could not be reached. Check your connection, then try again.",
    "client.error.other": "Fivestep could not answer just now. Try again in a moment.",
  },
  "hr-HR": {
    "client.error.NOT_FOUND": "Ovo nismo pronašli. Možda je uklonjeno ili je poveznica pogrešna.",
    "client.error.FORBIDDEN": "Vaš račun nema pristup ovome.",
    "client.error.UNAUTHORIZED": "Odjavljeni ste. Ponovno se prijavite za nastavak.",
    "client.error.TOO_MANY_REQUESTS":
      "Previše zahtjeva u kratkom vremenu. Pričekajte minutu pa pokušajte ponovno.",
    "client.error.BAD_REQUEST": "Ova adresa traži nešto što Fivestep ne razumije.",
    "client.error.CONFLICT":
      "Netko je ovo u međuvremenu promijenio. Ponovno učitajte kako biste vidjeli njegovu inačicu.",
    "client.error.network": "Fivestep nije dostupan. Provjerite vezu pa pokušajte ponovno.",
    "client.error.other": "Fivestep trenutačno ne može odgovoriti. Pokušajte ponovno za trenutak.",
  },
};

/** The tRPC codes worded by their own message; any other code is "other". */
const WORDED = new Set([
  "NOT_FOUND",
  "FORBIDDEN",
  "UNAUTHORIZED",
  "TOO_MANY_REQUESTS",
  "BAD_REQUEST",
  "CONFLICT",
]);

/** The little of a tRPC client error that wording needs. */
export interface ErrorLike {
  data?: { code?: string } | null;
}

/**
 * The message id that words an error: its tRPC code's own message, "network" when no answer came
 * (no code), "other" for any other code.
 *
 * @example t(errorMessageId(query.error)) // "We could not find this. …" for NOT_FOUND
 */
export function errorMessageId(error: ErrorLike): string {
  const code = error.data?.code;
  if (!code) return "client.error.network";
  return WORDED.has(code) ? `client.error.${code}` : "client.error.other";
}
