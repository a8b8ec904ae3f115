/**
 * What every response carries and every request is held to: security headers (Hono's
 * secure-headers), 405 with `Allow` for a method a route does not take (Hono's
 * method-not-allowed), and a limit on the URL's length. Headers a handler sets itself are
 * kept, so a page that may be embedded says so where it is served (`mayBeFramedBy`).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { secureHeaders } from 'hono/secure-headers';
import { HttpError } from './errors.js';

/** Longer URLs get 414; Node refuses a request line plus headers over MAX_HEADER_BYTES with 431 (see serve.ts). */
export const MAX_URL_BYTES = 8 * 1024;
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Scripts only from this server (the Vite-built map island, /assets/map.js): no inline
 * script runs. Styles may be inline (each page carries the report's stylesheet, so a saved
 * page stays whole). The map of a report page is an <object> from this server.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'self'"],
  frameSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

const cspText = (policy: Record<string, string[]>) =>
  Object.entries(policy)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)} ${v.join(' ')}`)
    .join('; ');

/**
 * Lets `ancestors` (e.g. `'self'`, `https://news.example`) frame this response: the one
 * way to relax `frame-ancestors 'none'`, route by route.
 */
export function mayBeFramedBy(c: Context, ancestors: string[]): void {
  c.header('Content-Security-Policy', cspText({ ...CONTENT_SECURITY_POLICY, frameAncestors: ancestors }));
  if (ancestors.length === 1 && ancestors[0] === "'self'") c.header('X-Frame-Options', 'SAMEORIGIN');
  else c.res.headers.delete('X-Frame-Options');
}

/** The headers of every response, as a raw HTTP response written by serve.ts needs them too. */
export const BASELINE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': cspText(CONTENT_SECURITY_POLICY),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Registers the headers, the 405 and the URL limit: first, so they hold for every route. */
export function registerSecurity(app: OpenAPIHono): void {
  // X-Frame-Options has no value for "any site": a response that lets others than this site frame
  // it (its CSP says so, as built or as kept by the response cache) goes without one. Outermost,
  // so it sees the header secure-headers adds.
  app.use('*', async (c, next) => {
    await next();
    const ancestors = /frame-ancestors ([^;]*)/.exec(c.res.headers.get('Content-Security-Policy') ?? '')?.[1];
    if (ancestors && ancestors.trim() !== "'none'" && ancestors.trim() !== "'self'")
      c.res.headers.delete('X-Frame-Options');
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      // The API and the publisher's key are read from anywhere (CORS): see below.
      crossOriginResourcePolicy: 'same-origin',
      overwrite: false,
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    const p = c.req.path;
    if (p.startsWith('/api/') || p.startsWith('/.well-known/'))
      c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  });
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        throw new HttpError(
          405,
          'method_not_allowed',
          `${c.req.method} is not allowed on ${c.req.path}`,
          `This path takes ${methods.join(', ')}.`,
          { Allow: methods.join(', ') },
        );
      },
    }) as MiddlewareHandler,
  );
  app.use('*', async (c, next) => {
    if (Buffer.byteLength(c.req.url) > MAX_URL_BYTES + 256) {
      throw new HttpError(
        414,
        'uri_too_long',
        `the URL is longer than ${MAX_URL_BYTES} bytes`,
        'Ask for less in one request: a period, an edition and a few filters fit in a short URL.',
      );
    }
    await next();
  });
}
