/**
 * The place gazetteer: which counties a city lies in, from data/census/places.csv
 * (every 2020 Census place — incorporated place or CDP — and the population of
 * its part in each county; source and rebuild: data/census/README.md). A city
 * whose place lies in several counties spans them, and a facility there is
 * queued for a person to resolve, never guessed.
 */
import { readFileSync } from 'node:fs';
import { dataPath } from '../paths.js';
import { countyByFips } from './gazetteer.js';

/** City names compared lower-cased, accents, punctuation and Saint/St. folded. */
export function placeKey(city: string, state: string): string {
  const c = city
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bsaint\b/g, 'st')
    .replace(/\bfort\b/g, 'ft')
    .replace(/\bmount\b/g, 'mt')
    .replace(/[^a-z0-9]/g, '');
  return `${c}|${state.toUpperCase()}`;
}

/** One county's part of a place, and its share of the place's 2020 population (null: nobody lives there). */
export interface PlacePart {
  fips: string;
  share: number | null;
}

interface Place {
  parts: Array<{ county: string; population: number }>;
}

let index: Map<string, Place[]> | undefined;

/** Splits one line of the rebuild script's CSV (fields quoted only when they hold a comma or a quote). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      out.push(v);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

/**
 * Other names a place is known by, used only where no place has that name itself: the two
 * halves of "San Buenaventura (Ventura)", the city of a consolidated government
 * ("Nashville-Davidson metropolitan government" → Nashville, "Louisville/Jefferson County
 * metro government" → Louisville), "Urban Honolulu" → Honolulu, "Boise City" → Boise.
 */
function otherNames(name: string, lsad: string): string[] {
  const names: string[] = [];
  const paren = /^(.+?) \(([^)]{2,})\)$/.exec(name);
  if (paren) names.push(paren[1]!, paren[2]!);
  if (/government|urban county|balance/.test(lsad) || / County$/.test(name)) {
    const first = /^([^-/,]+)[-/,]/.exec(name);
    if (first) names.push(first[1]!.trim());
  }
  if (name.startsWith('Urban ')) names.push(name.slice('Urban '.length));
  if (lsad === 'city' && name.endsWith(' City')) names.push(name.slice(0, -' City'.length));
  return names;
}

function load(): Map<string, Place[]> {
  const lines = readFileSync(dataPath('census', 'places.csv'), 'utf8').split('\n');
  const places = new Map<string, Place & { state: string; name: string; lsad: string }>();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [state, placefp, name, lsad, county, population] = csvFields(line);
    const id = `${state}${placefp}`;
    let p = places.get(id);
    if (!p) {
      p = { state: state!, name: name!, lsad: lsad!, parts: [] };
      places.set(id, p);
    }
    p.parts.push({ county: county!, population: Number(population) });
  }
  const map = new Map<string, Place[]>();
  const add = (key: string, p: Place) => {
    const list = map.get(key);
    if (!list) map.set(key, [p]);
    else if (!list.includes(p)) list.push(p);
  };
  for (const p of places.values()) add(placeKey(p.name, p.state), p);
  const own = new Set(map.keys());
  for (const p of places.values()) {
    for (const other of otherNames(p.name, p.lsad)) {
      const key = placeKey(other, p.state);
      if (!own.has(key)) add(key, p);
    }
  }
  return map;
}

/**
 * The parts of a place where people live. A part with no 2020 population is a sliver of the
 * boundary (a road, a field, water), where no jail stands (its inmates would be counted there),
 * so it does not make a city span a county; a place where nobody lives keeps all its parts.
 */
function livedIn(p: Place): Place['parts'] {
  const lived = p.parts.filter((x) => x.population > 0);
  return lived.length ? lived : p.parts;
}

/**
 * Post-office names that are no Census place but a county by definition: New York City's
 * boroughs, each one county (ICE's facility lists give "BROOKLYN MDC", code BOPBRO, with
 * the city Brooklyn). Used only where no Census place has the name.
 */
export const POSTAL_COUNTIES: ReadonlyArray<readonly [city: string, state: string, fips: string]> = [
  ['Brooklyn', 'NY', '36047'],
  ['Bronx', 'NY', '36005'],
  ['The Bronx', 'NY', '36005'],
  ['Staten Island', 'NY', '36085'],
  ['Manhattan', 'NY', '36061'],
];
const postal = new Map(POSTAL_COUNTIES.map(([c, s, f]) => [placeKey(c, s), f]));

/** Each county a city lies in, with its share of the city's 2020 population, largest first. */
export function placeParts(city: string, state: string): PlacePart[] {
  index ??= load();
  if (!index.has(placeKey(city, state))) {
    const borough = postal.get(placeKey(city, state));
    return borough ? [{ fips: borough, share: 1 }] : [];
  }
  const byCounty = new Map<string, number>();
  for (const p of index.get(placeKey(city, state)) ?? []) {
    for (const part of livedIn(p))
      byCounty.set(part.county, (byCounty.get(part.county) ?? 0) + part.population);
  }
  const total = [...byCounty.values()].reduce((a, b) => a + b, 0);
  return [...byCounty]
    .map(([fips, population]) => ({ fips, share: total > 0 ? population / total : null }))
    .sort((a, b) => (b.share ?? 0) - (a.share ?? 0) || (a.fips < b.fips ? -1 : 1));
}

/** The counties (FIPS) a city lies in, sorted; empty when the city is unknown. */
export function countiesOfPlace(city: string, state: string): string[] {
  return placeParts(city, state)
    .map((p) => p.fips)
    .sort();
}

/** A name's words: accents and case folded, "St."/"Ste." read as Saint/Sainte, punctuation a space. */
function words(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => ({ st: 'saint', ste: 'sainte', ft: 'fort', mt: 'mount' })[w] ?? w);
}

const contains = (hay: string[], needle: string[]) =>
  needle.length > 0 && hay.some((_, i) => needle.every((w, j) => hay[i + j] === w));

/**
 * The one county among `candidates` that a facility's own name names, with its kind
 * ("DENVER COUNTY JAIL" names Denver County, "ORLEANS PARISH PRISON" Orleans Parish,
 * "ST. LOUIS CITY JUSTICE CENTER" St. Louis city), or null when it names none or several.
 * A bare "Franklin" is no county's name: the word County (Parish, Borough, city…) must follow.
 */
export function countyNamedIn(facility: string, candidates: readonly string[]): string | null {
  const hay = words(facility);
  const named = candidates.filter((fips) => {
    const county = countyByFips(fips);
    return county ? contains(hay, words(county.name)) : false;
  });
  return named.length === 1 ? named[0]! : null;
}
