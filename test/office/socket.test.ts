/**
 * The CLI while `ddor serve` holds a DuckDB store (issue 11, item 6), with real
 * processes: the server's socket beside the store is its owner's only; `ddor
 * import` succeeds while the server runs and the server shows the new rows at
 * once; a refused import says what the CLI always says and changes nothing; the
 * CLI's output equals the server's; the audit names the local OS user. Then the
 * failures: a client killed with SIGKILL inside a transaction leaves nothing
 * behind, and a server killed with SIGKILL leaves a socket the next command
 * sees through, opening the file itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detainerSpec } from '../../src/ingest/detainers.js';
import { importFile } from '../../src/ingest/import.js';
import { openStore } from '../../src/store/store.js';
import { BIN, ddor } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const HEADER =
  'detainer_id,issued_date,form,aor,agency,agency_code,city,county_fips,county,state,citizenship,criminal_activity,outcome,declined_date,recorded_date,released_by_agency,released_by_city,released_by_county_fips,released_by_county,released_by_state,source';
const row = (id: string, issued = '2017-01-30') =>
  `${id},${issued},I-247D,SNA,Travis County Jail,,Austin,48453,,TX,Mexico,,declined,2017-02-01,,,,,,,lea_notice`;
const REMOTE = fileURLToPath(new URL('../../dist/src/store/duckdb/remote.js', import.meta.url));

interface Served {
  child: ChildProcess;
  url: string;
}

/** Starts `ddor serve` on the store and waits for its URL and socket. */
function serve(db: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let url = '';
    const ready = () => {
      if (url && err.includes('carried out by this server')) resolve({ child, url });
    };
    child.stdout!.on('data', (d) => {
      url ||= String(d).trim().split('\n')[0]!;
      ready();
    });
    child.stderr!.on('data', (d) => {
      err += d;
      ready();
    });
    child.on('exit', (code) => reject(new Error(`ddor serve exited ${code}: ${err}`)));
  });
}

const totals = async (url: string) =>
  (
    (await (await fetch(`${url}api/v1/reports/week/2017-01-28?edition=draft`)).json()) as {
      totals: { detainers_issued: number };
    }
  ).totals.detainers_issued;

describe('ddor commands while ddor serve holds the DuckDB store', () => {
  let dir: string;
  let db: string;
  let server: Served;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ddor-socket-'));
    db = join(dir, 'store.duckdb');
    const store = await openStore(db);
    await importFile(store, detainerSpec, fixture('rules', 'detainers.csv'), { rejectsPath: false });
    await store.close();
    server = await serve(db);
  }, 60_000);

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes a socket beside the store that only the store's owner can use", () => {
    const st = statSync(`${db}.sock`);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
  });

  it('imports while the server runs; the server shows the rows at once; the audit names the OS user', async () => {
    const before = await totals(server.url);
    const file = join(dir, 'more.csv');
    writeFileSync(file, `${HEADER}\n${row('SOCK1')}\n${row('SOCK2')}\n`);
    const result = await ddor(['import', 'detainers', file, '--db', db]);
    expect(result.stderr).not.toContain('locked');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 rows read, 2 new, 0 updated, 0 unchanged — import #2/);
    expect(await totals(server.url)).toBe(before + 2);
    const audit = await ddor(['audit', 'list', '--db', db, '--json', '--action', 'import.detainers']);
    const rows = JSON.parse(audit.stdout) as Array<{ actor: string; via: string; target: string }>;
    expect(rows.at(-1)).toMatchObject({
      actor: `cli:${userInfo().username}`,
      via: 'cli',
      target: 'more.csv',
    });
  }, 60_000);

  it('refuses a bad file as the CLI always does, and changes nothing', async () => {
    const before = await totals(server.url);
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${HEADER}\n${row('SOCK3')}\n${row('SOCK4', '2017-02-31')}\n`);
    const result = await ddor(['import', 'detainers', file, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.csv:3, column issued_date: impossible date');
    expect(await totals(server.url)).toBe(before);
  }, 60_000);

  it("prints the same report bytes as the server's API", async () => {
    const cli = await ddor(['report', 'build', '--week', '2017-01-28', '--format', 'json', '--db', db]);
    expect(cli.code).toBe(0);
    const api = await (await fetch(`${server.url}api/v1/reports/week/2017-01-28?edition=draft`)).text();
    expect(cli.stdout).toBe(api);
  }, 60_000);

  it('rolls back the transaction of a client killed with SIGKILL', async () => {
    const script = `
      import { RemoteDuckSession } from ${JSON.stringify(REMOTE)};
      const s = await RemoteDuckSession.connect(${JSON.stringify(`${db}.sock`)});
      await s.run('BEGIN TRANSACTION');
      await s.run("INSERT INTO users (name, role, password_hash, created_at) VALUES ('half.done', 'admin', 'x', CURRENT_TIMESTAMP)");
      const [r] = await s.all("SELECT count(*) AS n FROM users WHERE name = 'half.done'");
      process.stdout.write('inside ' + r.n + '\\n');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const seen = await new Promise<string>((resolve) =>
      child.stdout!.once('data', (d) => resolve(String(d))),
    );
    expect(seen.trim()).toBe('inside 1');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The server closes the dead client's connection; DuckDB drops its transaction.
    let listed = '';
    for (let i = 0; i < 50; i++) {
      listed = (await ddor(['user', 'list', '--db', db])).stdout;
      if (!listed.includes('half.done')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).not.toContain('half.done');
  }, 60_000);

  it('sees through the socket of a server killed with SIGKILL and opens the file itself', async () => {
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    expect(statSync(`${db}.sock`).isSocket()).toBe(true);
    const result = await ddor(['imports', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('more.csv');
    // A new server takes the place of the stale socket.
    server = await serve(db);
    expect((await ddor(['imports', '--db', db])).stdout).toContain('more.csv');
  }, 60_000);
});
