/**
 * What the URLs of feeds, embeds and citations name: a county of the gazetteer by its FIPS code;
 * a published edition, for what only a published edition can be (an embed, a citation):
 * `?edition=N`, or none for the period's latest; a draft (`?edition=draft`) never is.
 */
import { type County, countyByFips } from '../geo/gazetteer.js';
import { type FrozenEdition, showEdition } from '../report/editions.js';
import type { Period } from '../report/period.js';
import type { Store } from '../store/store.js';
import { HttpError } from './errors.js';

/** The edition `edition` names; `latest` is true when none was named (the period's latest edition). */
export async function publishedEdition(
  store: Store,
  period: Period,
  edition: string | undefined,
  what: { only: string; hint: string },
): Promise<{ frozen: FrozenEdition; latest: boolean }> {
  if (edition === 'draft') throw new HttpError(404, 'not_found', `a draft is never ${what.only}`, what.hint);
  const number = edition === undefined ? undefined : Number(edition);
  if (number !== undefined && (!Number.isInteger(number) || number < 1))
    throw new HttpError(400, 'bad_request', `edition=${edition} is not an edition number`, what.hint);
  try {
    return { frozen: await showEdition(store, period, number), latest: number === undefined };
  } catch (error) {
    if (error instanceof Error && 'kind' in error && (error as { kind: string }).kind === 'not_found')
      throw new HttpError(404, 'not_found', error.message, what.hint);
    throw error;
  }
}

/** The county a URL names by its FIPS code, else 404; `example` shows the URL as it should be. */
export function countyOfUrl(fips: string, example: string): County {
  const county = /^\d{5}$/.test(fips) ? countyByFips(fips) : undefined;
  if (!county)
    throw new HttpError(
      404,
      'not_found',
      `no county has FIPS code ${fips}`,
      `Counties are keyed by 5-digit FIPS codes, e.g. ${example}.`,
    );
  return county;
}
