/** `thousands` writes whole numbers exactly as ICU's en-US does, without ICU. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thousands } from '../../src/domain/numbers.js';

describe('thousands', () => {
  it('writes every safe integer as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, -1000, 123456789, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])
      expect(thousands(n)).toBe(n.toLocaleString('en-US'));
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => thousands(n) === n.toLocaleString('en-US')),
      { numRuns: 2000 },
    );
  });

  it('leaves other numbers to ICU', () => {
    for (const n of [0.5, 1234.56, Number.NaN, Number.POSITIVE_INFINITY])
      expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });
});
