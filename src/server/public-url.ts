/**
 * The site's public base URL (`ddor serve --public-url`, `DDOR_PUBLIC_URL`): what feeds, oEmbed
 * answers, embed snippets and citations put before a path. It is configured, never taken from a
 * request's Host header: responses are kept as bytes for every reader (response-cache.ts), so a
 * forged Host must not reach them.
 */
import { DdorError } from '../errors.js';

/** `https://ddor.example.org/` → `https://ddor.example.org`; anything but an http(s) origin is refused. */
export function parsePublicUrl(text: string, what = '--public-url'): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DdorError(
      'usage',
      `${what} ${JSON.stringify(text)} is not a URL`,
      'Give the address readers use, e.g. --public-url https://ddor.example.org',
    );
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    url.pathname !== '/'
  ) {
    throw new DdorError(
      'usage',
      `${what} ${JSON.stringify(text)} is not an http(s) origin`,
      'ddor is served at the root of its origin: give scheme, host and port only, e.g. https://ddor.example.org',
    );
  }
  return url.origin;
}

/** Where the base URL comes from when it is not given: `DDOR_PUBLIC_URL`, else the address the server prints. */
export function publicUrlFromEnv(fallback: string): string {
  const env = process.env.DDOR_PUBLIC_URL?.trim();
  return env ? parsePublicUrl(env, 'DDOR_PUBLIC_URL') : fallback;
}

/** An absolute URL of this site: the base URL and a path (with its query). */
export const absolute = (base: string, path: string) => `${base}${path.startsWith('/') ? path : `/${path}`}`;

/** The app's base URL as a function (createApp): the option given, else DDOR_PUBLIC_URL, else http://localhost:8080. */
export function publicUrlOption(option: string | (() => string) | undefined): () => string {
  if (typeof option === 'function') return option;
  const fixed = option === undefined ? publicUrlFromEnv('http://localhost:8080') : parsePublicUrl(option);
  return () => fixed;
}

const bases = new WeakMap<object, () => string>();

/** Gives `app` its base URL (createApp does, once): every route that builds absolute URLs reads it with `publicUrlOf`. */
export function setPublicUrl(app: object, base: () => string): void {
  bases.set(app, base);
}

/** The base URL of `app`'s site, e.g. `https://ddor.example.org` (no trailing slash). */
export function publicUrlOf(app: object): string {
  const base = bases.get(app);
  if (!base) throw new Error('the app has no public URL: createApp sets it');
  return base();
}
