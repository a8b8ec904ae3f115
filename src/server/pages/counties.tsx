/** Finding a county: the search results and the county index by state (both plain GET pages). */
import { STATES } from '../../domain/states.js';
import type { CountyMatch } from '../../geo/county-search.js';
import { Page } from './layout.js';

const num = (n: number) => n.toLocaleString('en-US');

/** How many results a page lists; a longer list asks for a narrower query. */
export const PAGE_LIMIT = 200;

function CountyList({ counties }: { counties: CountyMatch[] }) {
  return (
    <ul class="county-list">
      {counties.slice(0, PAGE_LIMIT).map((c) => (
        <li key={c.fips}>
          <a href={`/counties/${c.fips}`}>
            {c.name}, {c.state_name}
          </a>{' '}
          <span class="kind">
            FIPS {c.fips}
            {c.valid_to ? ` · until ${c.valid_to}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function CountiesPage(props: { q: string; state: string | null; counties: CountyMatch[] }) {
  const { q, state, counties } = props;
  const stateLabel = state ? (STATES.find((s) => s.code === state)?.name ?? state) : null;
  const heading = q
    ? `Counties matching “${q}”${stateLabel ? ` in ${stateLabel}` : ''}`
    : stateLabel
      ? `Counties of ${stateLabel}`
      : 'Find a county';
  return (
    <Page title={heading} current="counties">
      <h1>{heading}</h1>
      <form method="get" action="/counties" class="toolbar filters" aria-label="Counties">
        <label>
          County name or FIPS code
          <input type="search" name="q" value={q} autocomplete="off" />
        </label>
        <label>
          State
          <select name="state">
            <option value="">any state</option>
            {STATES.map((s) => (
              <option key={s.code} value={s.code} selected={state === s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Find</button>
      </form>
      {q || state ? (
        <>
          <p class="lede" aria-live="polite">
            {counties.length === 0
              ? 'No county matches. Try part of the name (“Travis”, “St Louis”) or a 5-digit FIPS code (48453).'
              : `${num(counties.length)} ${counties.length === 1 ? 'county' : 'counties'}${
                  counties.length > PAGE_LIMIT
                    ? `; the first ${PAGE_LIMIT} are listed: add to the name or pick a state`
                    : ''
                }.`}
          </p>
          <CountyList counties={counties} />
        </>
      ) : (
        <>
          <p class="lede">
            Type a county's name (accents and capitals do not matter: “dona ana”, “St Louis”) or its FIPS
            code, or pick a state:
          </p>
          <ul class="state-list">
            {STATES.map((s) => (
              <li key={s.code}>
                <a href={`/counties?state=${s.code}`}>{s.name}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
