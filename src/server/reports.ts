/** Which report a URL names (its period, and an edition, the latest edition, or the current data), and which county. */

import { sql } from 'kysely';
import { EARLIEST_DATE, latestAcceptedDate } from '../domain/dates.js';
import { FORMAT_IDS, isReportFormat, type ReportFormat } from '../render/formats.js';
import { buildReport } from '../report/build.js';
import { type FrozenEdition, listEditions, showEdition } from '../report/editions.js';
import type { Report } from '../report/model.js';
import {
  addDays,
  formatDate,
  lastWeekEndingBy,
  type Period,
  periodLabel,
  quarterPeriod,
  rangePeriod,
  weekPeriod,
} from '../report/period.js';
import { type CountyProfile, countyProfile } from '../report/series.js';
import type { Store } from '../store/store.js';
import { signInNeeded } from './auth.js';
import { HttpError } from './errors.js';

/** Splits "2017-01-28.pdf" into the value and its download format. */
export function splitExtension(value: string): { value: string; ext: ReportFormat | null } {
  const m = /^(.*)\.([a-z]+)$/.exec(value);
  if (!m) return { value, ext: null };
  const ext = m[2]!;
  if (!isReportFormat(ext)) {
    throw new HttpError(
      404,
      'not_found',
      `no download format .${ext}`,
      `Available: ${FORMAT_IDS.map((d) => `.${d}`).join(', ')}.`,
    );
  }
  return { value: m[1]!, ext };
}

export function periodOf(kind: string, a: string, b?: string): Period {
  if (kind === 'week') return weekPeriod(a);
  if (kind === 'quarter') return quarterPeriod(a);
  if (kind === 'range') return rangePeriod(a, b ?? '');
  throw new HttpError(404, 'not_found', `no report kind ${kind}`, 'Use week, range or quarter.');
}

/** The county a URL names by its FIPS code; else 404. */
export async function countyNamed(store: Store, fips: string): Promise<CountyProfile> {
  const profile = /^\d{5}$/.test(fips) ? await countyProfile(store, fips) : null;
  if (!profile)
    throw new HttpError(
      404,
      'not_found',
      `no county has FIPS code ${fips}`,
      'Counties are keyed by 5-digit FIPS codes, e.g. 48453.',
    );
  return profile;
}

export interface Resolved {
  report: Report;
  /** The frozen bytes of a published edition; null for the current data. */
  bytes: string | null;
  published: boolean;
  /** True when the URL named the edition number: the response can then be cached forever. */
  pinned: boolean;
  /** The PEM public key that signed a published edition (null: unsigned or the current data). */
  publicKey: string | null;
  /** A published edition's chain entry hash: it names the edition's content and metadata alike. */
  entrySha256: string | null;
}

/** How long others may keep a report's response: forever when pinned, a minute when the latest edition, else revalidate. */
export function cacheControlOf(resolved: Resolved): string {
  if (resolved.pinned) return 'public, max-age=31536000, immutable';
  return resolved.published ? 'public, max-age=60' : 'no-cache';
}

/**
 * `?edition=N` an edition, `?edition=draft` the current data, none: the latest edition, else the current data.
 * The current data is a draft: once the store has accounts, only `mayReadDrafts` callers see it (else 401).
 */
export async function resolveReport(
  store: Store,
  period: Period,
  edition: string | undefined,
  mayReadDrafts: () => Promise<boolean> = async () => true,
): Promise<Resolved> {
  const draftAllowed = async () => {
    if (!(await mayReadDrafts())) throw signInNeeded(`the current data of ${periodLabel(period)} (a draft)`);
  };
  const current = async (): Promise<Resolved> => ({
    report: await buildReport(store, period),
    bytes: null,
    published: false,
    pinned: false,
    publicKey: null,
    entrySha256: null,
  });
  const frozenAs = (e: FrozenEdition, pinned: boolean): Resolved => ({
    report: e.report,
    bytes: e.bytes,
    published: true,
    pinned,
    publicKey: e.publicKey,
    entrySha256: e.entrySha256,
  });
  if (edition === 'draft') {
    await draftAllowed();
    return current();
  }
  if (edition !== undefined) {
    const n = Number(edition);
    if (!Number.isInteger(n) || n < 1) {
      throw new HttpError(
        400,
        'bad_request',
        `edition=${edition} is not an edition number`,
        'Use ?edition=1, 2, … or ?edition=draft.',
      );
    }
    return frozenAs(await showEdition(store, period, n), true);
  }
  let frozen: FrozenEdition | null = null;
  try {
    frozen = await showEdition(store, period);
  } catch (error) {
    if (!(error instanceof Error && 'kind' in error && (error as { kind: string }).kind === 'not_found'))
      throw error;
  }
  if (frozen) return frozenAs(frozen, false);
  await draftAllowed();
  return current();
}

/**
 * The period the home page shows: the latest published edition's, else the latest complete week in the data.
 * Issuing dates outside the accepted range (stored before imports checked it) are ignored; when the
 * store holds no other, the page shows the last complete week before `today`.
 */
export async function latestPeriod(store: Store, today: Date = new Date()): Promise<Period | null> {
  const editions = await listEditions(store);
  if (editions.length > 0) {
    const e = editions[0]!;
    return { kind: e.period.kind as Period['kind'], start: e.period.start, end: e.period.end };
  }
  const latestAccepted = latestAcceptedDate(today);
  const latest = await store.db
    .selectFrom('detainers')
    .select((eb) => [
      eb.fn
        .max(
          eb
            .case()
            .when(
              eb.and([
                eb('issued_date', '>=', sql<string>`CAST(${EARLIEST_DATE} AS DATE)`),
                eb('issued_date', '<=', sql<string>`CAST(${latestAccepted} AS DATE)`),
              ]),
            )
            .then(eb.ref('issued_date'))
            .end(),
        )
        .as('d'),
      eb.fn.countAll().as('n'),
    ])
    .executeTakeFirst();
  if (!latest || Number(latest.n) === 0) return null;
  if (!latest.d) return lastWeekEndingBy(addDays(formatDate(today), -1));
  return lastWeekEndingBy(String(latest.d));
}
