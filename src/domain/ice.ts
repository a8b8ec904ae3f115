/**
 * ICE's vocabularies in its released detainer files, mapped to ddor's:
 * detainer-type labels to forms, criminality to entry kinds. Each is a
 * documented table; a value not in a table is an import error, never a guess.
 * Lift reasons → outcomes are data a user can replace: data/lift-reasons.csv,
 * read by src/ingest/lift-reasons.ts.
 */
import type { CriminalActivityKind, DetainerForm } from './vocab.js';

/** Detainer type labels → form. The label carries the form code in most releases. */
export const DETAINER_TYPE_LABELS: ReadonlyArray<readonly [string, DetainerForm]> = [
  ['Immigration Detainer - Notice of Action', 'I-247'],
  ['Immigration Detainer - Request for Voluntary Action', 'I-247D'],
  ['Request for Voluntary Notification of Release of Suspected Priority Alien', 'I-247N'],
  ['Request for Voluntary Transfer', 'I-247X'],
  ['Immigration Detainer - Notice of Action (DHS Form I-247A)', 'I-247A'],
];

/** "Detainer Criminality" values → the kind of the entry made when no MSC charge is given. */
export const CRIMINALITY: ReadonlyArray<readonly [string, CriminalActivityKind | null, string]> = [
  ['1 Convicted Criminal', 'conviction', 'Convicted criminal'],
  ['Convicted Criminal', 'conviction', 'Convicted criminal'],
  ['2 Pending Criminal Charges', 'pending', 'Pending criminal charges'],
  ['Pending Criminal Charges', 'pending', 'Pending criminal charges'],
  ['3 Other Immigration Violator', null, ''],
  ['Other Immigration Violator', null, ''],
];

/** The columns of ICE's 2023–2025 detainer spreadsheets, in release order (ddor reads them by name). */
export const ICE_2023_COLUMNS = [
  'Detainer Prepare Date',
  'Facility State',
  'Facility AOR',
  'Port of Departure',
  'Departure Country',
  'Departed Date',
  'Case Status',
  'Detainer Criminality',
  'Detainer Facility',
  'Detainer Facility Code',
  'Facility City',
  'Detainer Threat Level',
  'Gender',
  'Citizenship Country',
  'Birth Country',
  'Birth Date',
  'Birth Year',
  'Entry Status',
  'MSC Charge',
  'MSC Sentence Days',
  'MSC Sentence Months',
  'MSC Sentence Years',
  'MSC Charge Code',
  'MSC Charge Date',
  'MSC Conviction Date',
  'Aggravated Felon Yes No',
  'Processing Disposition',
  'Case Category',
  'Detainer Lift Reason',
  'Detainer Lift Reason Code',
  'Detainer Type',
  'Notify Release Request Yes No',
  'TOD Current Duty Site',
  'EID DTA ID',
  'Anonymized Identifier',
] as const;
