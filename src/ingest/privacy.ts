/**
 * Columns that identify a person. They are dropped as a file is read (the
 * staging query never selects them), so no name, A-number, birth date or
 * person id reaches the store, a rejects file or an error message.
 */
const IDENTIFYING: RegExp[] = [
  /^(first|last|middle|full|given|family|sur|person|subject|detainee|alien|maiden)_?names?$/,
  /^names?$/,
  /^aliases?$/,
  /^a_?(number|num|no|nbr)$/,
  /^alien_?(number|num|no|nbr|id)$/,
  /^(anumber|anum)$/,
  /birth_?(date|day|year|dt)$/,
  /^(date|year|day)_of_birth$/,
  /^dob$/,
  /^(person|subject|individual|detainee|alien|anonymi[sz]ed)_?(id|identifier|number)$/,
  /^eid(_|$)/,
  /^(ssn|social_security_number|fbi_number|fbi_no|fin|sid|state_id_number)$/,
];

/** Header names are compared lower-cased with runs of non-letters folded to `_`. */
export function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

export function isIdentifyingColumn(name: string): boolean {
  const key = headerKey(name);
  return IDENTIFYING.some((re) => re.test(key));
}
