import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Browser } from 'playwright-core';
import { editionDir, renderArchiveIndex } from '../render/archive.js';
import { renderFormats } from '../render/files.js';
import { allEditions, chainFile, listEditions, publisherKey } from '../report/editions.js';
import { say } from './output.js';
import { parseFormats, writeFiles } from './report.js';
import { withStore } from './store-option.js';

export function archiveCommands(getDb: () => string | undefined): Command {
  const build = new Command('build')
    .description('write a static site of every published edition, ready for any web host')
    .requiredOption('--out <dir>', 'the folder to write (created if needed)')
    .option('--formats <formats>', 'formats per edition', 'html,pdf,json,csv,xlsx,svg')
    .action(async (flags: { out: string; formats: string }) => {
      const formats = parseFormats(flags.formats);
      const { editions, list, chain, key } = await withStore(getDb(), async (store) => ({
        editions: await allEditions(store),
        list: await listEditions(store),
        chain: await chainFile(store),
        key: await publisherKey(store),
      }));
      const render = async (browser?: Browser) => {
        for (const e of editions) {
          const files = await renderFormats(e.report, formats, {
            bytes: e.bytes,
            browser,
            publicKey: e.publicKey,
          });
          writeFiles(join(flags.out, editionDir(e)), files);
          say(`wrote ${join(flags.out, editionDir(e))}/ (${Object.keys(files).length} files)`);
        }
      };
      if (formats.includes('pdf') && editions.length > 0) {
        const { withBrowser } = await import('../render/browser.js');
        await withBrowser((b) => render(b));
      } else await render();
      writeFiles(flags.out, { 'index.html': renderArchiveIndex(editions, formats, key) });
      writeFileSync(join(flags.out, 'editions.json'), `${JSON.stringify(list, null, 2)}\n`);
      // The chain, so a mirror can be checked: `ddor verify chain.json --key publisher.pub`.
      writeFileSync(join(flags.out, 'chain.json'), `${JSON.stringify(chain, null, 2)}\n`);
      if (key) writeFileSync(join(flags.out, 'publisher.pub'), key.pem);
      say(`wrote ${join(flags.out, 'index.html')}: ${editions.length} editions`);
    });
  return new Command('archive').description('the static archive of published editions').addCommand(build);
}
