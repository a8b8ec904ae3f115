/**
 * How to cite a published edition: APA, Chicago, BibTeX and CSL-JSON, from the edition's
 * Report and its permanent URL (`…?edition=N`) alone. Each names the title (with its period),
 * the edition number, the publication date, the publisher and the content SHA-256 as a note;
 * none has an accessed date, so a citation is the same bytes whenever it is asked for.
 * The styles are a registry (as the report's formats are): the page and the endpoint read it.
 */
import type { Report } from '../report/model.js';
import { periodSlug } from '../report/period.js';
import { DEMO, PUBLISHER } from './labels.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface Published {
  year: number;
  month: number;
  day: number;
  number: number;
  supersedes: number | null;
  sha256: string;
}

function published(report: Report): Published {
  const e = report.edition;
  if (!e) throw new Error('cite: a draft is not citable; only a published edition is');
  // The date of publication as UTC has it (published_at is an ISO instant in Z).
  const [year, month, day] = e.published_at.slice(0, 10).split('-').map(Number) as [number, number, number];
  return { year, month, day, number: e.number, supersedes: e.supersedes, sha256: e.content_sha256 };
}

const longDate = (p: Published) => `${MONTHS[p.month - 1]} ${p.day}, ${p.year}`;
const editionWords = (p: Published) =>
  `Edition ${p.number}${p.supersedes ? `, correcting edition ${p.supersedes}` : ''}`;
const demoNote = (report: Report) => (report.demo ? `${DEMO.tag}: ${DEMO.text}` : null);

/** The note every style carries: the content hash (and the demo warning). */
function note(report: Report, p: Published): string {
  return [demoNote(report), `Content SHA-256: ${p.sha256}`].filter(Boolean).join('. ');
}

/** APA 7, a report by a group author that is also its publisher (so no separate publisher). */
function apa(report: Report, url: string): string {
  const p = published(report);
  const bracket = ['Report', ...(report.demo ? [DEMO.tag] : []), `content SHA-256 ${p.sha256}`].join('; ');
  return `${PUBLISHER}. (${p.year}, ${MONTHS[p.month - 1]} ${p.day}). ${report.title} (${editionWords(p)}) [${bracket}]. ${url}\n`;
}

/** Chicago 17, bibliography entry of a report published online. */
function chicago(report: Report, url: string): string {
  const p = published(report);
  return `${PUBLISHER}. ${report.title}. ${editionWords(p)}. ${PUBLISHER}, ${longDate(p)}. ${note(report, p)}. ${url}.\n`;
}

/** Text for a BibTeX field in braces: TeX's specials escaped, dashes as TeX writes them. */
export function bibtexText(value: string): string {
  return value
    .replace(/[\\{}]/g, (m) => ({ '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}' })[m]!)
    .replace(/[#$%&_]/g, (m) => `\\${m}`)
    .replaceAll('~', '\\textasciitilde{}')
    .replaceAll('^', '\\textasciicircum{}')
    .replaceAll('—', '---')
    .replaceAll('–', '--');
}

/** A key that names the edition and never changes: `ddor-week-2017-01-28-e2`. */
export function bibtexKey(report: Report): string {
  const p = published(report);
  return `${PUBLISHER}-${periodSlug(report.period)}-e${p.number}`.replace(/[^A-Za-z0-9_.:-]/g, '-');
}

const BIBTEX_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function bibtex(report: Report, url: string): string {
  const p = published(report);
  // A URL goes in as is (the url package reads it verbatim); braces, which would end the field, are percent-encoded.
  const href = url.replaceAll('{', '%7B').replaceAll('}', '%7D');
  const fields: Array<[string, string]> = [
    // Double braces: a group author, never split into first and last names.
    ['author', `{${bibtexText(PUBLISHER)}}`],
    ['title', `{${bibtexText(report.title)}}`],
    ['institution', bibtexText(PUBLISHER)],
    ['type', 'Edition'],
    ['number', String(p.number)],
    ['year', String(p.year)],
  ];
  const lines = [
    `@techreport{${bibtexKey(report)},`,
    ...fields.map(([k, v]) => `  ${k} = {${v}},`),
    `  month = ${BIBTEX_MONTHS[p.month - 1]},`,
    `  url = {${href}},`,
    `  note = {${bibtexText(note(report, p))}},`,
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** One CSL-JSON item (csl-data.json: an array of items; `version` is a string there). */
export function cslItem(report: Report, url: string): Record<string, unknown> {
  const p = published(report);
  return {
    id: bibtexKey(report),
    type: 'report',
    title: report.title,
    author: [{ literal: PUBLISHER }],
    publisher: PUBLISHER,
    genre: `${{ week: 'Weekly report', quarter: 'Quarterly report', range: 'Report' }[report.period.kind]}`,
    issued: { 'date-parts': [[p.year, p.month, p.day]] },
    edition: p.number,
    version: String(p.number),
    URL: url,
    note: note(report, p),
  };
}

const cslJson = (report: Report, url: string) => `${JSON.stringify([cslItem(report, url)], null, 2)}\n`;

export interface CitationStyleSpec {
  readonly id: string;
  readonly label: string;
  /** Without charset: every style is UTF-8 text. */
  readonly mediaType: string;
  readonly render: (report: Report, permanentUrl: string) => string;
}

export const CITATION_STYLES = [
  { id: 'apa', label: 'APA', mediaType: 'text/plain', render: apa },
  { id: 'chicago', label: 'Chicago', mediaType: 'text/plain', render: chicago },
  { id: 'bibtex', label: 'BibTeX', mediaType: 'application/x-bibtex', render: bibtex },
  {
    id: 'csl-json',
    label: 'CSL-JSON',
    mediaType: 'application/vnd.citationstyles.csl+json',
    render: cslJson,
  },
] as const satisfies readonly CitationStyleSpec[];

export type CitationStyle = (typeof CITATION_STYLES)[number]['id'];

export const citationStyle = (id: string): CitationStyleSpec | undefined =>
  CITATION_STYLES.find((s) => s.id === id);
