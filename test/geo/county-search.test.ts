/** Finding a county by what a reader types (issue 15): name or FIPS, folded as names file. */
import { describe, expect, it } from 'vitest';
import { searchCounties } from '../../src/geo/county-search.js';

const labels = (q: string, state?: string) => searchCounties(q, state).map((c) => `${c.name}, ${c.state}`);

describe('searchCounties', () => {
  it('lists every Franklin, each with its state, the exact names before longer ones', () => {
    const found = searchCounties('Franklin');
    expect(found.length).toBe(26);
    expect(found.every((c) => c.name.startsWith('Franklin'))).toBe(true);
    expect(new Set(found.map((c) => c.fips)).size).toBe(26);
    expect(labels('franklin')).toContain('Franklin County, OH');
    expect(labels('franklin')).toContain('Franklin Parish, LA');
    expect(labels('franklin')).toContain('Franklin city, VA');
    // Same name: by state name (Alabama before Arkansas).
    expect(labels('Franklin County').slice(0, 2)).toEqual(['Franklin County, AL', 'Franklin County, AR']);
  });

  it('reads "St" as "Saint" and ignores punctuation, accents and case', () => {
    expect(labels('St Louis')).toEqual([
      'St. Louis city, MO',
      'St. Louis County, MN',
      'St. Louis County, MO',
    ]);
    expect(labels('saint louis')).toEqual(labels('St Louis'));
    expect(labels('ST. LOUIS')).toEqual(labels('St Louis'));
    expect(labels('dona ana')).toEqual(['Doña Ana County, NM']);
    expect(labels('DOÑA ANA COUNTY')).toEqual(['Doña Ana County, NM']);
    expect(labels('lasalle')).toEqual(['La Salle County, TX', 'LaSalle County, IL', 'La Salle Parish, LA']);
  });

  it('finds a county by its FIPS code or its first digits', () => {
    expect(labels('48453')).toEqual(['Travis County, TX']);
    expect(searchCounties('4845').map((c) => c.fips)).toEqual(['48451', '48453', '48455', '48457', '48459']);
    expect(searchCounties('99999')).toEqual([]);
  });

  it('narrows by a trailing state, by code or name, or by the state given', () => {
    expect(labels('Franklin, OH')).toEqual(['Franklin County, OH']);
    expect(labels('travis texas')).toEqual(['Travis County, TX']);
    // After a comma, the start of a state's name as typed so far.
    expect(labels('Franklin, O')).toEqual(['Franklin County, OH']);
    expect(labels('Franklin, new')).toEqual(['Franklin County, NY']);
    expect(labels('Essex, new')).toEqual(['Essex County, NJ', 'Essex County, NY']);
    expect(labels('Franklin', 'VA')).toEqual(['Franklin city, VA', 'Franklin County, VA']);
    // A state's name alone is a county name too: no narrowing to nothing.
    expect(labels('New York')).toEqual(['New York County, NY']);
    expect(labels('', 'DE')).toEqual(['Kent County, DE', 'New Castle County, DE', 'Sussex County, DE']);
  });

  it('puts the name itself before names that begin with it and names that contain it', () => {
    const found = labels('Lake');
    expect(found.slice(0, 3).every((l) => l.startsWith('Lake County'))).toBe(true);
    const firstContaining = found.findIndex((l) => !l.startsWith('Lake'));
    expect(firstContaining).toBeGreaterThan(0);
    expect(found.slice(firstContaining).every((l) => !l.startsWith('Lake'))).toBe(true);
    expect(searchCounties('   ')).toEqual([]);
    expect(searchCounties('zzqx')).toEqual([]);
  });
});
