/**
 * The county map's boundaries: us-atlas's counties-10m (Census cartographic
 * boundaries of 2017). Counties created or renamed after that vintage, or merged
 * before it, are drawn in the 2017 county-equivalent that holds them, so no
 * decline falls off the map; Puerto Rico and the island areas are outside the
 * Albers USA projection and are reported as not drawn.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Topology } from 'topojson-specification';

export const ATLAS_VINTAGE = 2017;

/** FIPS codes absent from the 2017 atlas → the 2017 county-equivalent that covers them. */
export const ATLAS_CROSSWALK: Record<string, { fips: string; why: string }> = {
  '02270': { fips: '02158', why: 'Wade Hampton Census Area was renamed Kusilvak Census Area in 2015' },
  '46113': { fips: '46102', why: 'Shannon County was renamed Oglala Lakota County in 2015' },
  '51515': { fips: '51019', why: 'Bedford city joined Bedford County in 2013' },
  '02063': { fips: '02261', why: 'Chugach Census Area was part of Valdez-Cordova Census Area until 2019' },
  '02066': {
    fips: '02261',
    why: 'Copper River Census Area was part of Valdez-Cordova Census Area until 2019',
  },
  // Connecticut's planning regions (2022) do not nest in its old counties: each is drawn in the county
  // that held most of its population.
  '09110': { fips: '09003', why: 'Capitol Planning Region (2022) is drawn in Hartford County' },
  '09120': { fips: '09001', why: 'Greater Bridgeport Planning Region (2022) is drawn in Fairfield County' },
  '09130': {
    fips: '09007',
    why: 'Lower Connecticut River Valley Planning Region (2022) is drawn in Middlesex County',
  },
  '09140': { fips: '09009', why: 'Naugatuck Valley Planning Region (2022) is drawn in New Haven County' },
  '09150': {
    fips: '09015',
    why: 'Northeastern Connecticut Planning Region (2022) is drawn in Windham County',
  },
  '09160': { fips: '09005', why: 'Northwest Hills Planning Region (2022) is drawn in Litchfield County' },
  '09170': {
    fips: '09009',
    why: 'South Central Connecticut Planning Region (2022) is drawn in New Haven County',
  },
  '09180': {
    fips: '09011',
    why: 'Southeastern Connecticut Planning Region (2022) is drawn in New London County',
  },
  '09190': { fips: '09001', why: 'Western Connecticut Planning Region (2022) is drawn in Fairfield County' },
};

/** State FIPS prefixes outside the Albers USA projection (Puerto Rico and the island areas). */
const OFF_MAP_STATES = new Set(['60', '66', '69', '72', '78']);

let topology: Topology | undefined;
let ids: Set<string> | undefined;

export function countiesTopology(): Topology {
  topology ??= createRequire(import.meta.url)('us-atlas/counties-10m.json') as Topology;
  return topology;
}

/**
 * The counties the map draws, by FIPS code. From the topology when it is loaded (the map);
 * otherwise read from the file's text: every 5-digit `"id"` is a county's (states have 2 digits),
 * which is a quarter of the time of parsing the whole 800 KB topology (a report that draws no
 * map, e.g. `ddor report build --format json`, needs only these).
 */
export function atlasIds(): Set<string> {
  if (!ids) {
    if (topology) {
      const counties = topology.objects.counties as unknown as { geometries: Array<{ id: string }> };
      ids = new Set(counties.geometries.map((g) => g.id));
    } else {
      const text = readFileSync(createRequire(import.meta.url).resolve('us-atlas/counties-10m.json'), 'utf8');
      ids = new Set(Array.from(text.matchAll(/"id":"(\d{5})"/g), (m) => m[1]!));
    }
  }
  return ids;
}

export type Placement = { fips: string; note: string | null } | { fips: null; note: string };

/** Where a county is drawn on the 2017 atlas, and why when it is not itself. */
export function placeOnAtlas(fips: string): Placement {
  if (OFF_MAP_STATES.has(fips.slice(0, 2))) {
    return { fips: null, note: 'outside the map projection (Puerto Rico and the island areas)' };
  }
  if (atlasIds().has(fips)) return { fips, note: null };
  const cross = ATLAS_CROSSWALK[fips];
  if (cross && atlasIds().has(cross.fips)) return { fips: cross.fips, note: cross.why };
  return { fips: null, note: `not in the ${ATLAS_VINTAGE} county boundaries` };
}
