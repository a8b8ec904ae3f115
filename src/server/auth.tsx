/**
 * Who is asking: a middleware sets the current user (or none) on every request,
 * from an API bearer token or a web session cookie; the sign-in and sign-out
 * forms; CSRF protection for every unsafe request; a per-address limit on
 * failed sign-ins. With no account in the store none of this changes what
 * anyone may read: ddor stays the single-user tool it always was.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import {
  type CurrentUser,
  hasAccounts,
  SESSION_HOURS,
  signIn,
  signOut,
  userForSession,
  userForToken,
} from '../auth/accounts.js';
import { newSecret, sameSecret } from '../auth/passwords.js';
import { may } from '../domain/roles.js';
import type { Store } from '../store/store.js';
import { HttpError } from './errors.js';
import { html } from './pages/layout.js';
import { SignInPage } from './pages/sign-in.js';
import { SlidingWindowLimit } from './rate-limit.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in user or the bearer token's owner; null for the public. */
    user: CurrentUser | null;
  }
}

export const SESSION_COOKIE = 'ddor_session';
/** Forms whose body is a streamed upload: their CSRF token is checked as the upload arrives. */
export const STREAMED_FORMS = new Set(['/work/import']);
export const CSRF_COOKIE = 'ddor_csrf';
/** Forms anyone may send, signed in or not, that write as the public (no CSRF token: no authority to borrow). */
export const PUBLIC_FORMS = new Set(['/disputes', '/api/v1/disputes']);
/** Failed sign-ins allowed per remote address in a window; the next attempt is refused (429). */
export const SIGN_IN_LIMIT = { failures: 5, minutes: 15 } as const;

/** The remote address of a request (web and api audit rows name it); "unknown" without a socket (tests). */
export function remoteAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

const cookieOptions = (c: Context) =>
  ({ path: '/', httpOnly: true, sameSite: 'Strict', secure: secure(c) }) as const;

/** The double-submit CSRF token: the cookie's value, set when missing. Forms carry it in a hidden field. */
export function csrfToken(c: Context): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newSecret('');
  setCookie(c, CSRF_COOKIE, token, cookieOptions(c));
  return token;
}

/** A page or API request's 401: what is missing and how to get it. */
export function signInNeeded(what: string): HttpError {
  return new HttpError(
    401,
    'unauthorized',
    `${what} is visible to signed-in users only`,
    'Published editions are public (see /editions). Sign in at /sign-in, or send an API token: Authorization: Bearer <token>.',
  );
}

/** Whether this request may see current-data drafts: anyone while the store has no account, else a user whose role allows it. */
export async function mayReadDrafts(c: Context, store: Store): Promise<boolean> {
  const user = c.get('user');
  if (user) return may(user.role, 'read.drafts');
  return !(await hasAccounts(store));
}

/** Only a path on this site is a place to go after signing in. */
const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';

export function registerAuth(app: OpenAPIHono, store: Store): void {
  /** Failed sign-ins by remote address: their times (ms), pruned to the window. */
  const failures = new SlidingWindowLimit(SIGN_IN_LIMIT.failures, SIGN_IN_LIMIT.minutes * 60_000);

  app.use('*', async (c, next) => {
    let user: CurrentUser | null = null;
    const authorization = c.req.header('Authorization');
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      user = token ? await userForToken(store, token) : null;
      if (!user) {
        throw new HttpError(
          401,
          'unauthorized',
          'the bearer token is not valid',
          'It may be mistyped or revoked, or its user disabled. An admin creates tokens with `ddor token create NAME`.',
        );
      }
    } else {
      const session = getCookie(c, SESSION_COOKIE);
      if (session) {
        user = await userForSession(store, session);
        // A stale or forged cookie makes the request the public's; drop it.
        if (!user) deleteCookie(c, SESSION_COOKIE, { path: '/' });
      }
    }
    c.set('user', user);
    await next();
  });

  // CSRF: every unsafe request from a browser carries the token of its cookie (form field or header).
  // A bearer token is not sent by browsers on their own, so requests with one need no CSRF token.
  app.use('*', async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || c.req.header('Authorization')) return next();
    // A form anyone may send (a dispute) carries no one's authority: it is filed as the public's.
    if (c.req.method === 'POST' && PUBLIC_FORMS.has(c.req.path)) return next();
    // An API request that carries no session holds no authority a forged request could borrow:
    // it is answered as the public's (401 for a write), not as a CSRF failure.
    if (c.req.path.startsWith('/api/') && !c.get('user')) return next();
    const cookie = getCookie(c, CSRF_COOKIE);
    let sent = c.req.header('X-CSRF-Token');
    const type = c.req.header('Content-Type') ?? '';
    // An upload form is streamed to disk, never parsed into memory here: its CSRF field, sent
    // first, is checked by the upload reader before any byte of the file is kept (uploads.ts).
    if (!sent && type.startsWith('multipart/form-data') && STREAMED_FORMS.has(c.req.path)) return next();
    if (
      !sent &&
      (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'))
    ) {
      const field = (await c.req.parseBody()).csrf;
      sent = typeof field === 'string' ? field : undefined;
    }
    if (!cookie || !sent || !sameSecret(cookie, sent)) {
      throw new HttpError(
        403,
        'forbidden',
        "the form's security token is missing or does not match",
        'Reload the page and submit the form again (ddor needs cookies to be allowed for this site).',
      );
    }
    return next();
  });

  app.get('/sign-in', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(
      html(<SignInPage csrf={csrfToken(c)} next={safeNext(c.req.query('next'))} user={c.get('user')} />),
    );
  });

  app.post('/sign-in', async (c) => {
    c.header('Cache-Control', 'no-store');
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const address = remoteAddress(c);
    const now = Date.now();
    if (failures.full(address, now)) {
      throw new HttpError(
        429,
        'too_many_requests',
        `too many failed sign-ins from this address (${SIGN_IN_LIMIT.failures} in ${SIGN_IN_LIMIT.minutes} minutes)`,
        `Wait ${SIGN_IN_LIMIT.minutes} minutes and try again, or ask an admin to check your account (\`ddor user list\`).`,
      );
    }
    const name = typeof form.name === 'string' ? form.name.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const signedIn = await signIn(store, address, name, password);
    if (!signedIn) {
      failures.add(address, now);
      return c.html(
        html(
          <SignInPage
            csrf={csrfToken(c)}
            next={next}
            user={null}
            error="That name and password do not match an active account."
            name={name}
          />,
        ),
        401,
      );
    }
    setCookie(c, SESSION_COOKIE, signedIn.sessionId, { ...cookieOptions(c), maxAge: SESSION_HOURS * 3600 });
    // A new CSRF token for the new session.
    setCookie(c, CSRF_COOKIE, newSecret(''), cookieOptions(c));
    return c.redirect(next, 303);
  });

  app.post('/sign-out', async (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session) await signOut(store, remoteAddress(c), session);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });
}
