import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { ddorInProcess as ddor, ddor as ddorBinary } from '../helpers/cli.js';
import { csvFile, DETAINER_HEADER, detainerRow } from '../helpers/csv.js';
import { fixture } from '../helpers/fixtures.js';

function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

// The commands run in this process (ddorInProcess): the same parsing, output and exit codes
// as the binary. Only a closed pipe and a lock held by another process need a real `ddor`.
describe('ddor command line', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ddor-cli-'));
    env = { DDOR_DB: join(dir, 'cli.duckdb') };
    expect((await ddor(['import', 'policies', fixture('rules', 'policies.csv')], { env })).code).toBe(0);
    const imported = await ddor(['import', 'detainers', fixture('rules', 'detainers.csv')], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /detainers\.csv: 50 rows read, 50 new, 0 updated, 0 unchanged — import #2/,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only the report JSON on stdout', async () => {
    const r = await ddor(['report', 'build', '--week', '2017-01-28', '--format', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.schema).toBe('ddor.report/v1');
    expect(report.totals.detainers_issued).toBe(44);
    const golden = readFileSync(
      fixture('..', 'golden', 'output', 'rules-week-2017-01-28', 'report.json'),
      'utf8',
    );
    expect(r.stdout).toBe(golden);
  });

  it('stops quietly when its reader closes the pipe early (| head)', async () => {
    const { spawn: run } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const child = run(
      process.execPath,
      [BIN, 'report', 'build', '--week', '2017-01-28', '--format', 'html'],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });

  it('writes csv and md files into --out', async () => {
    const out = join(dir, 'out');
    const r = await ddor(['report', 'build', '--week', '2017-01-28', '--format', 'csv,md', '--out', out], {
      env,
    });
    expect(r.code).toBe(0);
    for (const f of ['section1.csv', 'section2.csv', 'section3.csv', 'report.md'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(r.stderr).toContain(`wrote ${join(out, 'section2.csv')}`);
  });

  it('writes html, svg and xlsx files', async () => {
    const out = join(dir, 'pub');
    const r = await ddor(
      ['report', 'build', '--week', '2017-01-28', '--format', 'html,svg,xlsx', '--out', out],
      { env },
    );
    expect(r.code).toBe(0);
    for (const f of ['report.html', 'map.svg', 'report.xlsx']) expect(existsSync(join(out, f))).toBe(true);
    const svg = await ddor(['report', 'build', '--week', '2017-01-28', '--format', 'svg'], { env });
    expect(svg.stdout).toMatch(/^<svg /);
  });

  it('publishes, shows and archives editions', async () => {
    const published = await ddor(['report', 'publish', '--week', '2017-01-28', '--note', 'weekly'], { env });
    expect(published.code).toBe(0);
    expect(published.stderr).toMatch(
      /published edition 1 of 2017-01-28\.\.2017-02-03 \(sha256 [0-9a-f]{64}\)/,
    );
    const shown = await ddor(['report', 'show', '--week', '2017-01-28', '--edition', '1'], { env });
    expect(shown.stdout).toBe(published.stdout);
    expect(JSON.parse(shown.stdout).edition).toMatchObject({ number: 1, note: 'weekly' });

    const again = await ddor(['report', 'publish', '--week', '2017-01-28'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ddor report correct');
    expect((await ddor(['report', 'correct', '--week', '2017-01-28'], { env })).code).toBe(1);
    const missing = await ddor(['report', 'show', '--week', '2017-02-04'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no published edition');

    const list = JSON.parse((await ddor(['report', 'editions', '--json'], { env })).stdout);
    expect(list).toEqual([
      expect.objectContaining({
        number: 1,
        period: { start: '2017-01-28', end: '2017-02-03', kind: 'week' },
      }),
    ]);

    const site = join(dir, 'site');
    const archived = await ddor(['archive', 'build', '--out', site, '--formats', 'html,json,csv'], { env });
    expect(archived.code).toBe(0);
    expect(readFileSync(join(site, 'week-2017-01-28', 'edition-1', 'report.json'), 'utf8')).toBe(
      published.stdout,
    );
    expect(existsSync(join(site, 'week-2017-01-28', 'edition-1', 'section2.csv'))).toBe(true);
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    expect(index).toContain('href="week-2017-01-28/edition-1/report.html"');
    expect(JSON.parse(readFileSync(join(site, 'editions.json'), 'utf8'))).toHaveLength(1);
  });

  it('exits 1 on a usage error, with a hint', async () => {
    const notSaturday = await ddor(['report', 'build', '--week', '2017-02-01'], { env });
    expect(notSaturday.code).toBe(1);
    expect(notSaturday.stderr).toContain(
      'hint: The week containing 2017-02-01 starts on Saturday 2017-01-28',
    );
    expect((await ddor(['report', 'build', '--week', '2017-01-28', '--format', 'docx'], { env })).code).toBe(
      1,
    );
    expect((await ddor(['report', 'build', '--bogus'], { env })).code).toBe(1);
    expect(
      (await ddor(['report', 'build', '--week', '2017-01-28', '--decline-basis', 'x'], { env })).code,
    ).toBe(1);
  });

  it('exits 2 on rejected input, naming file and line, and writes the rejects CSV', async () => {
    const file = csvFile([
      DETAINER_HEADER,
      detainerRow('C1'),
      detainerRow('C2', { county_fips: '', county: 'Baltimore', state: 'MD' }),
    ]);
    const r = await ddor(['import', 'detainers', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3, column county: ambiguous county name in MD`);
    expect(r.stderr).toContain('nothing was imported');
    expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toContain('ambiguous county name');
    const after = await ddor(['imports', '--json'], { env });
    expect(JSON.parse(after.stdout)).toHaveLength(2);
  });

  it('imports several files all or nothing', async () => {
    const good = csvFile([DETAINER_HEADER, detainerRow('G1')]);
    const bad = csvFile([DETAINER_HEADER, detainerRow('G2', { outcome: 'maybe' })]);
    const r = await ddor(['import', 'detainers', good, bad], { env });
    expect(r.code).toBe(2);
    expect(JSON.parse((await ddor(['imports', '--json'], { env })).stdout)).toHaveLength(2);
  });

  it('lists quarantined rows after --accept-partial', async () => {
    const file = csvFile([DETAINER_HEADER, detainerRow('Q9'), detainerRow('Q10', { state: 'Atlantis' })]);
    const r = await ddor(['import', 'detainers', file, '--accept-partial', '--no-rejects'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 new');
    expect(r.stdout).toContain('1 rejected');
    const list = await ddor(['quarantine', 'list', '--json'], { env });
    const rows = JSON.parse(list.stdout);
    expect(rows).toEqual([
      expect.objectContaining({ line: 3, column_name: 'state', value: 'Atlantis', reason: 'unknown state' }),
    ]);
    expect(rows[0].record.detainer_id).toBe('Q10');
  });

  it('exits 3 with a hint when the DuckDB store is locked by another process', async () => {
    const db = join(dir, 'locked.duckdb');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(db)}); console.log('ready'); setTimeout(() => {}, 60000);`,
      ],
      { cwd: fixture('..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
    });
    try {
      const r = await ddorBinary(['--db', db, 'imports']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/is locked by another process \(PID \d+\)/);
      expect(r.stderr).toContain('hint: DuckDB lets one process open a store file at a time');
    } finally {
      holder.kill();
    }
  });

  it('exits 3 when PostgreSQL cannot be reached', async () => {
    const r = await ddor(['--db', 'postgres://nobody@127.0.0.1:1/none', 'imports']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot reach the PostgreSQL store');
    expect(r.stderr).toContain('hint:');
  });

  it('has --help on every command', async () => {
    const paths = commandPaths(await buildProgram());
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining([
        'import detainers',
        'import policies',
        'report build',
        'quarantine list',
        'imports',
        'demo',
        'start',
      ]),
    );
    for (const path of [[], ...paths]) {
      const r = await ddor([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: ddor ${path.join(' ')}`.trim());
    }
  });
});
