/**
 * Passwords, API tokens and session ids. A password is kept as an scrypt hash
 * with its salt and cost parameters beside it (`scrypt$N$r$p$salt$hash`, base64),
 * so the parameters can rise later without breaking stored hashes; a token or
 * session id is random and kept only as its SHA-256 (it is already
 * unguessable, so a slow hash would add nothing).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { usageError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 12;

/** scrypt's cost: N = 2^15, r = 8, p = 1 (about 32 MiB and 50–100 ms a check). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Refuses a password ddor will not store: shorter than 12 characters. */
export function checkPasswordRules(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw usageError(
      `the password is too short (${[...password].length} characters; at least ${MIN_PASSWORD_LENGTH})`,
      'Use a passphrase of several words: length matters more than symbols.',
    );
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS.N, PARAMS.r, PARAMS.p);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`, compared in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password check's cost for a name with no account, so timing does not tell which names exist. */
let dummyHash: Promise<string> | undefined;
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('no account has this password');
  await verifyPassword(password, await dummyHash);
  return false;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A new secret: 32 random bytes, base64url, with a prefix saying what it is (`ddor_tok_…`). */
export const newSecret = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Constant-time comparison of two strings (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
