/**
 * `ddor dispute` and `--dispute` (issue 13) on the command line, on both stores: the office's
 * list, one dispute with its contact, a status change; each bad argument is a usage error
 * (exit 1), a reason holding an identifier is refused input (exit 2), and neither changes the
 * dispute; a correction cites an upheld dispute and marks it answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileDispute } from '../../src/report/disputes.js';
import { publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { actingAs } from '../../src/store/audit.js';
import { ddorInProcess as ddor } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const CONTACT = 'clerk-4410@sheriff.example.gov';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`ddor dispute on ${factory.name}`, () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    const run = (...args: string[]) => ddor(args, { env });
    const shown = async () => JSON.parse((await run('dispute', 'show', '1', '--json')).stdout);

    beforeAll(async () => {
      const created = await storeWithRulesFixture(factory);
      cleanup = created.cleanup;
      env = { DDOR_DB: created.url };
      const { report } = await publishEdition(created.store, weekPeriod('2017-01-28'));
      // L3, the Los Angeles decline that corrections.csv moves to Kern County.
      const la = report.section2.find((g) => g.county.fips === '06037')!;
      const row = la.declines.find(
        (d) => d.issued_date === '2017-01-29' && d.declined_date === '2017-01-30',
      )!;
      await fileDispute(actingAs(created.store, { name: 'public', via: 'web', from: 'test' }), {
        period: weekPeriod('2017-01-28'),
        edition: 1,
        row: row.ref,
        claim: 'not_this_county',
        claimed_value: 'Kern County',
        explanation: 'Released by the state prison in Wasco, not by the county jail.',
        contact: CONTACT,
      });
      await created.store.close();
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('lists and shows disputes, the contact only to the office', async () => {
      const list = await run('dispute', 'list');
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^1 {2}received {2}not_this_county {2}Los Angeles County, CA \(06037\)/);
      expect(list.stdout).not.toContain(CONTACT);
      expect((await run('dispute', 'list', '--status', 'rejected')).stdout).toBe('No disputes.\n');
      expect((await run('dispute', 'list', '--county', '48453')).stdout).toBe('No disputes.\n');
      const show = await run('dispute', 'show', '1');
      expect(show.code).toBe(0);
      expect(show.stdout).toContain(`Contact (office only): ${CONTACT}`);
      expect((await shown()).contact).toBe(CONTACT);
    });

    it('refuses bad arguments with exit 1 and an identifier in the reason with exit 2, changing nothing', async () => {
      const cases: Array<[string[], number, RegExp]> = [
        [['dispute', 'list', '--county', 'Travis'], 1, /not a county FIPS code/],
        [['dispute', 'list', '--status', 'maybe'], 1, /Allowed choices/],
        [['dispute', 'show', 'one'], 1, /not a dispute number/],
        [['dispute', 'show', '99'], 1, /there is no dispute 99/],
        [['dispute', 'status', '1', 'maybe', '--reason', 'x'], 1, /unknown status/],
        [['dispute', 'status', '1', 'upheld', '--reason', '  '], 1, /needs a reason/],
        [
          ['dispute', 'status', '1', 'upheld', '--reason', 'A012345678 was released'],
          2,
          /personal identifier/,
        ],
        [
          ['report', 'correct', '--week', '2017-01-28', '--note', 'n', '--dispute', 'x'],
          1,
          /not a dispute number/,
        ],
        // Not upheld yet: a correction cannot answer it.
        [['report', 'correct', '--week', '2017-01-28', '--note', 'n', '--dispute', '1'], 1, /only an upheld/],
      ];
      for (const [args, code, message] of cases) {
        const r = await run(...args);
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr, args.join(' ')).toMatch(message);
      }
      const d = await shown();
      expect([d.status, d.events.length, d.correction]).toEqual(['received', 1, null]);
    });

    it('decides the dispute and publishes the correction that answers it', async () => {
      const decided = await run('dispute', 'status', '1', 'upheld', '--reason', 'Wasco released him.');
      expect([decided.code, decided.stderr]).toEqual([0, expect.stringContaining('dispute 1: upheld')]);
      // Upheld, but nothing corrected yet: no edition.
      const early = await run('report', 'correct', '--week', '2017-01-28', '--note', 'n', '--dispute', '1');
      expect([early.code, early.stderr]).toEqual([
        1,
        expect.stringMatching(/nothing changed since edition 1/),
      ]);
      expect((await shown()).correction).toBeNull();
      expect((await run('import', 'detainers', fixture('rules', 'corrections.csv'))).code).toBe(0);
      const corrected = await run(
        'report',
        'correct',
        '--week',
        '2017-01-28',
        '--note',
        'The Wasco decline is Kern County’s.',
        '--dispute',
        '1',
      );
      expect(corrected.code, corrected.stderr).toBe(0);
      const edition = JSON.parse(
        (await run('report', 'show', '--week', '2017-01-28', '--format', 'json')).stdout,
      ).edition;
      expect([edition.number, edition.disputes]).toEqual([2, [1]]);
      expect(edition.errata).toBe('The Wasco decline is Kern County’s. (In answer to dispute No. 1.)');
      expect((await shown()).correction).toEqual({
        period: { kind: 'week', start: '2017-01-28', end: '2017-02-03' },
        edition: 2,
      });
      expect((await run('verify')).code).toBe(0);
    });
  });
}
