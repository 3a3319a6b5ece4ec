import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. `Algorithm` is a const enum that
// isolated modules cannot read; 2 is its Argon2id member.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes a password with argon2id (a random salt is inside the result).
 *
 * @example const stored = await hashPassword("correct horse battery staple");
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when the account does not exist keeps the time the same either way, so
// response times do not reveal which email addresses have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash; with no hash (no account, or an invitation not yet
 * accepted) it still spends the same time and answers false.
 *
 * @example if (!(await verifyPassword(user?.password_hash ?? null, input.password))) throw …
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword("not a real password, only for timing");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/**
 * A random URL-safe token (session ids, invitation links): 32 bytes of entropy.
 *
 * @example const token = randomToken();
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * A readable random password for demo and first-administrator accounts: 16 characters from 57
 * (about 93 bits), far above the password policy's bar (a test checks it always passes).
 *
 * @example randomPassword() // "kVq7-3xTb-pN2w-Hr8m"
 */
export function randomPassword(): string {
  const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/**
 * SHA-256 of a token, hex: what the database stores instead of the token itself.
 *
 * @example const idHash = sha256(token);
 */
export function sha256(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
