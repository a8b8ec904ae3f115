/** `ddor user …` and `ddor token …`: office accounts and their API tokens (README, Office mode). */
import { Command, Option } from 'commander';
import { addUser, createToken, disableUser, listTokens, listUsers, revokeToken } from '../auth/accounts.js';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { ROLES } from '../domain/roles.js';
import { usageError } from '../errors.js';
import { printList, say } from './output.js';
import { withStore } from './store-option.js';

/** All of stdin, less one trailing line break (`echo … | ddor user add NAME --password-stdin`). */
async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done();
          reject(usageError('cancelled: no user was added'));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? [...value].slice(0, -1).join('') : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function newPassword(name: string, fromStdin: boolean): Promise<string> {
  if (fromStdin) return passwordFromStdin();
  if (!process.stdin.isTTY) {
    throw usageError(
      'no terminal to ask for the password on',
      'Pipe it in with --password-stdin (e.g. from a password manager), or run the command in a terminal.',
    );
  }
  const first = await askHidden(`Password for ${name} (at least ${MIN_PASSWORD_LENGTH} characters): `);
  const again = await askHidden('The same password again: ');
  if (first !== again)
    throw usageError('the two passwords differ: no user was added', 'Run the command again.');
  return first;
}

export function userCommands(getDb: () => string | undefined): Command {
  const add = new Command('add')
    .description('add a staff account (asks for its password on a terminal)')
    .argument(
      '<name>',
      'the login: lower-case letters, digits, ".", "_", "-" (a staff name, never a detained person)',
    )
    .addOption(new Option('--role <role>', 'what the user may do').choices([...ROLES]).makeOptionMandatory())
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .action(async (name: string, flags: { role: string; passwordStdin?: boolean }) => {
      const password = await newPassword(name, flags.passwordStdin ?? false);
      await withStore(getDb(), (store) => addUser(store, name, flags.role, password));
      process.stdout.write(`user ${name} added (${flags.role})\n`);
    });
  const list = new Command('list')
    .description('every account: name, role, created, disabled, active tokens')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const users = await withStore(getDb(), (store) => listUsers(store));
      printList(
        users,
        flags.json,
        'No accounts: ddor runs as a single-user tool. Add the first admin with\n  ddor user add NAME --role admin',
        (u) =>
          `${u.name}\t${u.role}\t${u.disabled_at ? `disabled ${u.disabled_at}` : 'active'}\tcreated ${u.created_at}\t${u.active_tokens} active tokens`,
      );
    });
  const disable = new Command('disable')
    .description('disable an account: it can no longer sign in or use its tokens; its sessions end')
    .argument('<name>', 'the user')
    .action(async (name: string) => {
      await withStore(getDb(), (store) => disableUser(store, name));
      process.stdout.write(`user ${name} disabled\n`);
    });
  return new Command('user')
    .description('office accounts (see README, Office mode)')
    .addCommand(add)
    .addCommand(list)
    .addCommand(disable);
}

export function tokenCommands(getDb: () => string | undefined): Command {
  const create = new Command('create')
    .description('create an API bearer token for a user; printed once, only its SHA-256 is kept')
    .argument('<name>', 'the user the token acts as')
    .option('--label <text>', 'what the token is for (e.g. "nightly import")')
    .action(async (name: string, flags: { label?: string }) => {
      const { tokenId, token } = await withStore(getDb(), (store) =>
        createToken(store, name, flags.label ?? null),
      );
      say(`token ${tokenId} for ${name}: shown this once; ddor keeps only its SHA-256.`);
      say(`Use it as: Authorization: Bearer <token>; revoke it with: ddor token revoke ${tokenId}`);
      process.stdout.write(`${token}\n`);
    });
  const list = new Command('list')
    .description('every token: id, user, label, created, revoked (never the token)')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const tokens = await withStore(getDb(), (store) => listTokens(store));
      printList(
        tokens,
        flags.json,
        'No tokens.',
        (t) =>
          `${t.token_id}\t${t.user_name}\t${t.label ?? ''}\tcreated ${t.created_at}\t${t.revoked_at ? `revoked ${t.revoked_at}` : 'active'}`,
      );
    });
  const revoke = new Command('revoke')
    .description('revoke a token: requests bearing it get 401')
    .argument('<id>', 'the token id (from `ddor token create` or `ddor token list`)')
    .action(async (id: string) => {
      await withStore(getDb(), (store) => revokeToken(store, id));
      process.stdout.write(`token ${id} revoked\n`);
    });
  return new Command('token')
    .description('API bearer tokens of office accounts')
    .addCommand(create)
    .addCommand(list)
    .addCommand(revoke);
}
