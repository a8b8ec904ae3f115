/**
 * Property-based: whatever text names a period or a filter — unicode, CR/LF,
 * huge numbers, year 0 or 10000, impossible days — every period parser, the
 * CLI's period options and every HTTP route answer with a period or a usage
 * error (exit 1; HTTP 400/404 in the one error shape), never a crash, a 500
 * or "unexpected error".
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EARLIEST_DATE, latestAcceptedDate } from '../../src/domain/dates.js';
import { DdorError } from '../../src/errors.js';
import {
  acceptedDate,
  type Period,
  periodFromOptions,
  periodLabel,
  periodPath,
  periodSlug,
  quarterPeriod,
  rangePeriod,
  weekPeriod,
} from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { ddor } from '../helpers/cli.js';
import { duckdbFactory, STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Text that names a period, or tries to. */
const periodText = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.bigInt().map(String),
  fc.double().map(String),
  fc.constantFrom(
    'FY0000Q1',
    'FY99999Q5',
    'FY9999Q4',
    'FY0099Q2',
    'FY1979Q2',
    'FY2018Q2',
    'fy2017q4',
    ' FY2018Q2 ',
    'FY2018Q2\r\nX',
    '0000-01-01',
    '+010000-01-01',
    '-000001-10-01',
    '2017-02-30',
    '2017-13-01',
    '9999-12-31',
    '9999-12-25',
    '1978-12-30',
    '1979-01-06',
    '2017-01-28',
    '2017-01-28.pdf',
    '2017-01-28\r\n',
    'a\r\nX',
    'last',
    '',
    ' ',
    '\u0000',
    '%0d%0a',
    '../..',
    '99999999999999999999',
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  fc
    .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: -1, max: 9 }))
    .map(([y, q]) => `FY${pad(y, 4)}Q${q}`),
  // Real days around the accepted range, many of them Saturdays.
  fc
    .date({ min: new Date('1978-06-01'), max: new Date('2029-06-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

const TODAY = new Date();
const LATEST = latestAcceptedDate(TODAY);

function expectPeriod(p: Period) {
  expect(p.start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(p.end).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(p.start <= p.end).toBe(true);
  expect(p.start >= EARLIEST_DATE && p.end <= LATEST, `${p.start}..${p.end}`).toBe(true);
  // Everything that names a period works on it.
  expect(periodSlug(p)).toBeTruthy();
  expect(periodPath(p)).toBeTruthy();
  expect(periodLabel(p)).toBeTruthy();
}

function periodOrUsageError(fn: () => Period) {
  let p: Period;
  try {
    p = fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DdorError);
    const e = error as DdorError;
    expect(e.kind).toBe('usage');
    expect(e.message).not.toMatch(/unexpected|conversion/i);
    expect(e.hint?.length ?? 0).toBeGreaterThan(5);
    return;
  }
  expectPeriod(p);
}

describe('period parsers', () => {
  it('answer any text with a period in the accepted range or a usage error', () => {
    fc.assert(
      fc.property(periodText, periodText, (a, b) => {
        periodOrUsageError(() => weekPeriod(a, TODAY));
        periodOrUsageError(() => quarterPeriod(a, TODAY));
        periodOrUsageError(() => rangePeriod(a, b, TODAY));
        periodOrUsageError(() => periodFromOptions({ week: a }, TODAY));
        periodOrUsageError(() => periodFromOptions({ quarter: a }, TODAY));
        periodOrUsageError(() => periodFromOptions({ from: a, to: b }, TODAY));
        periodOrUsageError(() => periodFromOptions({ from: a }, TODAY));
        periodOrUsageError(() => periodFromOptions({ week: a, quarter: b }, TODAY));
        periodOrUsageError(() => {
          const d = acceptedDate(a, 'in_force', TODAY);
          return { kind: 'range', start: d, end: d };
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('names the accepted range when a period falls outside it', () => {
    for (const fn of [
      () => quarterPeriod('FY0000Q1', TODAY),
      () => quarterPeriod('FY9999Q4', TODAY),
      () => weekPeriod('9999-12-25', TODAY),
      () => rangePeriod('0000-01-01', '2017-01-01', TODAY),
      () => rangePeriod('2017-01-01', '9999-12-31', TODAY),
    ]) {
      expect(fn).toThrow(`is out of range: ddor accepts ${EARLIEST_DATE} to ${LATEST}`);
    }
  });
});

describe('the CLI period options, parsed in process', () => {
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const created = await duckdbFactory.create();
    await created.store.close();
    ({ url, cleanup } = created);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** Runs `ddor` in this process; stdout and stderr are captured, not printed. */
  async function run(args: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      return { code: await main(['--db', url, ...args]), stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('exit 0 or 1 with the usual message, never "unexpected error"', async () => {
    const selector = fc.oneof(
      periodText.map((x) => [`--week=${x}`]),
      periodText.map((x) => [`--quarter=${x}`]),
      fc.tuple(periodText, periodText).map(([a, b]) => [`--from=${a}`, `--to=${b}`]),
      periodText.map((x) => [`--from=${x}`]),
    );
    await fc.assert(
      fc.asyncProperty(selector, async (options) => {
        const { code, stderr } = await run(['report', 'build', ...options]);
        expect([0, 1], stderr).toContain(code);
        expect(stderr).not.toMatch(/unexpected error|Conversion Error/i);
        if (code === 1)
          expect(stderr.startsWith('ddor: ') || stderr.startsWith('error: '), stderr).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('refuses FY0000Q1 and year 9999 as usage errors (exit 1) from the binary', async () => {
    const quarter = await ddor(['--db', url, 'report', 'build', '--quarter', 'FY0000Q1']);
    expect(quarter.code).toBe(1);
    expect(quarter.stderr).toContain('ddor: --quarter FY0000Q1 is out of range: ddor accepts 1979-01-01 to');
    expect(quarter.stderr).not.toContain('unexpected error');
    const range = await ddor(['--db', url, 'report', 'build', '--from', '2017-01-01', '--to', '9999-12-31']);
    expect(range.code).toBe(1);
    expect(range.stderr).toContain('--to 9999-12-31 is out of range');
  });
});

const REDIRECT = [301, 302, 303, 307, 308];

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`HTTP routes on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    async function expectAnswered(path: string) {
      const res = await app.request(path);
      const body = await res.text();
      expect([200, 304, 400, 404, ...REDIRECT], `${path}: ${res.status} ${body.slice(0, 300)}`).toContain(
        res.status,
      );
      expect(body, path).not.toMatch(/unexpected error|internal_error|Conversion Error/i);
      if (REDIRECT.includes(res.status)) {
        const location = res.headers.get('location') ?? '';
        expect(location, path).toMatch(/^\/[^\r\n]*$/);
      }
      if (res.status >= 400 && path.startsWith('/api/')) {
        const json = JSON.parse(body) as { error: Record<string, unknown> };
        expect(Object.keys(json.error), path).toEqual(['status', 'code', 'message', 'hint']);
        expect(json.error.status).toBe(res.status);
      }
      if (res.status >= 400 && !path.startsWith('/api/')) expect(body, path).toContain('<h1>');
    }

    const e = encodeURIComponent;

    it('answers the reported cases with 400 and the usual message', async () => {
      for (const path of ['/api/v1/reports/quarter/FY0000Q1', '/reports/quarter/FY0000Q1']) {
        const res = await app.request(path);
        expect(res.status, path).toBe(400);
        expect(await res.text()).toContain('--quarter FY0000Q1 is out of range: ddor accepts 1979-01-01 to');
      }
      const crlf = await app.request('/reports?from=a%0d%0aX&to=b');
      expect(crlf.status).toBe(400);
      expect(await crlf.text()).toContain('is not a date');
      const ok = await app.request('/reports?from=2017-01-01&to=2017-01-31');
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toBe('/reports/range/2017-01-01/2017-01-31');
      await expectAnswered('/api/v1/reports/range/2017-01-01/9999-12-31');
      expect((await app.request('/api/v1/reports/range/2017-01-01/9999-12-31')).status).toBe(400);
    });

    it('never fails on report periods', async () => {
      await fc.assert(
        fc.asyncProperty(
          periodText,
          periodText,
          fc.constantFrom('', '.json', '.csv', '?edition=draft'),
          async (a, b, tail) => {
            await expectAnswered(`/reports/week/${e(a)}`);
            await expectAnswered(`/reports/quarter/${e(a)}`);
            await expectAnswered(`/reports/range/${e(a)}/${e(b)}`);
            await expectAnswered(`/reports?week=${e(a)}`);
            await expectAnswered(`/reports?from=${e(a)}&to=${e(b)}`);
            await expectAnswered(`/api/v1/reports/week/${e(a)}${tail}`);
            await expectAnswered(`/api/v1/reports/quarter/${e(a)}${tail}`);
            await expectAnswered(`/api/v1/reports/range/${e(a)}/${e(b)}${tail}`);
          },
        ),
        { numRuns: 40 },
      );
    }, 240_000);

    it('never fails on counties, trends and policy filters', async () => {
      const filterText = fc.oneof(
        periodText,
        fc.constantFrom('TX', 'CA', 'county', 'law', 'detainer_hold', '48453', '%', '_', "'", '\u0000x'),
      );
      await fc.assert(
        fc.asyncProperty(filterText, filterText, async (a, b) => {
          await expectAnswered(`/counties/${e(a)}`);
          await expectAnswered(`/api/v1/jurisdictions/${e(a)}`);
          await expectAnswered(`/trends?state=${e(a)}`);
          await expectAnswered(`/policies?state=${e(a)}&level=${e(b)}`);
          await expectAnswered(`/policies?type=${e(a)}&restricts=${e(b)}`);
          await expectAnswered(`/policies?in_force=${e(a)}`);
        }),
        { numRuns: 60 },
      );
    }, 240_000);
  });
}
