/**
 * ICE's vocabularies in its released detainer files, mapped to ddor's: lift
 * reasons to outcomes, detainer-type labels to forms, criminality to entry
 * kinds. Each is a documented table; a value not in a table is an import
 * error, never a guess.
 */
import type { CriminalActivityKind, DetainerForm, Outcome } from './vocab.js';

/**
 * Lift reason → outcome, over both vocabularies (2023–2025 releases and older ones).
 * Only a decline by the law-enforcement agency is a decline: transfers, lifts and
 * ICE's own cancellations never are (the 2017 report's error).
 */
export const LIFT_REASONS: ReadonlyArray<readonly [string, Outcome, string]> = [
  ['', 'pending', 'no lift reason: the detainer is still open'],
  ['Detainer Declined by LEA', 'declined', 'the agency released the person despite the detainer'],
  ['Declined by LEA', 'declined', 'older spelling of the same'],
  ['Detainer Declined', 'declined', 'older spelling of the same'],
  ['Booked into Detention', 'honored', 'ICE took custody'],
  ['Booked Into ICE Custody', 'honored', 'ICE took custody'],
  ['Detainer Honored', 'honored', 'older spelling'],
  ['Lifted', 'lifted', 'ICE cancelled the detainer'],
  ['Lifted - Lack of Space', 'lifted', 'ICE cancelled it for want of detention space'],
  ['Transferred', 'lifted', 'the person was moved; a new detainer goes to the new agency (never a decline)'],
  ['Case Closed', 'lifted', 'ICE closed the case'],
  ['Duplicate', 'lifted', 'a second detainer for the same person; not a separate decline'],
  ['Prosecutorial Discretion', 'lifted', 'ICE chose not to pursue'],
  ['USC or Presumptive Claim to US Citizenship', 'lifted', 'the person is or may be a US citizen'],
  ['Superseding - New Form Issued', 'lifted', 'replaced by a newer detainer form'],
  [
    'Early Release',
    'lifted',
    'released early by the holding agency before ICE could act; ICE files do not say it was refused',
  ],
  ['Insufficient Notice to ICE', 'lifted', 'notice came too late for ICE to act; not a refusal'],
  ['ICE Temporary Resource Constraint', 'lifted', 'ICE could not act'],
  [
    'No longer in State, Local, or Federal Custody',
    'issued_in_error',
    'sent to an agency that no longer held the person',
  ],
  ['Detainer Issued in Error', 'issued_in_error', 'sent to the wrong agency'],
  ['Issued in Error', 'issued_in_error', 'sent to the wrong agency'],
  ['Subject Removed', 'lifted', 'the person was removed from the US'],
  ['Subject Deceased', 'lifted', 'the person died'],
];

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
