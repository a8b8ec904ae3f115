/**
 * Reading a feed as a feed reader would: a strict, namespace-aware XML parser (saxes, which
 * exceljs brings; it throws on any well-formedness error) builds a small element tree, and
 * `atomProblems` lists where it breaks RFC 4287's rules for the elements it requires.
 */
import { SaxesParser } from 'saxes';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';

export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (its children's not included). */
  text: string;
}

/** Parses a whole document; throws on anything that is not well-formed XML 1.0. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('error', (e) => {
    throw e;
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = {
      ns: tag.uri,
      name: tag.local,
      attrs: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value])),
      children: [],
      text: '',
    };
    stack.at(-1)?.children.push(el);
    if (!root) root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** RFC 3339 date-time (RFC 4287 §3.3): upper-case T and Z, a zone always, a real instant. */
export function isRfc3339(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

const atom = (el: XmlElement, name: string) => el.children.filter((c) => c.ns === ATOM_NS && c.name === name);

/** The rules of RFC 4287 §4.1.1 (feed) and §4.1.2 (entry) a feed is checked against; [] when it meets them. */
export function atomProblems(xml: string): string[] {
  const problems: string[] = [];
  const feed = parseXml(xml);
  if (feed.ns !== ATOM_NS || feed.name !== 'feed')
    return [`the root is {${feed.ns}}${feed.name}, not atom:feed`];
  const once = (el: XmlElement, name: string, where: string) => {
    const found = atom(el, name);
    if (found.length !== 1) problems.push(`${where} has ${found.length} atom:${name}, must have exactly one`);
    return found[0];
  };
  const dateOf = (el: XmlElement, name: string, where: string, required: boolean) => {
    const found = atom(el, name);
    if (found.length > 1 || (required && found.length === 0))
      problems.push(`${where} has ${found.length} atom:${name}`);
    for (const d of found)
      if (!isRfc3339(d.text)) problems.push(`${where} atom:${name} "${d.text}" is not an RFC 3339 date-time`);
  };
  const iri = (value: string | undefined, what: string) => {
    try {
      new URL(value ?? '');
    } catch {
      problems.push(`${what} "${value}" is not an absolute IRI`);
    }
  };
  const textConstruct = (el: XmlElement | undefined, where: string) => {
    if (el?.attrs.type && !['text', 'html', 'xhtml'].includes(el.attrs.type))
      problems.push(`${where} has type ${el.attrs.type}`);
    if (el && el.text.trim() === '' && el.children.length === 0) problems.push(`${where} is empty`);
  };
  const links = (el: XmlElement, where: string) => {
    const all = atom(el, 'link');
    for (const l of all) iri(l.attrs.href, `${where} link href`);
    const alternates = all.filter((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
    const seen = new Set(alternates.map((l) => `${l.attrs.type ?? ''}|${l.attrs.hreflang ?? ''}`));
    if (seen.size !== alternates.length)
      problems.push(`${where} has two alternate links of one type and hreflang`);
    return all;
  };
  const authors = (el: XmlElement, where: string) => {
    const found = atom(el, 'author');
    for (const a of found)
      if (atom(a, 'name').length !== 1) problems.push(`${where} atom:author has no one atom:name`);
    return found.length;
  };

  iri(once(feed, 'id', 'the feed')?.text, 'the feed id');
  textConstruct(once(feed, 'title', 'the feed'), 'the feed title');
  dateOf(feed, 'updated', 'the feed', true);
  const feedLinks = links(feed, 'the feed');
  if (!feedLinks.some((l) => l.attrs.rel === 'self')) problems.push('the feed has no link rel="self"');
  const feedAuthor = authors(feed, 'the feed') > 0;

  const ids = new Set<string>();
  atom(feed, 'entry').forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const id = once(entry, 'id', where)?.text;
    iri(id, `${where} id`);
    if (id !== undefined) {
      if (ids.has(id)) problems.push(`${where} repeats the id ${id}`);
      ids.add(id);
    }
    textConstruct(once(entry, 'title', where), `${where} title`);
    dateOf(entry, 'updated', where, true);
    dateOf(entry, 'published', where, false);
    const content = atom(entry, 'content');
    if (content.length > 1) problems.push(`${where} has ${content.length} atom:content`);
    const entryLinks = links(entry, where);
    if (content.length === 0 && !entryLinks.some((l) => (l.attrs.rel ?? 'alternate') === 'alternate'))
      problems.push(`${where} has neither atom:content nor a link rel="alternate"`);
    // §4.1.2: a summary when the content is out of line (src) or not text; here also when there is none.
    const inline =
      content[0] &&
      !content[0].attrs.src &&
      ['text', 'html', 'xhtml', undefined].includes(content[0].attrs.type);
    const summaries = atom(entry, 'summary');
    if (summaries.length > 1) problems.push(`${where} has ${summaries.length} atom:summary`);
    if (!inline && summaries.length === 0)
      problems.push(`${where} has no inline content and no atom:summary`);
    textConstruct(summaries[0], `${where} summary`);
    if (!feedAuthor && authors(entry, where) === 0) problems.push(`${where} has no author, nor has the feed`);
  });
  return problems;
}

/** The entries of a feed as plain data: what the tests read. */
export function atomEntries(xml: string) {
  return atom(parseXml(xml), 'entry').map((e) => ({
    id: atom(e, 'id')[0]?.text ?? '',
    title: atom(e, 'title')[0]?.text ?? '',
    updated: atom(e, 'updated')[0]?.text ?? '',
    alternate: atom(e, 'link').find((l) => l.attrs.rel === 'alternate')?.attrs.href ?? '',
    summary: atom(e, 'summary')[0]?.text ?? '',
    content: atom(e, 'content')[0]?.text ?? '',
    categories: atom(e, 'category').map((c) => c.attrs.term ?? ''),
  }));
}

/** A feed element's text, e.g. `feedText(xml, 'id')`, and its self link. */
export function feedHead(xml: string) {
  const feed = parseXml(xml);
  return {
    id: atom(feed, 'id')[0]?.text ?? '',
    title: atom(feed, 'title')[0]?.text ?? '',
    updated: atom(feed, 'updated')[0]?.text ?? '',
    self: atom(feed, 'link').find((l) => l.attrs.rel === 'self')?.attrs.href ?? '',
  };
}
