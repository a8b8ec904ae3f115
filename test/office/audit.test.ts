/**
 * The audit trail (issue 11, item 5): every write operation of the CLI, run in
 * process on both stores, leaves exactly one audit row per change it commits,
 * naming the local OS user; a refused or failed write leaves no row and no
 * change; `ddor audit list` filters; PostgreSQL refuses to alter the trail;
 * passwords and tokens never reach the store or any listing in clear.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signIn } from '../../src/auth/accounts.js';
import { type AuditRow, listAudit, localActor } from '../../src/store/audit.js';
import { openStore } from '../../src/store/store.js';
import { ddorInProcess } from '../helpers/cli.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { fixture } from '../helpers/fixtures.js';
import { STORES, storeAvailable } from '../helpers/stores.js';

const PASSWORD = 'correct horse battery staple';

/** Runs `ddor` in process with `stdin` as its standard input. */
async function withStdin<T>(stdin: string, fn: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(stdin)]) as never);
  try {
    return await fn();
  } finally {
    spy.mockRestore();
  }
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`the audit trail on ${factory.name}`, () => {
    let url: string;
    let cleanup: () => Promise<void>;
    const run = (...args: string[]) => ddorInProcess(['--db', url, ...args]);
    let seen = 0;

    /** Audit rows written since the last call. */
    async function newRows(): Promise<AuditRow[]> {
      const store = await openStore(url);
      try {
        const rows = (await listAudit(store)).filter((r) => r.id > seen);
        seen = Math.max(seen, ...rows.map((r) => r.id));
        return rows;
      } finally {
        await store.close();
      }
    }

    /** What a refused write must leave as it was: every table's row count, and each facility's county. */
    async function state(): Promise<string> {
      const store = await openStore(url);
      try {
        const counts: Record<string, unknown> = {};
        for (const t of [
          'imports',
          'detainers',
          'policies',
          'editions',
          'users',
          'api_tokens',
          'web_sessions',
          'audit',
          'proposals',
          'office_settings',
        ] as const) {
          const r = await store.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          counts[t] = Number(r.n);
        }
        counts.facilities = await store.db
          .selectFrom('facilities')
          .select(['facility_key', 'county_fips'])
          .orderBy('facility_key')
          .execute();
        counts.users_disabled = await store.db.selectFrom('users').select(['name', 'disabled_at']).execute();
        counts.tokens_revoked = await store.db
          .selectFrom('api_tokens')
          .select(['token_id', 'revoked_at'])
          .execute();
        return JSON.stringify(counts);
      } finally {
        await store.close();
      }
    }

    beforeAll(async () => {
      const created = await factory.create();
      url = created.url;
      cleanup = created.cleanup;
      // Two facilities waiting in the resolution queue (as an ICE import leaves them).
      const queued = (key: string, name: string) => ({
        facility_key: key,
        name,
        code: key.slice(5),
        city: 'Austin',
        state: 'TX',
        county_fips: null,
        candidates: '48453 Travis; 48491 Williamson',
        resolved_by: 'queued',
        updated_at: '2017-01-01T00:00:00Z',
      });
      await created.store.db
        .insertInto('facilities')
        .values([queued('code:AUSJAIL', 'Austin Jail'), queued('code:AUSPD', 'Austin Police')])
        .execute();
      await created.store.close();
      const first = await newRows();
      // The trail starts with the migration that made it.
      expect(first.map((r) => [r.actor, r.action])).toEqual([['system', 'audit.start']]);
    }, 60_000);

    afterAll(async () => cleanup?.());

    const me = localActor();

    /** Runs a write that must succeed and leave exactly these audit rows, by the local CLI actor. */
    async function write(
      args: string[],
      expected: Array<{ action: string; target: string }>,
      stdin?: string,
    ) {
      const r = stdin === undefined ? await run(...args) : await withStdin(stdin, () => run(...args));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const rows = await newRows();
      expect(rows.map((x) => ({ action: x.action, target: x.target }))).toEqual(expected);
      for (const row of rows) {
        expect(row.actor).toBe(me.name);
        expect(row.via).toBe('cli');
        expect(row.from).toBe(me.from);
      }
      return { result: r, rows };
    }

    /** Runs a write that must be refused: its exit code, no audit row, nothing changed. */
    async function refused(args: string[], code: number, stdin?: string) {
      const before = await state();
      const r = stdin === undefined ? await run(...args) : await withStdin(stdin, () => run(...args));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(await newRows()).toEqual([]);
      expect(await state()).toBe(before);
    }

    let tokenId = '';
    let token = '';

    it('records each import with its file, SHA-256 and counts; a dry run or a rejected file records nothing', async () => {
      const { rows } = await write(
        ['import', 'policies', fixture('rules', 'policies.csv')],
        [{ action: 'import.policies', target: 'policies.csv' }],
      );
      expect(rows[0]!.detail).toMatchObject({ rows_read: 11, inserted: 11, updated: 0 });
      expect(rows[0]!.detail.sha256).toMatch(/^[0-9a-f]{64}$/);
      await write(
        ['import', 'detainers', fixture('rules', 'detainers.csv')],
        [{ action: 'import.detainers', target: 'detainers.csv' }],
      );
      const r = await run('import', 'detainers', '--dry-run', fixture('rules', 'corrections.csv'));
      expect(r.code).toBe(0);
      expect(await newRows()).toEqual([]);
      const bad = csvFile([DETAINER_HEADER, detainerRow('BAD1', { county_fips: '99999' })]);
      await refused(['import', 'detainers', '--no-rejects', bad], 2);
    });

    it('records a facility resolution with before and after; a wrong county records nothing', async () => {
      const { rows } = await write(
        ['resolve', 'set', 'AUSJAIL', '--county-fips', '48453'],
        [{ action: 'resolve.set', target: 'code:AUSJAIL' }],
      );
      expect(rows[0]!.detail).toEqual({
        before: { county_fips: null, resolved_by: 'queued', candidates: '48453 Travis; 48491 Williamson' },
        after: { county_fips: '48453', resolved_by: 'manual' },
      });
      await refused(['resolve', 'set', 'AUSPD', '--county-fips', '06037'], 1);
      const file = csvFile(['facility,county_fips', 'AUSPD,48491']);
      const imported = await write(
        ['resolve', 'import', file],
        [{ action: 'resolve.import', target: file.split('/').pop()! }],
      );
      expect(imported.rows[0]!.detail).toMatchObject({ facilities: 1 });
      await refused(['resolve', 'import', csvFile(['facility,county_fips', 'AUSPD,06037'])], 2);
    });

    it('records publication and correction in their transaction; a refused one records nothing', async () => {
      const target = (n: number) => `week 2017-01-28..2017-02-03 edition ${n}`;
      const published = await write(
        ['report', 'publish', '--week', '2017-01-28', '--out', dirname(csvFile(['x']))],
        [{ action: 'report.publish', target: target(1) }],
      );
      expect(published.rows[0]!.detail.content_sha256).toMatch(/^[0-9a-f]{64}$/);
      await refused(['report', 'publish', '--week', '2017-01-28', '--out', dirname(csvFile(['x']))], 1);
      await write(
        ['import', 'detainers', fixture('rules', 'corrections.csv')],
        [{ action: 'import.detainers', target: 'corrections.csv' }],
      );
      await write(
        [
          'report',
          'correct',
          '--week',
          '2017-01-28',
          '--note',
          'Franklin re-attributed',
          '--out',
          dirname(csvFile(['x'])),
        ],
        [{ action: 'report.correct', target: target(2) }],
      );
      await refused(
        ['report', 'correct', '--week', '2017-01-28', '--note', 'again', '--out', dirname(csvFile(['x']))],
        1,
      );
    });

    it('records accounts and tokens; refused ones record nothing', async () => {
      const added = await write(
        ['user', 'add', 'maria.lopez', '--role', 'admin', '--password-stdin'],
        [{ action: 'user.add', target: 'maria.lopez' }],
        `${PASSWORD}\n`,
      );
      expect(added.rows[0]!.detail).toEqual({ role: 'admin' });
      await refused(['user', 'add', 'short.pw', '--role', 'analyst', '--password-stdin'], 1, 'elevenchars\n');
      await refused(
        ['user', 'add', 'maria.lopez', '--role', 'analyst', '--password-stdin'],
        1,
        `${PASSWORD}\n`,
      );
      await refused(['user', 'add', 'joe', '--role', 'boss', '--password-stdin'], 1, `${PASSWORD}\n`);
      await refused(
        ['user', 'add', 'Joe Smith', '--role', 'analyst', '--password-stdin'],
        1,
        `${PASSWORD}\n`,
      );

      const created = await write(
        ['token', 'create', 'maria.lopez', '--label', 'nightly import'],
        [{ action: 'token.create', target: 'maria.lopez' }],
      );
      token = created.result.stdout.trim();
      expect(token).toMatch(/^ddor_tok_[A-Za-z0-9_-]{43}$/);
      tokenId = String(created.rows[0]!.detail.token_id);
      expect(created.rows[0]!.detail).toEqual({ token_id: tokenId, label: 'nightly import' });
      await refused(['token', 'create', 'nobody'], 1);
      await write(['token', 'revoke', tokenId], [{ action: 'token.revoke', target: 'maria.lopez' }]);
      await refused(['token', 'revoke', tokenId], 1);
      await refused(['token', 'revoke', 'no-such-id'], 1);

      await write(
        ['user', 'add', 'sam.okafor', '--role', 'analyst', '--password-stdin'],
        [{ action: 'user.add', target: 'sam.okafor' }],
        `${PASSWORD} too\n`,
      );
      await write(['user', 'disable', 'sam.okafor'], [{ action: 'user.disable', target: 'sam.okafor' }]);
      await refused(['user', 'disable', 'sam.okafor'], 1);
      await refused(['user', 'disable', 'nobody'], 1);
    });

    it('records proposals, approvals, rejections and the two-person rule; refused ones record nothing', async () => {
      // Accounts exist: publishing is by approving a proposal, and not the proposer's own.
      await refused(['report', 'publish', '--week', '2017-02-04', '--out', dirname(csvFile(['x']))], 1);
      const proposal = (n: number) => `proposal ${n}: week 2017-02-04..2017-02-10`;
      await write(
        ['report', 'propose', '--week', '2017-02-04'],
        [{ action: 'edition.propose', target: proposal(1) }],
      );
      await refused(['report', 'approve', '1'], 1);
      await refused(['report', 'propose', '--week', '2017-02-04'], 1);
      const rejected = await write(
        ['report', 'reject', '1', '--reason', 'the Travis figures need a second look'],
        [{ action: 'edition.reject', target: proposal(1) }],
      );
      expect(rejected.rows[0]!.detail).toEqual({ reason: 'the Travis figures need a second look' });
      await refused(['report', 'reject', '1', '--reason', 'again'], 1);
      await refused(['report', 'approve', '1'], 1);
      await write(
        ['settings', 'two-person-rule', 'off'],
        [{ action: 'settings.set', target: 'two-person-rule' }],
      );
      await write(
        ['report', 'propose', '--week', '2017-02-04'],
        [{ action: 'edition.propose', target: proposal(2) }],
      );
      const approved = await write(
        ['report', 'approve', '2'],
        [{ action: 'edition.approve', target: proposal(2) }],
      );
      expect(approved.rows[0]!.detail).toMatchObject({ proposal: 2, edition: 1 });
      await write(
        ['settings', 'two-person-rule', 'on'],
        [{ action: 'settings.set', target: 'two-person-rule' }],
      );
      await refused(['settings', 'two-person-rule', 'maybe'], 1);
    });

    it('records the demo load, one row per file it imports', async () => {
      await write(
        ['demo'],
        [
          { action: 'demo.load', target: 'policies.csv' },
          { action: 'demo.load', target: 'demo-detainers.csv' },
        ],
      );
    }, 120_000);

    it('lists the trail, filtered by --since, --actor and --action, as text or JSON', async () => {
      const all = JSON.parse((await run('audit', 'list', '--json')).stdout) as AuditRow[];
      expect(all.length).toBeGreaterThan(10);
      expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => a - b));
      const publishes = JSON.parse(
        (await run('audit', 'list', '--action', 'report.publish', '--json')).stdout,
      );
      expect(publishes).toHaveLength(1);
      const system = JSON.parse((await run('audit', 'list', '--actor', 'system', '--json')).stdout);
      expect(system.map((r: AuditRow) => r.action)).toEqual(['audit.start']);
      expect(JSON.parse((await run('audit', 'list', '--since', '2999-01-01', '--json')).stdout)).toEqual([]);
      const today = new Date().toISOString().slice(0, 10);
      expect(JSON.parse((await run('audit', 'list', '--since', today, '--json')).stdout)).toHaveLength(
        all.length,
      );
      expect((await run('audit', 'list', '--since', 'yesterday')).code).toBe(1);
      const text = (await run('audit', 'list', '--action', 'user.add')).stdout.trim().split('\n');
      expect(text).toHaveLength(2);
      expect(text[0]).toContain(`${me.name}\tcli\t${me.from}\tuser.add\tmaria.lopez`);
    });

    it('keeps passwords, tokens and session ids out of the store and every listing', async () => {
      const store = await openStore(url);
      const session = await signIn(store, '127.0.0.1', 'maria.lopez', PASSWORD);
      expect(session).not.toBeNull();
      const secrets = [PASSWORD, token, session!.sessionId];
      let snapshot: string;
      if (factory.name === 'postgres') {
        // This store's schema only: the introspection sees every schema of the database.
        const { rows: schema } = await sql<{ name: string }>`SELECT current_schema() AS name`.execute(
          store.db,
        );
        const tables = (await store.db.introspection.getTables()).filter((t) => t.schema === schema[0]!.name);
        const parts: string[] = [];
        for (const t of tables)
          parts.push(
            JSON.stringify(
              await store.db
                .selectFrom(t.name as 'audit')
                .selectAll()
                .execute(),
            ),
          );
        snapshot = parts.join('\n');
        expect(snapshot).toContain('maria.lopez'); // the scan reads the tables
        await store.close();
      } else {
        await store.close();
        const dir = dirname(url);
        snapshot = readdirSync(dir)
          .map((f) => readFileSync(`${dir}/${f}`).toString('latin1'))
          .join('\n');
        expect(snapshot).toContain('maria.lopez');
      }
      // The scan can see what the store does keep: the token's SHA-256 (64 characters, like the token).
      expect(snapshot).toContain(createHash('sha256').update(token).digest('hex'));
      for (const secret of secrets) expect(snapshot.includes(secret), 'a secret is in the store').toBe(false);
      for (const args of [
        ['user', 'list'],
        ['user', 'list', '--json'],
        ['token', 'list'],
        ['token', 'list', '--json'],
        ['audit', 'list'],
        ['audit', 'list', '--json'],
      ]) {
        const r = await run(...args);
        expect(r.code).toBe(0);
        for (const secret of secrets) expect(`${r.stdout}${r.stderr}`).not.toContain(secret);
      }
      expect((await run('user', 'list')).stdout).toMatch(/maria\.lopez\tadmin\tactive/);
      expect((await run('user', 'list')).stdout).toMatch(/sam\.okafor\tanalyst\tdisabled/);
    });

    it.runIf(factory.name === 'postgres')(
      'is append-only on PostgreSQL: UPDATE, DELETE and TRUNCATE are refused',
      async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await expect(client.query(`UPDATE audit SET actor = 'someone else'`)).rejects.toThrow(
            /append-only/,
          );
          await expect(client.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
          await expect(client.query('TRUNCATE audit')).rejects.toThrow(/append-only/);
          const { rows } = await client.query(
            `SELECT count(*)::int AS n FROM audit WHERE actor = 'someone else'`,
          );
          expect(rows[0].n).toBe(0);
        } finally {
          await client.end();
        }
      },
    );
  });
}
