/**
 * Policies as readers see them (SPEC §2 rule 8, §3): jurisdiction names, enactment dates as
 * precise as the source, AOR names, the order of a list. When a policy is in force, and the
 * three readers saying it alike, are pinned on both stores in queries.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  aorShown,
  enactedAsShown,
  jurisdictionName,
  newestEnactmentFirst,
  restrictionsOf,
} from '../../src/report/policies.js';

const place = { state: 'TX', county_fips: null, county: null, place: null };

describe('policy labels', () => {
  it('names a state in full, a county or place with its state code', () => {
    expect(jurisdictionName({ ...place, level: 'state' })).toBe('Texas');
    expect(
      jurisdictionName({ ...place, level: 'county', county_fips: '48453', county: 'Travis County' }),
    ).toBe('Travis County, TX');
    expect(jurisdictionName({ ...place, level: 'county', county_fips: '48453' })).toBe('48453, TX');
    expect(jurisdictionName({ ...place, level: 'place', county_fips: '48453', place: 'Austin' })).toBe(
      'Austin, TX',
    );
  });

  it('shows an enactment known by its month as the month, else the day', () => {
    expect(enactedAsShown({ enacted_date: '2016-06-01', enacted_precision: 'month' })).toBe('2016-06');
    expect(enactedAsShown({ enacted_date: '2016-06-01', enacted_precision: 'day' })).toBe('2016-06-01');
  });

  it('names AORs by their field office, keeps an unknown code, and splits restrictions', () => {
    expect(aorShown('SNA')).toBe('San Antonio');
    expect(aorShown('HLG')).toBe('Harlingen');
    expect(aorShown('XYZ')).toBe('XYZ');
    expect(aorShown(null)).toBeNull();
    expect(restrictionsOf('detainer_hold;notification')).toEqual(['detainer_hold', 'notification']);
  });

  it('lists the newest enactment first, then jurisdictions as a reader files them, then ids', () => {
    const p = (policy_id: string, enacted_date: string, name: string) => ({
      ...place,
      level: 'place',
      place: name,
      policy_id,
      enacted_date,
    });
    const sorted = newestEnactmentFirst([
      p('A', '2016-01-01', 'Douglas'),
      p('B', '2017-01-01', 'Austin'),
      p('C', '2016-01-01', 'Doña Ana'),
      p('E', '2016-01-01', 'Dona Ana'),
      p('D', '2016-01-01', 'Dona Ana'),
    ]);
    expect(sorted.map((x) => x.policy_id)).toEqual(['B', 'D', 'E', 'C', 'A']);
  });
});
