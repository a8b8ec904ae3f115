/**
 * Atom 1.0 (RFC 4287) as text: one pure function from a feed's plain data to its XML, so every
 * feed of the site (editions, a county's, dispute decisions) is a few lines of data and this
 * renderer. It writes what the RFC requires — feed id, title, updated, author and link
 * rel=self; each entry's id, title, updated, link rel=alternate and a summary — and escapes
 * every text and attribute; characters XML 1.0 cannot carry are dropped.
 */

export interface AtomPerson {
  name: string;
  uri?: string;
}

export interface AtomCategory {
  term: string;
  label?: string;
}

export interface AtomEntry {
  /** A permanent IRI: the same entry keeps it in every build of the feed. */
  id: string;
  title: string;
  /** RFC 3339, e.g. `2017-02-06T12:00:00.000Z`. */
  updated: string;
  published?: string;
  /** The page the entry is about (link rel=alternate, type text/html). */
  alternateUrl: string;
  /** Plain text. */
  summary?: string;
  /** HTML, sent escaped as `<content type="html">`. */
  contentHtml?: string;
  categories?: AtomCategory[];
}

export interface AtomFeedSpec {
  id: string;
  title: string;
  subtitle?: string;
  /** RFC 3339: the newest entry's time, or a fixed time for a feed with none. */
  updated: string;
  /** The feed's own URL (link rel=self). */
  selfUrl: string;
  /** The page the feed follows (link rel=alternate). */
  alternateUrl: string;
  author: AtomPerson;
  entries: AtomEntry[];
}

export const ATOM_MEDIA_TYPE = 'application/atom+xml';

/** RFC 3339 date-time as RFC 4287 §3.3 takes it (upper-case T and Z, offset or Z required). */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Characters XML 1.0 allows (§2.2): tab, newline, return, and U+0020 up, without surrogates, U+FFFE and U+FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for XML element content and double-quoted attributes. */
export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function date(name: string, value: string): string {
  if (!RFC3339.test(value))
    throw new Error(`atom: ${name} ${JSON.stringify(value)} is not an RFC 3339 date-time`);
  return value;
}

const element = (name: string, text: string, indent: string) =>
  `${indent}<${name}>${xmlText(text)}</${name}>`;

const link = (rel: string, href: string, type: string, indent: string) =>
  `${indent}<link rel="${rel}" type="${type}" href="${xmlText(href)}"/>`;

function person(p: AtomPerson, indent: string): string[] {
  return [
    `${indent}<author>`,
    element('name', p.name, `${indent}  `),
    ...(p.uri ? [element('uri', p.uri, `${indent}  `)] : []),
    `${indent}</author>`,
  ];
}

function entryLines(e: AtomEntry): string[] {
  const i = '    ';
  const lines = [
    '  <entry>',
    element('id', e.id, i),
    `${i}<title type="text">${xmlText(e.title)}</title>`,
    element('updated', date('updated', e.updated), i),
  ];
  if (e.published) lines.push(element('published', date('published', e.published), i));
  lines.push(link('alternate', e.alternateUrl, 'text/html', i));
  for (const c of e.categories ?? [])
    lines.push(`${i}<category term="${xmlText(c.term)}"${c.label ? ` label="${xmlText(c.label)}"` : ''}/>`);
  // RFC 4287 §4.1.1.1: an entry whose content is not inline text needs a summary; give one always.
  lines.push(`${i}<summary type="text">${xmlText(e.summary ?? e.title)}</summary>`);
  if (e.contentHtml !== undefined) lines.push(`${i}<content type="html">${xmlText(e.contentHtml)}</content>`);
  lines.push('  </entry>');
  return lines;
}

/** The feed as an Atom 1.0 document (UTF-8). */
export function atomFeed(feed: AtomFeedSpec): string {
  const ids = new Set<string>();
  for (const e of feed.entries) {
    if (ids.has(e.id)) throw new Error(`atom: two entries have the id ${e.id}`);
    ids.add(e.id);
  }
  const i = '  ';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    element('id', feed.id, i),
    `${i}<title type="text">${xmlText(feed.title)}</title>`,
    ...(feed.subtitle ? [`${i}<subtitle type="text">${xmlText(feed.subtitle)}</subtitle>`] : []),
    element('updated', date('updated', feed.updated), i),
    link('self', feed.selfUrl, ATOM_MEDIA_TYPE, i),
    link('alternate', feed.alternateUrl, 'text/html', i),
    ...person(feed.author, i),
    `${i}<generator>ddor</generator>`,
    ...feed.entries.flatMap(entryLines),
    '</feed>',
  ];
  return `${lines.join('\n')}\n`;
}
