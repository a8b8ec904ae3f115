import { describe, expect, it } from 'vitest';
import { DdorError } from '../../src/errors.js';
import {
  periodFromOptions,
  periodLabel,
  periodSlug,
  previousPeriod,
  quarterPeriod,
  rangePeriod,
  weekPeriod,
} from '../../src/report/period.js';

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DdorError);
    return e as DdorError;
  }
  throw new Error('expected an error');
};

describe('periods', () => {
  it('runs a week from Saturday to Friday', () => {
    expect(weekPeriod('2017-01-28')).toEqual({ kind: 'week', start: '2017-01-28', end: '2017-02-03' });
  });

  it('refuses a week that does not start on Saturday, naming the Saturday before', () => {
    const e = usage(() => weekPeriod('2017-02-01'));
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('--week 2017-02-01 is not a Saturday; report weeks run Saturday to Friday');
    expect(e.hint).toContain('use --week 2017-01-28');
  });

  it('names the last complete week', () => {
    // Friday 2017-02-03: the week that ends today is not complete yet.
    expect(weekPeriod('last', new Date('2017-02-03T12:00:00Z')).start).toBe('2017-01-21');
    // Saturday 2017-02-04: the week that ended yesterday is complete.
    expect(weekPeriod('last', new Date('2017-02-04T08:00:00Z')).start).toBe('2017-01-28');
  });

  it('maps federal fiscal quarters', () => {
    expect(quarterPeriod('FY2018Q2')).toEqual({ kind: 'quarter', start: '2018-01-01', end: '2018-03-31' });
    expect(quarterPeriod('FY2018Q1')).toEqual({ kind: 'quarter', start: '2017-10-01', end: '2017-12-31' });
    expect(quarterPeriod('fy2017q4')).toEqual({ kind: 'quarter', start: '2017-07-01', end: '2017-09-30' });
    expect(periodSlug(quarterPeriod('FY2018Q1'))).toBe('FY2018Q1');
    expect(usage(() => quarterPeriod('2018Q2')).hint).toContain('FY2018Q2');
  });

  it('names the period just before: the week, the quarter, or as many days', () => {
    expect(previousPeriod(weekPeriod('2017-01-28'))).toEqual({
      kind: 'week',
      start: '2017-01-21',
      end: '2017-01-27',
    });
    expect(previousPeriod(quarterPeriod('FY2018Q2'))).toEqual({
      kind: 'quarter',
      start: '2017-10-01',
      end: '2017-12-31',
    });
    expect(previousPeriod(quarterPeriod('FY2018Q1'))).toEqual({
      kind: 'quarter',
      start: '2017-07-01',
      end: '2017-09-30',
    });
    expect(previousPeriod(rangePeriod('2017-03-01', '2017-03-10'))).toEqual({
      kind: 'range',
      start: '2017-02-19',
      end: '2017-02-28',
    });
  });

  it('takes any inclusive range, in order', () => {
    expect(rangePeriod('2017-01-01', '2017-01-01')).toEqual({
      kind: 'range',
      start: '2017-01-01',
      end: '2017-01-01',
    });
    expect(usage(() => rangePeriod('2017-02-01', '2017-01-01')).message).toContain('is after');
    expect(usage(() => rangePeriod('2017-02-30', '2017-03-01')).message).toContain('is not a date');
  });

  it('wants exactly one selector', () => {
    expect(usage(() => periodFromOptions({})).message).toBe('no period given');
    expect(usage(() => periodFromOptions({ week: '2017-01-28', quarter: 'FY2017Q2' })).message).toContain(
      'not several',
    );
    expect(usage(() => periodFromOptions({ from: '2017-01-01' })).message).toContain('go together');
  });

  it('labels periods as the 2017 report did', () => {
    expect(periodLabel(weekPeriod('2017-01-28'))).toBe('Jan. 28 – Feb. 3, 2017');
    expect(periodLabel(rangePeriod('2016-12-31', '2017-01-06'))).toBe('Dec. 31, 2016 – Jan. 6, 2017');
  });
});
