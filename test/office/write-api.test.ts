/**
 * The write API (issue 11), on both stores, attacked as a stranger, as each role,
 * with a disabled user's token and a revoked one: the role matrix walks every
 * write operation of the OpenAPI document (a new one without a case here fails
 * the test) and asserts 401 / 403 / 2xx exactly, and that each accepted write
 * leaves exactly one audit row and each refused one none. Then the promises one
 * by one: an upload with one bad row changes nothing and names the row; a stale
 * If-Match gets 412 naming what changed, and of two concurrent writes on one
 * version exactly one wins; the proposer cannot approve; an approval publishes
 * exactly what was proposed, naming both people.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken, disableUser, revokeToken, signIn } from '../../src/auth/accounts.js';
import { may, type Permission, type Role } from '../../src/domain/roles.js';
import { createJob, failOrphanedJobs, jobNamed } from '../../src/ingest/jobs.js';
import { fileDispute } from '../../src/report/disputes.js';
import { addDays, weekPeriod } from '../../src/report/period.js';
import { propose } from '../../src/report/review.js';
import { createApp } from '../../src/server/app.js';
import { actingAs } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/store.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const PASSWORD = 'correct horse battery staple';
const HEADER =
  'detainer_id,issued_date,form,aor,agency,agency_code,city,county_fips,county,state,citizenship,criminal_activity,outcome,declined_date,recorded_date,released_by_agency,released_by_city,released_by_county_fips,released_by_county,released_by_state,source';
const row = (id: string, issued = '2017-01-30') =>
  `${id},${issued},I-247D,SNA,Travis County Jail,,Austin,48453,,TX,Mexico,,declined,2017-02-01,,,,,,,lea_notice`;

/** Writes anyone may make, signed in or not. */
const PUBLIC_WRITES = ['POST /api/v1/disputes'];

type Credential = 'none' | 'disabled' | 'revoked' | Role;
const CREDENTIALS: Credential[] = ['none', 'disabled', 'revoked', 'analyst', 'reviewer', 'admin'];

interface Case {
  permission: Permission;
  /** Builds one fresh, valid request (state it needs is created here). */
  prepare: () => Promise<{ path: string; init: RequestInit }>;
}

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`write API on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let url: string;
    let app: ReturnType<typeof createApp>;
    const tokens = {} as Record<Credential, string>;
    let n = 0;
    const next = () => ++n;

    const auth = (cred: Credential): Record<string, string> =>
      cred === 'none' ? {} : { Authorization: `Bearer ${tokens[cred]}` };
    const send = (path: string, init: RequestInit, cred: Credential) =>
      app.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...auth(cred) } });
    const auditCount = async () =>
      Number(
        (
          await store.db
            .selectFrom('audit')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const asOther = () => actingAs(store, { name: 'cli:tester', via: 'cli', from: 'test' });
    const json = (method: string, body: unknown): RequestInit => ({
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const freshWeek = () => addDays('2017-03-04', 7 * next());

    async function waitForJob(id: string) {
      for (let i = 0; i < 600; i++) {
        const job = await jobNamed(store, id);
        if (job.status === 'done' || job.status === 'failed') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`job ${id} did not finish`);
    }

    /** A record whose outcome is honored, to be made "lifted" (one per accepted write). */
    async function honoredRecord() {
      const r = await store.db
        .selectFrom('detainers')
        .select(['detainer_id', 'import_id'])
        .where('outcome', '=', 'honored')
        .orderBy('detainer_id')
        .executeTakeFirstOrThrow();
      return { id: r.detainer_id, version: String(Number(r.import_id)) };
    }

    const CASES: Record<string, Case> = {
      'POST /api/v1/imports': {
        permission: 'import',
        prepare: async () => ({
          path: `/api/v1/imports?kind=detainers&file=new-${next()}.csv`,
          init: {
            method: 'POST',
            body: `${HEADER}\n${row(`W${n}`)}\n`,
            headers: { 'Content-Type': 'text/csv' },
          },
        }),
      },
      'PUT /api/v1/facilities/{key}/county': {
        permission: 'resolve',
        prepare: async () => {
          const key = `name:queued facility ${next()}|austin|TX`;
          await store.db
            .insertInto('facilities')
            .values({
              facility_key: key,
              name: `Queued facility ${n}`,
              code: null,
              city: 'Austin',
              state: 'TX',
              county_fips: null,
              candidates: 'Travis County (48453, 95%) or Williamson County (48491, 5%)',
              resolved_by: 'queued',
              updated_at: new Date().toISOString(),
            })
            .execute();
          return {
            path: `/api/v1/facilities/${encodeURIComponent(key)}/county`,
            init: json('PUT', { county_fips: '48453' }),
          };
        },
      },
      'PUT /api/v1/detainers/{id}/outcome': {
        permission: 'record.outcome',
        prepare: async () => {
          const r = await honoredRecord();
          const init = json('PUT', { outcome: 'lifted', declined_date: null });
          (init.headers as Record<string, string>)['If-Match'] = `"${r.version}"`;
          return { path: `/api/v1/detainers/${encodeURIComponent(r.id)}/outcome`, init };
        },
      },
      'POST /api/v1/disputes/{n}/status': {
        permission: 'dispute.triage',
        prepare: async () => {
          const d = await fileDispute(actingAs(store, { name: 'public', via: 'web', from: 'test' }), {
            county: '48453',
            claim: 'other',
            explanation: `Dispute ${next()}`,
          });
          return {
            path: `/api/v1/disputes/${d.number}/status`,
            init: json('POST', { status: 'under_review', reason: 'Checking the records.' }),
          };
        },
      },
      'POST /api/v1/proposals': {
        permission: 'edition.propose',
        prepare: async () => ({
          path: '/api/v1/proposals',
          init: json('POST', { period: `week/${freshWeek()}` }),
        }),
      },
      'POST /api/v1/proposals/{id}/approve': {
        permission: 'edition.approve',
        prepare: async () => {
          const p = await propose(asOther(), weekPeriod(freshWeek()));
          return { path: `/api/v1/proposals/${p.id}/approve`, init: { method: 'POST' } };
        },
      },
      'POST /api/v1/proposals/{id}/reject': {
        permission: 'edition.reject',
        prepare: async () => {
          const p = await propose(asOther(), weekPeriod(freshWeek()));
          return {
            path: `/api/v1/proposals/${p.id}/reject`,
            init: json('POST', { reason: 'figures look wrong' }),
          };
        },
      },
      'POST /api/v1/users': {
        permission: 'users.manage',
        prepare: async () => ({
          path: '/api/v1/users',
          init: json('POST', { name: `new.user${next()}`, role: 'analyst', password: PASSWORD }),
        }),
      },
      'POST /api/v1/users/{name}/disable': {
        permission: 'users.manage',
        prepare: async () => {
          const name = `leaving${next()}`;
          await addUser(store, name, 'analyst', PASSWORD);
          return { path: `/api/v1/users/${name}/disable`, init: { method: 'POST' } };
        },
      },
      'POST /api/v1/users/{name}/tokens': {
        permission: 'users.manage',
        prepare: async () => ({ path: '/api/v1/users/ana/tokens', init: json('POST', { label: 'matrix' }) }),
      },
      'POST /api/v1/tokens/{id}/revoke': {
        permission: 'users.manage',
        prepare: async () => {
          const { tokenId } = await createToken(store, 'ana', 'to revoke');
          return { path: `/api/v1/tokens/${tokenId}/revoke`, init: { method: 'POST' } };
        },
      },
      'PUT /api/v1/settings/two-person-rule': {
        permission: 'users.manage',
        prepare: async () => ({ path: '/api/v1/settings/two-person-rule', init: json('PUT', { on: true }) }),
      },
    };

    beforeAll(async () => {
      ({ store, cleanup, url } = await storeWithRulesFixture(factory));
      for (const [name, role] of [
        ['ana', 'analyst'],
        ['rev', 'reviewer'],
        ['adm', 'admin'],
        ['gone', 'analyst'],
      ] as const)
        await addUser(store, name, role, PASSWORD);
      tokens.analyst = (await createToken(store, 'ana', null)).token;
      tokens.reviewer = (await createToken(store, 'rev', null)).token;
      tokens.admin = (await createToken(store, 'adm', null)).token;
      tokens.disabled = (await createToken(store, 'gone', null)).token;
      await disableUser(store, 'gone');
      const revoked = await createToken(store, 'adm', 'revoked');
      tokens.revoked = revoked.token;
      await revokeToken(store, revoked.tokenId);
      app = createApp(store);
    }, 120_000);

    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('has a case for every write operation of the OpenAPI document', async () => {
      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const writes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      );
      // Anyone may report an error (issue 13): the one write that is the public's, tested in disputes.test.ts.
      expect(writes.filter((w) => !PUBLIC_WRITES.includes(w)).sort()).toEqual(Object.keys(CASES).sort());
      expect(writes).toEqual(expect.arrayContaining(PUBLIC_WRITES));
    });

    it('answers every write 401, 403 or 2xx exactly by credential and role, one audit row per accepted write', async () => {
      const outcomes: string[] = [];
      for (const [op, c] of Object.entries(CASES)) {
        for (const cred of CREDENTIALS) {
          const { path, init } = await c.prepare();
          const before = await auditCount();
          const res = await send(path, init, cred);
          const expected =
            cred === 'none' || cred === 'disabled' || cred === 'revoked'
              ? 401
              : may(cred, c.permission)
                ? 'ok'
                : 403;
          const got = res.status >= 200 && res.status < 300 ? 'ok' : res.status;
          outcomes.push(
            `${op} as ${cred}: ${got}${got === expected ? '' : ` (expected ${expected}: ${await res.clone().text()})`}`,
          );
          if (got !== 'ok') {
            const body = (await res.json()) as { error: { status: number; code: string } };
            expect(body.error.status).toBe(res.status);
          } else if (op === 'POST /api/v1/imports') {
            const job = await waitForJob(((await res.json()) as { id: string }).id);
            expect(job.status, JSON.stringify(job.error)).toBe('done');
          }
          expect(await auditCount(), `${op} as ${cred}: audit rows`).toBe(before + (got === 'ok' ? 1 : 0));
        }
      }
      expect(outcomes.filter((o) => o.includes('expected'))).toEqual([]);
      // Every operation was accepted for some role and refused for another.
      for (const op of Object.keys(CASES)) {
        expect(outcomes.some((o) => o.startsWith(`${op} as admin: ok`))).toBe(true);
        expect(outcomes.some((o) => o.startsWith(`${op} as none: 401`))).toBe(true);
      }
    }, 300_000);

    it('names the user, via and address in the audit row of an API write', async () => {
      const res = await send('/api/v1/proposals', json('POST', { period: `week/${freshWeek()}` }), 'analyst');
      expect(res.status).toBe(201);
      const last = await store.db
        .selectFrom('audit')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect([last.actor, last.via, last.action]).toEqual(['ana', 'api', 'edition.propose']);
    });

    it('refuses an upload with one bad row whole, naming file, line and column, and changes nothing', async () => {
      const count = async () =>
        Number(
          (
            await store.db
              .selectFrom('detainers')
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const body = `${HEADER}\n${row('B1')}\n${row('B2', '2017-02-31')}\n${row('B3')}\n`;
      const res = await send(
        '/api/v1/imports?kind=detainers&file=weekly.csv',
        { method: 'POST', body },
        'analyst',
      );
      expect(res.status).toBe(202);
      const job = await waitForJob(((await res.json()) as { id: string }).id);
      expect(job.status).toBe('failed');
      expect(job.error?.rejections).toEqual([
        expect.objectContaining({ file: 'weekly.csv', line: 3, column: 'issued_date', value: '2017-02-31' }),
      ]);
      expect(await count()).toBe(before);
      const csv = await send(`/api/v1/imports/${job.id}/rejects.csv`, {}, 'analyst');
      expect(csv.status).toBe(200);
      const text = await csv.text();
      expect(text).toContain('weekly.csv,3,issued_date,2017-02-31');
      expect(text).not.toContain('/tmp');
      // Fixed and sent again: imported.
      const fixed = await send(
        '/api/v1/imports?kind=detainers&file=weekly.csv',
        { method: 'POST', body: body.replace('2017-02-31', '2017-02-01') },
        'analyst',
      );
      const done = await waitForJob(((await fixed.json()) as { id: string }).id);
      expect(done.summary).toMatchObject({ inserted: 3, rows: 3 });
      expect(await count()).toBe(before + 3);
    });

    it('gets 412 naming what changed for a stale If-Match, and of two writes on one version exactly one wins', async () => {
      const r = await honoredRecord();
      const path = `/api/v1/detainers/${encodeURIComponent(r.id)}/outcome`;
      const read = await send(`/api/v1/detainers/${encodeURIComponent(r.id)}`, {}, 'analyst');
      expect(read.headers.get('ETag')).toBe(`"${r.version}"`);
      const put = (body: unknown, version: string) => {
        const init = json('PUT', body);
        (init.headers as Record<string, string>)['If-Match'] = `"${version}"`;
        return send(path, init, 'analyst');
      };
      const issued = ((await read.json()) as { issued_date: string }).issued_date;
      const first = await put(
        { outcome: 'declined', declined_date: issued, source: 'lea_notice' },
        r.version,
      );
      expect(first.status, await first.clone().text()).toBe(200);
      const stale = await put({ outcome: 'lifted', declined_date: null }, r.version);
      expect(stale.status).toBe(412);
      const message = ((await stale.json()) as { error: { message: string } }).error.message;
      expect(message).toContain('outcome');
      expect(message).toContain('declined_date');
      // Without If-Match: 428.
      expect((await send(path, json('PUT', { outcome: 'lifted' }), 'analyst')).status).toBe(428);

      const other = await honoredRecord();
      const both = await Promise.all(
        [0, 1].map(() => {
          const init = json('PUT', { outcome: 'lifted', declined_date: null });
          (init.headers as Record<string, string>)['If-Match'] = `"${other.version}"`;
          return send(`/api/v1/detainers/${encodeURIComponent(other.id)}/outcome`, init, 'analyst');
        }),
      );
      expect(both.map((b) => b.status).sort()).toEqual([200, 412]);
      const history = await store.db
        .selectFrom('detainer_history')
        .select('detainer_id')
        .where('detainer_id', '=', other.id)
        .execute();
      expect(history).toHaveLength(1);
    });

    it('refuses an outcome the importer refuses, naming the field, and changes nothing', async () => {
      const r = await honoredRecord();
      const init = json('PUT', { outcome: 'declined', declined_date: '2017-02-30' });
      (init.headers as Record<string, string>)['If-Match'] = `"${r.version}"`;
      const before = await auditCount();
      const res = await send(`/api/v1/detainers/${encodeURIComponent(r.id)}/outcome`, init, 'analyst');
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { rejections: Array<{ column: string }> } };
      expect(body.error.rejections.map((x) => x.column)).toContain('declined_date');
      expect(await auditCount()).toBe(before);
      expect((await honoredRecord()).id).toBe(r.id);
    });

    it('refuses an A-number typed into a free-text field of an outcome, without echoing it', async () => {
      const r = await honoredRecord();
      const rec = (await (
        await send(`/api/v1/detainers/${encodeURIComponent(r.id)}`, {}, 'analyst')
      ).json()) as {
        issued_date: string;
      };
      const init = json('PUT', {
        outcome: 'declined',
        declined_date: rec.issued_date,
        released_by_agency: 'Jail of A123456789',
      });
      (init.headers as Record<string, string>)['If-Match'] = `"${r.version}"`;
      const res = await send(`/api/v1/detainers/${encodeURIComponent(r.id)}/outcome`, init, 'analyst');
      const text = await res.text();
      expect(res.status).toBe(422);
      expect(text).toContain('released_by_agency');
      expect(text).not.toContain('123456789');
      const stored = await store.db
        .selectFrom('detainers')
        .select('released_by_agency')
        .where('detainer_id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(stored.released_by_agency).toBeNull();
    });

    it('keeps the two-person rule: the proposer cannot approve; an approval names both and publishes what was proposed', async () => {
      const week = freshWeek();
      const proposed = await send('/api/v1/proposals', json('POST', { period: `week/${week}` }), 'reviewer');
      const { id } = (await proposed.json()) as { id: number };
      const own = await send(`/api/v1/proposals/${id}/approve`, { method: 'POST' }, 'reviewer');
      expect(own.status).toBe(409);
      const approved = await send(`/api/v1/proposals/${id}/approve`, { method: 'POST' }, 'admin');
      expect(approved.status).toBe(201);
      const report = (await (await app.request(`/api/v1/reports/week/${week}`)).json()) as {
        edition: { compiled_by: string; reviewed_by: string; review_rule: string };
      };
      expect(report.edition).toMatchObject({
        compiled_by: 'rev',
        reviewed_by: 'adm',
        review_rule: 'two-person',
      });
      const md = await (await app.request(`/api/v1/reports/week/${week}.md`)).text();
      expect(md).toContain('Compiled by rev');
      expect(md).toContain('reviewed and approved by adm');

      // Data changed after the proposal: the approval is refused and nothing is published.
      const p = await propose(asOther(), weekPeriod('2017-01-28'));
      const late = await send(
        '/api/v1/imports?kind=detainers&file=late.csv',
        { method: 'POST', body: `${HEADER}\n${row('LATE1')}\n` },
        'analyst',
      );
      await waitForJob(((await late.json()) as { id: string }).id);
      const refused = await send(`/api/v1/proposals/${p.id}/approve`, { method: 'POST' }, 'admin');
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        'changed after it was proposed',
      );
      const editions = (await (await app.request('/api/v1/editions')).json()) as unknown[];
      expect(editions).not.toContainEqual(
        expect.objectContaining({ period: expect.objectContaining({ start: '2017-01-28' }) }),
      );

      // Switched off by an admin: one person may propose and approve, and the edition says so.
      await send('/api/v1/settings/two-person-rule', json('PUT', { on: false }), 'admin');
      const solo = freshWeek();
      const mine = (await (
        await send('/api/v1/proposals', json('POST', { period: `week/${solo}` }), 'reviewer')
      ).json()) as { id: number };
      expect(
        (await send(`/api/v1/proposals/${mine.id}/approve`, { method: 'POST' }, 'reviewer')).status,
      ).toBe(201);
      const soloReport = (await (await app.request(`/api/v1/reports/week/${solo}`)).json()) as {
        edition: { review_rule: string };
      };
      expect(soloReport.edition.review_rule).toBe('one-person');
      await send('/api/v1/settings/two-person-rule', json('PUT', { on: true }), 'admin');
    });

    it("needs the form's CSRF token for a write with a session cookie", async () => {
      const session = await signIn(store, '10.0.0.9', 'ana', PASSWORD);
      const before = await auditCount();
      const res = await app.request('/api/v1/proposals', {
        ...json('POST', { period: `week/${freshWeek()}` }),
        headers: {
          'Content-Type': 'application/json',
          Cookie: `ddor_session=${session!.sessionId}; ddor_csrf=x`,
        },
      });
      expect(res.status).toBe(403);
      expect(await auditCount()).toBe(before);
    });

    it.runIf(factory.name === 'postgres')(
      'works as two servers on one database: a session and a job of one are seen by the other',
      async () => {
        const second = await openStore(url);
        try {
          const other = createApp(second);
          const session = await signIn(store, '10.0.0.7', 'ana', PASSWORD);
          const page = await other.request('/work', {
            headers: { Cookie: `ddor_session=${session!.sessionId}` },
          });
          expect(page.status).toBe(200);
          expect(await page.text()).toContain('ana');
          const started = await send(
            `/api/v1/imports?kind=detainers&file=shared-${next()}.csv`,
            { method: 'POST', body: `${HEADER}\n${row(`SH${n}`)}\n` },
            'analyst',
          );
          const { id } = (await started.json()) as { id: string };
          let status = '';
          for (let i = 0; i < 600 && status !== 'done'; i++) {
            const res = await other.request(`/api/v1/imports/${id}`, { headers: auth('reviewer') });
            status = ((await res.json()) as { status: string }).status;
            if (status !== 'done') await new Promise((r) => setTimeout(r, 50));
          }
          expect(status).toBe('done');
        } finally {
          await second.close();
        }
      },
    );

    it('marks a job of a server that died as failed', async () => {
      const id = await createJob(store, {
        kind: 'detainers',
        format: 'auto',
        file: 'x.csv',
        bytes: 1,
        user: 'ana',
      });
      await store.db
        .updateTable('import_jobs')
        .set({ runner: `${hostname()}:999999999`, status: 'running' })
        .where('job_id', '=', id)
        .execute();
      expect(await failOrphanedJobs(store)).toBeGreaterThanOrEqual(1);
      expect((await jobNamed(store, id)).status).toBe('failed');
    });
  });
}
