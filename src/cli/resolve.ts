import { Command } from 'commander';
import { facilityQueue, facilityRegistry, importResolutions, resolveFacility } from '../ingest/facilities.js';
import { printList, say } from './output.js';
import { withStore } from './store-option.js';

/** How a facility got its county, as `resolve list --all` says it. */
const RESOLVED_BY: Record<string, string> = {
  code: 'by code (agency registry)',
  place: 'by place (its city lies in one county)',
  facility_name: 'by facility name (its city spans counties; its name names one of them)',
  manual: 'by hand (ddor resolve)',
};

export function resolveCommands(getDb: () => string | undefined): Command {
  const list = new Command('list')
    .description('facilities waiting for a county: their key, city, candidates and record count')
    .option('--json', 'print JSON instead of a table')
    .option('--all', 'every facility of the registry, with its county and how it was attributed')
    .action(async (flags: { json?: boolean; all?: boolean }) => {
      if (flags.all) {
        const all = await withStore(getDb(), (store) => facilityRegistry(store));
        printList(
          all,
          flags.json,
          'The registry holds no facility yet.',
          (f) =>
            `${f.facility_key}\n  ${f.name}, ${f.city ?? '?'}, ${f.state} — ${f.records} records — ${f.county ? `${f.county} ${RESOLVED_BY[f.resolved_by] ?? f.resolved_by}` : `queued: ${f.candidates ?? ''}`}`,
        );
        return;
      }
      const queue = await withStore(getDb(), (store) => facilityQueue(store));
      printList(
        queue,
        flags.json,
        'The resolution queue is empty: every facility has a county.',
        (f) =>
          `${f.facility_key}\n  ${f.name}, ${f.city ?? '?'}, ${f.state} — ${f.records} records — ${f.candidates ?? ''}`,
      );
      if (flags.json || queue.length === 0) return;
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
