/**
 * The published history the feed, embed and citation tests read: the rules fixture's week of
 * 2017-01-28 published (edition 1), the week before published, then the first week corrected
 * (edition 2: corrections.csv moves a Los Angeles decline to Kern County, drops Franklin County,
 * PA, and changes one in Franklin County, IA). Fixed times, so the output is the same bytes on
 * every run and on both stores.
 */
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { correctEdition, publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { fixture } from './fixtures.js';
import { type StoreFactory, storeWithRulesFixture } from './stores.js';

export const WEEK = weekPeriod('2017-01-28');
export const WEEK_BEFORE = weekPeriod('2017-01-21');
/** The public URL the tests configure: every absolute URL starts with it. */
export const PUBLIC_URL = 'https://ddor.example.org';
export const ERRATA = 'Los Angeles decline re-attributed to Kern County & <rechecked>';

export async function storeWithEditions(factory: StoreFactory) {
  const created = await storeWithRulesFixture(factory);
  const { store } = created;
  await publishEdition(store, WEEK, { now: new Date('2017-02-06T12:00:00Z') });
  await publishEdition(store, WEEK_BEFORE, { now: new Date('2017-02-07T09:30:00Z') });
  await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
  await correctEdition(store, WEEK, { note: ERRATA, now: new Date('2017-02-13T12:00:00Z') });
  return created;
}
