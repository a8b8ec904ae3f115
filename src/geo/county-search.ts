/**
 * Finding a county by what a reader types: its name or its FIPS code. Names
 * match as they file (SPEC §2.10, `nameSortKey`): accents, letter case,
 * punctuation and spaces do not count, and "St" reads as "Saint", so "St Louis"
 * finds "St. Louis County" and "dona ana" finds "Doña Ana County". A name that
 * many states share ("Franklin") lists every one, each with its state; a
 * trailing state ("Franklin, OH", "Travis Texas") narrows the list.
 */
import { compareCodePoints, compareNames, nameSortKey } from '../domain/collate.js';
import { STATES, stateName } from '../domain/states.js';
import { type County, counties } from './gazetteer.js';

export interface CountyMatch {
  fips: string;
  name: string;
  state: string;
  state_name: string;
  class: string;
  /** First day it no longer exists under this code (null: current). */
  valid_to: string | null;
}

/** The class word a reader may leave out: "Travis" for "Travis County", "Franklin" for "Franklin city". */
const SUFFIX =
  / (County|Parish|Borough|Census Area|City and Borough|city and borough|Municipality|Municipio|Planning Region|city)$/;

interface Keyed {
  county: County;
  /** The whole name's key ("traviscounty") and the name's without its class word ("travis"). */
  key: string;
  bare: string;
}

let keyed: Keyed[] | undefined;
function index(): Keyed[] {
  keyed ??= counties().map((county) => ({
    county,
    key: nameSortKey(county.name),
    bare: nameSortKey(county.name.replace(SUFFIX, '')),
  }));
  return keyed;
}

const stateKeys = new Map<string, string>(STATES.map((s) => [nameSortKey(s.name), s.code]));

/**
 * The states a query's last words name ("OH", "Ohio", "New Mexico"), and the words before them.
 * After a comma the words may be the start of a state's name, as typed so far ("Franklin, O").
 */
function trailingState(query: string): { rest: string; states: string[] } | null {
  const comma = query.lastIndexOf(',');
  if (comma > 0) {
    const tail = query.slice(comma + 1).trim();
    const key = nameSortKey(tail);
    const states = STATES.filter(
      (s) => s.code === tail.toUpperCase() || (key !== '' && nameSortKey(s.name).startsWith(key)),
    ).map((s) => s.code);
    if (tail && states.length > 0) return { rest: query.slice(0, comma), states };
  }
  const words = query.trim().split(/[\s,]+/);
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const tail = words.slice(-n).join(' ');
    const code =
      n === 1 && /^[A-Za-z]{2}$/.test(tail) && STATES.some((s) => s.code === tail.toUpperCase())
        ? tail.toUpperCase()
        : stateKeys.get(nameSortKey(tail));
    if (code) return { rest: words.slice(0, -n).join(' '), states: [code] };
  }
  return null;
}

const toMatch = (c: County): CountyMatch => ({
  fips: c.fips,
  name: c.name,
  state: c.state,
  state_name: stateName(c.state),
  class: c.countyClass,
  valid_to: c.validTo,
});

function matching(query: string, states: string[] | undefined): CountyMatch[] {
  const q = query.trim();
  const inState = (k: Keyed) => !states || states.includes(k.county.state);
  if (/^\d{1,5}$/.test(q)) {
    return index()
      .filter((k) => inState(k) && k.county.fips.startsWith(q))
      .map((k) => toMatch(k.county));
  }
  const key = nameSortKey(q);
  if (!key) return [];
  // Best first: the name itself, then names that begin with the query, then names that contain it.
  const rank = (k: Keyed) =>
    k.bare === key || k.key === key ? 0 : k.key.startsWith(key) ? 1 : k.key.includes(key) ? 2 : -1;
  return index()
    .filter(inState)
    .map((k) => ({ k, r: rank(k) }))
    .filter((x) => x.r >= 0)
    .sort(
      (a, b) =>
        a.r - b.r ||
        compareNames(a.k.county.name, b.k.county.name) ||
        compareNames(stateName(a.k.county.state), stateName(b.k.county.state)) ||
        compareCodePoints(a.k.county.fips, b.k.county.fips),
    )
    .map((x) => toMatch(x.k.county));
}

/**
 * The counties a query names, best match first (then by name as it files, then by state name).
 * `state` (a USPS code) keeps one state's. An empty query with a state lists that state's counties.
 */
export function searchCounties(query: string, state?: string): CountyMatch[] {
  const q = query.trim();
  if (!q) {
    if (!state) return [];
    return index()
      .filter((k) => k.county.state === state)
      .sort(
        (a, b) =>
          compareNames(a.county.name, b.county.name) || compareCodePoints(a.county.fips, b.county.fips),
      )
      .map((k) => toMatch(k.county));
  }
  const split = state ? null : trailingState(q);
  if (split?.rest) {
    const narrowed = matching(split.rest, split.states);
    if (narrowed.length > 0) return narrowed;
  }
  return matching(q, state ? [state] : undefined);
}
