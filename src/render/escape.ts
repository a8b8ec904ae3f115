import { thousands } from '../domain/numbers.js';

/** Escapes text for HTML and SVG (element content and double-quoted attributes). */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A count as the report writes it: 1,234. */
export const num = thousands;
