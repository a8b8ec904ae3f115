import { Command } from 'commander';
import { facilityQueue, importResolutions, resolveFacility } from '../ingest/facilities.js';
import { say } from './output.js';
import { withStore } from './store-option.js';

export function resolveCommands(getDb: () => string | undefined): Command {
  const list = new Command('list')
    .description('facilities waiting for a county: their key, city, candidates and record count')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const queue = await withStore(getDb(), (store) => facilityQueue(store));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(queue, null, 2)}\n`);
        return;
      }
      if (queue.length === 0) {
        process.stdout.write('The resolution queue is empty: every facility has a county.\n');
        return;
      }
      for (const f of queue) {
        process.stdout.write(
          `${f.facility_key}\n  ${f.name}, ${f.city ?? '?'}, ${f.state} — ${f.records} records — ${f.candidates ?? ''}\n`,
        );
      }
      say(`Resolve one with: ddor resolve set KEY --county-fips FIPS`);
    });
  const set = new Command('set')
    .description('attribute a facility (and every record of it) to a county')
    .argument('<facility>', 'the registry key from `ddor resolve list`, or a facility code')
    .requiredOption('--county-fips <fips>', 'the 5-digit county FIPS code')
    .action(async (facility: string, flags: { countyFips: string }) => {
      const r = await withStore(getDb(), (store) => resolveFacility(store, facility, flags.countyFips));
      process.stdout.write(`${r.key} → ${r.county}: ${r.records} records follow\n`);
    });
  const importCmd = new Command('import')
    .description('resolve many facilities from a CSV with columns facility and county_fips (all or nothing)')
    .argument('<file>', 'CSV file')
    .action(async (file: string) => {
      const n = await withStore(getDb(), (store) => importResolutions(store, file));
      process.stdout.write(`${n} facilities resolved\n`);
    });
  return new Command('resolve')
    .description('the facility resolution queue')
    .addCommand(list)
    .addCommand(set)
    .addCommand(importCmd);
}
