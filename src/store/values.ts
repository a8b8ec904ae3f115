/**
 * Values as the stores hand them back, made one: a `timestamptz` column comes as a Date or a
 * string depending on the store and driver; ddor's records carry it as ISO 8601 text.
 */
export const storedTime = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

/** A `date` column as `YYYY-MM-DD`. */
export const storedDay = (v: unknown): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
