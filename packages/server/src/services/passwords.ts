import { hash, verify } from '@node-rs/argon2';
import { type Problem, problem } from '@wasl/core';

export const MIN_PASSWORD_CHARS = 10;
/** Bounds the hashing work one request can ask for; no real passphrase is this long. */
export const MAX_PASSWORD_CHARS = 1024;

/**
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). `algorithm: 2` is
 * Algorithm.Argon2id, a const enum that isolated modules cannot import.
 */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Length is counted in characters (code points), not UTF-16 units or bytes, so
 * an Arabic or emoji passphrase is judged by what the person typed.
 */
export function passwordProblem(password: string): Problem | undefined {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS) {
    return problem('invalid', `password must be at least ${MIN_PASSWORD_CHARS} characters`, 'password');
  }
  if (chars > MAX_PASSWORD_CHARS) {
    return problem('invalid', `password must be at most ${MAX_PASSWORD_CHARS} characters`, 'password');
  }
  return undefined;
}

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** A hash of a password nobody knows: verifying against it costs the same as against a real one. */
let decoyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown email, or a
 * person who has not set a password yet) it still does the full argon2 work,
 * so response time does not tell an attacker which emails exist.
 */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!storedHash) {
    decoyHash ??= hashPassword('wasl decoy password that no account has');
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
