/**
 * Safe by default (issue 10): every response — each page type, each API route, errors,
 * downloads, the island — carries the security headers; a method a route does not take
 * is 405 with Allow, an over-long URL 414 and over-long headers 431, all in the one error
 * shape; HOST picks the address; SIGTERM closes the server and releases the store.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import { MAX_HEADER_BYTES } from '../../src/server/security.js';
import { openStore, type Store } from '../../src/store/store.js';
import { BIN } from '../helpers/cli.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

function expectSecurityHeaders(res: Response, what: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("default-src 'none'");
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp, what).toMatch(/frame-ancestors '(none|self)'/);
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-frame-options'), what).toMatch(/^(DENY|SAMEORIGIN)$/);
}

async function expectErrorShape(res: Response, status: number) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body.error)).toEqual(['status', 'code', 'message', 'hint']);
  expect(body.error.status).toBe(status);
  return body.error;
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`security headers and refusals on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      await publishEdition(store, weekPeriod('2017-01-28'), { now: new Date('2017-02-06T12:00:00Z') });
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('puts them on every page type, API route, download and error', async () => {
      const paths = [
        '/',
        '/reports/week/2017-01-28?edition=1',
        '/reports/week/2017-02-04?edition=draft',
        '/editions',
        '/counties/48453',
        '/policies?state=CA',
        '/trends',
        '/quality',
        '/sign-in',
        '/api/v1/reports/week/2017-01-28',
        '/api/v1/reports/week/2017-01-28.csv',
        '/api/v1/reports/week/2017-01-28.md',
        '/api/v1/reports/week/2017-01-28.html',
        '/api/v1/reports/week/2017-01-28.svg',
        '/api/v1/editions',
        '/api/v1/jurisdictions/48453',
        '/api/v1/openapi.json',
        '/.well-known/ddor-publisher.pub',
        '/assets/map.js',
        '/nowhere',
        '/api/v1/nowhere',
        '/api/v1/reports/week/2017-01-29',
      ];
      for (const path of paths) expectSecurityHeaders(await app.request(path), path);
      const again = await app.request('/api/v1/reports/week/2017-01-28?edition=1');
      const notModified = await app.request('/api/v1/reports/week/2017-01-28?edition=1', {
        headers: { 'If-None-Match': again.headers.get('etag')! },
      });
      expect(notModified.status).toBe(304);
      expectSecurityHeaders(notModified, '304');
      // The API is read from anywhere; the pages are not resources for other sites.
      expect(again.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect((await app.request('/')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });

    it('answers a method a route does not take with 405 and Allow, in the error shape', async () => {
      const csrf = 'c'.repeat(43);
      const headers = { Cookie: `ddor_csrf=${csrf}`, 'X-CSRF-Token': csrf };
      for (const [method, path] of [
        ['POST', '/api/v1/reports/week/2017-01-28'],
        ['DELETE', '/api/v1/editions'],
        ['PUT', '/reports/week/2017-01-28'],
        ['POST', '/'],
      ] as const) {
        // With the CSRF pair a browser's form would carry (else the CSRF check refuses it first, 403).
        const res = await app.request(path, { method, headers });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow'), path).toBe('GET, HEAD');
        expectSecurityHeaders(res, `${method} ${path}`);
        if (path.startsWith('/api/')) await expectErrorShape(res, 405);
      }
      // A path no route takes stays 404.
      expect((await app.request('/api/v1/nowhere', { method: 'POST', headers })).status).toBe(404);
    });

    it('answers an over-long URL with 414 in the error shape', async () => {
      const res = await app.request(`/api/v1/editions?x=${'a'.repeat(10_000)}`);
      const error = await expectErrorShape(res, 414);
      expect(error.code).toBe('uri_too_long');
    });
  });
}

describe('the server socket', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await storeWithRulesFixture());
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('answers over-long headers with 431 in the error shape, not an empty reply', async () => {
    const server = await startServer(store, 0);
    try {
      const { status, headers, body } = await new Promise<{
        status: number;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        const req = request(
          `${server.url}api/v1/editions`,
          { headers: { 'X-Long': 'a'.repeat(MAX_HEADER_BYTES + 100) } },
          (res) => {
            let text = '';
            res.on('data', (d) => {
              text += d;
            });
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(431);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-content-type-options']).toBe('nosniff');
      const error = (JSON.parse(body) as { error: Record<string, unknown> }).error;
      expect(Object.keys(error)).toEqual(['status', 'code', 'message', 'hint']);
      expect(error.status).toBe(431);
      // The server goes on answering.
      expect((await fetch(`${server.url}api/v1/editions`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('listens on loopback by default and on HOST when it is set', async () => {
    const before = process.env.HOST;
    try {
      delete process.env.HOST;
      const loopback = await startServer(store, 0);
      expect(loopback.url).toMatch(/^http:\/\/localhost:\d+\/$/);
      await loopback.close();
      process.env.HOST = '127.0.0.2';
      const other = await startServer(store, 0);
      try {
        expect(other.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
        expect((await fetch(`${other.url}api/v1/editions`)).status).toBe(200);
        // Not on 127.0.0.1.
        await expect(fetch(other.url.replace('127.0.0.2', '127.0.0.1'))).rejects.toThrow();
      } finally {
        await other.close();
      }
    } finally {
      if (before === undefined) delete process.env.HOST;
      else process.env.HOST = before;
    }
  });

  it('closes the server and the store on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddor-sigterm-'));
    try {
      const db = join(dir, 'store.duckdb');
      const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          const m = /http:\/\/\S+/.exec(String(d));
          if (m) resolve(m[0]);
        });
        child.on('exit', () => reject(new Error(`ddor serve exited: ${stderr}`)));
      });
      expect((await fetch(`${url}api/v1/editions`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('SIGTERM');
      // The store's lock is released: this process can open it.
      const reopened = await openStore(db);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
