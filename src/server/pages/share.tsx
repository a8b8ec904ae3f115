/**
 * Taking an edition elsewhere, on its pages: "Embed this map" and "Embed this county" (an
 * <iframe> snippet to paste, pinned to a published edition) and "Cite this edition" (APA,
 * Chicago, BibTeX, CSL-JSON). Plain <details> with read-only text areas: they work without
 * JavaScript, and a text area selects and copies as it is.
 */
import { CITATION_STYLES } from '../../render/cite.js';
import { REPORT_NAME } from '../../render/labels.js';
import type { Report } from '../../report/model.js';
import { citePath } from '../citations.js';
import {
  countyEmbedPath,
  countyEmbedTitle,
  EMBED_SIZES,
  iframeSnippet,
  mapEmbedPath,
  mapEmbedTitle,
  oembedHref,
} from '../embeds.js';
import { countyFeedLink, countyFeedPath, editionPath, SITE_FEED } from '../feeds.js';
import { absolute } from '../public-url.js';
import type { HeadLink } from './layout.js';

function Snippet(props: { id: string; label: string; text: string; rows: number }) {
  return (
    <p>
      <label for={props.id}>{props.label}</label>
      <textarea id={props.id} readOnly rows={props.rows} spellcheck={false}>
        {props.text}
      </textarea>
    </p>
  );
}

function EmbedBlock(props: {
  summary: string;
  id: string;
  src: string;
  base: string;
  title: string;
  what: string;
  size: { width: number; height: number };
}) {
  const url = absolute(props.base, props.src);
  return (
    <details class="share" id={props.id}>
      <summary>{props.summary}</summary>
      <p>{`Paste this HTML into a story or page: ${props.what}, with its attribution and a link back. It stays pinned to this edition; a later correction is pointed out in it.`}</p>
      <Snippet
        id={`${props.id}-code`}
        label="HTML to paste"
        text={iframeSnippet(url, props.title, props.size)}
        rows={4}
      />
      <p>
        <a href={props.src}>Open the embed page</a>
        {' · '}
        <a href={oembedHref(props.base, url)}>its oEmbed answer (JSON)</a>
      </p>
    </details>
  );
}

/** On a published edition's page: embed its map, cite it. */
export function EditionShare({ report, base }: { report: Report; base: string }) {
  const e = report.edition!;
  const permanent = absolute(base, editionPath(report));
  return (
    <section class="share-blocks" aria-label="Embed and cite">
      <EmbedBlock
        summary="Embed this map"
        id="embed-map"
        src={mapEmbedPath(report)}
        base={base}
        title={mapEmbedTitle(report)}
        what={`the county map of edition ${e.number}`}
        size={EMBED_SIZES.map}
      />
      <details class="share" id="cite">
        <summary>Cite this edition</summary>
        <p>
          {'Permanent URL of edition '}
          {e.number}
          {': '}
          <a href={editionPath(report)}>{permanent}</a>
          {'. Each citation names its content SHA-256, '}
          <code>{e.content_sha256}</code>
          {', so a reader can check that what they read is what was published.'}
        </p>
        {CITATION_STYLES.map((s) => (
          <div key={s.id}>
            <Snippet
              id={`cite-${s.id}`}
              label={s.label}
              text={s.render(report, permanent)}
              rows={s.id === 'apa' || s.id === 'chicago' ? 4 : 10}
            />
            <p class="cite-file">
              <a href={citePath(report, s.id)}>{`${s.label} as a file`}</a>
            </p>
          </div>
        ))}
      </details>
      <p class="follow">
        {'Follow every edition and correction: '}
        <a href={SITE_FEED} type="application/atom+xml">
          the Atom feed
        </a>
        .
      </p>
    </section>
  );
}

/** On a county page: its feed, and its card of the newest edition that lists it to embed (none: says so). */
export function CountyEmbed({ fips, report, base }: { fips: string; report: Report | null; base: string }) {
  const follow = (
    <p class="follow">
      {'Follow the editions that list this county and the corrections that change it: '}
      <a href={countyFeedPath(fips)} type="application/atom+xml">
        its Atom feed
      </a>
      .
    </p>
  );
  if (!report)
    return (
      <section class="share-blocks" aria-label="Follow and embed">
        {follow}
        <details class="share" id="embed-county">
          <summary>Embed this county</summary>
          <p>No published edition lists this county yet, so there is no card to embed.</p>
        </details>
      </section>
    );
  return (
    <section class="share-blocks" aria-label="Follow and embed">
      {follow}
      <EmbedBlock
        summary="Embed this county"
        id="embed-county"
        src={countyEmbedPath(fips, report)}
        base={base}
        title={countyEmbedTitle(fips, report)}
        what={`a card of what edition ${report.edition!.number} says of this county and its policies`}
        size={EMBED_SIZES.county}
      />
    </section>
  );
}

/** The oEmbed discovery link of a page that can be embedded. */
const oembedLink = (base: string, pageUrl: string, title: string): HeadLink => ({
  rel: 'alternate',
  type: 'application/json+oembed',
  href: oembedHref(base, pageUrl),
  title,
});

/** A published edition's page: its map can be embedded (oEmbed discovery of its permanent URL). */
export const editionHeadLinks = (report: Report, base: string): HeadLink[] => [
  oembedLink(base, absolute(base, editionPath(report)), mapEmbedTitle(report)),
];

/** A county page: its feed, and its card's oEmbed when an edition lists it. */
export function countyHeadLinks(
  county: { fips: string; name: string; state: string },
  embeddable: boolean,
  base: string,
): HeadLink[] {
  const name = `${county.name}, ${county.state}`;
  return [
    { rel: 'alternate', type: 'application/atom+xml', ...countyFeedLink(county.fips, name) },
    ...(embeddable
      ? [oembedLink(base, absolute(base, `/counties/${county.fips}`), `${name} in the ${REPORT_NAME}`)]
      : []),
  ];
}
