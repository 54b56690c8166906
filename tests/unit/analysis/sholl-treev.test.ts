import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureDocument } from '../../../shared/analysis';
import { parseSwc } from '../../../shared/formats/swc';

/**
 * SNT's TreeV toy tree: its child paths start with a duplicate of the branch node and repeat the parent's next
 * segment, so some shells meet two coincident segments at one point. The expected profile comes from an
 * independent exact-arithmetic script (tests/fixtures/swc/snt/treev-sholl.py, output committed beside it) that
 * enumerates the distinct intersection points of every edge with every shell.
 */
const DIR = join(__dirname, '../../fixtures/swc/snt');
const expected = JSON.parse(readFileSync(join(DIR, 'treev-sholl.json'), 'utf8')) as { centre: number[]; start: number; step: number; end: number; profile: Array<[number, number]> };

describe('Sholl on TreeV.swc counts distinct intersection points', () => {
  const { document } = parseSwc(readFileSync(join(DIR, 'TreeV.swc'), 'utf8'));
  const sholl = measureDocument(document, { sholl: { start: 10, step: 1 } })[0].sholl!;

  it('centres on the root, samples 10 … 146 µm', () => {
    // The root (70, 160) µm, pixel (70, 160)'s centre: 70.5, 160.5 in the document's frame (pixel corners at integers).
    expect(sholl.centre).toEqual({ x: 70.5, y: 160.5, z: 0 });
    expect(sholl.profile.map((s) => s.radius)).toEqual(expected.profile.map(([r]) => r));
  });

  it('4 crossings at 114 µm, and the whole profile equals the exact count', () => {
    const got = sholl.profile.map((s) => [s.radius, s.crossings]);
    expect(got.find(([r]) => r === 114)).toEqual([114, 4]);
    expect(got).toEqual(expected.profile);
  });
});
