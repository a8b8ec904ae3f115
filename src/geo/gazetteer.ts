/**
 * The county gazetteer: every US county-equivalent, keyed by 5-digit FIPS.
 *
 * The base list is data/census/counties.csv, the Census Bureau's national county
 * file of the 2010 FIPS codes (source and rebuild: data/census/README.md). The
 * changes since then are listed below with their dates, so records of any year
 * resolve and a later map can pick the boundary vintage of its period.
 */
import { readFileSync } from 'node:fs';
import { stateByCode } from '../domain/states.js';
import { dataPath } from '../paths.js';

export interface County {
  fips: string;
  state: string;
  name: string;
  /** county, parish, borough, census area, city and borough, municipality, independent city, … */
  countyClass: string;
  /** First day the county-equivalent exists under this code and name (null: before 2010). */
  validFrom: string | null;
  /** First day it no longer exists (null: current). */
  validTo: string | null;
}

interface Change {
  fips: string;
  state: string;
  name: string;
  validFrom?: string;
  validTo?: string;
}

/** County-equivalent changes after the 2010 list (Census "substantial changes to counties"). */
const CHANGES: Change[] = [
  { fips: '35013', state: 'NM', name: 'Doña Ana County' },
  { fips: '02270', state: 'AK', name: 'Wade Hampton Census Area', validTo: '2015-07-01' },
  { fips: '02158', state: 'AK', name: 'Kusilvak Census Area', validFrom: '2015-07-01' },
  { fips: '46113', state: 'SD', name: 'Shannon County', validTo: '2015-05-01' },
  { fips: '46102', state: 'SD', name: 'Oglala Lakota County', validFrom: '2015-05-01' },
  { fips: '51515', state: 'VA', name: 'Bedford city', validTo: '2013-07-01' },
  { fips: '02195', state: 'AK', name: 'Petersburg Borough', validFrom: '2013-01-03' },
  { fips: '02261', state: 'AK', name: 'Valdez-Cordova Census Area', validTo: '2019-01-02' },
  { fips: '02063', state: 'AK', name: 'Chugach Census Area', validFrom: '2019-01-02' },
  { fips: '02066', state: 'AK', name: 'Copper River Census Area', validFrom: '2019-01-02' },
  // Connecticut replaced its eight counties with nine planning regions as county-equivalents.
  ...['001', '003', '005', '007', '009', '011', '013', '015'].map((c) => ({
    fips: `09${c}`,
    state: 'CT',
    name: '',
    validTo: '2022-06-06',
  })),
  ...[
    ['110', 'Capitol Planning Region'],
    ['120', 'Greater Bridgeport Planning Region'],
    ['130', 'Lower Connecticut River Valley Planning Region'],
    ['140', 'Naugatuck Valley Planning Region'],
    ['150', 'Northeastern Connecticut Planning Region'],
    ['160', 'Northwest Hills Planning Region'],
    ['170', 'South Central Connecticut Planning Region'],
    ['180', 'Southeastern Connecticut Planning Region'],
    ['190', 'Western Connecticut Planning Region'],
  ].map(([c, name]) => ({ fips: `09${c}`, state: 'CT', name: name!, validFrom: '2022-06-06' })),
];

const CLASS_SUFFIXES: Array<[RegExp, string]> = [
  [/ City and Borough$/, 'city and borough'],
  [/ Census Area$/, 'census area'],
  [/ Planning Region$/, 'planning region'],
  [/ County$/, 'county'],
  [/ Parish$/, 'parish'],
  [/ Borough$/, 'borough'],
  [/ Municipality$/, 'municipality'],
  [/ Municipio$/, 'municipio'],
  [/ city$/, 'independent city'],
  [/ District$/, 'district'],
  [/ Islands?$/, 'island'],
];

function classOf(name: string, classfp: string): string {
  if (classfp === 'C7') return 'independent city';
  for (const [re, cls] of CLASS_SUFFIXES) if (re.test(name)) return cls;
  if (name === 'District of Columbia') return 'federal district';
  if (classfp === 'H6' || classfp === 'C7') return 'consolidated city';
  return 'county-equivalent';
}

let cached: County[] | undefined;

/** All county-equivalents, sorted by FIPS. */
export function counties(): County[] {
  if (cached) return cached;
  const text = readFileSync(dataPath('census', 'counties.csv'), 'utf8');
  const byFips = new Map<string, County & { classfp: string }>();
  // fips,state,name,class — no county name holds a comma or a quote (the rebuild script would quote it).
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    const [fips, state, name, classfp] = line.split(',');
    if (!fips || !state || !stateByCode(state)) continue; // drops the minor outlying islands (UM), if listed
    byFips.set(fips, {
      fips,
      state,
      name: name!,
      classfp: classfp!,
      countyClass: '',
      validFrom: null,
      validTo: null,
    });
  }
  for (const change of CHANGES) {
    const known = byFips.get(change.fips);
    const name = change.name || known?.name;
    if (!name) throw new Error(`gazetteer change for unknown county ${change.fips}`);
    byFips.set(change.fips, {
      fips: change.fips,
      state: change.state,
      name,
      classfp: known?.classfp ?? 'H1',
      countyClass: '',
      validFrom: change.validFrom ?? known?.validFrom ?? null,
      validTo: change.validTo ?? known?.validTo ?? null,
    });
  }
  cached = [...byFips.values()]
    .map(({ classfp, ...c }) => ({ ...c, countyClass: classOf(c.name, classfp) }))
    .sort((a, b) => a.fips.localeCompare(b.fips));
  return cached;
}

let index: Map<string, County> | undefined;
export function countyByFips(fips: string): County | undefined {
  index ??= new Map(counties().map((c) => [c.fips, c]));
  return index.get(fips);
}
