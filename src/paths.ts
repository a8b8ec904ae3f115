import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder (where package.json is), from source or from dist/ alike. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('ddor: cannot find the package root');
    dir = up;
  }
  root = dir;
  return dir;
}

export const dataPath = (...parts: string[]) => join(packageRoot(), 'data', ...parts);
