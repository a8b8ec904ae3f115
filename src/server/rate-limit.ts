/**
 * A per-address limit over a sliding window, kept in the server's memory (each server
 * process counts its own requests: two servers on one store allow twice as many).
 */
export class SlidingWindowLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.seen.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length > 0) this.seen.set(key, kept);
    else this.seen.delete(key);
    return kept;
  }

  /** Whether `key` is at its limit now. */
  full(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length >= this.limit;
  }

  /** Counts one event of `key`. */
  add(key: string, now = Date.now()): void {
    this.seen.set(key, [...this.recent(key, now), now]);
    // An address that stops sending is forgotten once its window passes; keep the map small.
    if (this.seen.size > 10_000) for (const k of [...this.seen.keys()].slice(0, 1000)) this.recent(k, now);
  }

  /** Seconds until `key` may send again (0: now). */
  retryAfter(key: string, now = Date.now()): number {
    const times = this.recent(key, now);
    if (times.length < this.limit) return 0;
    return Math.max(1, Math.ceil((times[times.length - this.limit]! + this.windowMs - now) / 1000));
  }
}
