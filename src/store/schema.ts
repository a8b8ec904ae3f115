/** Table shapes as Kysely sees them. Dates are `YYYY-MM-DD` strings on both backends. */
import type { Generated } from 'kysely';

export interface CountiesTable {
  fips: string;
  state: string;
  name: string;
  county_class: string;
  valid_from: string | null;
  valid_to: string | null;
}

export interface ImportsTable {
  import_id: number;
  kind: 'detainers' | 'policies';
  file_name: string;
  sha256: string;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  quarantined: number;
  is_demo: boolean;
  imported_at: string;
  /** The lift-reason table of an ICE import made with another table than ddor's (NULL: the default). */
  lift_table_name: string | null;
  lift_table_sha256: string | null;
}

export interface AgenciesTable {
  state: string;
  county_fips: string;
  name: string;
  agency_code: string | null;
  city: string | null;
  first_import_id: number;
}

export interface DetainerColumns {
  detainer_id: string;
  issued_date: string;
  form: string | null;
  aor: string | null;
  agency: string;
  agency_code: string | null;
  city: string | null;
  county_fips: string | null;
  state: string;
  citizenship: string | null;
  criminal_activity: string | null;
  outcome: string;
  declined_date: string | null;
  recorded_date: string | null;
  released_by_agency: string | null;
  released_by_city: string | null;
  released_by_county_fips: string | null;
  released_by_state: string | null;
  source: string | null;
  /** The lift reason as the source file gave it (ICE's own files), shown beside a decline. */
  lift_reason: string | null;
  /** The facility registry entry attributing this record to a county (files without a county). */
  facility_key: string | null;
  import_id: number;
}

export type DetainersTable = DetainerColumns;

export interface DetainerHistoryTable extends DetainerColumns {
  superseded_by_import: number;
}

export interface PolicyColumns {
  policy_id: string;
  level: string;
  state: string;
  county_fips: string | null;
  place: string | null;
  aor: string | null;
  type: string;
  title: string;
  enacted_date: string;
  enacted_precision: 'day' | 'month';
  rescinded_date: string | null;
  restricts: string;
  criteria: string | null;
  source_url: string | null;
  import_id: number;
}

export type PoliciesTable = PolicyColumns;

export interface PolicyHistoryTable extends PolicyColumns {
  superseded_by_import: number;
}

export interface QuarantineTable {
  import_id: number;
  kind: string;
  file_name: string;
  line: number;
  column_name: string;
  value: string | null;
  reason: string;
  hint: string;
  record: string;
}

export interface EditionsTable {
  period_kind: string;
  period_start: string;
  period_end: string;
  number: number;
  published_at: string;
  content_sha256: string;
  note: string | null;
  errata: string | null;
  supersedes: number | null;
  report_json: string;
}

/** One link of the chain of every published edition (migration 0005): append only. */
export interface EditionChainTable {
  sequence: number;
  period_start: string;
  period_end: string;
  number: number;
  /** The entry's canonical JSON bytes (report/chain.ts): what `entry_sha256` is taken over. */
  entry_json: string;
  entry_sha256: string;
  /** Base64 Ed25519 over entry_sha256; null when published without a signing key. */
  signature: string | null;
}

/** The public keys editions were signed with, by key id (never a private key). */
export interface PublisherKeysTable {
  key_id: string;
  public_key: string;
  first_used_at: string;
}

/** What built or changed the chain outside a publication (migration 0005's chain-building). */
export interface EditionChainLogTable {
  logged_at: string;
  event: string;
  editions: number;
  head_entry_sha256: string | null;
}

export interface FacilitiesTable {
  facility_key: string;
  name: string;
  code: string | null;
  city: string | null;
  state: string;
  /** Null while the facility waits in the resolution queue. */
  county_fips: string | null;
  candidates: string | null;
  /** code (agency registry), place (gazetteer), manual (ddor resolve), or queued. */
  resolved_by: string;
  updated_at: string;
}

/** A staff account (migration 0006). Names are staff names, never a detained person's. */
export interface UsersTable {
  name: string;
  role: string;
  /** `scrypt$N$r$p$salt$hash` (base64): never the password. */
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

/** An API bearer token: only its SHA-256 is kept. */
export interface ApiTokensTable {
  token_id: string;
  user_name: string;
  label: string | null;
  token_sha256: string;
  created_at: string;
  revoked_at: string | null;
}

/** A signed-in web session: only the SHA-256 of its id is kept. */
export interface WebSessionsTable {
  session_sha256: string;
  user_name: string;
  created_at: string;
  expires_at: string;
}

/** The append-only audit trail (store/audit.ts writes it). */
export interface AuditTable {
  id: Generated<number>;
  at: Generated<string>;
  actor: string;
  via: string;
  from: string;
  action: string;
  target: string;
  /** JSON: counts, hashes, before/after; never a secret or a detained person's identifier. */
  detail: string;
}

/** A proposed edition and its review (migration 0007). */
export interface ProposalsTable {
  proposal_id: number;
  period_kind: string;
  period_start: string;
  period_end: string;
  /** `publish` (a first edition) or `correct` (the next edition of a published period). */
  kind: string;
  note: string | null;
  top: number;
  decline_basis: string;
  /** SHA-256 of the draft report as proposed: an approval publishes exactly that data, or is refused. */
  draft_sha256: string;
  /** The latest edition of the period when proposed (null: none). */
  base_edition: number | null;
  proposed_by: string;
  proposed_at: string;
  /** proposed, approved, rejected. */
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  /** The edition the approval published. */
  edition_number: number | null;
  /** JSON array of the dispute numbers a correction answers (migration 0009); null: none. */
  disputes: string | null;
}

/** A reader's dispute of what an edition says (migration 0009): public, but for its contact. */
export interface DisputesTable {
  dispute_id: number;
  received_at: string;
  updated_at: string;
  /** received, under_review, upheld, partly_upheld, rejected. */
  status: string;
  /** row (a Section II row), county (a Section I county or a county page). */
  scope: string;
  /** not_this_county, not_this_facility, not_a_decline, dates_wrong, other. */
  claim: string;
  county_fips: string;
  period_kind: string | null;
  period_start: string | null;
  period_end: string | null;
  edition_number: number | null;
  /** The row's `ref` in the edition's report JSON. */
  row_ref: string | null;
  /** The row as the edition published it: {county, facility, decline}. */
  row_json: string | null;
  claimed_value: string | null;
  explanation: string;
  /** The office's reasoning for the latest status (public). */
  reasoning: string | null;
  decided_at: string | null;
  correction_period_kind: string | null;
  correction_period_start: string | null;
  correction_period_end: string | null;
  correction_edition: number | null;
}

/** A dispute's public timeline: each status it was given, when, by whom (an office account or `public`). */
export interface DisputeEventsTable {
  dispute_id: number;
  seq: number;
  at: string;
  status: string;
  actor: string;
  reason: string | null;
}

/** The reporter's contact, apart from the dispute: read only by the office's pages and API. */
export interface DisputeContactsTable {
  dispute_id: number;
  contact: string;
}

/** The office's settings: `two_person_rule` = `on` | `off`. */
export interface OfficeSettingsTable {
  name: string;
  value: string;
  updated_at: string;
  updated_by: string;
}

/** An import received by the write API, and what became of it. */
export interface ImportJobsTable {
  job_id: string;
  kind: string;
  format: string;
  file_name: string;
  bytes: number;
  user_name: string;
  /** `host:pid` of the server running it (a job of a server that died is marked failed). */
  runner: string;
  /** queued, running, done, failed. */
  status: string;
  phase: string;
  rows_done: number;
  created_at: string;
  finished_at: string | null;
  /** JSON: the import's summary (done) or the error with its rejections (failed). */
  result: string | null;
  /** The rejects CSV, when rows were rejected. */
  rejects_csv: string | null;
}

export interface Database {
  facilities: FacilitiesTable;
  counties: CountiesTable;
  imports: ImportsTable;
  agencies: AgenciesTable;
  detainers: DetainersTable;
  detainer_history: DetainerHistoryTable;
  policies: PoliciesTable;
  policy_history: PolicyHistoryTable;
  quarantine: QuarantineTable;
  editions: EditionsTable;
  edition_chain: EditionChainTable;
  publisher_keys: PublisherKeysTable;
  edition_chain_log: EditionChainLogTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  web_sessions: WebSessionsTable;
  audit: AuditTable;
  proposals: ProposalsTable;
  office_settings: OfficeSettingsTable;
  import_jobs: ImportJobsTable;
  disputes: DisputesTable;
  dispute_events: DisputeEventsTable;
  dispute_contacts: DisputeContactsTable;
}
