import { spawnSync } from 'node:child_process';
/**
 * Signed editions end to end: `ddor key create`, `publish --signing-key` / DDOR_SIGNING_KEY,
 * and `ddor verify` of downloaded files on a machine with no store (the real binary, run in
 * an empty folder), of the static archive's chain file, and of the store.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ddorInProcess as ddor, ddor as ddorBinary } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const hasChromium =
  existsSync('/usr/bin/chromium') || process.env.DDOR_CHROMIUM !== undefined || process.env.CI === 'true';

describe('signed editions and ddor verify', () => {
  let dir: string;
  let env: Record<string, string>;
  let keys: string;
  let downloads: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ddor-verify-'));
    env = { DDOR_DB: join(dir, 'store.duckdb') };
    keys = join(dir, 'keys');
    downloads = join(dir, 'downloads');
    expect((await ddor(['import', 'policies', fixture('rules', 'policies.csv')], { env })).code).toBe(0);
    expect((await ddor(['import', 'detainers', fixture('rules', 'detainers.csv')], { env })).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a key pair, the private key owner-only, and never overwrites it', async () => {
    const made = await ddor(['key', 'create', '--out', keys]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(join(keys, 'publisher.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keys, 'publisher.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await ddor(['key', 'create', '--out', keys]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('signs with --signing-key and DDOR_SIGNING_KEY; without a key publishes unsigned and says so', async () => {
    const signed = await ddor(
      [
        'report',
        'publish',
        '--week',
        '2017-01-28',
        '--signing-key',
        join(keys, 'publisher.key'),
        '--format',
        `json,html,xlsx${hasChromium ? ',pdf' : ''}`,
        '--out',
        downloads,
      ],
      { env },
    );
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stderr).toMatch(/signed with key [0-9a-f]{64} \(chain entry 1/);
    const byEnv = await ddor(['report', 'publish', '--week', '2017-02-04'], {
      env: { ...env, DDOR_SIGNING_KEY: join(keys, 'publisher.key') },
    });
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byEnv.stdout).edition).toMatchObject({ sequence: 2, signature: expect.any(String) });
    const unsigned = await ddor(['report', 'publish', '--week', '2017-02-11'], { env });
    expect(unsigned.code).toBe(0);
    expect(unsigned.stderr).toContain('published UNSIGNED: no signing key');
    expect(JSON.parse(unsigned.stdout).edition).toMatchObject({ sequence: 3, signature: null, key_id: null });
  });

  it('verifies a downloaded edition offline, in an empty folder, with no store', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ddor-offline-'));
    try {
      const files = readdirSync(downloads);
      for (const f of files) writeFileSync(join(empty, f), readFileSync(join(downloads, f)));
      writeFileSync(join(empty, 'publisher.pub'), readFileSync(join(keys, 'publisher.pub')));
      const clean = { DDOR_DB: '' };
      for (const f of files) {
        const r = await ddorBinary(['verify', f, '--key', 'publisher.pub'], { cwd: empty, env: clean });
        expect(r.code, `${f}: ${r.stdout}${r.stderr}`).toBe(0);
        expect(r.stdout).toContain('signature: valid, Ed25519 key');
        expect(r.stdout).toContain('verified: every file checks out');
      }
      // The PDF's attachment is the edition's JSON for any PDF reader too (poppler's pdfdetach).
      const pdf = files.find((f) => f.endsWith('.pdf'));
      if (pdf) {
        const listed = spawnSync('pdfdetach', ['-list', join(empty, pdf)], { encoding: 'utf8' });
        expect(listed.stdout).toContain('report.json');
        expect(listed.stderr).toBe('');
      }
      // Nothing was opened or created: no store at all.
      expect(readdirSync(empty).sort()).toEqual([...files, 'publisher.pub'].sort());

      // One changed figure, another key, no key: not verified.
      const json = readFileSync(join(empty, 'report.json'), 'utf8');
      writeFileSync(
        join(empty, 'changed.json'),
        json.replace('"detainers_issued": 44', '"detainers_issued": 45'),
      );
      const changed = await ddorBinary(['verify', 'changed.json', '--key', 'publisher.pub'], {
        cwd: empty,
        env: clean,
      });
      expect(changed.code).toBe(2);
      expect(changed.stdout).toMatch(/its content hashes to [0-9a-f]{64}, not the/);
      const report = JSON.parse(json);
      report.edition.note = 'forged note';
      writeFileSync(join(empty, 'note.json'), `${JSON.stringify(report, null, 2)}\n`);
      const note = await ddorBinary(['verify', 'note.json', '--key', 'publisher.pub'], {
        cwd: empty,
        env: clean,
      });
      expect(note.code).toBe(2);
      expect(note.stdout).toContain('its metadata was changed');
      mkdirSync(join(empty, 'other'));
      await ddorBinary(['key', 'create', '--out', 'other'], { cwd: empty, env: clean });
      const other = await ddorBinary(['verify', 'report.json', '--key', 'other/publisher.pub'], {
        cwd: empty,
        env: clean,
      });
      expect(other.code).toBe(2);
      expect(other.stdout).toMatch(/signed by key [0-9a-f]{64}, not by the key given/);
      const noKey = await ddorBinary(['verify', 'report.json'], { cwd: empty, env: clean });
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain('--key publisher.pub');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('ships the chain and the public key in the archive, and a mirror of it verifies', async () => {
    const site = join(dir, 'site');
    const built = await ddor(['archive', 'build', '--out', site, '--formats', 'json,html'], { env });
    expect(built.code, built.stderr).toBe(0);
    const pub = readFileSync(join(site, 'publisher.pub'), 'utf8');
    expect(pub).toBe(readFileSync(join(keys, 'publisher.pub'), 'utf8'));
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain(pub.trim().split('\n')[1]);
    const chain = await ddor(['verify', join(site, 'chain.json'), '--key', join(keys, 'publisher.pub')]);
    // The head (2017-02-11) was published unsigned: no signature covers the whole chain.
    expect(chain.code).toBe(2);
    expect(chain.stdout).toContain('the head: it is not signed');

    // A signed correction becomes the head: now the signature covers every entry before it.
    await ddor(['import', 'detainers', fixture('rules', 'corrections.csv')], { env });
    const corrected = await ddor(
      [
        'report',
        'correct',
        '--week',
        '2017-01-28',
        '--note',
        'fix',
        '--signing-key',
        join(keys, 'publisher.key'),
      ],
      { env },
    );
    expect(corrected.code, corrected.stderr).toBe(0);
    rmSync(site, { recursive: true });
    expect((await ddor(['archive', 'build', '--out', site, '--formats', 'json'], { env })).code).toBe(0);
    const mirror = await ddor([
      'verify',
      join(site, 'chain.json'),
      join(site, 'week-2017-02-11', 'edition-1', 'report.json'),
      '--chain',
      join(site, 'chain.json'),
      '--key',
      join(keys, 'publisher.pub'),
      '--allow-unsigned',
    ]);
    expect(mirror.code, mirror.stdout).toBe(0);
    expect(mirror.stdout).toContain('chain of 4 entries (3 signed, 1 unsigned), intact through entry 4');

    // The store: every link, signature, row and edition; and against the published chain file.
    const store = await ddor(
      ['verify', '--key', join(keys, 'publisher.pub'), '--chain', join(site, 'chain.json')],
      {
        env,
      },
    );
    expect(store.code, store.stdout).toBe(0);
    expect(store.stdout).toContain('chain: 4 entries (3 signed, 1 unsigned)');
    expect(store.stdout).toContain('head: recorded through entry 4');
  });
});
