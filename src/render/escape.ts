/** Escapes text for HTML and SVG (element content and double-quoted attributes). */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

export const num = (n: number) => n.toLocaleString('en-US');
