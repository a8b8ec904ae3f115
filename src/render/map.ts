/**
 * The county map as SVG: every county of us-atlas projected with d3-geo's
 * Albers USA (Alaska and Hawaii inset), shaded by declines in the period, with
 * counties under a policy limiting cooperation hatched, state borders, a title
 * and a legend. Each county is a <path> with its FIPS code (id, data-fips) and a
 * <title> naming it with its figures, so readers and scripts can find it.
 */
import { geoAlbersUsa, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection } from 'topojson-specification';
import { stateByCode, stateByFips } from '../domain/states.js';
import { countiesTopology, placeOnAtlas } from '../geo/atlas.js';
import { countyByFips } from '../geo/gazetteer.js';
import type { Report } from '../report/model.js';
import { periodLabel } from '../report/period.js';
import { esc, num } from './escape.js';

const WIDTH = 975;
const MAP_HEIGHT = 610;
const TOP = 44;
const LEGEND = 64;
const HEIGHT = TOP + MAP_HEIGHT + LEGEND;

/** Fixed classes, so maps of different weeks compare. Palette: ColorBrewer PuBu (colour-blind safe). */
export const DECLINE_CLASSES = [
  { min: 1, max: 1, label: '1', fill: '#d0d1e6' },
  { min: 2, max: 4, label: '2–4', fill: '#a6bddb' },
  { min: 5, max: 9, label: '5–9', fill: '#67a9cf' },
  { min: 10, max: 24, label: '10–24', fill: '#1c9099' },
  { min: 25, max: Number.POSITIVE_INFINITY, label: '25 or more', fill: '#016c59' },
] as const;
const NO_DECLINES = '#f4f4f4';
const HATCH = '#b35806';

interface CountyShape {
  fips: string;
  d: string;
}

interface Geometry {
  counties: CountyShape[];
  states: string;
  nation: string;
}

let geometry: Geometry | undefined;

/** Projected paths, computed once per process (they depend only on the atlas). */
function atlasGeometry(): Geometry {
  if (geometry) return geometry;
  const topology = countiesTopology();
  const path = geoPath(
    geoAlbersUsa()
      .scale(1300)
      .translate([WIDTH / 2, MAP_HEIGHT / 2]),
  ).digits(1);
  const collection = feature(topology, topology.objects.counties as GeometryCollection);
  const counties: CountyShape[] = [];
  for (const f of collection.features) {
    const d = path(f);
    if (d) counties.push({ fips: String(f.id), d });
  }
  counties.sort((a, b) => (a.fips < b.fips ? -1 : 1));
  const states = path(mesh(topology, topology.objects.states as GeometryCollection, (a, b) => a !== b)) ?? '';
  const nation = path(mesh(topology, topology.objects.nation as GeometryCollection)) ?? '';
  geometry = { counties, states, nation };
  return geometry;
}

function declineClass(n: number): number {
  return DECLINE_CLASSES.findIndex((c) => n >= c.min && n <= c.max);
}

export interface MapFigures {
  declines: Map<string, number>;
  issuedToRestricting: Map<string, number>;
  restricting: Set<string>;
}

/** Per drawn county: declines, detainers to restricting jurisdictions (Section I), policy in force. */
export function mapFigures(report: Report): MapFigures {
  const declines = new Map<string, number>();
  for (const g of report.section2) {
    const at = placeOnAtlas(g.county.fips).fips;
    if (at) declines.set(at, (declines.get(at) ?? 0) + g.declines.length);
  }
  const issuedToRestricting = new Map<string, number>();
  for (const r of report.section1) {
    const at = placeOnAtlas(r.county.fips).fips;
    if (at) issuedToRestricting.set(at, (issuedToRestricting.get(at) ?? 0) + r.detainers_issued);
  }
  const restricting = new Set<string>();
  const statePolicies = new Set(
    report.section3.filter((p) => p.level === 'state').map((p) => stateByCode(p.state)?.fips),
  );
  for (const c of atlasGeometry().counties)
    if (statePolicies.has(c.fips.slice(0, 2))) restricting.add(c.fips);
  for (const p of report.section3) {
    const at = p.county_fips ? placeOnAtlas(p.county_fips).fips : null;
    if (at) restricting.add(at);
  }
  return { declines, issuedToRestricting, restricting };
}

function countyTitle(fips: string, f: MapFigures): string {
  const county = countyByFips(fips);
  const state = stateByFips(fips.slice(0, 2));
  const name = county ? `${county.name}, ${county.state}` : `${fips}, ${state?.code ?? ''}`;
  const n = f.declines.get(fips) ?? 0;
  const parts = [`${name} (${fips})`, `${num(n)} ${n === 1 ? 'decline' : 'declines'}`];
  const issued = f.issuedToRestricting.get(fips);
  if (issued !== undefined) parts.push(`${num(issued)} detainers issued (Section I)`);
  if (f.restricting.has(fips)) parts.push('policy limiting cooperation in force');
  return parts.join(' · ');
}

export interface MapOptions {
  /** Prefix for element ids, so several maps can share a page. */
  idPrefix?: string;
  /**
   * Links the counties that have figures (the web app's county pages): each becomes a
   * keyboard-reachable <a>. The self-contained report has no such pages and no links.
   */
  countyHref?: (fips: string) => string;
  /** The browsing context the county links open in (`_top` when the map is an <object> of a page). */
  linkTarget?: string;
  /**
   * For the page: the map as its own resource at this URL (an <object>, so its county links work
   * without JavaScript), not drawn into the page. Only ReportSections reads it.
   */
  src?: string;
  /**
   * The counties only, cropped to them: no title or legend drawn in the SVG (a page that shows
   * them as HTML, the embedded map, whose text then stays readable at any width).
   */
  mapOnly?: boolean;
}

/** The map's title, as the SVG and a page that refers to it name it. */
export function mapTitle(report: Report): string {
  return `Declined detainers by county, ${periodLabel(report.period)}${report.demo ? ' (DEMO DATA)' : ''}`;
}

export function renderMapSvg(report: Report, options: MapOptions = {}): string {
  const id = options.idPrefix ?? 'ddor-map';
  const g = atlasGeometry();
  const f = mapFigures(report);
  const title = mapTitle(report);
  const desc = `${num(report.totals.declined)} declines recorded in ${num(report.totals.jurisdictions_with_declines)} counties; hatched counties had a policy limiting cooperation with detainers in force during the period.`;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${options.mapOnly ? `0 ${TOP} ${WIDTH} ${MAP_HEIGHT}` : `0 0 ${WIDTH} ${HEIGHT}`}" width="${WIDTH}" height="${options.mapOnly ? MAP_HEIGHT : HEIGHT}" role="${options.countyHref ? 'group' : 'img'}" aria-labelledby="${id}-title ${id}-desc" class="ddor-map" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<title id="${id}-title">${esc(title)}</title>`,
    `<desc id="${id}-desc">${esc(desc)}</desc>`,
    `<defs><pattern id="${id}-hatch" patternUnits="userSpaceOnUse" width="5" height="5" patternTransform="rotate(45)"><rect width="5" height="5" fill="none"/><line x1="0" y1="0" x2="0" y2="5" stroke="${HATCH}" stroke-width="1.6"/></pattern></defs>`,
    options.mapOnly
      ? ''
      : `<text x="0" y="22" font-size="18" font-weight="600" fill="#1a1a1a">${esc(title)}</text>`,
    `<g transform="translate(0,${TOP})">`,
    `<g class="counties" stroke="#ffffff" stroke-width="0.25">`,
  );
  // Counties are grouped by class and take their fill from the group, so the hatched
  // <use> copies below can take the pattern instead.
  const classes = [{ fill: NO_DECLINES }, ...DECLINE_CLASSES];
  classes.forEach((k, i) => {
    out.push(`<g class="declines-${i}" fill="${k.fill}">`);
    for (const c of g.counties) {
      const n = f.declines.get(c.fips) ?? 0;
      if (declineClass(n) + 1 !== i) continue;
      const path = `<path id="${id}-c${c.fips}" class="county" data-fips="${c.fips}" data-declines="${n}"${f.restricting.has(c.fips) ? ' data-restricting="true"' : ''} d="${c.d}"><title>${esc(countyTitle(c.fips, f))}</title></path>`;
      const linked = options.countyHref && (n > 0 || f.issuedToRestricting.has(c.fips));
      out.push(
        linked
          ? `<a class="county-link" href="${esc(options.countyHref!(c.fips))}"${options.linkTarget ? ` target="${esc(options.linkTarget)}"` : ''} data-fips="${c.fips}" aria-label="${esc(countyTitle(c.fips, f))}">${path}</a>`
          : path,
      );
    }
    out.push('</g>');
  });
  out.push(
    '</g>',
    `<g class="restricting" fill="url(#${id}-hatch)" stroke="${HATCH}" stroke-width="0.4" pointer-events="none">`,
  );
  for (const c of g.counties) if (f.restricting.has(c.fips)) out.push(`<use href="#${id}-c${c.fips}"/>`);
  out.push(
    '</g>',
    `<path class="states" fill="none" stroke="#555555" stroke-width="0.7" stroke-linejoin="round" d="${g.states}"/>`,
    `<path class="nation" fill="none" stroke="#333333" stroke-width="0.9" stroke-linejoin="round" d="${g.nation}"/>`,
    '</g>',
  );
  if (options.mapOnly) {
    out.push('</svg>');
    return `${out.filter(Boolean).join('\n')}\n`;
  }
  // Legend, under the map.
  const lx = 300;
  const ly = TOP + MAP_HEIGHT + 14;
  out.push(`<g class="legend" font-size="11" fill="#1a1a1a" transform="translate(${lx},${ly})">`);
  out.push('<text x="0" y="0" font-weight="600">Declines recorded</text>');
  const swatches = [{ label: '0', fill: NO_DECLINES }, ...DECLINE_CLASSES];
  swatches.forEach((s, i) => {
    const x = i * 52;
    out.push(
      `<rect x="${x}" y="8" width="48" height="12" fill="${s.fill}" stroke="#999999" stroke-width="0.5"/>`,
      `<text x="${x}" y="32">${esc(s.label)}</text>`,
    );
  });
  out.push(
    `<rect x="340" y="8" width="48" height="12" fill="url(#${id}-hatch)" stroke="${HATCH}" stroke-width="0.5"/>`,
    '<text x="340" y="32">Policy limiting cooperation in force</text>',
    '</g>',
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
