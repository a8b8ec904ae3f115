/**
 * A county's "editions that list it" are read like every edition: with their hash
 * checked. An edition altered outside ddor makes the county page and its API answer
 * 503 with the integrity error, rather than list what the altered bytes say.
 * (DuckDB only: PostgreSQL refuses to alter an edition at all.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { duckdbFactory, storeWithRulesFixture } from '../helpers/stores.js';

describe('a county page over a tampered edition', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  let fips: string;

  beforeAll(async () => {
    ({ store, cleanup } = await storeWithRulesFixture(duckdbFactory));
    const { report } = await publishEdition(store, weekPeriod('2017-01-28'), {
      now: new Date('2017-02-06T12:00:00Z'),
    });
    fips = report.section2[0]!.county.fips;
    app = createApp(store);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('lists the edition while its bytes match their hash', async () => {
    const res = await app.request(`/api/v1/jurisdictions/${fips}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { editions: Array<{ number: number; declines: number }> };
    expect(body.editions).toEqual([expect.objectContaining({ number: 1 })]);
  });

  it('reports the tamper instead of listing the altered edition', async () => {
    // Move a decline to another county in the stored bytes, as someone editing the file might.
    await sql`UPDATE editions SET report_json = replace(report_json, ${`"fips": "${fips}"`}, '"fips": "99999"')`.execute(
      store.db,
    );
    const api = await app.request(`/api/v1/jurisdictions/${fips}`);
    expect(api.status).toBe(503);
    const body = (await api.json()) as { error: { status: number; code: string; message: string } };
    expect(body.error).toMatchObject({ status: 503, code: 'store_unavailable' });
    expect(body.error.message).toContain('fails its integrity check');
    const page = await app.request(`/counties/${fips}`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('fails its integrity check');
  });
});
