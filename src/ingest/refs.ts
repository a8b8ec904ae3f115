/**
 * Reference tables and name-matching macros in a staging session. Name keys are
 * computed here in SQL, for the gazetteer and the input alike, so there is one
 * definition of "the same name" (case, accents, punctuation, Saint/St.).
 */
import { AORS } from '../domain/aors.js';
import { countryAliases } from '../domain/countries.js';
import { EARLIEST_DATE, latestAcceptedDate } from '../domain/dates.js';
import { STATES } from '../domain/states.js';
import { counties } from '../geo/gazetteer.js';
import type { DuckSession } from '../store/duckdb/session.js';
import { sqlValues } from '../store/sql.js';

/** Suffixes a county name may carry or omit ("Dona Ana" = "Doña Ana County"). */
const SUFFIXES =
  'county|parish|borough|census area|city and borough|municipality|municipio|city|planning region|district|island';

export async function createReferenceTables(stage: DuckSession, today: Date = new Date()): Promise<void> {
  // The accepted date range (src/domain/dates.ts), read from the clock once per import.
  await stage.run(`CREATE OR REPLACE TEMP MACRO ddor_earliest_date() AS DATE '${EARLIEST_DATE}'`);
  await stage.run(`CREATE OR REPLACE TEMP MACRO ddor_latest_date() AS DATE '${latestAcceptedDate(today)}'`);
  await stage.run(`CREATE OR REPLACE TEMP MACRO ddor_fold(s) AS
    regexp_replace(regexp_replace(lower(strip_accents(trim(s))), '\\bsaint\\b', 'st', 'g'), '[.'']', '', 'g')`);
  await stage.run(
    `CREATE OR REPLACE TEMP MACRO ddor_key(s) AS regexp_replace(ddor_fold(s), '[^a-z0-9]', '', 'g')`,
  );
  await stage.run(`CREATE OR REPLACE TEMP MACRO ddor_short(s) AS
    regexp_replace(regexp_replace(ddor_fold(s), '\\s+(${SUFFIXES})$', ''), '[^a-z0-9]', '', 'g')`);

  const states = STATES.flatMap((s) => [
    [s.code, s.code, s.name],
    [s.name, s.code, s.name],
  ]);
  await stage.run(`CREATE OR REPLACE TEMP TABLE ref_states AS
    SELECT DISTINCT ddor_key(alias) AS key, code, name FROM (VALUES ${sqlValues(states)}) v(alias, code, name)`);

  const gaz = counties().map((c) => [c.fips, c.state, c.name]);
  await stage.run(`CREATE OR REPLACE TEMP TABLE ref_counties AS
    SELECT fips, state, name, ddor_key(name) AS full_key, ddor_short(name) AS short_key
    FROM (VALUES ${sqlValues(gaz)}) v(fips, state, name)`);

  const countries = countryAliases().map((c) => [c.alias, c.name]);
  await stage.run(`CREATE OR REPLACE TEMP TABLE ref_countries AS
    SELECT ddor_key(alias) AS key, min(name) AS name FROM (VALUES ${sqlValues(countries)}) v(alias, name)
    GROUP BY 1 HAVING count(DISTINCT name) = 1`);

  const aors = AORS.flatMap((a) => [
    [a.code, a.code],
    [a.name, a.code],
  ]);
  await stage.run(`CREATE OR REPLACE TEMP TABLE ref_aors AS
    SELECT DISTINCT ddor_key(alias) AS key, code FROM (VALUES ${sqlValues(aors)}) v(alias, code)`);
}
