/** `ddor key create`: the publisher's Ed25519 key pair; and reading the signing key for publish and correct. */

import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { usageError } from '../errors.js';
import { keyIdOf } from '../report/chain.js';
import { say } from './output.js';

export const PRIVATE_KEY_FILE = 'publisher.key';
export const PUBLIC_KEY_FILE = 'publisher.pub';

export function keyCommands(): Command {
  const create = new Command('create')
    .description(
      'make an Ed25519 key pair to sign editions: DIR/publisher.key (private) and DIR/publisher.pub',
    )
    .requiredOption('--out <dir>', 'the folder to write the two files into (created if needed)')
    .action((flags: { out: string }) => {
      const privatePath = join(flags.out, PRIVATE_KEY_FILE);
      const publicPath = join(flags.out, PUBLIC_KEY_FILE);
      for (const path of [privatePath, publicPath]) {
        if (existsSync(path))
          throw usageError(
            `${path} already exists`,
            'A key is never overwritten: editions signed with it could no longer be checked against a new one. Choose another --out folder.',
          );
      }
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      mkdirSync(flags.out, { recursive: true });
      writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
      chmodSync(privatePath, 0o600); // whatever the umask
      writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }), {
        mode: 0o644,
        flag: 'wx',
      });
      say(`wrote ${privatePath} (private: keep it off the server and out of the store; owner-only)`);
      say(`wrote ${publicPath} (public: publish it beside your editions)`);
      process.stdout.write(`${keyIdOf(publicKey)}\n`);
    });
  return new Command('key').description("the publisher's signing key").addCommand(create);
}

/**
 * The signing key named by `--signing-key` or `DDOR_SIGNING_KEY`; undefined when neither is
 * given (editions are then published unsigned). A key readable by others is used, with a warning.
 */
export function signingKeyFrom(flag: string | undefined): KeyObject | undefined {
  const path = flag ?? process.env.DDOR_SIGNING_KEY;
  if (!path) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(
      `cannot read the signing key ${path}: ${error instanceof Error ? error.message : error}`,
      'Name the private key file that `ddor key create --out DIR` wrote (DIR/publisher.key), with --signing-key or DDOR_SIGNING_KEY.',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw usageError(
      `${path} is not a private key`,
      'Give the private key (publisher.key), not the public one (publisher.pub).',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw usageError(
      `${path} is a ${key.asymmetricKeyType} key, not Ed25519`,
      'Make one with `ddor key create --out DIR`.',
    );
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
    say(`warning: ${path} can be read by other users; run chmod 600 ${path}`);
  return key;
}
