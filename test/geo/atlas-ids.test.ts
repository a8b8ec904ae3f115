/** The map's county ids read from the atlas's text are exactly those of its parsed topology. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { atlasIds, placeOnAtlas } from '../../src/geo/atlas.js';

describe('the atlas county ids', () => {
  it('are the ids of every county geometry of us-atlas, no more', () => {
    const path = createRequire(import.meta.url).resolve('us-atlas/counties-10m.json');
    const topology = JSON.parse(readFileSync(path, 'utf8')) as {
      objects: { counties: { geometries: Array<{ id: string }> } };
    };
    const parsed = new Set(topology.objects.counties.geometries.map((g) => g.id));
    expect([...atlasIds()].sort()).toEqual([...parsed].sort());
    expect(parsed.size).toBeGreaterThan(3000);
    expect(placeOnAtlas('48453')).toEqual({ fips: '48453', note: null });
    expect(placeOnAtlas('72127').fips).toBeNull();
  });
});
