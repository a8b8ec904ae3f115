/**
 * The Atom renderer on its own: what it writes parses as XML and meets RFC 4287 whatever the
 * text holds (markup, quotes, control characters, lone surrogates); it refuses what would make
 * an invalid feed. And the checker the feed tests rely on finds each broken rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AtomFeedSpec, atomFeed, xmlText } from '../../src/render/atom.js';
import { atomEntries, atomProblems, feedHead } from '../helpers/atom.js';

const feed = (over: Partial<AtomFeedSpec> = {}): AtomFeedSpec => ({
  id: 'https://example.org/feed.xml',
  title: 'A feed',
  updated: '2017-02-06T12:00:00Z',
  selfUrl: 'https://example.org/feed.xml',
  alternateUrl: 'https://example.org/',
  author: { name: 'ddor', uri: 'https://example.org' },
  entries: [
    {
      id: 'https://example.org/a',
      title: 'First',
      updated: '2017-02-06T12:00:00Z',
      alternateUrl: 'https://example.org/a',
      summary: 'one',
    },
  ],
  ...over,
});

describe('atomFeed', () => {
  it('escapes any text into well-formed, valid Atom and reads back as written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (title, summary) => {
        const xml = atomFeed(
          feed({
            title,
            entries: [
              {
                id: 'https://example.org/a?x=1&y=2',
                title,
                updated: '2017-02-06T12:00:00.000Z',
                alternateUrl: 'https://example.org/a?x=1&y=2',
                summary,
                contentHtml: `<p>${summary}</p>`,
                categories: [{ term: title, label: summary }],
              },
            ],
          }),
        );
        const problems = atomProblems(xml).filter((p) => !p.endsWith('is empty'));
        expect(problems).toEqual([]);
        const [entry] = atomEntries(xml);
        // Characters XML 1.0 cannot carry are dropped; everything else comes back as it was.
        const kept = (s: string) =>
          s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
        expect(entry!.title.replaceAll('\r\n', '\n').replaceAll('\r', '\n')).toBe(
          kept(title).replaceAll('\r\n', '\n').replaceAll('\r', '\n'),
        );
        expect(entry!.id).toBe('https://example.org/a?x=1&y=2');
      }),
      { numRuns: 200 },
    );
  });

  it('writes the escapes XML needs', () => {
    expect(xmlText(`a & b < c > d " e ' f \u0001 g`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f  g');
  });

  it('refuses two entries with one id, and a date that is not RFC 3339', () => {
    const [e] = feed().entries;
    expect(() => atomFeed(feed({ entries: [e!, { ...e!, title: 'again' }] }))).toThrow(/two entries/);
    expect(() => atomFeed(feed({ updated: '2017-02-06' }))).toThrow(/RFC 3339/);
    expect(() => atomFeed(feed({ entries: [{ ...e!, updated: '2017-02-06 12:00:00' }] }))).toThrow(
      /RFC 3339/,
    );
  });
});

describe('the Atom checker of the tests', () => {
  const valid = atomFeed(feed());

  it('passes a valid feed', () => {
    expect(atomProblems(valid)).toEqual([]);
    expect(feedHead(valid).self).toBe('https://example.org/feed.xml');
  });

  it('finds each broken rule', () => {
    const broken = (from: string, to: string) => atomProblems(valid.replace(from, to));
    expect(broken('<id>https://example.org/feed.xml</id>', '')).toContain(
      'the feed has 0 atom:id, must have exactly one',
    );
    expect(broken('<updated>2017-02-06T12:00:00Z</updated>', '<updated>Feb 6, 2017</updated>')).toContain(
      'the feed atom:updated "Feb 6, 2017" is not an RFC 3339 date-time',
    );
    expect(broken('rel="self"', 'rel="related"')).toContain('the feed has no link rel="self"');
    expect(broken(/<author>[\s\S]*<\/author>/.exec(valid)![0], '')).toContain(
      'entry 1 has no author, nor has the feed',
    );
    expect(broken('<summary type="text">one</summary>', '')).toContain(
      'entry 1 has no inline content and no atom:summary',
    );
    expect(broken('<link rel="alternate" type="text/html" href="https://example.org/a"/>', '')).toContain(
      'entry 1 has neither atom:content nor a link rel="alternate"',
    );
    const twice = valid.replace('</feed>', `${/<entry>[\s\S]*<\/entry>/.exec(valid)![0]}\n</feed>`);
    expect(atomProblems(twice)).toContain('entry 2 repeats the id https://example.org/a');
    expect(() => atomProblems(valid.replace('</feed>', ''))).toThrow();
  });
});
