import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_START, DEMO_WEEKS, demoDetainersCsv } from '../../src/demo/generate.js';
import { loadDemo } from '../../src/demo/load.js';
import { renderMarkdown } from '../../src/render/md.js';
import { buildReport } from '../../src/report/build.js';
import { addDays, weekPeriod } from '../../src/report/period.js';
import type { Store } from '../../src/store/store.js';
import { expectGolden } from '../helpers/golden.js';
import { duckdbFactory } from '../helpers/stores.js';

const END = addDays(DEMO_START, DEMO_WEEKS * 7 - 1);

describe('demo data', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(store.db)).rows[0]!;

  beforeAll(async () => {
    ({ store, cleanup } = await duckdbFactory.create());
    await loadDemo(store);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('is deterministic: the same bytes on every run and machine', () => {
    const hash = createHash('sha256').update(demoDetainersCsv()).digest('hex');
    expect(createHash('sha256').update(demoDetainersCsv()).digest('hex')).toBe(hash);
    expectGolden('demo/detainers.sha256', `${hash}\n`);
  });

  it('spans at least 26 weeks and 50,000 detainers across real counties', async () => {
    const r = await one(sql<{ n: number; weeks: number; counties: number; first: string; last: string }>`
      SELECT count(*) AS n, count(DISTINCT (issued_date - DATE '2016-10-01') // 7) AS weeks,
             count(DISTINCT county_fips) AS counties, min(issued_date) AS first, max(issued_date) AS last
      FROM detainers`);
    expect(Number(r.n)).toBeGreaterThanOrEqual(50_000);
    expect(Number(r.weeks)).toBeGreaterThanOrEqual(26);
    expect(Number(r.counties)).toBeGreaterThan(100);
    expect([r.first, r.last]).toEqual([DEMO_START, END]);
  });

  it('has at least 40 policies at every level, one rescinded and one enacted within the period', async () => {
    const levels = (
      await sql<{
        level: string;
        n: number;
      }>`SELECT level, count(*) AS n FROM policies GROUP BY level ORDER BY level`.execute(store.db)
    ).rows;
    expect(levels.map((l) => l.level)).toEqual(['county', 'place', 'state']);
    expect(levels.reduce((s, l) => s + Number(l.n), 0)).toBeGreaterThanOrEqual(40);
    const r = await one(sql<{ rescinded: number; enacted: number }>`
      SELECT count(*) FILTER (WHERE rescinded_date BETWEEN ${DEMO_START} AND ${END}) AS rescinded,
             count(*) FILTER (WHERE enacted_date BETWEEN ${DEMO_START} AND ${END}) AS enacted
      FROM policies`);
    expect(Number(r.rescinded)).toBeGreaterThanOrEqual(1);
    expect(Number(r.enacted)).toBeGreaterThanOrEqual(1);
  });

  it('has transfers, misdirected detainers, late-recorded declines and realistic mixes', async () => {
    const r = await one(sql<Record<string, number>>`
      SELECT count(*) FILTER (WHERE released_by_agency IS NOT NULL) AS transfers,
             count(*) FILTER (WHERE outcome = 'issued_in_error') AS misdirected,
             count(*) FILTER (WHERE outcome = 'declined') AS declined,
             count(*) FILTER (WHERE recorded_date - declined_date > 28) AS late,
             count(*) FILTER (WHERE citizenship = 'Mexico') AS mexico,
             count(*) FILTER (WHERE citizenship IS NULL) AS no_citizenship,
             count(DISTINCT citizenship) AS countries,
             count(*) AS total
      FROM detainers`);
    expect(Number(r.transfers)).toBeGreaterThan(100);
    expect(Number(r.misdirected)).toBeGreaterThan(100);
    expect(Number(r.late)).toBeGreaterThan(100);
    expect(Number(r.countries)).toBeGreaterThan(20);
    const share = (k: string) => Number(r[k]) / Number(r.total);
    expect(share('mexico')).toBeGreaterThan(0.45);
    expect(share('mexico')).toBeLessThan(0.6);
    expect(share('declined')).toBeGreaterThan(0.03);
    expect(share('declined')).toBeLessThan(0.15);
    expect(Number(r.no_citizenship)).toBeGreaterThan(0);
  });

  it('is labelled as demo data in every report built from it', async () => {
    const report = await buildReport(store, weekPeriod('2017-01-28'));
    expect(report.demo).toBe(true);
    expect(report.section4.notes[0]).toMatch(/^DEMO DATA/);
    expect(renderMarkdown(report)).toContain('**DEMO DATA**');
    expect(report.totals.detainers_issued).toBeGreaterThan(2000);
    expect(report.section1).toHaveLength(10);
  });

  it('loads again without changing anything', async () => {
    const [policies, detainers] = await loadDemo(store);
    expect([policies!.inserted, policies!.updated, detainers!.inserted, detainers!.updated]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});
