/**
 * Imports received over HTTP (the write API and the import page): the upload is
 * streamed to a file of its own, then imported exactly as `ddor import` does
 * (same readers, same rules, all or nothing) by a job whose progress, counts and
 * rejections live in the store (`import_jobs`), so that any server on the same
 * PostgreSQL database can report on it. A job of a server that stopped while it
 * ran is marked failed when a server on that host starts again.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { DdorError, InputRejectedError, type Rejection } from '../errors.js';
import type { ImportJobsTable } from '../store/schema.js';
import { Mutex } from '../store/sql-session.js';
import type { Store } from '../store/store.js';
import { storedTime } from '../store/values.js';
import { detainerSpecFor } from './formats.js';
import { type ImportSummary, importFile } from './import.js';
import { policySpec } from './policies.js';

export type JobKind = 'detainers' | 'policies';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  kind: JobKind;
  format: string;
  file: string;
  bytes: number;
  user: string;
  status: JobStatus;
  phase: string;
  rows_read: number;
  created_at: string;
  finished_at: string | null;
  /** When done: the import's counts. */
  summary: Omit<ImportSummary, 'rejectsFile'> | null;
  /** When failed: the error as the CLI prints it, with the rejected rows (file, line, column). */
  error: { message: string; hint: string | null; rejections: Rejection[]; total_rejected: number } | null;
  /** Whether a rejects CSV is kept for download. */
  has_rejects: boolean;
}

const runner = () => `${hostname()}:${process.pid}`;

function jobOf(r: ImportJobsTable): ImportJob {
  const result = r.result
    ? (JSON.parse(r.result) as { summary?: ImportJob['summary']; error?: ImportJob['error'] })
    : {};
  return {
    id: r.job_id,
    kind: r.kind as JobKind,
    format: r.format,
    file: r.file_name,
    bytes: Number(r.bytes),
    user: r.user_name,
    status: r.status as JobStatus,
    phase: r.phase,
    rows_read: Number(r.rows_done),
    created_at: storedTime(r.created_at)!,
    finished_at: storedTime(r.finished_at),
    summary: result.summary ?? null,
    error: result.error ?? null,
    has_rejects: r.rejects_csv !== null,
  };
}

export async function jobNamed(store: Store, id: string): Promise<ImportJob> {
  const row = /^[A-Za-z0-9_-]{1,64}$/.test(id)
    ? await store.db.selectFrom('import_jobs').selectAll().where('job_id', '=', id).executeTakeFirst()
    : undefined;
  if (!row)
    throw new DdorError('not_found', `there is no import job ${id}`, 'Start one with POST /api/v1/imports.');
  return jobOf(row);
}

export async function jobRejectsCsv(store: Store, id: string): Promise<string | null> {
  const row = await store.db
    .selectFrom('import_jobs')
    .select('rejects_csv')
    .where('job_id', '=', id)
    .executeTakeFirst();
  return row?.rejects_csv ?? null;
}

export async function recentJobs(store: Store, limit = 20): Promise<ImportJob[]> {
  const rows = await store.db
    .selectFrom('import_jobs')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(jobOf);
}

/** Jobs this host's earlier servers left running: they will never finish. */
export async function failOrphanedJobs(store: Store): Promise<number> {
  const mine = `${hostname()}:`;
  const rows = await store.db
    .selectFrom('import_jobs')
    .select(['job_id', 'runner'])
    .where('status', 'in', ['queued', 'running'])
    .execute();
  const dead = rows.filter((r) => {
    if (!r.runner.startsWith(mine)) return false;
    const pid = Number(r.runner.slice(mine.length));
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
  for (const r of dead) {
    await store.db
      .updateTable('import_jobs')
      .set({
        status: 'failed',
        phase: 'done',
        finished_at: new Date().toISOString(),
        result: JSON.stringify({
          error: {
            message: 'the server stopped while importing; nothing was imported',
            hint: 'Upload the file again.',
            rejections: [],
            total_rejected: 0,
          },
        }),
      })
      .where('job_id', '=', r.job_id)
      .execute();
  }
  return dead.length;
}

export interface NewJob {
  kind: JobKind;
  format: string;
  file: string;
  bytes: number;
  user: string;
}

/** Records a job for an upload already on disk. */
export async function createJob(store: Store, job: NewJob): Promise<string> {
  const id = randomBytes(12).toString('base64url');
  await store.db
    .insertInto('import_jobs')
    .values({
      job_id: id,
      kind: job.kind,
      format: job.format,
      file_name: job.file,
      bytes: job.bytes,
      user_name: job.user,
      runner: runner(),
      status: 'queued',
      phase: 'queued',
      rows_done: 0,
      created_at: new Date().toISOString(),
      finished_at: null,
      result: null,
      rejects_csv: null,
    })
    .execute();
  return id;
}

/**
 * Imports `path` (the upload, removed afterwards) as job `id`, as `store`'s actor.
 * Never throws: the outcome is the job's.
 */
/** One import at a time per server: imports number themselves from the last one (and DuckDB stages on one connection). */
const importTurn = new Mutex();

export async function runJob(
  store: Store,
  id: string,
  path: string,
  options: { acceptPartial?: boolean; ignoreExtra?: boolean; redactIdentifiers?: boolean } = {},
) {
  const job = await jobNamed(store, id);
  // One update at a time, in order: two at once on the job's row would conflict (DuckDB) or reorder.
  let updates: Promise<unknown> = Promise.resolve();
  const update = (values: Partial<ImportJobsTable>) => {
    const done = updates.then(() =>
      store.db.updateTable('import_jobs').set(values).where('job_id', '=', id).execute(),
    );
    updates = done.catch(() => {});
    return done;
  };
  let lastRows = 0;
  // Every rejected row, as the CLI's rejects file; kept in the store for download.
  const rejectsPath = `${path}.rejects.csv`;
  // The file as the user named it, not the upload's place on this server's disk.
  const keptRejects = () =>
    existsSync(rejectsPath) ? readFileSync(rejectsPath, 'utf8').replaceAll(path, job.file) : null;
  const release = await importTurn.lock();
  try {
    await update({ status: 'running', phase: 'reading' });
    const spec = job.kind === 'policies' ? policySpec : await detainerSpecFor(job.format, path);
    const summary = await importFile(store, spec, path, {
      ...options,
      rejectsPath,
      onPhase: (phase) => void update({ phase }).catch(() => {}),
      onRows: (rows) => {
        if (rows - lastRows >= 5000) {
          lastRows = rows;
          void update({ rows_done: rows }).catch(() => {});
        }
      },
    });
    const { rejectsFile: _, ...counts } = summary;
    const shown = {
      ...counts,
      file: job.file,
      rejections: counts.rejections.map((r) => ({ ...r, file: job.file })),
    };
    await update({
      status: 'done',
      phase: 'done',
      rows_done: summary.rows,
      finished_at: new Date().toISOString(),
      result: JSON.stringify({ summary: shown }),
      rejects_csv: keptRejects(),
    });
  } catch (error) {
    const rejections =
      error instanceof InputRejectedError ? error.rejections.map((r) => ({ ...r, file: job.file })) : [];
    const message = error instanceof Error ? error.message.replaceAll(path, job.file) : String(error);
    if (!(error instanceof DdorError)) console.error(error);
    await update({
      status: 'failed',
      phase: 'done',
      finished_at: new Date().toISOString(),
      result: JSON.stringify({
        error: {
          message: error instanceof DdorError ? message : `the import failed: ${message}`,
          hint:
            error instanceof DdorError
              ? (error.hint
                  ?.replaceAll(`${path}.rejects.csv`, 'the rejects CSV')
                  .replace('pass --accept-partial', 'choose to load the valid rows (accept_partial)')
                  .replaceAll(path, job.file) ?? null)
              : null,
          rejections,
          total_rejected: error instanceof InputRejectedError ? error.totalRejected : 0,
        },
      }),
      rejects_csv: keptRejects(),
    }).catch(() => {});
  } finally {
    release();
    rmSync(path, { force: true });
    rmSync(rejectsPath, { force: true });
  }
}
