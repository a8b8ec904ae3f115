/**
 * Built responses kept as bytes: a page or API response to the public is built once per
 * store generation (store/generation.ts) and URL, kept with its ETag and its gzip and
 * brotli forms (node:zlib, made once), and sent in the form Accept-Encoding asks for.
 * Readers arriving together for a response not yet built wait for the one build.
 *
 * Only what is the same for every reader is kept: requests without credentials (no
 * bearer token, no session cookie), answered 200 without Set-Cookie and without
 * `Cache-Control: no-store` or `private`. A kept response is built again after KEEP_MS even
 * when nothing was written, so a forgery of a published edition made past the store's audit
 * trail is still seen within that time (every build checks the edition's hash and chain).
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Store } from '../store/store.js';
import { SESSION_COOKIE } from './auth.js';

/** How long a kept response is served before it is built again (the store unchanged). */
export const KEEP_MS = 60_000;
/** Larger responses are sent but not kept. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/;

type Encoding = 'br' | 'gzip' | 'identity';

interface Entry {
  generation: string;
  at: number;
  status: number;
  headers: [string, string][];
  /** The ETag of the identity form; the others add their coding to it. */
  etag: string;
  forms: Partial<Record<Encoding, Buffer>>;
  bytes: number;
  /** False for a response too large to keep: it is sent once, from this entry. */
  keep: boolean;
  /** The headers of each form, as sent. */
  prepared: Partial<Record<Encoding, Record<string, string>>>;
}

/** The coding Accept-Encoding prefers among those kept: brotli, then gzip, else none. */
export function chooseEncoding(accept: string | undefined, forms: Entry['forms']): Encoding {
  if (!accept) return 'identity';
  const q = new Map<string, number>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const qv = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) q.set(name.trim(), qv === undefined ? 1 : Number(qv));
  }
  const weight = (e: string) => q.get(e) ?? q.get('*') ?? 0;
  if (forms.br && weight('br') > 0) return 'br';
  if (forms.gzip && weight('gzip') > 0) return 'gzip';
  return 'identity';
}

const etagFor = (entry: Entry, encoding: Encoding) =>
  encoding === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${encoding}"`;

function responseOf(entry: Entry, accept: string | undefined): Response {
  const encoding = chooseEncoding(accept, entry.forms);
  const body = entry.forms[encoding]!;
  // Headers as a plain record, made once per form: @hono/node-server writes those fastest.
  let headers = entry.prepared[encoding];
  if (!headers) {
    headers = Object.fromEntries(entry.headers);
    headers.etag = etagFor(entry, encoding);
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    headers['content-length'] = String(body.length);
    entry.prepared[encoding] = headers;
  }
  return new Response(body as unknown as ArrayBuffer, { status: entry.status, headers });
}

async function entryOf(res: Response, generation: string): Promise<Entry | null> {
  const cacheControl = res.headers.get('Cache-Control') ?? '';
  if (res.status !== 200 || res.headers.has('Set-Cookie') || /no-store|private/i.test(cacheControl))
    return null;
  const length = Number(res.headers.get('Content-Length') ?? 0);
  if (length > MAX_ENTRY_BYTES || res.headers.has('Content-Encoding')) return null;
  const body = Buffer.from(await res.arrayBuffer());
  const headers: [string, string][] = [];
  res.headers.forEach((v, k) => {
    if (k !== 'content-length' && k !== 'etag') headers.push([k, v]);
  });
  const forms: Entry['forms'] = { identity: body };
  const type = res.headers.get('Content-Type') ?? '';
  if (COMPRESSIBLE.test(type) && body.length >= 1024 && body.length <= MAX_ENTRY_BYTES) {
    forms.gzip = gzipSync(body, { level: 6 });
    forms.br = brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    headers.push(['vary', 'Accept-Encoding']);
  }
  const etag = res.headers.get('ETag') ?? `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  const bytes = Object.values(forms).reduce((n, b) => n + b.length, 0);
  const keep = body.length <= MAX_ENTRY_BYTES;
  return { generation, at: Date.now(), status: res.status, headers, etag, forms, bytes, keep, prepared: {} };
}

export function responseCache(store: Store, maxBytes: number): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  const building = new Map<string, Promise<Entry | null>>();
  let total = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (e) total -= e.bytes;
    entries.delete(key);
  };
  const keep = (key: string, entry: Entry) => {
    drop(key);
    entries.set(key, entry);
    total += entry.bytes;
    for (const oldest of entries.keys()) {
      if (total <= maxBytes) break;
      drop(oldest);
    }
  };

  return async function cacheResponses(c, next) {
    // HEAD is answered as GET (Hono drops the body), so it shares what GET keeps.
    const read = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (!read || c.req.header('Authorization') !== undefined || getCookie(c, SESSION_COOKIE)) return next();
    // By path and query, not host: another Host header is the same resource.
    const key = c.req.url.slice(c.req.url.indexOf('/', c.req.url.indexOf('//') + 2));
    let generation: string;
    try {
      generation = await store.generation();
    } catch {
      return next(); // the store is unreachable: the handler answers (503) as it would
    }
    const accept = c.req.header('Accept-Encoding');
    const kept = entries.get(key);
    // A kept response carries every header its first build had (CORS's too): it is set as the
    // response as it is (set twice, so that Hono does not copy the placeholder's headers over it).
    const send = (entry: Entry) => {
      c.res = undefined as unknown as Response;
      c.res = responseOf(entry, accept);
    };
    if (kept && kept.generation === generation && Date.now() - kept.at < KEEP_MS) return send(kept);
    const pending = building.get(key);
    if (pending) {
      const entry = await pending;
      if (entry?.keep && entry.generation === generation) return send(entry);
      return next();
    }
    let settle: (e: Entry | null) => void = () => {};
    building.set(
      key,
      new Promise((r) => {
        settle = r;
      }),
    );
    let entry: Entry | null = null;
    try {
      await next();
      entry = await entryOf(c.res, generation);
    } finally {
      building.delete(key);
      settle(entry);
    }
    if (!entry) return;
    if (entry.keep) keep(key, entry);
    // The handler's response was read to build the entry: send the entry instead.
    send(entry);
  };
}
