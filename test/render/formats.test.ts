/**
 * The format registry is what the CLI, the API, the pages and the archive read: each
 * format renders exactly the files it names, and the API sends each with its type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, FORMATS } from '../../src/render/formats.js';
import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { storeWithRulesFixture } from '../helpers/stores.js';

describe('the format registry', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let report: Report;

  beforeAll(async () => {
    ({ store, cleanup } = await storeWithRulesFixture());
    report = await buildReport(store, weekPeriod('2017-01-28'));
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('lists each format once, with a download among its files', () => {
    expect(new Set(FORMATS.map((f) => f.id)).size).toBe(FORMATS.length);
    expect(new Set(FORMATS.flatMap((f) => f.files)).size).toBe(FORMATS.flatMap((f) => f.files).length);
    for (const f of FORMATS) expect(f.files, f.id).toContain(f.download);
  });

  // pdf needs Chromium: test/render/publication.test.ts prints it.
  it.each(FORMATS.filter((f) => f.id !== 'pdf'))('$id renders exactly its files', async (f) => {
    const files = await f.render(report, {});
    expect(Object.keys(files)).toEqual(f.files);
    for (const body of Object.values(files)) expect(typeof body === 'string').toBe(f.text);
  });

  it.each(FORMATS.filter((f) => f.id !== 'pdf'))('the API sends .$id with its type', async (f) => {
    const res = await createApp(store).request(`/api/v1/reports/week/2017-01-28.${f.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(contentType(f));
    expect(res.headers.get('content-disposition') === null).toBe(f.inline);
  });
});
