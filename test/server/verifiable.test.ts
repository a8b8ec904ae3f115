/**
 * What the web app and API give a reader to check an edition: the publisher's key at
 * /.well-known/ddor-publisher.pub, each edition's place in the chain in /api/v1/editions (and
 * the OpenAPI document), the "verified" notice on an edition's page, and the edition JSON
 * inside its downloads.
 */
import { generateKeyPairSync } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedJson } from '../../src/render/embedded.js';
import { keyIdOf } from '../../src/report/chain.js';
import { publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`verifiable editions over HTTP on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    let signedBytes: string;

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      app = createApp(store);
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('has no publisher key to serve before a signed edition', async () => {
      await publishEdition(store, weekPeriod('2017-02-04'), { now: new Date('2017-02-13T12:00:00Z') });
      const res = await app.request('/.well-known/ddor-publisher.pub');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'this store has published no signed edition',
      );
      const page = await (await app.request('/reports/week/2017-02-04')).text();
      expect(page).toContain('Verified: chain intact; published unsigned (no signing key)');
    });

    it('serves the public key, each edition in the chain, and says an edition page is verified', async () => {
      signedBytes = (
        await publishEdition(store, weekPeriod('2017-01-28'), {
          signingKey: privateKey,
          now: new Date('2017-02-14T12:00:00Z'),
        })
      ).bytes;
      const key = await app.request('/.well-known/ddor-publisher.pub');
      expect(key.status).toBe(200);
      expect(await key.text()).toBe(pem);
      expect(key.headers.get('x-ddor-key-id')).toBe(keyIdOf(publicKey));

      const editions = (await (await app.request('/api/v1/editions')).json()) as Array<
        Record<string, unknown>
      >;
      const [unsigned, signed] = editions; // newest period first: 2017-02-04, then 2017-01-28
      expect(unsigned).toMatchObject({
        sequence: 1,
        previous_entry_sha256: null,
        signature: null,
        key_id: null,
      });
      expect(signed).toMatchObject({
        sequence: 2,
        previous_entry_sha256: unsigned!.entry_sha256,
        key_id: keyIdOf(publicKey),
        signature: JSON.parse(signedBytes).edition.signature,
      });

      const page = await (await app.request('/reports/week/2017-01-28')).text();
      expect(page).toContain('Verified: signature and chain intact');
      expect(page).toContain('ddor verify report.json --key ddor-publisher.pub');
      const draft = await (await app.request('/reports/week/2017-01-28?edition=draft')).text();
      expect(draft).not.toContain('Verified:');

      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, { properties: Record<string, unknown> }> };
      };
      expect(doc.paths).toHaveProperty('/.well-known/ddor-publisher.pub');
      for (const field of ['sequence', 'entry_sha256', 'previous_entry_sha256', 'signature', 'key_id']) {
        expect(doc.components.schemas.EditionSummary!.properties).toHaveProperty(field);
        expect(doc.components.schemas.Edition!.properties).toHaveProperty(field);
      }
    });

    it('puts the edition JSON and the public key in the downloads', async () => {
      const xlsx = Buffer.from(
        await (await app.request('/api/v1/reports/week/2017-01-28.xlsx?edition=1')).arrayBuffer(),
      );
      expect(await embeddedJson('report.xlsx', xlsx)).toBe(signedBytes);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx as unknown as Parameters<typeof wb.xlsx.load>[0]);
      expect(wb.getWorksheet('ddor-edition')!.state).toBe('hidden');
      const about: string[] = [];
      wb.getWorksheet('About')!.eachRow((row) => {
        about.push(`${row.getCell(1).value}: ${row.getCell(2).value}`);
      });
      expect(about).toContain(`Publisher public key: '${pem}`); // neutralised: a PEM starts with "-"
      expect(about).toContain(`Entry SHA-256: ${JSON.parse(signedBytes).edition.entry_sha256}`);

      const html = await (await app.request('/api/v1/reports/week/2017-01-28.html?edition=1')).text();
      expect(JSON.parse(await embeddedJson('report.html', Buffer.from(html)))).toEqual(
        JSON.parse(signedBytes),
      );
      const draft = await (await app.request('/api/v1/reports/week/2017-01-28.html?edition=draft')).text();
      expect(draft).not.toContain('id="ddor-edition"');
    });
  });
}
