/** Two periods side by side (/compare?a=…&b=…): totals and change, Section I, counties that entered or left. */
import { Table } from '../../render/html/sections.js';
import { HEADERS, headlineFigures, signed, type TableColumn } from '../../render/labels.js';
import type { CountyRef, Report, Section1Row } from '../../report/model.js';
import { periodLabel, periodPath } from '../../report/period.js';
import { Page } from './layout.js';

const num = (n: number) => n.toLocaleString('en-US');

const S1_COLUMNS: ReadonlyArray<TableColumn<Section1Row>> = [
  { label: HEADERS.rank, align: 'num', cell: (r) => [[String(r.rank)]] },
  {
    label: HEADERS.county,
    rowHeader: true,
    cell: (r) => [[{ href: `/counties/${r.county.fips}`, text: `${r.county.name}, ${r.county.state}` }]],
  },
  { label: HEADERS.detainers_issued, align: 'num', cell: (r) => [[num(r.detainers_issued)]] },
];

function CountyLinks({ counties, none }: { counties: CountyRef[]; none: string }) {
  if (counties.length === 0) return <p>{none}</p>;
  return (
    <ul class="county-list">
      {counties.map((c) => (
        <li key={c.fips}>
          <a href={`/counties/${c.fips}`}>
            {c.name}, {c.state}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Counties in `b`'s list but not in `a`'s, in `b`'s order. */
function entered(a: CountyRef[], b: CountyRef[]): CountyRef[] {
  const had = new Set(a.map((c) => c.fips));
  const seen = new Set<string>();
  return b.filter((c) => !had.has(c.fips) && !seen.has(c.fips) && seen.add(c.fips));
}

export function ComparePage(props: { a: Report; b: Report; aText: string; bText: string }) {
  const { a, b } = props;
  const la = periodLabel(a.period);
  const lb = periodLabel(b.period);
  const fa = headlineFigures(a);
  const fb = headlineFigures(b);
  const s1 = (r: Report) => r.section1.map((x) => x.county);
  const s2 = (r: Report) => r.section2.map((g) => g.county);
  return (
    <Page title={`Compare ${la} and ${lb}`} current="compare">
      <h1>
        Compare {la} and {lb}
      </h1>
      <form method="get" action="/compare" class="toolbar filters">
        <label>
          First period
          <input name="a" value={props.aText} />
        </label>
        <label>
          Second period
          <input name="b" value={props.bText} />
        </label>
        <button type="submit">Compare</button>
      </form>
      <p class="lede">
        A period is a date (the week containing it), or <code>week/2017-01-28</code>,{' '}
        <code>quarter/FY2017Q2</code>, <code>range/2017-01-01/2017-03-31</code>. Each is its latest published
        edition, else the current data. <a href={`/reports/${periodPath(a.period)}`}>Report of {la}</a> ·{' '}
        <a href={`/reports/${periodPath(b.period)}`}>Report of {lb}</a>
      </p>
      <table>
        <caption>Totals</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" class="num">
              {la}
            </th>
            <th scope="col" class="num">
              {lb}
            </th>
            <th scope="col" class="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {fb.map((f, i) => (
            <tr key={f.key}>
              <th scope="row">{f.label}</th>
              <td class="num">{num(fa[i]!.value)}</td>
              <td class="num">{num(f.value)}</td>
              <td class="num">{signed(f.value - fa[i]!.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Section I side by side</h2>
      <div class="side-by-side">
        <Table caption={la} columns={S1_COLUMNS} rows={a.section1} rowKey={(r) => r.county.fips} />
        <Table
          caption={lb}
          columns={[
            ...S1_COLUMNS,
            {
              label: `Rank in ${la}`,
              align: 'num',
              empty: 'not listed',
              cell: (r) => {
                const before = a.section1.find((x) => x.county.fips === r.county.fips);
                return before ? [[String(before.rank)]] : [];
              },
            },
          ]}
          rows={b.section1}
          rowKey={(r) => r.county.fips}
        />
      </div>
      <h2>Counties that entered or left</h2>
      <h3>Entered Section I in {lb}</h3>
      <CountyLinks counties={entered(s1(a), s1(b))} none="None." />
      <h3>Left Section I</h3>
      <CountyLinks counties={entered(s1(b), s1(a))} none="None." />
      <h3>
        Entered Section II (declines in {lb}, none in {la})
      </h3>
      <CountyLinks counties={entered(s2(a), s2(b))} none="None." />
      <h3>
        Left Section II (declines in {la}, none in {lb})
      </h3>
      <CountyLinks counties={entered(s2(b), s2(a))} none="None." />
    </Page>
  );
}
