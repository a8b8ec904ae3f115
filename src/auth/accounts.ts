/**
 * Office accounts: staff users with a role, their API tokens and their web
 * sessions. Every change is written with its audit row in one transaction.
 * With no account at all, ddor runs as the single-user tool it always was;
 * once one exists, current-data drafts need a signed-in user or a token.
 */
import { sql } from 'kysely';
import { isRole, ROLES, type Role } from '../domain/roles.js';
import { DdorError, usageError } from '../errors.js';
import { type Actor, recordAudit } from '../store/audit.js';
import type { Store } from '../store/store.js';
import {
  checkPasswordRules,
  hashPassword,
  newSecret,
  sha256Hex,
  verifyNothing,
  verifyPassword,
} from './passwords.js';

/** Who a request is: a user, reached by a web session or an API token. */
export interface CurrentUser {
  name: string;
  role: Role;
  via: 'web' | 'api';
}

/** How long a web session lasts from sign-in (it is not extended by use). */
export const SESSION_HOURS = 12;

/** Staff names: lower-case letters, digits, `.`, `_`, `-`; 2–64 characters, starting with a letter. */
const USER_NAME = /^[a-z][a-z0-9._-]{1,63}$/;

export function checkUserName(name: string): void {
  if (!USER_NAME.test(name) || name === 'system' || name === 'anonymous') {
    throw usageError(
      `${JSON.stringify(name)} is not a user name ddor accepts`,
      'A user name is a staff member\'s login: 2–64 lower-case letters, digits, ".", "_" or "-", starting with a letter (e.g. maria.lopez); never a detained person\'s name. "system" and "anonymous" are reserved.',
    );
  }
}

/** Whether the store has any account (disabled ones count: office mode stays on). */
export async function hasAccounts(store: Store): Promise<boolean> {
  const row = await store.db.selectFrom('users').select('name').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function addUser(store: Store, name: string, role: string, password: string): Promise<void> {
  checkUserName(name);
  if (!isRole(role))
    throw usageError(
      `no role ${JSON.stringify(role)}`,
      `Roles: ${ROLES.join(', ')} (see README, Office mode).`,
    );
  checkPasswordRules(password);
  const passwordHash = await hashPassword(password);
  await store.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('users').select('name').where('name', '=', name).executeTakeFirst();
    if (existing)
      throw new DdorError(
        'conflict',
        `user ${name} already exists`,
        'Pick another name; `ddor user list` shows them.',
      );
    await tx
      .insertInto('users')
      .values({
        name,
        role,
        password_hash: passwordHash,
        created_at: new Date().toISOString(),
        disabled_at: null,
      })
      .execute();
    await recordAudit(tx, store.actor, { action: 'user.add', target: name, detail: { role } });
  });
}

export interface UserSummary {
  name: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
  active_tokens: number;
}

export async function listUsers(store: Store): Promise<UserSummary[]> {
  const users = await store.db
    .selectFrom('users')
    .select(['name', 'role', 'created_at', 'disabled_at'])
    .orderBy('name')
    .execute();
  const tokens = await store.db
    .selectFrom('api_tokens')
    .select(['user_name'])
    .where('revoked_at', 'is', null)
    .execute();
  return users.map((u) => ({
    ...u,
    active_tokens: tokens.filter((t) => t.user_name === u.name).length,
  }));
}

async function userNamed(store: Store, name: string) {
  const user = await store.db
    .selectFrom('users')
    .select(['name', 'role', 'disabled_at'])
    .where('name', '=', name)
    .executeTakeFirst();
  if (!user) throw new DdorError('not_found', `no user ${name}`, '`ddor user list` shows every user.');
  return user;
}

/** Disables a user: no sign-in, no token, their sessions end. Nothing is deleted; the audit keeps their name. */
export async function disableUser(store: Store, name: string): Promise<void> {
  const user = await userNamed(store, name);
  if (user.disabled_at) throw new DdorError('conflict', `user ${name} is already disabled`, '');
  await store.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ disabled_at: new Date().toISOString() })
      .where('name', '=', name)
      .execute();
    await tx.deleteFrom('web_sessions').where('user_name', '=', name).execute();
    await recordAudit(tx, store.actor, {
      action: 'user.disable',
      target: name,
      detail: { before: { disabled: false }, after: { disabled: true } },
    });
  });
}

/** Creates an API token for a user: the token is returned once; only its SHA-256 is stored. */
export async function createToken(
  store: Store,
  name: string,
  label: string | null,
): Promise<{ tokenId: string; token: string }> {
  const user = await userNamed(store, name);
  if (user.disabled_at)
    throw new DdorError('conflict', `user ${name} is disabled`, 'A disabled user cannot hold tokens.');
  const token = newSecret('ddor_tok_');
  const tokenId = newSecret('').slice(0, 10).replace(/[-_]/g, 'x');
  await store.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('api_tokens')
      .values({
        token_id: tokenId,
        user_name: name,
        label,
        token_sha256: sha256Hex(token),
        created_at: new Date().toISOString(),
        revoked_at: null,
      })
      .execute();
    await recordAudit(tx, store.actor, {
      action: 'token.create',
      target: name,
      detail: { token_id: tokenId, label },
    });
  });
  return { tokenId, token };
}

export interface TokenSummary {
  token_id: string;
  user_name: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export async function listTokens(store: Store): Promise<TokenSummary[]> {
  return store.db
    .selectFrom('api_tokens')
    .select(['token_id', 'user_name', 'label', 'created_at', 'revoked_at'])
    .orderBy('user_name')
    .orderBy('created_at')
    .execute();
}

export async function revokeToken(store: Store, tokenId: string): Promise<void> {
  const token = await store.db
    .selectFrom('api_tokens')
    .select(['user_name', 'revoked_at'])
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
  if (!token)
    throw new DdorError('not_found', `no token ${tokenId}`, '`ddor token list` shows every token id.');
  if (token.revoked_at) throw new DdorError('conflict', `token ${tokenId} is already revoked`, '');
  await store.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('token_id', '=', tokenId)
      .execute();
    await recordAudit(tx, store.actor, {
      action: 'token.revoke',
      target: token.user_name,
      detail: { token_id: tokenId },
    });
  });
}

/** The user a bearer token belongs to; null when unknown, revoked, or its user is disabled. */
export async function userForToken(store: Store, token: string): Promise<CurrentUser | null> {
  const row = await store.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.name', 'api_tokens.user_name')
    .select(['users.name', 'users.role', 'users.disabled_at', 'api_tokens.revoked_at'])
    .where('api_tokens.token_sha256', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at || !isRole(row.role)) return null;
  return { name: row.name, role: row.role, via: 'api' };
}

/** The user of a web session; null when unknown, expired, or its user is disabled. */
export async function userForSession(
  store: Store,
  sessionId: string,
  now = new Date(),
): Promise<CurrentUser | null> {
  const row = await store.db
    .selectFrom('web_sessions')
    .innerJoin('users', 'users.name', 'web_sessions.user_name')
    .select(['users.name', 'users.role', 'users.disabled_at', 'web_sessions.expires_at'])
    .where('web_sessions.session_sha256', '=', sha256Hex(sessionId))
    .executeTakeFirst();
  if (!row || row.disabled_at || !isRole(row.role)) return null;
  if (new Date(row.expires_at).getTime() <= now.getTime()) return null;
  return { name: row.name, role: row.role, via: 'web' };
}

/**
 * Checks a name and password; on success opens a session and returns its id (to go in a
 * cookie), else null. Either way the attempt is audited: `sign_in` by the user, or
 * `sign_in_failed` naming the account only when it exists (a password typed into the name
 * field must not land in the trail).
 */
export async function signIn(
  store: Store,
  from: string,
  name: string,
  password: string,
  now = new Date(),
): Promise<{ sessionId: string; user: CurrentUser } | null> {
  const user = await store.db
    .selectFrom('users')
    .select(['name', 'role', 'password_hash', 'disabled_at'])
    .where('name', '=', name)
    .executeTakeFirst();
  const ok = user ? await verifyPassword(password, user.password_hash) : await verifyNothing(password);
  const web = (actor: string): Actor => ({ name: actor, via: 'web', from });
  if (!user || !ok || user.disabled_at || !isRole(user.role)) {
    const reason = !user ? 'no such user' : user.disabled_at && ok ? 'user disabled' : 'wrong password';
    await store.db.transaction().execute(async (tx) => {
      await recordAudit(tx, web('anonymous'), {
        action: 'sign_in_failed',
        target: user ? user.name : '(no such user)',
        detail: { reason },
      });
    });
    return null;
  }
  const sessionId = newSecret('');
  await store.db.transaction().execute(async (tx) => {
    // Expired sessions go as new ones come.
    await tx
      .deleteFrom('web_sessions')
      .where('expires_at', '<', sql<string>`CAST(${now.toISOString()} AS TIMESTAMPTZ)`)
      .execute();
    await tx
      .insertInto('web_sessions')
      .values({
        session_sha256: sha256Hex(sessionId),
        user_name: user.name,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(),
      })
      .execute();
    await recordAudit(tx, web(user.name), { action: 'sign_in', target: user.name });
  });
  return { sessionId, user: { name: user.name, role: user.role, via: 'web' } };
}

/** Ends a session (its row is deleted). */
export async function signOut(store: Store, from: string, sessionId: string): Promise<void> {
  const hash = sha256Hex(sessionId);
  const row = await store.db
    .selectFrom('web_sessions')
    .select('user_name')
    .where('session_sha256', '=', hash)
    .executeTakeFirst();
  if (!row) return;
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('web_sessions').where('session_sha256', '=', hash).execute();
    await recordAudit(
      tx,
      { name: row.user_name, via: 'web', from },
      { action: 'sign_out', target: row.user_name },
    );
  });
}
