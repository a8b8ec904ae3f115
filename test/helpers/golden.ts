/**
 * Golden files (after Observable Framework): the expected output lives in
 * test/golden/output. A missing file is written on a developer's machine and
 * fails under CI=true; UPDATE_GOLDEN=1 rewrites them after a deliberate change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export function expectGolden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(`../golden/output/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1' || (!existsSync(path) && process.env.CI !== 'true')) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path))
    throw new Error(`golden file ${name} is missing (run the tests locally to write it)`);
  expect(actual, `output differs from test/golden/output/${name}`).toBe(readFileSync(path, 'utf8'));
}
