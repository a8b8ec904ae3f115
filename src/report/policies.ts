/**
 * Policies as every reader sees them (SPEC §2 rules 5 and 8, §3): when one is in
 * force, how its jurisdiction is named, how its enactment date is shown, its AOR's
 * name, and the order of a list of them. Section III, the county profile and the
 * policies page all go through here, so no two of them can say it differently.
 */
import { type Expression, sql } from 'kysely';
import { aorName } from '../domain/aors.js';
import { compareNames } from '../domain/collate.js';
import { stateName } from '../domain/states.js';

/**
 * Rule 5 as SQL over `policies p`: in force at some time in [from, to] (both inclusive; `from` =
 * `to` for one day). A policy applies from its enactment (the 1st of the month when only the month is
 * known, as stored) and no longer applies from its rescission date.
 */
export function policyInForce(from: Expression<string> | string, to: Expression<string> | string = from) {
  return sql<boolean>`p.enacted_date <= ${to} AND (p.rescinded_date IS NULL OR p.rescinded_date > ${from})`;
}

export interface PolicyPlace {
  level: string;
  state: string;
  county_fips: string | null;
  /** The county's name, from the gazetteer, for county and place policies. */
  county: string | null;
  place: string | null;
}

/** "Texas", "Travis County, TX", "Austin, TX": a state by name, a county or place with its state's code. */
export function jurisdictionName(p: PolicyPlace): string {
  if (p.level === 'state') return stateName(p.state);
  if (p.level === 'county') return `${p.county ?? p.county_fips}, ${p.state}`;
  return `${p.place}, ${p.state}`;
}

/** The enactment date as precise as the source: `YYYY-MM` for a policy known only by its month. */
export function enactedAsShown(p: { enacted_date: string; enacted_precision: string }): string {
  return p.enacted_precision === 'month' ? p.enacted_date.slice(0, 7) : p.enacted_date;
}

/** The AOR (ICE field office) by name: "San Antonio" for SNA; a code ddor does not know as given. */
export const aorShown = (aor: string | null): string | null => aorName(aor);

/** `detainer_hold;notification` → its restrictions, in the source's order. */
export const restrictionsOf = (restricts: string): string[] => restricts.split(';');

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Rule 8's order: newest enactment first (by the stored day), then jurisdiction as a reader files
 * it (rule 10), then policy id, so the order is total.
 */
export function newestEnactmentFirst<P extends PolicyPlace & { enacted_date: string; policy_id: string }>(
  policies: readonly P[],
): P[] {
  return policies
    .map((p) => ({ p, name: jurisdictionName(p) }))
    .sort(
      (a, b) =>
        byText(b.p.enacted_date, a.p.enacted_date) ||
        compareNames(a.name, b.name) ||
        byText(a.p.policy_id, b.p.policy_id),
    )
    .map(({ p }) => p);
}
