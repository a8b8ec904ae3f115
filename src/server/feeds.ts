/**
 * Atom feeds (RFC 4287): `/feed.xml`, every published edition and correction, newest first; and
 * `/counties/{fips}/feed.xml`, the editions that list a county (Section I or II) with what they
 * say about it, and the corrections that changed it. A feed is data for the one renderer
 * (render/atom.ts); `serveFeed` serves any such feed, so another feed is a route and a builder:
 *
 *   serveFeed(app, '/disputes/feed.xml', async (c, base) => ({ id: `${base}/disputes/feed.xml`, … }));
 *
 * (and a FeedLink in the head of the pages that follow it).
 *
 * Every URL in a feed is absolute with the configured public base URL (public-url.ts), never the
 * request's Host. Feeds are answered to the public and kept per store generation (response-cache.ts).
 */

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { EARLIEST_DATE } from '../domain/dates.js';
import { counted } from '../domain/numbers.js';
import { stateName } from '../domain/states.js';
import { ATOM_MEDIA_TYPE, type AtomEntry, type AtomFeedSpec, atomFeed } from '../render/atom.js';
import { esc, num } from '../render/escape.js';
import { changeLines, DECLINE_BASIS, DEMO, editionName, PUBLISHER, REPORT_NAME } from '../render/labels.js';
import { allEditions } from '../report/editions.js';
import type { EditionChanges, Report } from '../report/model.js';
import { periodPath } from '../report/period.js';
import type { Store } from '../store/store.js';
import { absolute, publicUrlOf } from './public-url.js';
import { countyOfUrl } from './published.js';

export const FEED_CONTENT_TYPE = `${ATOM_MEDIA_TYPE}; charset=utf-8`;
/** The site feed's path: every page links to it (`<link rel="alternate">`). */
export const SITE_FEED = '/feed.xml';
export const countyFeedPath = (fips: string) => `/counties/${fips}/feed.xml`;

/** A feed a page can name in its head. */
export interface FeedLink {
  href: string;
  title: string;
}
export const SITE_FEED_LINK: FeedLink = {
  href: SITE_FEED,
  title: `${REPORT_NAME}: editions and corrections`,
};
export const countyFeedLink = (fips: string, name: string): FeedLink => ({
  href: countyFeedPath(fips),
  title: `${name}: editions and corrections`,
});

/** A feed with no entry is still valid Atom: its `updated` is then this fixed time. */
const NO_ENTRY_UPDATED = `${EARLIEST_DATE}T00:00:00Z`;

/** The newest `updated` of the entries, else the fixed time. */
export const newestUpdated = (entries: readonly AtomEntry[]) =>
  [NO_ENTRY_UPDATED, ...entries.map((e) => e.updated)].sort().at(-1)!;

/** Serves `build`'s feed at `path` as Atom. */
export function serveFeed(
  app: OpenAPIHono,
  path: string,
  build: (c: Context, base: string) => Promise<AtomFeedSpec>,
): void {
  app.get(path, async (c) => {
    const xml = atomFeed(await build(c, publicUrlOf(app)));
    c.header('Content-Type', FEED_CONTENT_TYPE);
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(xml);
  });
}

/** The edition's permanent page: its period and number. */
export const editionPath = (report: Report) =>
  `/reports/${periodPath(report.period)}?edition=${report.edition!.number}`;

/** Newest publication first; for the same instant, the later period, then the higher number. */
function newestFirst(a: Report, b: Report): number {
  const [x, y] = [a.edition!, b.edition!];
  if (x.published_at !== y.published_at) return x.published_at < y.published_at ? 1 : -1;
  if (a.period.start !== b.period.start) return a.period.start < b.period.start ? 1 : -1;
  return y.number - x.number;
}

const plural = counted;

/** What a correction changed, counted: `2 decline rows added · 1 county changed · 1 policy added`. */
export function changeCounts(c: EditionChanges): string {
  const parts = [
    c.rows_added.length ? `${plural(c.rows_added.length, 'decline row')} added` : '',
    c.rows_removed.length ? `${plural(c.rows_removed.length, 'decline row')} removed` : '',
    c.counties_added.length ? `${plural(c.counties_added.length, 'county', 'counties')} added` : '',
    c.counties_removed.length ? `${plural(c.counties_removed.length, 'county', 'counties')} removed` : '',
    c.counties_changed.length
      ? `${plural(c.counties_changed.length, 'county', 'counties')} with other decline counts`
      : '',
    c.section1_changed.length ? `${plural(c.section1_changed.length, 'Section I row')} changed` : '',
    c.policies_added.length ? `${plural(c.policies_added.length, 'policy', 'policies')} added` : '',
    c.policies_removed.length ? `${plural(c.policies_removed.length, 'policy', 'policies')} removed` : '',
    c.policies_changed.length ? `${plural(c.policies_changed.length, 'policy', 'policies')} changed` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'no listed figure changed';
}

/** The headline of a report in a sentence. */
function totalsLine(report: Report): string {
  const t = report.totals;
  return `${plural(t.detainers_issued, 'detainer')} issued; ${num(t.declined)} ${DECLINE_BASIS[report.decline_basis].figure} in ${plural(t.jurisdictions_with_declines, 'county', 'counties')} of ${plural(t.states_with_declines, 'state')}.`;
}

const demoPrefix = (report: Report) => (report.demo ? `${DEMO.tag}. ` : '');
/** Text as a sentence: ends with a full stop. */
const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
const errataOf = (report: Report) => sentence(`Errata: ${report.edition!.errata ?? '(none given)'}`);

function entryBase(
  report: Report,
  base: string,
  id: string,
  title = editionName(report.period, report.edition!.number, report.edition!.supersedes),
) {
  const e = report.edition!;
  return {
    id,
    title,
    updated: e.published_at,
    published: e.published_at,
    alternateUrl: absolute(base, editionPath(report)),
    categories: [
      { term: e.supersedes ? 'correction' : 'edition' },
      {
        term: report.period.kind,
        label: { week: 'Weekly', quarter: 'Quarterly', range: 'Range' }[report.period.kind],
      },
    ],
  };
}

/** An edition in the site feed: its totals; a correction also its errata and what it changed. */
function editionEntry(report: Report, base: string): AtomEntry {
  const e = report.edition!;
  const correction = e.supersedes
    ? ` Corrects edition ${e.supersedes}. ${errataOf(report)} Changes: ${e.changes ? changeCounts(e.changes) : 'not listed'}.`
    : '';
  const lines = e.changes ? changeLines(e.changes) : [];
  return {
    ...entryBase(report, base, absolute(base, editionPath(report))),
    summary: `${demoPrefix(report)}${totalsLine(report)}${correction}`,
    contentHtml: [
      `<p>${esc(`${demoPrefix(report)}${totalsLine(report)}`)}</p>`,
      e.supersedes ? `<p>${esc(`Corrects edition ${e.supersedes}. ${errataOf(report)}`)}</p>` : '',
      lines.length ? `<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '',
      `<p>Content SHA-256 <code>${esc(e.content_sha256)}</code></p>`,
    ].join(''),
  };
}

/** What a report says about one county: its declines and its Section I rank; null when it lists it nowhere. */
export function countyInReport(report: Report, fips: string) {
  const groups = report.section2.filter((g) => g.county.fips === fips);
  const ranked = report.section1.find((r) => r.county.fips === fips) ?? null;
  if (groups.length === 0 && !ranked) return null;
  return {
    declines: groups.reduce((s, g) => s + g.declines.length, 0),
    facilities: groups.length,
    /** Detainers issued to agencies in the county (every outcome), as Section II states it. */
    detainersIssued:
      groups.find((g) => g.county_detainers_issued !== undefined)?.county_detainers_issued ?? null,
    ranked,
    top: report.section1.length,
  };
}

/** What a correction changed about one county, in words; [] when it left it alone. */
export function countyChanges(c: EditionChanges, fips: string): string[] {
  const out: string[] = [];
  if (c.counties_added.some((x) => x.fips === fips)) out.push('added to Section II');
  if (c.counties_removed.some((x) => x.fips === fips)) out.push('removed from Section II');
  for (const x of c.counties_changed.filter((x) => x.county.fips === fips))
    out.push(`declines ${num(x.declines_before)} → ${num(x.declines_after)}`);
  const added = c.rows_added.filter((r) => r.county.fips === fips).length;
  const removed = c.rows_removed.filter((r) => r.county.fips === fips).length;
  if (added) out.push(`${plural(added, 'decline row')} added`);
  if (removed) out.push(`${plural(removed, 'decline row')} removed`);
  for (const x of c.section1_changed.filter((x) => x.county.fips === fips)) {
    const v = (n: number | null) => (n === null ? 'not listed' : num(n));
    out.push(`Section I detainers issued ${v(x.detainers_issued_before)} → ${v(x.detainers_issued_after)}`);
  }
  return out;
}

/** What an edition says about a county, in a sentence. */
function countyLine(report: Report, name: string, fips: string): string {
  const found = countyInReport(report, fips);
  if (!found) return `${name} is not listed in this edition.`;
  const parts = [
    `${plural(found.declines, 'decline')} ${DECLINE_BASIS[report.decline_basis].scope}${found.facilities ? ` at ${plural(found.facilities, 'facility', 'facilities')}` : ''}`,
  ];
  if (found.detainersIssued !== null)
    parts.push(`${plural(found.detainersIssued, 'detainer')} issued to agencies here`);
  parts.push(
    found.ranked
      ? `rank ${found.ranked.rank} of ${found.top} in Section I (${plural(found.ranked.detainers_issued, 'detainer')} issued to a jurisdiction with a policy limiting cooperation)`
      : 'not ranked in Section I',
  );
  return `${name}: ${parts.join('; ')}.`;
}

/** A county's feed entry for an edition that lists it or changed it; null for neither. */
function countyEntry(report: Report, base: string, fips: string, name: string): AtomEntry | null {
  const e = report.edition!;
  const changed = e.changes ? countyChanges(e.changes, fips) : [];
  if (!countyInReport(report, fips) && changed.length === 0) return null;
  const correction = e.supersedes
    ? ` Corrects edition ${e.supersedes}${changed.length ? `, changing ${name}: ${changed.join('; ')}` : ', leaving this county as it was'}. ${errataOf(report)}`
    : '';
  const summary = `${demoPrefix(report)}${countyLine(report, name, fips)}${correction}`;
  return {
    ...entryBase(report, base, `${absolute(base, editionPath(report))}#county-${fips}`),
    summary,
  };
}

export function registerFeeds(app: OpenAPIHono, store: Store): void {
  const published = async () => (await allEditions(store)).map((f) => f.report).sort(newestFirst);

  serveFeed(app, SITE_FEED, async (_c, base) => {
    const entries = (await published()).map((r) => editionEntry(r, base));
    return {
      id: absolute(base, SITE_FEED),
      title: SITE_FEED_LINK.title,
      subtitle: 'Every published edition of the report and every correction, newest first.',
      updated: newestUpdated(entries),
      selfUrl: absolute(base, SITE_FEED),
      alternateUrl: absolute(base, '/editions'),
      author: { name: PUBLISHER, uri: base },
      entries,
    };
  });

  serveFeed(app, '/counties/:fips/feed.xml', async (c, base) => {
    const fips = c.req.param('fips') ?? '';
    const county = countyOfUrl(fips, '/counties/48453/feed.xml');
    const name = `${county.name}, ${county.state}`;
    const entries = (await published())
      .map((r) => countyEntry(r, base, fips, name))
      .filter((e): e is AtomEntry => e !== null);
    return {
      id: absolute(base, countyFeedPath(fips)),
      title: `${name}: ${REPORT_NAME}`,
      subtitle: `Published editions that list ${county.name}, ${stateName(county.state)} (FIPS ${fips}) in Section I or II, and the corrections that changed it, newest first.`,
      updated: newestUpdated(entries),
      selfUrl: absolute(base, countyFeedPath(fips)),
      alternateUrl: absolute(base, `/counties/${fips}`),
      author: { name: PUBLISHER, uri: base },
      entries,
    };
  });
}
