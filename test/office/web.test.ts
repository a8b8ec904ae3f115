/**
 * Office mode on the web and the API (issue 11, item 1), on both stores: with no
 * account ddor serves drafts to anyone, as it always did; once an account exists
 * the public gets 401 (the one error shape, or a page with a sign-in link) for
 * current-data drafts and still reads published editions, while a signed-in user
 * or a bearer token reads both. Then the promises are attacked: revoked and
 * disabled tokens, forged and expired cookies, missing CSRF tokens, guessing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken, disableUser, revokeToken, signIn } from '../../src/auth/accounts.js';
import { publishEdition } from '../../src/report/editions.js';
import { weekPeriod } from '../../src/report/period.js';
import { createApp } from '../../src/server/app.js';
import { SIGN_IN_LIMIT } from '../../src/server/auth.js';
import { listAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/store.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const PASSWORD = 'correct horse battery staple';

const DRAFTS = [
  '/api/v1/reports/week/2017-01-28?edition=draft',
  '/api/v1/reports/week/2017-02-04',
  '/api/v1/reports/week/2017-02-04.csv',
  '/reports/week/2017-01-28?edition=draft',
  '/reports/week/2017-02-04',
  '/quality',
];
const PUBLISHED = [
  '/',
  '/api/v1/reports/week/2017-01-28',
  '/api/v1/reports/week/2017-01-28?edition=1',
  '/reports/week/2017-01-28',
  '/reports/week/2017-01-28?edition=1',
  '/editions',
  '/api/v1/editions',
];

const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** The cookies a response sets, by name: their value and attributes. */
function cookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) out.set(line.slice(0, line.indexOf('=')), line);
  return out;
}
const cookieValue = (line: string | undefined) => line?.slice(line.indexOf('=') + 1).split(';')[0] ?? '';

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`office mode on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

    /** Signs in through the form, as a browser would; returns the session cookie's value. */
    async function signInByForm(name: string, password: string, address = '10.0.0.1') {
      const page = await app.request('/sign-in', {}, from(address));
      const csrf = cookieValue(cookies(page).get('ddor_csrf'));
      expect(await page.text()).toContain(`name="csrf" value="${csrf}"`);
      const res = await app.request(
        '/sign-in',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `ddor_csrf=${csrf}` },
          body: new URLSearchParams({ csrf, name, password, next: '/reports/week/2017-02-04' }).toString(),
        },
        from(address),
      );
      return { res, session: cookieValue(cookies(res).get('ddor_session')), csrf };
    }

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      app = createApp(store);
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    let draftBody = '';

    it('with no account, serves drafts to anyone, as before', async () => {
      for (const path of DRAFTS) expect((await get(path)).status, path).toBe(200);
      draftBody = await (await get(DRAFTS[0]!)).text();
      expect((await get('/')).status).toBe(200);
    });

    it('once an account exists, the public gets 401 for drafts (API: the one error shape; pages: a sign-in link)', async () => {
      await addUser(store, 'maria.lopez', 'reviewer', PASSWORD);
      // Nothing is published yet: the home page would show a draft.
      const home = await get('/');
      expect(home.status).toBe(401);
      expect(await home.text()).toContain('href="/sign-in?next=%2F"');
      for (const path of DRAFTS) {
        const res = await get(path);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="ddor"');
        if (path.startsWith('/api/')) {
          const body = await res.json();
          expect(Object.keys(body)).toEqual(['error']);
          expect(body.error).toMatchObject({ status: 401, code: 'unauthorized' });
          expect(body.error.hint).toContain('/sign-in');
          expect(body.error.hint).toContain('Authorization: Bearer');
        } else {
          expect(await res.text()).toContain(`href="/sign-in?next=${encodeURIComponent(path)}"`);
        }
      }
    });

    it('serves published editions to the public, and drafts and editions to a signed-in user and a token', async () => {
      await publishEdition(store, weekPeriod('2017-01-28'), { now: new Date('2017-02-06T12:00:00Z') });
      for (const path of PUBLISHED) expect((await get(path)).status, path).toBe(200);
      const { res, session } = await signInByForm('maria.lopez', PASSWORD);
      expect(res.status).toBe(303);
      expect(res.headers.get('Location')).toBe('/reports/week/2017-02-04');
      const { token } = await createToken(store, 'maria.lopez', 'test');
      const viewers: Record<string, string>[] = [
        { Cookie: `ddor_session=${session}` },
        { Authorization: `Bearer ${token}` },
      ];
      for (const headers of viewers) {
        for (const path of [...DRAFTS, ...PUBLISHED])
          expect((await get(path, headers)).status, path).toBe(200);
        // The draft is the same bytes as before there were accounts.
        expect(await (await get(DRAFTS[0]!, headers)).text()).toBe(draftBody);
      }
    });

    it('sets the session cookie HttpOnly and SameSite=Strict, Secure over https; audits sign-ins by user, address and never the password', async () => {
      const { res } = await signInByForm('maria.lopez', PASSWORD, '10.0.0.7');
      const line = cookies(res).get('ddor_session')!;
      expect(line).toMatch(/HttpOnly/);
      expect(line).toMatch(/SameSite=Strict/);
      expect(line).not.toMatch(/Secure/);
      const page = await app.request('https://ddor.example/sign-in');
      const csrf = cookieValue(cookies(page).get('ddor_csrf'));
      expect(cookies(page).get('ddor_csrf')).toMatch(/Secure/);
      const secure = await app.request('https://ddor.example/sign-in', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `ddor_csrf=${csrf}` },
        body: new URLSearchParams({ csrf, name: 'maria.lopez', password: PASSWORD }).toString(),
      });
      expect(secure.status).toBe(303);
      expect(cookies(secure).get('ddor_session')).toMatch(/; Secure/);

      await signInByForm('maria.lopez', 'not the password at all', '10.0.0.8');
      await signInByForm('correct horse battery staple', 'x', '10.0.0.8'); // a password typed as the name
      const rows = await listAudit(store);
      expect(rows.filter((r) => r.action === 'sign_in' && r.from === '10.0.0.7')).toMatchObject([
        { actor: 'maria.lopez', via: 'web', target: 'maria.lopez' },
      ]);
      expect(rows.filter((r) => r.action === 'sign_in_failed' && r.from === '10.0.0.8')).toMatchObject([
        { actor: 'anonymous', via: 'web', target: 'maria.lopez', detail: { reason: 'wrong password' } },
        { actor: 'anonymous', via: 'web', target: '(no such user)', detail: { reason: 'no such user' } },
      ]);
      expect(JSON.stringify(rows)).not.toContain(PASSWORD);
      expect(JSON.stringify(rows)).not.toContain('not the password at all');
    });

    it('refuses a form without its CSRF token, or with another one (403)', async () => {
      const form = (body: Record<string, string>, cookie?: string) =>
        app.request('/sign-in', {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            ...(cookie ? { Cookie: cookie } : {}),
          },
          body: new URLSearchParams(body).toString(),
        });
      const before = (await listAudit(store)).length;
      const missing = await form({ name: 'maria.lopez', password: PASSWORD });
      expect(missing.status).toBe(403);
      const noField = await form({ name: 'maria.lopez', password: PASSWORD }, 'ddor_csrf=abc');
      expect(noField.status).toBe(403);
      const other = await form(
        { csrf: 'x'.repeat(43), name: 'maria.lopez', password: PASSWORD },
        `ddor_csrf=${'y'.repeat(43)}`,
      );
      expect(other.status).toBe(403);
      expect(cookies(other).get('ddor_session')).toBeUndefined();
      expect((await listAudit(store)).length).toBe(before);
      // An API write carried by a session cookie needs the token too; one without any credential is the public's.
      const session = await signIn(store, '10.0.0.3', 'maria.lopez', PASSWORD);
      const afterSignIn = (await listAudit(store)).length;
      const api = await app.request('/api/v1/proposals', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: `ddor_session=${session!.sessionId}` },
        body: JSON.stringify({ period: 'week/2017-02-04' }),
      });
      expect(api.status).toBe(403);
      expect((await api.json()).error.code).toBe('forbidden');
      const anonymous = await app.request('/api/v1/proposals', { method: 'POST' });
      expect(anonymous.status).toBe(401);
      expect((await listAudit(store)).length).toBe(afterSignIn);
    });

    it('answers a forged or expired session cookie as the public: 401 for drafts', async () => {
      const forged = { Cookie: `ddor_session=${'A'.repeat(43)}` };
      expect((await get(DRAFTS[0]!, forged)).status).toBe(401);
      expect((await get(PUBLISHED[1]!, forged)).status).toBe(200);
      const old = await signIn(
        store,
        '10.0.0.2',
        'maria.lopez',
        PASSWORD,
        new Date(Date.now() - 13 * 3600_000),
      );
      const expired = { Cookie: `ddor_session=${old!.sessionId}` };
      expect((await get(DRAFTS[0]!, expired)).status).toBe(401);
      const fresh = await signIn(store, '10.0.0.2', 'maria.lopez', PASSWORD);
      expect((await get(DRAFTS[0]!, { Cookie: `ddor_session=${fresh!.sessionId}` })).status).toBe(200);
    });

    it("answers a revoked token, an unknown one, or a disabled user's with 401, everywhere", async () => {
      const { token, tokenId } = await createToken(store, 'maria.lopez', 'to revoke');
      expect((await get(DRAFTS[0]!, { Authorization: `Bearer ${token}` })).status).toBe(200);
      await revokeToken(store, tokenId);
      for (const auth of [`Bearer ${token}`, 'Bearer ddor_tok_guessed', 'Basic bWFyaWE6eA==']) {
        for (const path of [DRAFTS[0]!, PUBLISHED[1]!]) {
          const res = await get(path, { Authorization: auth });
          expect(res.status, `${auth} ${path}`).toBe(401);
          expect((await res.json()).error.code).toBe('unauthorized');
        }
      }

      await addUser(store, 'sam.okafor', 'analyst', `${PASSWORD} too`);
      const sam = await createToken(store, 'sam.okafor', null);
      const { session } = await signInByForm('sam.okafor', `${PASSWORD} too`, '10.0.0.3');
      expect((await get(DRAFTS[0]!, { Authorization: `Bearer ${sam.token}` })).status).toBe(200);
      expect((await get(DRAFTS[0]!, { Cookie: `ddor_session=${session}` })).status).toBe(200);
      await disableUser(store, 'sam.okafor');
      expect((await get(DRAFTS[0]!, { Authorization: `Bearer ${sam.token}` })).status).toBe(401);
      expect((await get(DRAFTS[0]!, { Cookie: `ddor_session=${session}` })).status).toBe(401);
      const again = await signInByForm('sam.okafor', `${PASSWORD} too`, '10.0.0.4');
      expect(again.res.status).toBe(401);
      expect(await again.res.text()).toContain('do not match an active account');
      expect(again.session).toBe('');
    });

    it(`limits failed sign-ins to ${SIGN_IN_LIMIT.failures} per address in ${SIGN_IN_LIMIT.minutes} minutes (429), per address`, async () => {
      for (let i = 0; i < SIGN_IN_LIMIT.failures; i++)
        expect((await signInByForm('maria.lopez', `wrong guess ${i}`, '10.9.9.9')).res.status).toBe(401);
      const before = (await listAudit(store)).length;
      const limited = await signInByForm('maria.lopez', PASSWORD, '10.9.9.9');
      expect(limited.res.status).toBe(429);
      expect(limited.session).toBe('');
      expect((await listAudit(store)).length).toBe(before);
      expect((await signInByForm('maria.lopez', PASSWORD, '10.9.9.10')).res.status).toBe(303);
    });

    it('signs out: the session ends, the sign-out is audited', async () => {
      const { session } = await signInByForm('maria.lopez', PASSWORD, '10.0.0.5');
      const cookie = `ddor_session=${session}`;
      const page = await get('/sign-in', { Cookie: cookie });
      expect(await page.text()).toContain('You are signed in as <strong>maria.lopez</strong>');
      const csrf = cookieValue(cookies(page).get('ddor_csrf'));
      const out = await app.request(
        '/sign-out',
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Cookie: `${cookie}; ddor_csrf=${csrf}`,
          },
          body: new URLSearchParams({ csrf }).toString(),
        },
        from('10.0.0.5'),
      );
      expect(out.status).toBe(303);
      expect((await get(DRAFTS[0]!, { Cookie: cookie })).status).toBe(401);
      const rows = (await listAudit(store)).filter((r) => r.action === 'sign_out');
      expect(rows).toMatchObject([
        { actor: 'maria.lopez', via: 'web', from: '10.0.0.5', target: 'maria.lopez' },
      ]);
    });
  });
}
