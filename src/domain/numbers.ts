/**
 * A whole number as US English writes it (1,234,567), the same as `toLocaleString('en-US')`
 * but without ICU: a process's first `toLocaleString` loads the locale's data (about 15 ms
 * of a command-line report's start). Other numbers are left to ICU.
 */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** A count and its noun: `1 decline`, `2,304 declines` (`many` for an irregular plural). */
export const counted = (n: number, one: string, many = `${one}s`) =>
  `${thousands(n)} ${n === 1 ? one : many}`;
