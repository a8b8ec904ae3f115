/**
 * The public base URL that feeds, embeds, oEmbed and citations start their URLs with: given
 * (`--public-url`, `DDOR_PUBLIC_URL`) or, by default, the address `ddor serve` listens on; only
 * an http(s) origin; a wrong one is a usage error before the server starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { parsePublicUrl } from '../../src/server/public-url.js';
import type { Store } from '../../src/store/store.js';
import { feedHead } from '../helpers/atom.js';
import { ddorInProcess } from '../helpers/cli.js';
import { storeWithEditions } from '../helpers/editions.js';
import { duckdbFactory } from '../helpers/stores.js';

describe('the public URL', () => {
  let store: Store;
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, url, cleanup } = await storeWithEditions(duckdbFactory));
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('takes an http(s) origin and nothing else', () => {
    expect(parsePublicUrl('https://ddor.example.org/')).toBe('https://ddor.example.org');
    expect(parsePublicUrl(' http://localhost:8080 ')).toBe('http://localhost:8080');
    expect(parsePublicUrl('https://[::1]:9000')).toBe('https://[::1]:9000');
    for (const bad of [
      'ddor.example.org',
      'ftp://ddor.example.org',
      'https://ddor.example.org/ddor',
      'https://a@ddor.example.org',
      'https://ddor.example.org/?x=1',
      '',
    ])
      expect(() => parsePublicUrl(bad), bad).toThrow(/not (a URL|an http\(s\) origin)/);
  });

  it('defaults to the address the server listens on, as it prints it', async () => {
    const server = await startServer(store, 0);
    try {
      expect(server.publicUrl).toBe(server.url.replace(/\/$/, ''));
      const feed = await (await fetch(`${server.url}feed.xml`)).text();
      expect(feedHead(feed).self).toBe(`${server.url}feed.xml`);
    } finally {
      await server.close();
    }
  });

  it('is the one given, or DDOR_PUBLIC_URL, whatever address the server listens on', async () => {
    const given = await startServer(store, 0, { publicUrl: 'https://news.example/' });
    try {
      expect(given.publicUrl).toBe('https://news.example');
      const feed = await (await fetch(`${given.url}feed.xml`)).text();
      expect(feedHead(feed).self).toBe('https://news.example/feed.xml');
    } finally {
      await given.close();
    }
    process.env.DDOR_PUBLIC_URL = 'https://from-env.example';
    try {
      const server = await startServer(store, 0);
      try {
        expect(server.publicUrl).toBe('https://from-env.example');
      } finally {
        await server.close();
      }
    } finally {
      delete process.env.DDOR_PUBLIC_URL;
    }
  });

  it('refuses a wrong --public-url as a usage error (exit 1) before serving', async () => {
    const run = await ddorInProcess([
      'serve',
      '--db',
      url,
      '--port',
      '0',
      '--public-url',
      'ddor.example.org/x',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--public-url "ddor.example.org/x" is not a URL');
  });
});
