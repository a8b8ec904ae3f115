/**
 * Editions and corrections: the 2017 report's three errors (a same-name county
 * in another state, a transfer counted against the wrong agency, a detainer sent
 * to the wrong place), corrected as a new edition while the first stays as it was.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DdorError } from '../../src/errors.js';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { policySpec } from '../../src/ingest/policies.js';
import { correctEdition, listEditions, publishEdition, showEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { serializeReport } from '../../src/report/serialize.js';
import type { Store } from '../../src/store/store.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const WEEK = weekPeriod('2017-01-28');

async function refusal(promise: Promise<unknown>): Promise<DdorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DdorError);
  return error as DdorError;
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`editions on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let first: string;

    beforeAll(async () => {
      ({ store, cleanup } = await factory.create());
      await importFile(store, policySpec, fixture('rules', 'policies.csv'), { rejectsPath: false });
      await importFile(store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
      const e1 = await publishEdition(store, WEEK, { note: 'first', now: new Date('2017-02-06T15:00:00Z') });
      first = e1.bytes;
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('freezes edition 1 with its SHA-256 over the content', async () => {
      const e1 = await showEdition(store, WEEK);
      expect(e1.bytes).toBe(first);
      const edition = e1.report.edition!;
      expect(edition).toMatchObject({
        number: 1,
        published_at: '2017-02-06T15:00:00.000Z',
        note: 'first',
        errata: null,
        supersedes: null,
        changes: null,
      });
      const { createHash } = await import('node:crypto');
      expect(edition.content_sha256).toBe(
        createHash('sha256')
          .update(serializeReport({ ...e1.report, edition: null }))
          .digest('hex'),
      );
      expect(e1.report.section4.notes.at(-1)).toBe(
        'Edition 1: the first publication for this period; no corrections.',
      );
    });

    it('refuses to publish a period twice, pointing to correct', async () => {
      const e = await refusal(publishEdition(store, WEEK));
      expect(e.message).toContain('already has an edition');
      expect(e.hint).toContain('ddor report correct');
    });

    it('publishes a correction as edition 2 with errata and computed changes; edition 1 is unchanged', async () => {
      await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
      const e2 = await correctEdition(store, WEEK, {
        note: 'Franklin County decline re-attributed to Iowa; LA decline followed a transfer to Kern; FIA was sent to the wrong jail.',
        now: new Date('2017-02-13T15:00:00Z'),
      });
      const edition = e2.report.edition!;
      expect(edition).toMatchObject({
        number: 2,
        supersedes: 1,
        errata: expect.stringContaining('re-attributed to Iowa'),
      });
      const c = edition.changes!;
      expect(c.totals).toEqual({
        declined: { before: 6, after: 5 },
        jurisdictions_with_declines: { before: 6, after: 5 },
        states_with_declines: { before: 5, after: 4 },
        facilities_with_declines: { before: 6, after: 5 },
      });
      expect(c.counties_added.map((x) => x.fips)).toEqual(['06029']);
      expect(c.counties_removed.map((x) => x.fips)).toEqual(['06037', '42055']);
      expect(c.rows_removed.map((r) => `${r.county.fips} ${r.decline.issued_date}`).sort()).toEqual([
        '06037 2017-01-29',
        '19069 2017-01-29',
        '42055 2017-01-30',
      ]);
      expect(c.rows_added.map((r) => `${r.county.fips} ${r.facility}`).sort()).toEqual([
        '06029 California Department of Corrections – Wasco State Prison',
        '19069 Franklin County Jail',
      ]);
      // FPA left Franklin County, PA, so PA's county no longer counts toward Section I; FIA's misdirected
      // detainer was not restricting anyway.
      expect(c.section1_changed).toEqual([
        {
          county: { fips: '42055', name: 'Franklin County', state: 'PA' },
          detainers_issued_before: 2,
          detainers_issued_after: 1,
        },
      ]);
      expect(e2.report.section4.figures.corrections_since_previous_edition).toBe(6);
      expect(e2.report.section4.notes.at(-1)).toMatch(
        /^Edition 2 corrects edition 1 \(published 2017-02-06\): Franklin County/,
      );

      // Edition 1 reads back byte for byte; the latest is edition 2.
      expect((await showEdition(store, WEEK, 1)).bytes).toBe(first);
      expect((await showEdition(store, WEEK)).report.edition!.number).toBe(2);
      expect(
        (await listEditions(store)).map((e) => [e.number, e.supersedes, e.errata?.slice(0, 8) ?? null]),
      ).toEqual([
        [1, null, null],
        [2, 1, 'Franklin'],
      ]);
    });

    it('refuses a correction that changes nothing, and one without a note', async () => {
      expect((await refusal(correctEdition(store, WEEK, { note: 'again' }))).message).toContain(
        'nothing changed since edition 2',
      );
      expect((await refusal(correctEdition(store, WEEK, { note: ' ' }))).message).toContain('needs --note');
      expect((await refusal(showEdition(store, weekPeriod('2017-02-04')))).kind).toBe('not_found');
      expect((await refusal(showEdition(store, WEEK, 7))).hint).toBe('Its editions are 1, 2.');
    });

    if (factory.name === 'postgres') {
      it('has the database refuse to alter a published edition', async () => {
        await expect(sql`UPDATE editions SET errata = 'x'`.execute(store.db)).rejects.toThrow(
          /published editions never change/,
        );
        await expect(sql`DELETE FROM editions`.execute(store.db)).rejects.toThrow(
          /published editions never change/,
        );
      });
    } else {
      it('detects an edition altered outside ddor', async () => {
        await sql`UPDATE editions SET report_json = replace(report_json, '"detainers_issued": 44', '"detainers_issued": 45') WHERE number = 1`.execute(
          store.db,
        );
        const e = await refusal(showEdition(store, WEEK, 1));
        expect(e.exitCode).toBe(3);
        expect(e.message).toContain('fails its integrity check');
      });
    }
  });
}
