import { createHash } from 'node:crypto';

/**
 * Normalises SVG geometry for golden files (after Observable Plot): coordinates
 * rounded to whole pixels, then each path's data replaced by a short hash, so
 * the golden file pins structure, ids, fills and titles and still notices a
 * moved county, without a megabyte of coordinates.
 */
export function normaliseSvg(svg: string): string {
  return svg.replace(/ d="([^"]*)"/g, (_, d: string) => {
    const rounded = d.replace(/-?\d+(\.\d+)?/g, (n) => String(Math.round(Number(n))));
    return ` d="#${createHash('sha1').update(rounded).digest('hex').slice(0, 12)}"`;
  });
}
