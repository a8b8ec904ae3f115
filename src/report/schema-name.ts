/**
 * The name and version of the report's JSON (its `schema` field), apart from model.ts's zod
 * schemas: building and checking a report needs the name, not zod (whose schemas take
 * tens of milliseconds to load and build at every start of the command line).
 */
export const REPORT_SCHEMA = 'ddor.report/v1';
