import { fileURLToPath } from 'node:url';

export const fixture = (...parts: string[]) =>
  fileURLToPath(new URL(`../fixtures/${parts.join('/')}`, import.meta.url));
