import { join } from 'node:path';
import { Command } from 'commander';
import { DEMO_START, DEMO_WEEKS } from '../demo/generate.js';
import { loadDemo } from '../demo/load.js';
import { renderFormats } from '../render/files.js';
import { buildReport } from '../report/build.js';
import { addDays, lastWeekEndingBy, periodSlug } from '../report/period.js';
import { detainerCount, latestIssuedDate } from '../report/queries.js';
import type { Store } from '../store/store.js';
import { say } from './output.js';
import { writeFiles } from './report.js';
import { withStore } from './store-option.js';

/** `npm start` and `serve --demo-if-empty`: the demo data goes into a store that holds no detainer, and only there. */
export async function loadDemoIfEmpty(store: Store): Promise<void> {
  if ((await detainerCount(store)) > 0) return;
  say(`The store ${store.location} is empty: loading the demo data (synthetic, labelled DEMO)…`);
  await loadDemo(store);
}

export function demoCommand(getDb: () => string | undefined): Command {
  return new Command('demo')
    .description(
      `load the bundled demo data (synthetic detainers ${DEMO_START} to ${addDays(DEMO_START, DEMO_WEEKS * 7 - 1)} and real policies)`,
    )
    .action(async () => {
      await withStore(getDb(), async (store) => {
        for (const s of await loadDemo(store)) {
          say(
            `demo ${s.kind}: ${s.inserted.toLocaleString('en-US')} new, ${s.updated} updated, ${s.unchanged.toLocaleString('en-US')} unchanged`,
          );
        }
      });
    });
}

/** `npm start`: demo data into an empty store, then the latest week's report, and where it is. */
export function startCommand(getDb: () => string | undefined): Command {
  return new Command('start')
    .description(
      "load the demo data into an empty store and build the latest week's report (what `npm start` runs)",
    )
    .option('--out <dir>', 'where to write the report (default: reports/PERIOD)')
    .action(async (flags: { out?: string }) => {
      await withStore(getDb(), async (store) => {
        await loadDemoIfEmpty(store);
        // The latest complete Saturday–Friday week in the data.
        const period = lastWeekEndingBy(String(await latestIssuedDate(store)));
        const report = await buildReport(store, period);
        const dir = flags.out ?? join('reports', periodSlug(period));
        const paths = writeFiles(
          dir,
          await renderFormats(report, ['json', 'md', 'csv', 'html', 'xlsx', 'svg']),
        );
        say(`\n${report.title}`);
        say(
          `  ${report.totals.detainers_issued.toLocaleString('en-US')} detainers issued, ${report.totals.declined.toLocaleString('en-US')} declined${report.demo ? ' (DEMO DATA)' : ''}`,
        );
        say(`Report written to ${dir}/:`);
        for (const p of paths) say(`  ${p}`);
        say(`Try: npx ddor report build --week ${period.start} --format md`);
      });
    });
}
