/**
 * ddor's temporary files (a workbook's staging CSV, the PostgreSQL COPY
 * files): each import makes one folder in the system's temporary directory,
 * named `ddor-<pid>-<kind>-…`, and removes it on every way out (success,
 * rejection, exception, process exit). A process that was killed cannot, so
 * the next one sweeps folders whose process is gone and that have not been
 * touched for STALE_AFTER_MS; the pid in the name means a sweep never removes a
 * running import's files.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STALE_AFTER_MS = 10 * 60 * 1000;

const OURS = /^ddor-(\d+)-[a-z]+-/;
/** Folders of ddor versions before the pid was in the name: swept by age only. */
const LEGACY = /^ddor-(xlsx|pg|demo)-/;
const LEGACY_STALE_AFTER_MS = 24 * 60 * 60 * 1000;

const live = new Set<string>();
let swept = false;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, another user's
  }
}

/** The newest modification time of a folder and what is directly in it. */
function lastTouched(path: string): number {
  let newest = lstatSync(path).mtimeMs;
  try {
    for (const name of readdirSync(path)) {
      newest = Math.max(newest, lstatSync(join(path, name)).mtimeMs);
    }
  } catch {
    // a file, or unreadable: its own time is all there is
  }
  return newest;
}

/** Removes ddor temporary folders left by processes that are gone. Returns what it removed. */
export function sweepStaleTempFiles(
  options: { dir?: string; now?: number; staleAfterMs?: number } = {},
): string[] {
  const dir = options.dir ?? tmpdir();
  const now = options.now ?? Date.now();
  const staleAfter = options.staleAfterMs ?? STALE_AFTER_MS;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const ours = OURS.exec(name);
    const legacy = !ours && LEGACY.test(name);
    if (!ours && !legacy) continue;
    const path = join(dir, name);
    try {
      if (ours) {
        const pid = Number(ours[1]);
        if (pid === process.pid || processAlive(pid)) continue;
        if (now - lastTouched(path) < staleAfter) continue;
      } else if (now - lastTouched(path) < LEGACY_STALE_AFTER_MS) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** Sweeps at most once per process (the CLI calls it as it starts). */
export function sweepStaleTempFilesOnce(): void {
  if (swept) return;
  swept = true;
  sweepStaleTempFiles();
}

function removeLiveOnExit() {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
}

/**
 * A new temporary folder for this process (`ddor-<pid>-<kind>-XXXXXX`); the
 * first call in a process sweeps stale ones. Remove it with removeTempDir.
 */
export function makeTempDir(kind: string): string {
  sweepStaleTempFilesOnce();
  const dir = mkdtempSync(join(tmpdir(), `ddor-${process.pid}-${kind}-`));
  if (live.size === 0) process.on('exit', removeLiveOnExit);
  live.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
  if (live.size === 0) process.removeListener('exit', removeLiveOnExit);
}
