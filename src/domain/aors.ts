/** ICE Enforcement and Removal Operations Areas of Responsibility (field offices): the 24 plus Harlingen. */

export interface Aor {
  code: string;
  name: string;
}

export const AORS: readonly Aor[] = [
  ['ATL', 'Atlanta'],
  ['BAL', 'Baltimore'],
  ['BOS', 'Boston'],
  ['BUF', 'Buffalo'],
  ['CHI', 'Chicago'],
  ['DAL', 'Dallas'],
  ['DEN', 'Denver'],
  ['DET', 'Detroit'],
  ['ELP', 'El Paso'],
  ['HOU', 'Houston'],
  ['LOS', 'Los Angeles'],
  ['MIA', 'Miami'],
  ['NEW', 'Newark'],
  ['NOL', 'New Orleans'],
  ['NYC', 'New York City'],
  ['PHI', 'Philadelphia'],
  ['PHO', 'Phoenix'],
  ['SEA', 'Seattle'],
  ['SFR', 'San Francisco'],
  ['SLC', 'Salt Lake City'],
  ['SNA', 'San Antonio'],
  ['SND', 'San Diego'],
  ['SPM', 'St. Paul'],
  ['WAS', 'Washington'],
  ['HLG', 'Harlingen'],
].map(([code, name]) => ({ code: code!, name: name! }));

const BY_CODE = new Map(AORS.map((a) => [a.code, a]));
export const aorName = (code: string | null): string | null =>
  code ? (BY_CODE.get(code)?.name ?? code) : null;
