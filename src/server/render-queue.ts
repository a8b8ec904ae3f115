/**
 * PDF and XLSX renders in the server: one bounded queue, one warm Chromium. At most
 * `concurrency` run at once and `waiting` wait; a request beyond that gets 503 with
 * `Retry-After`, so a crowd asking for many weeks' PDFs cannot start a browser each.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HttpError } from './errors.js';

export class RenderQueue {
  private running = 0;
  private readonly waiters: Array<() => void> = [];
  /** A running mean of how long a render takes, for Retry-After. */
  private meanMs = 3000;

  constructor(
    readonly concurrency: number,
    readonly waiting: number,
  ) {}

  /** Seconds until a place is likely to be free. */
  retryAfter(): number {
    const ahead = this.running + this.waiters.length;
    return Math.min(120, Math.max(1, Math.ceil((this.meanMs * ahead) / this.concurrency / 1000)));
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else if (this.waiters.length < this.waiting) await new Promise<void>((r) => this.waiters.push(r));
    else {
      const seconds = this.retryAfter();
      throw new HttpError(
        503,
        'busy',
        `the server is rendering as many files as it can (${this.concurrency} at once, ${this.waiting} waiting)`,
        `Try again in ${seconds} s; a published edition's file, once rendered, is served at once.`,
        { 'Retry-After': String(seconds) },
      );
    }
    const started = Date.now();
    try {
      return await fn();
    } finally {
      this.meanMs = this.meanMs * 0.8 + (Date.now() - started) * 0.2;
      // The place passes to the next waiter, or is freed.
      const next = this.waiters.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * One Chromium for the server's life, started at the first PDF and again if it dies, and
 * its pages: one per render at once (the queue's limit), kept between renders.
 */
export class WarmBrowser {
  private browser: Promise<Browser> | undefined;
  private context: Promise<BrowserContext> | undefined;
  private readonly idle: Page[] = [];

  /** Lends a page for `fn`; it goes back to the idle ones after (a page that failed is closed). */
  async withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    let page = this.idle.pop();
    while (page?.isClosed()) page = this.idle.pop();
    if (!page) {
      const browser = this.get();
      if (!this.context) this.context = browser.then((b) => b.newContext());
      const context = this.context;
      try {
        page = await (await context).newPage();
      } catch (error) {
        if (this.context === context) this.context = undefined;
        throw error;
      }
    }
    try {
      const result = await fn(page);
      this.idle.push(page);
      return result;
    } catch (error) {
      await page.close().catch(() => {});
      throw error;
    }
  }

  get(): Promise<Browser> {
    if (!this.browser) {
      const launching = import('../render/browser.js').then((m) => m.launchBrowser());
      this.browser = launching;
      launching.then(
        (b) =>
          b.on('disconnected', () => {
            if (this.browser === launching) this.browser = undefined;
          }),
        () => {
          if (this.browser === launching) this.browser = undefined;
        },
      );
    }
    return this.browser;
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    this.context = undefined;
    this.idle.length = 0;
    if (b) await (await b.catch(() => null))?.close();
  }
}
