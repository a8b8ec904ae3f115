#!/usr/bin/env node
/**
 * Rebuilds data/census/counties.csv and data/census/places.csv from the original files, which
 * the user downloads first (see data/census/README.md for the URLs; nothing is downloaded here):
 *
 *   node scripts/census-data.mjs NATIONAL_COUNTY_TXT GEOCORR_PLACE_COUNTY_CSV [OUT_DIR]
 *
 * OUT_DIR defaults to data/census. The output is a pure function of the two inputs: running it
 * again on the same files gives the same bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [countyFile, placeFile, outDir = 'data/census'] = process.argv.slice(2);
if (!countyFile || !placeFile) {
  console.error(
    'usage: node scripts/census-data.mjs national_county.txt geocorr2022_place_county.csv [out-dir]',
  );
  process.exit(1);
}

/** Quotes a CSV field only when it needs it. */
const field = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
const line = (values) => `${values.map(field).join(',')}\n`;

/** A small RFC 4180 reader (quoted fields, doubled quotes); enough for these two files. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else value += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(value);
      value = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(value);
      if (row.some((v) => v !== '')) rows.push(row);
      row = [];
      value = '';
    } else value += ch;
  }
  if (value !== '' || row.length) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}

// 1. Counties: the Census national county file (state, state FIPS, county FIPS, name, class code), no header.
const counties = parseCsv(readFileSync(countyFile, 'latin1'))
  .map(([state, statefp, countyfp, name, classfp]) => {
    if (!/^\d{2}$/.test(statefp ?? '') || !/^\d{3}$/.test(countyfp ?? '') || !name || !classfp) {
      throw new Error(`${countyFile}: unexpected row ${[state, statefp, countyfp, name, classfp].join(',')}`);
    }
    return { fips: `${statefp}${countyfp}`, state, name: name.trim(), classfp: classfp.trim() };
  })
  .sort((a, b) => (a.fips < b.fips ? -1 : a.fips > b.fips ? 1 : 0));
let out = line(['fips', 'state', 'name', 'class']);
for (const c of counties) out += line([c.fips, c.state, c.name, c.classfp]);
writeFileSync(join(outDir, 'counties.csv'), out);

// 2. Place parts: Geocorr 2022 county-to-place, weighted by 2020 Census population. Two header rows
// (names, then labels); Latin-1; place 99999 is "[not in a place]".
/** Census legal/statistical area descriptions that end a place name, longest first. */
const LSADS = [
  'city and borough',
  'metropolitan government',
  'metro government',
  'unified government',
  'consolidated government',
  'urban county',
  'zona urbana',
  'comunidad',
  'municipality',
  'corporation',
  'borough',
  'village',
  'township',
  'town',
  'city',
  'CDP',
];

function splitName(placeName, stab) {
  const suffix = `, ${stab}`;
  if (!placeName.endsWith(suffix))
    throw new Error(`${placeFile}: place name without its state: ${placeName}`);
  let name = placeName.slice(0, -suffix.length).trim();
  let balance = '';
  if (name.endsWith(' (balance)')) {
    balance = '(balance)';
    name = name.slice(0, -' (balance)'.length);
  }
  let lsad = '';
  for (const l of LSADS) {
    if (name.endsWith(` ${l}`)) {
      lsad = l;
      name = name.slice(0, -(l.length + 1));
      break;
    }
  }
  return { name, lsad: [lsad, balance].filter(Boolean).join(' ') };
}

const rows = parseCsv(readFileSync(placeFile, 'latin1'));
const header = rows[0] ?? [];
const col = (n) => {
  const i = header.indexOf(n);
  if (i < 0) throw new Error(`${placeFile}: no column ${n}`);
  return i;
};
const [cCounty, cState, cPlace, cStab, cName, cPop] = [
  'county',
  'state',
  'place',
  'stab',
  'PlaceName',
  'pop20',
].map(col);
const parts = [];
const unnamed = [];
for (const r of rows.slice(2)) {
  if (r[cPlace] === '99999') continue;
  // A few places carry their GEOID instead of a name: they cannot be matched by name, so they are left out.
  if (r[cName] === `${r[cState]}${r[cPlace]}`) {
    unnamed.push(`${r[cName]} (county ${r[cCounty]})`);
    continue;
  }
  const county = r[cCounty];
  const pop = r[cPop].trim();
  if (!/^\d{5}$/.test(county) || !/^\d{5}$/.test(r[cPlace]) || !/^\d+$/.test(pop)) {
    throw new Error(`${placeFile}: unexpected row ${r.join(',')}`);
  }
  if (county.slice(0, 2) !== r[cState])
    throw new Error(`${placeFile}: county ${county} outside state ${r[cState]}`);
  const { name, lsad } = splitName(r[cName], r[cStab]);
  parts.push({
    statefp: r[cState],
    state: r[cStab],
    place: r[cPlace],
    name,
    lsad,
    county,
    population: Number(pop),
  });
}
parts.sort((a, b) =>
  a.statefp !== b.statefp
    ? a.statefp < b.statefp
      ? -1
      : 1
    : a.place !== b.place
      ? a.place < b.place
        ? -1
        : 1
      : a.county < b.county
        ? -1
        : a.county > b.county
          ? 1
          : 0,
);
out = line(['state', 'place', 'name', 'lsad', 'county', 'population']);
for (const p of parts) out += line([p.state, p.place, p.name, p.lsad, p.county, p.population]);
writeFileSync(join(outDir, 'places.csv'), out);

console.error(`wrote ${counties.length} counties and ${parts.length} place parts to ${outDir}`);
if (unnamed.length)
  console.error(`left out ${unnamed.length} place parts without a name: ${unnamed.join(', ')}`);
