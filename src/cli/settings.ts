/** `ddor settings`: the office's settings (today one: the two-person rule). */
import { Command } from 'commander';
import { usageError } from '../errors.js';
import { setTwoPersonRule, twoPersonRule } from '../report/review.js';
import { say } from './output.js';
import { withStore } from './store-option.js';

export function settingsCommands(getDb: () => string | undefined): Command {
  const rule = new Command('two-person-rule')
    .description(
      'show, or switch on or off, the rule that an edition is approved by someone other than its proposer',
    )
    .argument('[state]', 'on or off (none: show it)')
    .action(async (state: string | undefined) => {
      if (state !== undefined && state !== 'on' && state !== 'off')
        throw usageError(
          `two-person-rule ${JSON.stringify(state)}: say on or off`,
          'ddor settings two-person-rule off',
        );
      await withStore(getDb(), async (store) => {
        if (state !== undefined) {
          await setTwoPersonRule(store, state === 'on');
          say(
            state === 'on'
              ? 'two-person rule on: an edition is approved by a reviewer other than its proposer'
              : 'two-person rule off: editions may be published by one person, and say so',
          );
        }
        process.stdout.write(`two-person-rule ${(await twoPersonRule(store)) ? 'on' : 'off'}\n`);
      });
    });
  return new Command('settings').description("the office's settings").addCommand(rule);
}
