/** What a server may be told when it is made (createApp, startServer): its limits. */
export interface AppOptions {
  /** PDF and XLSX renders at once (default DDOR_RENDER_CONCURRENCY, else 2). */
  renderConcurrency?: number;
  /** Renders that may wait for one of those; the next request gets 503 (default DDOR_RENDER_QUEUE, else 8). */
  renderQueue?: number;
  /** Bytes of built responses kept in memory (default DDOR_CACHE_MB, else 256 MB). */
  cacheBytes?: number;
  /**
   * The site's public base URL, e.g. `https://ddor.example.org` (public-url.ts): feeds, oEmbed,
   * embed snippets and citations are absolute with it. A function when it is known only once the
   * server listens (its port). Default DDOR_PUBLIC_URL, else http://localhost:8080.
   */
  publicUrl?: string | (() => string);
}

const closers = new WeakMap<object, Array<() => Promise<void>>>();

/** Runs `fn` when `app` is closed (its warm browser, say). */
export function onClose(app: object, fn: () => Promise<void>): void {
  closers.set(app, [...(closers.get(app) ?? []), fn]);
}

/** Releases what `app` holds (not the store: its owner closes that). */
export async function closeApp(app: object): Promise<void> {
  const fns = closers.get(app) ?? [];
  closers.delete(app);
  for (const fn of fns) await fn();
}

/** A whole number from the environment, else `fallback`. */
export function envCount(name: string, fallback: number, min = 1): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= min ? v : fallback;
}
