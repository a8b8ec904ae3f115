/** The controlled vocabularies of SPEC §1 and §3. One list each, used by ingest, store and report. */

export const OUTCOMES = ['pending', 'honored', 'declined', 'lifted', 'issued_in_error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const DETAINER_FORMS = ['I-247', 'I-247D', 'I-247N', 'I-247X', 'I-247A'] as const;
export type DetainerForm = (typeof DETAINER_FORMS)[number];

/**
 * What a detainer asks (issue 15; the 2017 report concerns "detainers or requests for notification"):
 * a hold (I-247D, I-247A, I-247X), a notification (I-247N), or unknown (no form, or the old I-247,
 * which asked either).
 */
export const REQUEST_KINDS = ['hold', 'notification', 'unknown'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_KIND_FORMS: Record<Exclude<RequestKind, 'unknown'>, readonly DetainerForm[]> = {
  hold: ['I-247D', 'I-247A', 'I-247X'],
  notification: ['I-247N'],
};

/** Finds a form code in a label such as "Immigration Detainer - Notice of Action (I-247A)"; group 1 is the letter. */
export const DDOR_FORMS_REGEX = 'I-?247([ADNX]?)\\b';

export const OUTCOME_SOURCES = ['lea_notice', 'officer_report', 'court_record', 'news', 'other'] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

export const POLICY_LEVELS = ['state', 'county', 'place'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

export const POLICY_TYPES = [
  'law',
  'ordinance',
  'resolution',
  'executive_order',
  'agency_policy',
  'court_order',
  'other',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export const RESTRICTIONS = [
  'detainer_hold',
  'notification',
  'transfer',
  'jail_access',
  'information_sharing',
  '287g',
] as const;
export type Restriction = (typeof RESTRICTIONS)[number];

export const CRIMINAL_ACTIVITY_KINDS = ['conviction', 'charge', 'pending'] as const;
export type CriminalActivityKind = (typeof CRIMINAL_ACTIVITY_KINDS)[number];

export interface CriminalActivity {
  description: string;
  kind: CriminalActivityKind;
}

const ENTRY = /^\s*(.*?)\s*\((conviction|charge|pending)\)\s*$/i;

/**
 * Parses the stored `description (kind); …` form. Import has already validated
 * every entry, so a malformed one here is a bug, not user input.
 */
export function parseCriminalActivity(text: string | null): CriminalActivity[] {
  if (text === null || text.trim() === '') return [];
  return text
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const m = ENTRY.exec(part);
      if (!m) throw new Error(`malformed stored criminal activity entry: ${part}`);
      return { description: m[1]!, kind: m[2]!.toLowerCase() as CriminalActivityKind };
    });
}
