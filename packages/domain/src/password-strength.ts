/**
 * The password policy, after NIST SP 800-63B: no composition rules (no "one capital, one digit"),
 * but a new password must not be easy to guess. zxcvbn-ts estimates how many guesses a password
 * would take against common passwords, English words and names, keyboard patterns, repeats,
 * sequences and dates, and the person's own details; a score below 3 (fewer than about 10^8
 * guesses) is refused.
 *
 * This module carries the dictionaries (about a megabyte): it is a separate entry point,
 * `@fivestep/domain/password-strength`, so that nothing reaches it by importing `@fivestep/domain`.
 * The server imports it; a browser app may load it only with a dynamic `import()`.
 */
import { type TranslationKeys, ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary } from "@zxcvbn-ts/language-en";

/**
 * The lowest zxcvbn score (0–4) a new password may have: 3 means "safely unguessable: moderate
 * protection from an offline slow-hash attack" (at least about 10^8 guesses).
 *
 * @example checkPasswordStrength(p, inputs).score >= PASSWORD_MIN_SCORE
 */
export const PASSWORD_MIN_SCORE = 3;

/**
 * Why a password is easy to guess, as codes (zxcvbn-ts's feedback keys) for the apps to translate.
 *
 * @example PASSWORD_WARNINGS.includes("simpleRepeat") // true
 */
export const PASSWORD_WARNINGS = [
  "straightRow",
  "keyPattern",
  "simpleRepeat",
  "extendedRepeat",
  "sequences",
  "recentYears",
  "dates",
  "topTen",
  "topHundred",
  "common",
  "similarToCommon",
  "wordByItself",
  "namesByThemselves",
  "commonNames",
  "userInputs",
  "pwned",
] as const satisfies ReadonlyArray<keyof TranslationKeys["warnings"]>;
/** @example const w: PasswordWarning = "userInputs"; */
export type PasswordWarning = (typeof PASSWORD_WARNINGS)[number];

/**
 * What would make a password harder to guess, as codes (zxcvbn-ts's feedback keys).
 *
 * @example PASSWORD_SUGGESTIONS.includes("anotherWord") // true
 */
export const PASSWORD_SUGGESTIONS = [
  "l33t",
  "reverseWords",
  "allUppercase",
  "capitalization",
  "dates",
  "recentYears",
  "associatedYears",
  "sequences",
  "repeated",
  "longerKeyboardPattern",
  "anotherWord",
  "useWords",
  "noNeed",
  "pwned",
] as const satisfies ReadonlyArray<keyof TranslationKeys["suggestions"]>;
/** @example const s: PasswordSuggestion = "anotherWord"; */
export type PasswordSuggestion = (typeof PASSWORD_SUGGESTIONS)[number];

// Both lists must name every key zxcvbn-ts can answer with: this fails to compile otherwise.
type Missing<Keys, Listed> = [Exclude<Keys, Listed>] extends [never] ? true : Exclude<Keys, Listed>;
const allWarningsListed: Missing<keyof TranslationKeys["warnings"], PasswordWarning> = true;
const allSuggestionsListed: Missing<keyof TranslationKeys["suggestions"], PasswordSuggestion> = true;
void allWarningsListed;
void allSuggestionsListed;

/** The verdict on a new password. */
export interface PasswordStrength {
  /** True when the password may be used. */
  ok: boolean;
  /** zxcvbn's 0 (too guessable) to 4 (very unguessable); `ok` is `score >= PASSWORD_MIN_SCORE`. */
  score: 0 | 1 | 2 | 3 | 4;
  /** The main reason it is easy to guess, or null (always null when `ok`). */
  warning: PasswordWarning | null;
  /** Advice for a better one (always empty when `ok`). */
  suggestions: PasswordSuggestion[];
}

/** Words anyone attacking a Fivestep account would try first, whoever the person is. */
const SERVICE_WORDS = ["fivestep"];

/**
 * zxcvbn looks at this many characters at most. Its date and sequence matching grows quickly with
 * length (about half a second for 64 digits on a small server, several for 200), and cutting the
 * password only ever lowers the estimate, so a long password is never accepted for it.
 */
const CHECKED_LENGTH = 64;

/**
 * A password made only of the person's details and the service's name is refused when fewer than
 * this many of its letters and digits are anything else.
 */
const MIN_OWN_CHARACTERS = 6;

// Building the ranked dictionaries takes a few hundred milliseconds: done once, on first use.
let factory: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
    maxLength: CHECKED_LENGTH,
  });
  return factory;
}

const compact = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

/**
 * The words of the person's details that an attacker would try: each detail whole, without its
 * punctuation, and each of its words of three or more letters ("ana.horvat@grad.example" gives
 * "ana.horvat@grad.example", "anahorvatgradexample", "ana", "horvat", "grad", "example").
 */
function contextWords(userInputs: readonly string[]): string[] {
  const words = new Set<string>();
  for (const input of [...userInputs, ...SERVICE_WORDS]) {
    const whole = input.trim().toLowerCase();
    if (whole.length >= 3) words.add(whole);
    if (compact(whole).length >= 3) words.add(compact(whole));
    for (const part of whole.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/** True when taking the person's words out of the password leaves fewer than a few characters. */
function madeOfContext(password: string, words: readonly string[]): boolean {
  const original = compact(password);
  let rest = original;
  const longestFirst = words.map(compact).sort((a, b) => b.length - a.length);
  for (let before = ""; before !== rest; ) {
    before = rest;
    for (const word of longestFirst) if (word) rest = rest.split(word).join("");
  }
  return rest !== original && rest.length < MIN_OWN_CHARACTERS;
}

/**
 * Judges a new password: `ok` when zxcvbn-ts scores it at least `PASSWORD_MIN_SCORE` (3) given
 * the person's details and the service's name ("fivestep", always added), and it is not made
 * almost only of those details (then the warning is `userInputs` and the score at most 1).
 * Pure and synchronous; the first call builds the dictionaries (a few hundred milliseconds).
 * Length limits are `NewPasswordSchema`'s job; only the first 64 characters are examined.
 *
 * @example
 * checkPasswordStrength("aaaaaaaaaaaa", ["ana@example.org", "Ana Horvat"])
 * // { ok: false, score: 0, warning: "simpleRepeat", suggestions: ["anotherWord", "repeated"] }
 * checkPasswordStrength("violet tractor mango lantern", ["ana@example.org", "Ana Horvat"])
 * // { ok: true, score: 4, warning: null, suggestions: [] }
 */
export function checkPasswordStrength(password: string, userInputs: readonly string[]): PasswordStrength {
  const words = contextWords(userInputs);
  const result = zxcvbn().check(password, words);
  if (madeOfContext(password, words)) {
    return {
      ok: false,
      score: Math.min(result.score, 1) as 0 | 1,
      warning: "userInputs",
      suggestions: ["anotherWord"],
    };
  }
  const ok = result.score >= PASSWORD_MIN_SCORE;
  return {
    ok,
    score: result.score as PasswordStrength["score"],
    warning: ok ? null : known(PASSWORD_WARNINGS, result.feedback.warning),
    suggestions: ok
      ? []
      : result.feedback.suggestions.flatMap((s) => {
          const code = known(PASSWORD_SUGGESTIONS, s);
          return code ? [code] : [];
        }),
  };
}

function known<T extends string>(codes: readonly T[], value: string | null): T | null {
  return value && (codes as readonly string[]).includes(value) ? (value as T) : null;
}
