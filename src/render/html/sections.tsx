/**
 * The report's parts as Preact components: the self-contained report file
 * (report.tsx) and the web app's pages render the same ones. Words and
 * columns come from ../labels.ts; accessible tables (captions, scoped headers).
 */
import { type ComponentChildren, Fragment, toChildArray } from 'preact';
import { stateName } from '../../domain/states.js';
import type { DeclineRow, EditionChanges, Report, Section1Row, Section2Group } from '../../report/model.js';
import { esc, num } from '../escape.js';
import {
  type Cell,
  changeLines,
  countyAgainstIssued,
  DEMO_NOTICE,
  declinesCount,
  editionLine,
  errataHeading,
  headlineFigures,
  previousLine,
  REPORT_NAME,
  SECTION1_TABLE,
  SECTION2_TABLE,
  SECTION3_TABLE,
  SECTION4_FIGURES,
  SECTIONS,
  section1Caption,
  section2Lede,
  section3Caption,
  sectionHeading,
  type TableColumn,
  titleParts,
} from '../labels.js';
import { type MapOptions, mapTitle, renderMapSvg } from '../map.js';
import { Section1Chart } from './charts.js';

/** Block siblings one a line: the file reads (and diffs) line by line; whitespace between blocks shows nothing. */
export function Blocks({ children }: { children: ComponentChildren }) {
  return <>{toChildArray(children).flatMap((c, i) => (i ? ['\n', c] : [c]))}</>;
}

function CellContent({ cell, empty }: { cell: Cell; empty?: string }) {
  if (cell.length === 0) return <>{empty ?? ''}</>;
  return (
    <>
      {cell.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line.map((run, j) => (
            <Fragment key={j}>
              {typeof run === 'string' ? (
                run
              ) : 'aside' in run ? (
                <span class="kind">{run.aside}</span>
              ) : (
                <a href={run.href} aria-label={run.label}>
                  {run.text}
                </a>
              )}
            </Fragment>
          ))}
        </Fragment>
      ))}
    </>
  );
}

function HeaderRow<Row>({ columns }: { columns: ReadonlyArray<TableColumn<Row>> }) {
  return (
    <tr>
      {columns.map((c) => (
        <th key={c.label} scope="col" class={c.align === 'num' ? 'num' : undefined}>
          {c.label}
        </th>
      ))}
    </tr>
  );
}

function Row<Row>({ columns, row }: { columns: ReadonlyArray<TableColumn<Row>>; row: Row }) {
  return (
    <tr>
      {columns.map((c) =>
        c.rowHeader ? (
          <th key={c.label} scope="row">
            <CellContent cell={c.cell(row)} empty={c.empty} />
          </th>
        ) : (
          <td key={c.label} class={c.align}>
            <CellContent cell={c.cell(row)} empty={c.empty} />
          </td>
        ),
      )}
    </tr>
  );
}

/** A table: caption, a header row, then a row per item, cells from the columns. */
export function Table<Item>(props: {
  caption: string;
  columns: ReadonlyArray<TableColumn<Item>>;
  rows: readonly Item[];
  rowKey: (row: Item) => string;
  class?: string;
}) {
  return (
    <table class={props.class}>
      <caption>{props.caption}</caption>
      <thead>
        <HeaderRow columns={props.columns} />
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <Row key={props.rowKey(r)} columns={props.columns} row={r} />
        ))}
      </tbody>
    </table>
  );
}

/** Kicker, title, subtitle, edition and the demo-data warning. */
export function TitleBlock({ report }: { report: Report }) {
  const { heading, subtitle } = titleParts(report);
  return (
    <header class="title-block">
      <p class="kicker">{REPORT_NAME}</p>
      <h1>{heading}</h1>
      <p class="subtitle">{subtitle}</p>
      <p class="edition">{editionLine(report)}</p>
      {report.demo ? <p class="demo">{DEMO_NOTICE}</p> : null}
    </header>
  );
}

/** What a correction changed, as a list (nothing when it changed nothing listable). */
export function ChangeList({ changes }: { changes: EditionChanges }) {
  const lines = changeLines(changes);
  if (lines.length === 0) return null;
  return (
    <ul>
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

function Errata({ report, links }: { report: Report; links?: DisputeLinks }) {
  const e = report.edition;
  if (!e || !(e.errata || e.changes)) return null;
  return (
    <aside class="errata" aria-label="Errata">
      <h2>{errataHeading(e.number)}</h2>
      {e.errata ? <p>{e.errata}</p> : null}
      {links && e.disputes?.length ? (
        <p>
          {e.disputes.length === 1 ? 'The dispute it answers: ' : 'The disputes it answers: '}
          {e.disputes.map((n, i) => (
            <Fragment key={n}>
              {i ? ', ' : ''}
              <a href={links.dispute(n)}>{`No. ${n}`}</a>
            </Fragment>
          ))}
        </p>
      ) : null}
      {e.changes ? <ChangeList changes={e.changes} /> : null}
    </aside>
  );
}

function Headline({ report }: { report: Report }) {
  const compared = previousLine(report);
  return (
    <Blocks>
      <section class="headline" aria-label="Headline figures">
        {headlineFigures(report).map((f) => (
          <div key={f.label} class="figure-box">
            <span class="n">{num(f.value)}</span>
            <span class="l">{f.label}</span>
            {f.previous ? <span class="was">{f.previous}</span> : null}
          </div>
        ))}
      </section>
      {compared ? <p class="compared">{compared}</p> : null}
    </Blocks>
  );
}

function Contents() {
  return (
    <nav class="toc" aria-label="Sections">
      <ol>
        {Object.values(SECTIONS).map((s) => (
          <li key={s.id}>
            <a href={`#${s.id}`}>{s.name}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}

type SectionWords = { id: string; name: string; title: string; empty?: string };

/** A section: its heading, then its content, or (when `none`) the sentence saying it has none. */
function Part({
  section,
  none,
  children,
}: {
  section: SectionWords;
  none?: boolean;
  children: ComponentChildren;
}) {
  return (
    <Blocks>
      <h2 id={section.id}>{sectionHeading(section)}</h2>
      {none ? <p>{section.empty}</p> : children}
    </Blocks>
  );
}

/**
 * Where a web page's "Report an error" links go (issue 13): a Section II row by its ref, a
 * Section I county by its FIPS. Files (HTML, PDF) have none.
 */
export interface DisputeLinks {
  row: (ref: string) => string;
  county: (fips: string) => string;
  dispute: (n: number) => string;
}

const REPORT_AN_ERROR = 'Report an error';

function section1Columns(links?: DisputeLinks): ReadonlyArray<TableColumn<Section1Row>> {
  if (!links) return SECTION1_TABLE;
  return [
    ...SECTION1_TABLE,
    {
      label: 'Dispute',
      cell: (r) => [
        [
          {
            href: links.county(r.county.fips),
            text: REPORT_AN_ERROR,
            label: `${REPORT_AN_ERROR}: ${r.county.name}, ${r.county.state}`,
          },
        ],
      ],
    },
  ];
}

function section2Columns(links?: DisputeLinks): ReadonlyArray<TableColumn<DeclineRow>> {
  if (!links) return SECTION2_TABLE;
  return [
    ...SECTION2_TABLE,
    {
      label: 'Dispute',
      col: 'c-dispute',
      cell: (d) =>
        d.ref
          ? [
              [
                {
                  href: links.row(d.ref),
                  text: REPORT_AN_ERROR,
                  label: `${REPORT_AN_ERROR} in the row issued ${d.issued_date}${d.declined_date ? `, declined ${d.declined_date}` : ''}`,
                },
              ],
            ]
          : [],
    },
  ];
}

function Section1({
  report,
  compactChart,
  links,
}: {
  report: Report;
  compactChart?: boolean;
  links?: DisputeLinks;
}) {
  const s = SECTIONS.section1;
  const caption = section1Caption(report);
  return (
    <Part section={s} none={report.section1.length === 0}>
      <p class="lede">{s.lede}</p>
      <figure>
        <Section1Chart report={report} compact={compactChart} />
        <figcaption>{caption.figure}</figcaption>
      </figure>
      <Table
        class="keep"
        caption={caption.table}
        columns={section1Columns(links)}
        rows={report.section1}
        rowKey={(r) => r.county.fips}
      />
    </Part>
  );
}

function MapSection({ report, options }: { report: Report; options: MapOptions }) {
  const s = SECTIONS.map;
  // The map is drawn as SVG text by ../map.ts; it goes in as is, or, on the web pages, is
  // its own resource (cacheable, not repeated in every page) that the page refers to.
  const map = options.src
    ? `<object class="ddor-map-object" type="image/svg+xml" data="${esc(options.src)}" aria-label="${esc(mapTitle(report))}" width="975" height="718"><a href="${esc(options.src)}">${esc(mapTitle(report))} (SVG)</a></object>`
    : renderMapSvg(report, options);
  const figure = `${map}<figcaption>${esc(s.caption)}</figcaption>`;
  return (
    <Part section={s}>
      <figure class="map" dangerouslySetInnerHTML={{ __html: figure }} />
    </Part>
  );
}

/** A county's first rowgroup opens with its declines against the detainers issued to it. */
function CountyHeading({ report, group, span }: { report: Report; group: Section2Group; span: number }) {
  const against = countyAgainstIssued(report, group);
  if (!against) return null;
  return (
    <tr class="county-head">
      <th scope="rowgroup" colspan={span}>
        {group.county.name}: <span class="sub">{against}</span>
      </th>
    </tr>
  );
}

function StateDeclines({
  report,
  state,
  groups,
  columns,
}: {
  report: Report;
  state: string;
  groups: Section2Group[];
  columns: ReadonlyArray<TableColumn<DeclineRow>>;
}) {
  const total = groups.reduce((s, g) => s + g.declines.length, 0);
  return (
    <Blocks>
      <h3>
        {stateName(state)} <span class="kind">— {declinesCount(total)}</span>
      </h3>
      <table class="declines">
        <caption class="visually-hidden">Declines in {stateName(state)}</caption>
        <colgroup>
          {columns.map((c) => (
            <col key={c.label} class={c.col} />
          ))}
        </colgroup>
        <thead>
          <HeaderRow columns={columns} />
        </thead>
        {groups.map((g, i) => (
          <tbody key={`${g.county.fips} ${g.facility}`}>
            {i === 0 || groups[i - 1]!.county.fips !== g.county.fips ? (
              <CountyHeading report={report} group={g} span={columns.length} />
            ) : null}
            <tr>
              <th scope="rowgroup" colspan={columns.length}>
                {g.county.name} <span class="sub">({g.county.fips})</span> — {g.facility}{' '}
                <span class="sub">· {declinesCount(g.declines.length)}</span>
              </th>
            </tr>
            {g.declines.map((d, i) => (
              <Row key={i} columns={columns} row={d} />
            ))}
          </tbody>
        ))}
      </table>
    </Blocks>
  );
}

function Section2({ report, links }: { report: Report; links?: DisputeLinks }) {
  const columns = section2Columns(links);
  const byState = new Map<string, Section2Group[]>();
  for (const g of report.section2) byState.set(g.county.state, [...(byState.get(g.county.state) ?? []), g]);
  return (
    <Part section={SECTIONS.section2} none={report.section2.length === 0}>
      <p class="lede">{section2Lede(report)}</p>
      {[...byState].map(([state, groups]) => (
        <StateDeclines key={state} report={report} state={state} groups={groups} columns={columns} />
      ))}
    </Part>
  );
}

function Section3({ report }: { report: Report }) {
  return (
    <Part section={SECTIONS.section3} none={report.section3.length === 0}>
      <Table
        caption={section3Caption(report)}
        columns={SECTION3_TABLE}
        rows={report.section3}
        rowKey={(p) => p.policy_id}
      />
    </Part>
  );
}

function Section4({ report }: { report: Report }) {
  const f = report.section4.figures;
  const show = (kind: string, v: number | string | null) =>
    v === null ? '—' : kind === 'number' ? num(v as number) : kind === 'days' ? `${v} days` : String(v);
  return (
    <Part section={SECTIONS.section4}>
      <ul class="notes">
        {report.section4.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      <dl class="figures">
        {SECTION4_FIGURES.map((fig) => (
          <Fragment key={fig.label}>
            <dt>{fig.label}</dt>
            <dd>{show(fig.kind, fig.value(f))}</dd>
          </Fragment>
        ))}
      </dl>
    </Part>
  );
}

/**
 * The report's body (errata, headline figures, contents, I, map, II, III, IV): the file and the web
 * page. `compactChart` adds Section I's phone drawing (the web pages).
 */
export function ReportSections({
  report,
  mapOptions = {},
  compactChart = false,
  disputeLinks,
}: {
  report: Report;
  mapOptions?: MapOptions;
  compactChart?: boolean;
  /** "Report an error" beside each Section I county and Section II row (web pages of an edition). */
  disputeLinks?: DisputeLinks;
}) {
  return (
    <Blocks>
      <Errata report={report} links={disputeLinks} />
      <Headline report={report} />
      <Contents />
      <Section1 report={report} compactChart={compactChart} links={disputeLinks} />
      <MapSection report={report} options={mapOptions} />
      <Section2 report={report} links={disputeLinks} />
      <Section3 report={report} />
      <Section4 report={report} />
    </Blocks>
  );
}
