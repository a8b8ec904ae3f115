/** After Datasette: a command or option that is not in the README fails the build. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function walk(cmd: Command, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
  return cmd.commands.flatMap((c) => [
    { path: [...path, c.name()], cmd: c },
    ...walk(c, [...path, c.name()]),
  ]);
}

const program = await buildProgram();

describe('README', () => {
  const commands = walk(program).filter(({ cmd }) => cmd.name() !== 'help');

  it('documents every command', () => {
    for (const { path } of commands)
      expect(readme, `ddor ${path.join(' ')}`).toContain(`ddor ${path.join(' ')}`);
  });

  it('documents every option', () => {
    for (const { path, cmd } of [{ path: [], cmd: program }, ...commands]) {
      for (const option of cmd.options) {
        if (option.long === '--help') continue;
        expect(readme, `${path.join(' ')} ${option.long}`).toContain(`\`${option.long}`);
      }
    }
  });

  it('documents the environment variables the code reads', () => {
    for (const name of ['DDOR_DB', 'DDOR_TRACE', 'DDOR_TEST_PG', 'UPDATE_GOLDEN', 'DDOR_CHROMIUM', 'PORT'])
      expect(readme).toContain(`\`${name}`);
  });
});
