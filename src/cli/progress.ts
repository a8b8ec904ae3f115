import cliProgress from 'cli-progress';
import type { ImportPhase } from '../ingest/import.js';

const STEPS: ImportPhase[] = ['reading', 'validating', 'writing', 'done'];

/** A phase bar for imports on a terminal; silent when stderr is not a TTY (pipes, CI, tests). */
export function importProgress(file: string): {
  onPhase: (p: ImportPhase) => void;
  onRows: (n: number) => void;
  stop: () => void;
} {
  if (!process.stderr.isTTY) return { onPhase: () => {}, onRows: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${file} [{bar}] {phase} {duration}s`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(STEPS.length, 0, { phase: 'reading' });
  return {
    onPhase: (phase) => bar.update(STEPS.indexOf(phase) + 1, { phase }),
    onRows: (n) => bar.update({ phase: `reading (${n.toLocaleString('en-US')} rows)` }),
    stop: () => bar.stop(),
  };
}
