/**
 * Week-by-week figures for the web app's trends and county pages: detainers
 * issued (by issuing week) and declines recorded (by recording week), by the
 * same attribution rules as the report (releasing agency, facility registry).
 */
import { stateName } from '../domain/states.js';
import { countyByFips } from '../geo/gazetteer.js';
import type { Store } from '../store/store.js';
import { declineShare } from './build.js';
import { allEditions } from './editions.js';
import type { Section3Row } from './model.js';
import { aorShown, enactedAsShown, restrictionsOf } from './policies.js';
import { issuingCoverage, policiesWhere, type WeeklyFilter, weeklyCounts } from './queries.js';

export interface WeekPoint {
  week: string;
  detainers_issued: number;
  declined: number;
  /**
   * False for weeks after the store's last issuing date: they hold only declines recorded late, and
   * their `detainers_issued` (0) is no figure (issue 15: the chart ends the issued line before them).
   */
  issuing_data: boolean;
}

export type SeriesFilter = WeeklyFilter;

/**
 * Detainers issued and declines recorded, week by week. Dates outside the accepted
 * range (stored before imports checked it) are left out: they are not weeks anyone
 * reports on, and years 0 or 9999 would stretch the chart over millennia. `today`
 * defaults to the clock: the web app's request time (a report never reads it).
 */
export async function weeklySeries(
  store: Store,
  filter: SeriesFilter = {},
  today: Date = new Date(),
): Promise<WeekPoint[]> {
  const [{ issued, declined }, coverage] = await Promise.all([
    weeklyCounts(store, filter, today),
    issuingCoverage(store, today),
  ]);
  const weeks = new Map<string, WeekPoint>();
  // A week has issuing data when it starts on or before the last issuing date.
  const last = coverage?.end ?? '';
  const point = (week: string) => {
    let p = weeks.get(week);
    if (!p) {
      p = { week, detainers_issued: 0, declined: 0, issuing_data: week <= last };
      weeks.set(week, p);
    }
    return p;
  };
  for (const r of issued) point(r.week).detainers_issued = r.n;
  for (const r of declined) point(r.week).declined = r.n;
  return [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1));
}

export interface CountyProfile {
  county: { fips: string; name: string; state: string; state_name: string; class: string };
  weeks: WeekPoint[];
  totals: { detainers_issued: number; declined: number; decline_share: number | null };
  policies: Array<
    Pick<
      Section3Row,
      | 'policy_id'
      | 'level'
      | 'type'
      | 'title'
      | 'aor'
      | 'enacted_date'
      | 'rescinded_date'
      | 'restricts'
      | 'source_url'
    >
  >;
  editions: Array<{
    period: { start: string; end: string; kind: string };
    number: number;
    published_at: string;
    declines: number;
  }>;
}

/**
 * The published editions that list a county (a decline in Section II, or a Section I rank), each
 * read through the editions reader: an edition whose bytes fail their hash is an error, not a row.
 */
async function editionsListing(store: Store, fips: string): Promise<CountyProfile['editions']> {
  const listing: CountyProfile['editions'] = [];
  // One walk of the chain for every edition, not one per edition.
  for (const { report } of await allEditions(store)) {
    const e = {
      period: report.period,
      number: report.edition!.number,
      published_at: report.edition!.published_at,
    };
    const declines = report.section2
      .filter((g) => g.county.fips === fips)
      .reduce((s, g) => s + g.declines.length, 0);
    if (declines > 0 || report.section1.some((r) => r.county.fips === fips)) {
      listing.push({ period: e.period, number: e.number, published_at: e.published_at, declines });
    }
  }
  return listing;
}

/** Everything the county page and /api/v1/jurisdictions/{fips} show; null for an unknown FIPS code. */
export async function countyProfile(
  store: Store,
  fips: string,
  today: Date = new Date(),
): Promise<CountyProfile | null> {
  const c = countyByFips(fips);
  if (!c) return null;
  const weeks = await weeklySeries(store, { fips }, today);
  const issued = weeks.reduce((s, w) => s + w.detainers_issued, 0);
  const declined = weeks.reduce((s, w) => s + w.declined, 0);
  const policies = await policiesWhere(store, { covering: { state: c.state, fips } });
  return {
    county: { fips, name: c.name, state: c.state, state_name: stateName(c.state), class: c.countyClass },
    weeks,
    totals: {
      detainers_issued: issued,
      declined,
      decline_share: declineShare(declined, issued),
    },
    policies: policies.map((p) => ({
      policy_id: p.policy_id,
      level: p.level,
      type: p.type,
      title: p.title,
      aor: aorShown(p.aor),
      enacted_date: enactedAsShown(p),
      rescinded_date: p.rescinded_date,
      restricts: restrictionsOf(p.restricts),
      source_url: p.source_url,
    })),
    editions: await editionsListing(store, fips),
  };
}
