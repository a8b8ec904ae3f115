/**
 * The audit trail: one append-only row for every write, written in the same
 * transaction as the change it records, so a write that fails or is refused
 * leaves no row and a row never describes a change that did not happen.
 *
 * Who writes is the store's `actor`: the CLI on the machine holding the store
 * acts as `cli:<os user>`; the server will act per request as the signed-in
 * user or the token's owner (`actingAs`). A row's detail never holds a
 * password, token, session id or any identifier of a detained person.
 */
import { hostname, userInfo } from 'node:os';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { SqlSession } from './sql-session.js';
import type { Store } from './store.js';

/** How a write reached the store. */
export type AuditVia = 'web' | 'api' | 'cli';

/** Who is writing: a user name, `cli:<os user>` for the local CLI, or `system`. */
export interface Actor {
  name: string;
  via: AuditVia;
  /** The remote address (web, api), or OS user and host (cli). */
  from: string;
}

/** Every action the trail records. */
export const AUDIT_ACTIONS = [
  'audit.start',
  'import.detainers',
  'import.policies',
  'demo.load',
  'resolve.set',
  'resolve.import',
  'report.publish',
  'report.correct',
  'user.add',
  'user.disable',
  'token.create',
  'token.revoke',
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'outcome.record',
  'edition.propose',
  'edition.approve',
  'edition.reject',
  'settings.set',
  'dispute.receive',
  'dispute.status',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  /** What was written: a file name, facility key, period and edition, user name. */
  target: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  via: string;
  from: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

/** The local CLI's actor: the OS user on this host (the store's file permissions are the boundary). */
export function localActor(): Actor {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry for this uid (some containers): keep $USER
  }
  return { name: `cli:${user}`, via: 'cli', from: `${user}@${hostname()}` };
}

/** The same store, writing as `actor` (what a server request will use for its writes). */
export function actingAs(store: Store, actor: Actor): Store {
  return { ...store, actor };
}

/** A place an audit row can be written: a Kysely transaction, or an import's SQL session inside its transaction. */
export type AuditWriter = Transaction<Database> | Kysely<Database> | SqlSession;

const isSqlSession = (w: AuditWriter): w is SqlSession => 'run' in w && 'all' in w && !('insertInto' in w);

/** Appends one row to the trail, inside the caller's transaction. */
export async function recordAudit(tx: AuditWriter, actor: Actor, entry: AuditEntry): Promise<void> {
  const detail = JSON.stringify(entry.detail ?? {});
  if (isSqlSession(tx)) {
    await tx.run(
      'INSERT INTO audit (actor, via, "from", action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)',
      [actor.name, actor.via, actor.from, entry.action, entry.target, detail],
    );
    return;
  }
  await tx
    .insertInto('audit')
    .values({
      actor: actor.name,
      via: actor.via,
      from: actor.from,
      action: entry.action,
      target: entry.target,
      detail,
    })
    .execute();
}

export interface AuditFilter {
  /** `YYYY-MM-DD` (from the start of that day, UTC) or an ISO timestamp. */
  since?: string;
  actor?: string;
  action?: string;
}

/** The trail, oldest first, filtered. */
export async function listAudit(store: Store, filter: AuditFilter = {}): Promise<AuditRow[]> {
  let q = store.db
    .selectFrom('audit')
    .select(['id', 'at', 'actor', 'via', 'from', 'action', 'target', 'detail'])
    .orderBy('id');
  if (filter.since) q = q.where('at', '>=', sql<string>`CAST(${filter.since} AS TIMESTAMPTZ)`);
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.action) q = q.where('action', '=', filter.action);
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    at: typeof r.at === 'string' ? r.at : new Date(r.at as unknown as Date).toISOString(),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
