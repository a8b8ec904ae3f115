/**
 * A Section II row's ref is the first 12 hex digits of the SHA-256 of one documented text:
 * JSON.stringify([fips, folded facility, citizenship, issued_date, declined_date, recorded_date,
 * [[kind, description], …], lift_reason, received_by, request_kind, nth]). Anyone rebuilding
 * a ref from the report JSON computes exactly that, and every ref already published depends on
 * it: whatever way the report writes the text (a faster one was tried: field by field, which
 * V8 turned out to do more slowly), it must be that text for any row: quotes, backslashes,
 * control characters, lone surrogates, missing and null fields.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldName } from '../../src/domain/collate.js';
import { rowRefOf } from '../../src/report/build.js';
import type { DeclineRow } from '../../src/report/model.js';

/** The ref as the schema describes it, written the plain way. */
function documentedRef(fips: string, facility: string, row: Omit<DeclineRow, 'ref'>, nth: number): string {
  const key = JSON.stringify([
    fips,
    foldName(facility),
    row.citizenship,
    row.issued_date,
    row.declined_date,
    row.recorded_date,
    row.criminal_activity.map((a) => [a.kind, a.description]),
    row.lift_reason,
    row.received_by,
    row.request_kind ?? null,
    nth,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('"', '\\', '\n', '\u2028', '\ud800', 'Ünïcødé "quoted" \\ back', ''),
);
const nullable = fc.option(text, { nil: null });
const date = fc.option(
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  { nil: null },
);

const row = fc.record({
  citizenship: nullable,
  issued_date: date.map((d) => d ?? '2017-01-28'),
  declined_date: date,
  recorded_date: date,
  criminal_activity: fc.array(
    fc.record({ kind: fc.constantFrom('conviction', 'charge', 'unspecified'), description: text }),
    { maxLength: 4 },
  ),
  lift_reason: nullable,
  received_by: nullable,
  request_kind: fc.option(fc.constantFrom('hold', 'notification', 'unknown'), { nil: undefined }),
}) as fc.Arbitrary<Omit<DeclineRow, 'ref'>>;

describe('Section II row refs', () => {
  it('are the documented hash for any row, however its fields are written', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5}$/), text, row, fc.nat(50), (fips, facility, r, nth) => {
        expect(rowRefOf(fips, facility, r, nth)).toBe(documentedRef(fips, facility, r, nth));
      }),
      { numRuns: 3000 },
    );
  });

  it('are the same when rows share one criminal-activity list (the report shares them)', () => {
    const activity = [{ kind: 'conviction' as const, description: 'Assault "aggravated"' }];
    const a = { ...base(), criminal_activity: activity };
    const b = { ...base(), criminal_activity: activity, citizenship: 'Canada' };
    expect(rowRefOf('06037', "Men's Central Jail", a, 0)).toBe(
      documentedRef('06037', "Men's Central Jail", a, 0),
    );
    expect(rowRefOf('06037', "Men's Central Jail", b, 2)).toBe(
      documentedRef('06037', "Men's Central Jail", b, 2),
    );
    expect(rowRefOf('06037', "Men's Central Jail", a, 0)).not.toBe(
      rowRefOf('06037', "Men's Central Jail", b, 0),
    );
  });
});

function base(): Omit<DeclineRow, 'ref'> {
  return {
    citizenship: 'Mexico',
    issued_date: '2017-01-28',
    declined_date: '2017-01-30',
    recorded_date: '2017-02-01',
    criminal_activity: [],
    lift_reason: null,
    received_by: null,
    request_kind: 'hold',
  };
}
