/**
 * The report's one schema (ReportSchema, strict) holds every report JSON ddor writes:
 * the golden files, published editions (a correction with its changes) and every API
 * report response, on both stores; the OpenAPI document shows the same schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { correctEdition, publishEdition } from '../../src/report/editions.js';
import { ReportSchema } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const GOLDEN = fileURLToPath(new URL('../golden/output/', import.meta.url));
const WEEK = weekPeriod('2017-01-28');

const goldenReports = readdirSync(GOLDEN, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('report.json'))
  .map((f) => join(GOLDEN, f));

/** Validates and returns the issues' paths, so a failure names the field. */
function problems(json: unknown): string[] {
  const result = ReportSchema.safeParse(json);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('ReportSchema', () => {
  it('holds every golden report JSON', () => {
    expect(goldenReports.length).toBeGreaterThan(0);
    for (const path of goldenReports)
      expect(problems(JSON.parse(readFileSync(path, 'utf8'))), path).toEqual([]);
  });

  it('is strict: an unknown field fails, at the top and nested', () => {
    const report = JSON.parse(readFileSync(goldenReports[0]!, 'utf8'));
    expect(problems({ ...report, extra: 1 })).not.toEqual([]);
    const nested = structuredClone(report);
    nested.section2[0].declines[0].extra = 'x';
    expect(problems(nested)).not.toEqual([]);
    const figures = structuredClone(report);
    figures.section4.figures.new_figure = 1;
    expect(problems(figures)).not.toEqual([]);
    const { top: _, ...missing } = report;
    expect(problems(missing)).not.toEqual([]);
  });
});

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`report JSON on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const published: unknown[] = [];

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      const first = await publishEdition(store, WEEK, {
        note: 'first',
        now: new Date('2017-02-06T12:00:00Z'),
      });
      await importFile(store, detainerSpec, fixture('rules', 'corrections.csv'), { rejectsPath: false });
      const second = await correctEdition(store, WEEK, {
        note: 'Franklin County decline re-attributed',
        now: new Date('2017-02-13T12:00:00Z'),
      });
      published.push(JSON.parse(first.bytes), JSON.parse(second.bytes));
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('holds published editions, a correction with its changes included', () => {
      const [first, second] = published as Array<{ edition: { changes: unknown } }>;
      expect(first!.edition.changes).toBeNull();
      expect(second!.edition.changes).toMatchObject({ rows_added: expect.any(Array) });
      for (const json of published) expect(problems(json)).toEqual([]);
      const unknownChange = structuredClone(second) as { edition: { changes: Record<string, unknown> } };
      unknownChange.edition.changes.extra = [];
      expect(problems(unknownChange)).not.toEqual([]);
    });

    it('holds every API report response', async () => {
      const app = createApp(store);
      const paths = [
        '/api/v1/reports/week/2017-01-28',
        '/api/v1/reports/week/2017-01-28?edition=1',
        '/api/v1/reports/week/2017-01-28?edition=2',
        '/api/v1/reports/week/2017-01-28?edition=draft',
        '/api/v1/reports/week/2017-01-28.json',
        '/api/v1/reports/week/last',
        '/api/v1/reports/range/2017-01-01/2017-03-31',
        '/api/v1/reports/quarter/FY2017Q2',
      ];
      for (const path of paths) {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        expect(problems(await res.json()), path).toEqual([]);
      }
    });
  });
}

describe('the OpenAPI document', () => {
  it('shows the report schema itself, strict, for every report route', async () => {
    const doc = (await (await createApp({} as Store).request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
      components: {
        schemas: Record<string, { properties: Record<string, unknown>; additionalProperties: unknown }>;
      };
    };
    const report = doc.components.schemas.Report!;
    expect(Object.keys(report.properties)).toEqual(Object.keys(ReportSchema.shape));
    expect(report.additionalProperties).toBe(false);
    for (const name of ['Edition', 'EditionChanges', 'Section2Group', 'DeclineRow', 'Section4Figures'])
      expect(doc.components.schemas[name]?.additionalProperties, name).toBe(false);
    const reportRoutes = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/reports/'));
    expect(reportRoutes).toHaveLength(3);
    for (const path of reportRoutes)
      expect(doc.paths[path]!.get.responses['200']!.content!['application/json']).toEqual({
        schema: { $ref: '#/components/schemas/Report' },
      });
  });
});
