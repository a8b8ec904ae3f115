/**
 * The Report: plain data, the one thing every renderer, the API and the web
 * pages take. Field order here is the order of the JSON (SPEC §5).
 */
import type { CriminalActivity } from '../domain/vocab.js';
import type { PeriodKind } from './period.js';

export const REPORT_SCHEMA = 'ddor.report/v1';

export type DeclineBasis = 'recorded' | 'issued';

export interface CountyRef {
  fips: string;
  name: string;
  state: string;
}

export interface Section1Row {
  rank: number;
  county: CountyRef;
  detainers_issued: number;
}

export interface DeclineRow {
  citizenship: string | null;
  issued_date: string;
  /** Null only under --decline-basis issued, for declines whose source gives no date. */
  declined_date: string | null;
  recorded_date: string | null;
  criminal_activity: CriminalActivity[];
  /** The lift reason as ICE's file gave it (null for canonical records). */
  lift_reason: string | null;
  /** The agency the detainer was sent to, when another agency released the person (a transfer). */
  received_by: string | null;
}

export interface Section2Group {
  county: CountyRef;
  facility: string;
  declines: DeclineRow[];
}

export interface Section3Row {
  policy_id: string;
  level: string;
  jurisdiction: string;
  /** USPS code, and the county (for county and place policies): where the map marks the policy. */
  state: string;
  county_fips: string | null;
  aor: string | null;
  type: string;
  title: string;
  /** `YYYY-MM-DD`, or `YYYY-MM` when only the month is known. */
  enacted_date: string;
  rescinded_date: string | null;
  criteria: string | null;
  restricts: string[];
  source_url: string | null;
}

export interface Section4Figures {
  declines_issued_before_period: number;
  oldest_issued_date: string | null;
  median_recording_lag_days: number | null;
  excluded_unresolved: number;
  missing_citizenship: number;
  missing_criminal_activity: number;
  corrections_since_previous_edition: number;
  /** Declines in counties the county map cannot draw (e.g. Puerto Rico). */
  declines_not_on_map: number;
  /** Declines with no date (ICE files without a lift date), among detainers issued in the period. */
  declines_without_date: number;
  /** Detainers issued in the period at facilities still in the resolution queue (no county yet). */
  unresolved_detainers_issued: number;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  title: string;
  /** True when the store holds the bundled demo data: synthetic records, not real ones. */
  demo: boolean;
  period: { start: string; end: string; kind: PeriodKind };
  decline_basis: DeclineBasis;
  /** How many counties Section I lists at most (`--top`). */
  top: number;
  totals: {
    detainers_issued: number;
    declined: number;
    jurisdictions_with_declines: number;
    states_with_declines: number;
    facilities_with_declines: number;
  };
  section1: Section1Row[];
  section2: Section2Group[];
  section3: Section3Row[];
  section4: { notes: string[]; figures: Section4Figures };
  edition: Edition | null;
}

export interface Edition {
  number: number;
  published_at: string;
  content_sha256: string;
  /** The publisher's note (`--note`). */
  note: string | null;
  errata: string | null;
  supersedes: number | null;
  changes: EditionChanges | null;
}

export interface TotalChange {
  before: number;
  after: number;
}

export interface RowChange {
  county: CountyRef;
  facility: string;
  decline: DeclineRow;
}

/** What an edition changes against the one it supersedes, computed from the two reports. */
export interface EditionChanges {
  totals: Record<string, TotalChange>;
  counties_added: CountyRef[];
  counties_removed: CountyRef[];
  counties_changed: Array<{ county: CountyRef; declines_before: number; declines_after: number }>;
  rows_added: RowChange[];
  rows_removed: RowChange[];
  section1_changed: Array<{
    county: CountyRef;
    detainers_issued_before: number | null;
    detainers_issued_after: number | null;
  }>;
  policies_added: string[];
  policies_removed: string[];
  policies_changed: string[];
}
