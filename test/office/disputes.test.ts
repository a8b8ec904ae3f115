/**
 * Disputes (issue 13), on both stores, attacked where they promise something: a report
 * needs no account but cannot carry an identifier of a detained person, is refused when
 * its honeypot is filled and beyond its address's limit, and changes nothing when
 * refused; the reporter's contact is stored apart and appears in no public page, API
 * response or export — nor anywhere in the store but its own table; a status change
 * needs the office's role and a reason, and is audited; a correction cites only an
 * upheld dispute of its period, once, and the dispute's page then links to it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken } from '../../src/auth/accounts.js';
import { detainerRecord, recordOutcome } from '../../src/ingest/outcome.js';
import { renderFormats } from '../../src/render/files.js';
import { FORMAT_IDS } from '../../src/render/formats.js';
import { buildReport, rowRefOf } from '../../src/report/build.js';
import { diffReports } from '../../src/report/changes.js';
import {
  answering,
  disputeContact,
  disputeNumbered,
  fileDispute,
  recordsBehind,
  setDisputeStatus,
} from '../../src/report/disputes.js';
import { correctEdition, publishEdition, showEdition } from '../../src/report/editions.js';
import type { Report } from '../../src/report/model.js';
import { weekPeriod } from '../../src/report/period.js';
import { approve, propose } from '../../src/report/review.js';
import { createApp } from '../../src/server/app.js';
import { DISPUTE_LIMIT } from '../../src/server/disputes.js';
import { actingAs } from '../../src/store/audit.js';
import type { Store } from '../../src/store/store.js';
import { atomProblems, parseXml } from '../helpers/atom.js';
import { STORES, storeAvailable, storeWithRulesFixture } from '../helpers/stores.js';

const WEEK = weekPeriod('2017-01-28');
const CONTACT = 'sheriff.contact-7731@example.gov';
const PASSWORD = 'correct horse battery staple';

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

for (const factory of STORES) {
  describe.runIf(await storeAvailable(factory))(`disputes on ${factory.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let app: ReturnType<typeof createApp>;
    let edition1: Report;
    let analystToken: string;
    const count = async (table: 'disputes' | 'dispute_contacts' | 'audit') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const firstRow = () => {
      const g = edition1.section2[0]!;
      return { group: g, decline: g.declines[0]! };
    };
    const rowForm = (extra: Record<string, string> = {}) => ({
      period: 'week/2017-01-28',
      edition: '1',
      row: firstRow().decline.ref!,
      claim: 'not_a_decline',
      claimed_value: 'lifted',
      explanation: 'The detainer was lifted the day before; the jail released on ICE’s word.',
      website: '',
      ...extra,
    });

    beforeAll(async () => {
      ({ store, cleanup } = await storeWithRulesFixture(factory));
      edition1 = (await publishEdition(store, WEEK)).report;
      await addUser(store, 'ana', 'analyst', PASSWORD);
      await addUser(store, 'rev', 'reviewer', PASSWORD);
      analystToken = (await createToken(store, 'ana', null)).token;
      app = createApp(store);
    }, 120_000);

    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('gives every Section II row a stable ref that is no detainer id, the same in a rebuilt report', async () => {
      const refs = edition1.section2.flatMap((g) => g.declines.map((d) => d.ref));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/^[0-9a-f]{12}$/);
      expect(new Set(refs).size).toBe(refs.length);
      const again = await buildReport(store, WEEK);
      expect(again.section2.flatMap((g) => g.declines.map((d) => d.ref))).toEqual(refs);
      // Recomputable by anyone from the JSON alone.
      const { group, decline } = firstRow();
      const { ref, ...shown } = decline;
      expect(rowRefOf(group.county.fips, group.facility, shown, 0)).toBe(ref);
      const ids = (await store.db.selectFrom('detainers').select('detainer_id').execute()).map(
        (r) => r.detainer_id,
      );
      for (const id of ids) expect(refs).not.toContain(id);
      // An edition published before refs existed compares equal to the same data with them.
      const withoutRefs = structuredClone(edition1);
      for (const g of withoutRefs.section2) for (const d of g.declines) delete d.ref;
      const changes = diffReports(withoutRefs, again);
      expect([changes.rows_added, changes.rows_removed]).toEqual([[], []]);
    });

    it('takes a report of a Section II row from anyone, without an account, and publishes its record without the contact', async () => {
      const form1 = await app.request(
        `/disputes/new?period=week/2017-01-28&edition=1&row=${firstRow().decline.ref}`,
      );
      expect(form1.status).toBe(200);
      const page = await form1.text();
      expect(page).toContain(firstRow().group.facility);
      expect(page).toContain('name="website"');
      const res = await app.request('/disputes', form1.ok ? form(rowForm({ contact: CONTACT })) : {});
      expect(res.status).toBe(303);
      const location = res.headers.get('Location')!;
      expect(location).toMatch(/^\/disputes\/\d+\?received=1$/);
      const number = Number(/\/disputes\/(\d+)/.exec(location)![1]);
      const record = await app.request(location);
      const text = await record.text();
      expect(text).toContain(`Dispute No. ${number}: Received`);
      expect(text).toContain(firstRow().group.facility);
      expect(text).not.toContain(CONTACT);
      expect(await disputeContact(store, number)).toBe(CONTACT);
      const d = await disputeNumbered(store, number);
      expect(d).toMatchObject({
        status: 'received',
        scope: 'row',
        claim: 'not_a_decline',
        edition: 1,
        row_ref: firstRow().decline.ref,
        county: firstRow().group.county,
      });
      expect(d.events.map((e) => [e.status, e.by])).toEqual([['received', 'public']]);
      const audit = await store.db
        .selectFrom('audit')
        .selectAll()
        .where('action', '=', 'dispute.receive')
        .execute();
      expect(audit.at(-1)).toMatchObject({ actor: 'public', via: 'web', target: `dispute ${number}` });
      expect(audit.at(-1)!.detail).not.toContain(CONTACT);
    });

    it('lists disputes in the API by county, status and edition, and in the OpenAPI document', async () => {
      const fips = firstRow().group.county.fips;
      const byCounty = (await (await app.request(`/api/v1/disputes?county=${fips}`)).json()) as Array<{
        county: { fips: string };
      }>;
      expect(byCounty.length).toBeGreaterThan(0);
      expect(byCounty.every((d) => d.county.fips === fips)).toBe(true);
      expect(await (await app.request('/api/v1/disputes?county=99999')).json()).toEqual([]);
      expect(await (await app.request('/api/v1/disputes?status=rejected')).json()).toEqual([]);
      const byEdition = (await (
        await app.request('/api/v1/disputes?period=week/2017-01-28&edition=1')
      ).json()) as unknown[];
      expect(byEdition.length).toBe(byCounty.length);
      expect((await app.request('/api/v1/disputes?status=maybe')).status).toBe(400);
      const doc = (await (await app.request('/api/v1/openapi.json')).json()) as {
        paths: Record<string, object>;
      };
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/disputes', '/api/v1/disputes/{n}', '/api/v1/disputes/{n}/status']),
      );
      const county = await (await app.request(`/counties/${fips}`)).text();
      expect(county).toContain('Report an error about');
      expect(county).toMatch(/href="\/disputes\/\d+"/);
    });

    it('numbers reports sent at once each its own, none lost', async () => {
      const before = await count('disputes');
      const filed = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          fileDispute(actingAs(store, { name: 'public', via: 'api', from: `10.0.0.${i}` }), {
            county: '48453',
            claim: 'other',
            explanation: `Sent at once, ${i}`,
          }),
        ),
      );
      const numbers = filed.map((d) => d.number);
      expect(new Set(numbers).size).toBe(8);
      expect(await count('disputes')).toBe(before + 8);
      for (const d of filed) expect((await disputeNumbered(store, d.number)).explanation).toBe(d.explanation);
    });

    it('refuses a report whose honeypot is filled, and records nothing', async () => {
      const before = [await count('disputes'), await count('audit')];
      const res = await createApp(store).request(
        '/disputes',
        form(rowForm({ website: 'http://spam.example' })),
      );
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Leave this field empty');
      const api = await createApp(store).request(
        '/api/v1/disputes',
        json({ ...rowForm(), edition: 1, website: 'x' }),
      );
      // The API's body is strict about its fields: an unknown one is a 400 too.
      expect([400, 201]).toContain(api.status);
      if (api.status === 201) throw new Error('the API took a field it does not define');
      expect([await count('disputes'), await count('audit')]).toEqual(before);
    });

    it('refuses identifiers of a detained person in any field, names the field, echoes nothing and records nothing', async () => {
      const before = [await count('disputes'), await count('dispute_contacts'), await count('audit')];
      const hostile: Array<[string, string]> = [
        ['explanation', 'His A-number is A 012-345-678, check it.'],
        ['explanation', 'A#123456789 was released.'],
        ['claimed_value', '123-45-6789'],
        ['explanation', 'DOB 1990-04-01, the man we held.'],
        ['contact', 'born 4/1/1990'],
      ];
      const fresh = createApp(store);
      for (const [field, value] of hostile) {
        const res = await fresh.request(
          '/api/v1/disputes',
          json({ ...rowForm(), edition: 1, [field]: value, website: undefined }),
        );
        const body = (await res.json()) as {
          error: { status: number; code: string; rejections: Array<{ column: string; value: unknown }> };
        };
        expect(res.status, `${field}: ${value}`).toBe(422);
        expect(body.error.code).toBe('input_rejected');
        expect(body.error.rejections.map((r) => r.column)).toContain(field);
        expect(JSON.stringify(body)).not.toContain(value);
      }
      // The web form says which field, keeps what the reader wrote (to them alone) and is not kept by caches.
      const page = await fresh.request(
        '/disputes',
        form(rowForm({ explanation: 'A012345678 is the wrong person' })),
      );
      expect(page.status).toBe(422);
      expect(page.headers.get('Cache-Control')).toBe('no-store');
      expect(await page.text()).toContain('looks like a personal identifier');
      expect([await count('disputes'), await count('dispute_contacts'), await count('audit')]).toEqual(
        before,
      );
      // Dates are what a dispute about dates names: they are not refused.
      const dated = await fresh.request(
        '/api/v1/disputes',
        json({
          ...rowForm(),
          edition: 1,
          claim: 'dates_wrong',
          claimed_value: '2017-02-02',
          website: undefined,
        }),
      );
      expect(dated.status).toBe(201);
    });

    it('refuses a report for a row, edition or county that does not exist, and one without an explanation', async () => {
      const fresh = createApp(store);
      const cases: Array<[Record<string, unknown>, number]> = [
        [{ ...rowForm(), edition: 9 }, 404],
        [{ ...rowForm(), edition: 1, row: 'ffffffffffff' }, 404],
        [{ claim: 'other', explanation: 'x', county: '99999' }, 400],
        [{ ...rowForm(), edition: 1, explanation: '   ' }, 422],
        [{ ...rowForm(), edition: 1, claim: 'maybe' }, 400],
      ];
      const before = await count('disputes');
      for (const [body, status] of cases) {
        const { website: _w, ...rest } = body as Record<string, unknown>;
        const res = await fresh.request('/api/v1/disputes', json(rest));
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(((await res.json()) as { error: { status: number } }).error.status).toBe(status);
      }
      expect(await count('disputes')).toBe(before);
    });

    it('answers a body that is not JSON 400 in the error shape, and records nothing', async () => {
      const before = await count('disputes');
      for (const body of ['{bad', '', '[1,2', 'null']) {
        const res = await createApp(store).request('/api/v1/disputes', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        expect(res.status, body).toBe(400);
        expect(await res.json()).toMatchObject({ error: { status: 400, code: 'bad_request' } });
      }
      expect(await count('disputes')).toBe(before);
    });

    it(`answers the ${DISPUTE_LIMIT.reports + 1}th report from one address within ${DISPUTE_LIMIT.minutes} minutes 429 with Retry-After`, async () => {
      const fresh = createApp(store);
      const before = await count('disputes');
      for (let i = 0; i < DISPUTE_LIMIT.reports; i++) {
        const res = await fresh.request('/disputes', form(rowForm({ explanation: `Report ${i}` })));
        expect(res.status).toBe(303);
      }
      const more: Array<[string, RequestInit]> = [
        ['/disputes', form(rowForm())],
        ['/api/v1/disputes', json({ claim: 'other', explanation: 'one more', county: '48453' })],
      ];
      for (const [path, init] of more) {
        const res = await fresh.request(path, init);
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
      }
      const api = await fresh.request(
        '/api/v1/disputes',
        json({ claim: 'other', explanation: 'again', county: '48453' }),
      );
      expect(await api.json()).toMatchObject({ error: { status: 429, code: 'too_many_requests' } });
      expect(await count('disputes')).toBe(before + DISPUTE_LIMIT.reports);
      // Refused attempts count too: an address cannot probe the form without end.
      const prober = createApp(store);
      let refused = 0;
      for (let i = 0; i < DISPUTE_LIMIT.attempts + 3; i++) {
        const res = await prober.request(
          '/api/v1/disputes',
          json({ claim: 'other', explanation: 'A012345678', county: '48453' }),
        );
        if (res.status === 429) refused++;
        else expect(res.status).toBe(422);
      }
      expect(refused).toBe(3);
    });

    it('lets only the office decide, with a reason, audited and published; the contact only on the office page', async () => {
      const d = await fileDispute(actingAs(store, { name: 'public', via: 'web', from: 'test' }), {
        county: '48453',
        claim: 'not_this_county',
        claimed_value: 'Williamson County',
        explanation: 'Round Rock is in Williamson County.',
        contact: CONTACT,
      });
      const path = `/work/disputes/${d.number}/status`;
      // The public: no page, no API.
      expect((await app.request(`/work/disputes/${d.number}`)).status).toBe(401);
      expect(
        (await app.request(`/api/v1/disputes/${d.number}/status`, json({ status: 'upheld', reason: 'x' })))
          .status,
      ).toBe(401);
      // The office's form without a session's CSRF token is refused before anything else.
      expect((await app.request(path, form({ status: 'upheld', reason: 'x' }))).status).toBe(403);
      const bearer = { Authorization: `Bearer ${analystToken}` };
      const office = await app.request(`/work/disputes/${d.number}`, { headers: bearer });
      expect(office.status).toBe(200);
      expect(await office.text()).toContain(CONTACT);
      // No reason: refused, unchanged.
      const noReason = await app.request(
        `/api/v1/disputes/${d.number}/status`,
        json({ status: 'rejected', reason: ' ' }, bearer),
      );
      expect(noReason.status).toBe(400);
      const auditBefore = await count('audit');
      const ok = await app.request(
        `/api/v1/disputes/${d.number}/status`,
        json(
          { status: 'rejected', reason: 'Round Rock’s jail is in Travis County (48453): the row stands.' },
          bearer,
        ),
      );
      expect(ok.status).toBe(200);
      expect(await count('audit')).toBe(auditBefore + 1);
      const last = await store.db
        .selectFrom('audit')
        .selectAll()
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect([last.actor, last.via, last.action, last.target]).toEqual([
        'ana',
        'api',
        'dispute.status',
        `dispute ${d.number}`,
      ]);
      const publicPage = await (await app.request(`/disputes/${d.number}`)).text();
      expect(publicPage).toContain('Rejected');
      expect(publicPage).toContain('the row stands');
      expect(publicPage).not.toContain(CONTACT);
      // The same status again, or an identifier in the reasoning: refused.
      expect(
        (
          await app.request(
            `/api/v1/disputes/${d.number}/status`,
            json({ status: 'rejected', reason: 'again' }, bearer),
          )
        ).status,
      ).toBe(409);
      expect(
        (
          await app.request(
            `/api/v1/disputes/${d.number}/status`,
            json({ status: 'upheld', reason: 'A012345678 agrees' }, bearer),
          )
        ).status,
      ).toBe(422);
    });

    it('answers an upheld dispute with a correction that cites it, once, and only of its period', async () => {
      const office = actingAs(store, { name: 'ana', via: 'web', from: 'test' });
      const d = await fileDispute(actingAs(store, { name: 'public', via: 'web', from: 'test' }), {
        period: WEEK,
        edition: 1,
        row: firstRow().decline.ref,
        claim: 'not_a_decline',
        explanation: 'Lifted, not declined.',
      });
      // Not upheld yet: a correction cannot cite it.
      await expect(answering(store, WEEK, [d.number])).rejects.toThrow(/only an upheld or partly upheld/);
      await setDisputeStatus(office, d.number, 'upheld', 'The detainer was lifted on Jan. 30.');
      await expect(answering(store, weekPeriod('2017-02-04'), [d.number])).rejects.toThrow(/is about/);
      // The record behind the row, found without a detainer id in anything public.
      const behind = await recordsBehind(store, await disputeNumbered(store, d.number));
      expect(behind.matched).toBe(true);
      expect(behind.detainerIds).toHaveLength(1);
      const record = (await detainerRecord(store, behind.detainerIds[0]!))!;
      await recordOutcome(
        office,
        record.detainer_id,
        { outcome: 'lifted', declined_date: null, recorded_date: null },
        record.version,
      );
      const frozen = await correctEdition(office, WEEK, {
        note: 'One detainer was lifted, not declined.',
        answers: await answering(store, WEEK, [d.number]),
      });
      const e = frozen.report.edition!;
      expect(e.number).toBe(2);
      expect(e.disputes).toEqual([d.number]);
      expect(e.errata).toContain(`dispute No. ${d.number}`);
      expect(e.changes!.rows_removed.map((r) => r.decline.ref)).toEqual([firstRow().decline.ref]);
      const after = await disputeNumbered(store, d.number);
      expect(after.correction).toEqual({ period: WEEK, edition: 2 });
      expect(after.events.at(-1)).toMatchObject({ status: 'corrected', by: 'ana' });
      const page = await (await app.request(`/disputes/${d.number}`)).text();
      expect(page).toContain('Upheld');
      expect(page).toContain('href="/reports/week/2017-01-28?edition=2"');
      const edition = await (await app.request('/reports/week/2017-01-28?edition=2')).text();
      expect(edition).toContain(`href="/disputes/${d.number}"`);
      // Answered: it cannot be cited again, nor its status changed.
      await expect(answering(store, WEEK, [d.number])).rejects.toThrow(/answered already/);
      await expect(setDisputeStatus(office, d.number, 'rejected', 'changed my mind')).rejects.toThrow(
        /answered/,
      );
      // The edition verifies: the cited disputes are part of what it commits to.
      expect((await showEdition(store, WEEK, 2)).report.edition!.disputes).toEqual([d.number]);
    });

    it('carries the disputes of a correction proposal into the edition its approval publishes', async () => {
      const analyst = actingAs(store, { name: 'ana', via: 'web', from: 'test' });
      const reviewer = actingAs(store, { name: 'rev', via: 'web', from: 'test' });
      const report = (await showEdition(store, WEEK)).report;
      const g = report.section2.at(-1)!;
      const d = await fileDispute(actingAs(store, { name: 'public', via: 'web', from: 'test' }), {
        period: WEEK,
        edition: report.edition!.number,
        row: g.declines.at(-1)!.ref,
        claim: 'not_a_decline',
        explanation: 'Issued in error.',
      });
      await setDisputeStatus(analyst, d.number, 'partly_upheld', 'Issued in error; the county is right.');
      const behind = await recordsBehind(store, await disputeNumbered(store, d.number));
      const record = (await detainerRecord(store, behind.detainerIds[0]!))!;
      await recordOutcome(
        analyst,
        record.detainer_id,
        { outcome: 'issued_in_error', declined_date: null, recorded_date: null },
        record.version,
      );
      const p = await propose(analyst, WEEK, { note: 'Issued in error.', disputes: [d.number] });
      expect(p.disputes).toEqual([d.number]);
      const { edition } = await approve(reviewer, p.id);
      expect(edition.report.edition!.disputes).toEqual([d.number]);
      expect((await disputeNumbered(store, d.number)).correction?.edition).toBe(
        edition.report.edition!.number,
      );
    });

    it('publishes the decisions as a valid Atom feed, linked from the dispute pages', async () => {
      const res = await app.request('/disputes/feed.xml');
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toContain('application/atom+xml');
      const xml = await res.text();
      expect(atomProblems(xml)).toEqual([]);
      const entries = parseXml(xml).children.filter((e) => e.name === 'entry');
      const decided = (
        await store.db
          .selectFrom('disputes')
          .select('dispute_id')
          .where('decided_at', 'is not', null)
          .execute()
      ).length;
      expect(entries.length).toBe(decided);
      expect(xml).toContain('upheld');
      expect(xml).toContain('rejected');
      expect(xml).toContain('edition=2');
      // Undecided disputes are not decisions.
      const open = await store.db
        .selectFrom('disputes')
        .select('dispute_id')
        .where('decided_at', 'is', null)
        .execute();
      for (const r of open) expect(xml).not.toContain(`/disputes/${Number(r.dispute_id)}<`);
      for (const path of ['/disputes', '/disputes/1'])
        expect(await (await app.request(path)).text()).toContain('href="/disputes/feed.xml"');
    });

    it('never lets a contact out: no public page, API response or export holds it, and only its own table in the store', async () => {
      const fips = firstRow().group.county.fips;
      const paths = [
        '/',
        '/disputes',
        '/editions',
        `/counties/${fips}`,
        '/counties/48453',
        '/api/v1/disputes',
        '/api/v1/disputes?county=48453',
        `/api/v1/jurisdictions/${fips}`,
        '/api/v1/editions',
        ...[1, 2, 3].map((n) => `/reports/week/2017-01-28?edition=${n}`),
        ...(await store.db.selectFrom('disputes').select('dispute_id').execute()).map(
          (r) => `/disputes/${Number(r.dispute_id)}`,
        ),
        ...(await store.db.selectFrom('disputes').select('dispute_id').execute()).map(
          (r) => `/api/v1/disputes/${Number(r.dispute_id)}`,
        ),
        ...['json', 'md', 'csv', 'html'].map((f) => `/api/v1/reports/week/2017-01-28.${f}?edition=2`),
        '/feed.xml',
        '/disputes/feed.xml',
        `/counties/${fips}/feed.xml`,
        '/counties/48453/feed.xml',
        `/embed/counties/${fips}/week/2017-01-28?edition=2`,
        '/embed/reports/week/2017-01-28/map?edition=2',
        ...['apa', 'chicago', 'bibtex', 'csl-json'].map(
          (s) => `/reports/week/2017-01-28/cite?edition=2&style=${s}`,
        ),
      ];
      for (const path of paths) {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        expect(await res.text(), path).not.toContain(CONTACT);
      }
      for (const n of [1, 2, 3]) {
        const files = await renderFormats(
          (await showEdition(store, WEEK, n)).report,
          FORMAT_IDS.filter((f) => f !== 'pdf'),
        );
        for (const [name, content] of Object.entries(files))
          expect(Buffer.from(content).toString('latin1'), name).not.toContain(CONTACT);
      }
      // Every table the store has, as the database lists them: one added later is searched too.
      const { rows: tables } = await sql<{ name: string }>`
        SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`.execute(store.db);
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(['detainers', 'audit', 'disputes', 'dispute_contacts']),
      );
      const holders: string[] = [];
      for (const { name: table } of tables) {
        const { rows } = await sql`SELECT * FROM ${sql.table(table)}`.execute(store.db);
        if (JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(CONTACT))
          holders.push(table);
      }
      expect(holders).toEqual(['dispute_contacts']);
    });
  });
}
