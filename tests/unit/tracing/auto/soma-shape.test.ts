import { describe, expect, it } from 'vitest';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { euclideanDistance } from '../../../../shared/tracing/auto/distance';
import { traceAndScore } from '../../../../shared/tracing/auto/gold-standard';
import { detectSomata, isCompactBlob, seedAtClick, typicalNeuriteRadius } from '../../../../shared/tracing/auto/soma';
import { sharedData } from './reference-data';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { band, disk, noisyPlane, type SetPixel } from './painters';

/** A mask painted by `paint` and its distance to the background. */
function field(width: number, height: number, paint: (set: SetPixel) => void) {
  const mask = new Uint8Array(width * height);
  paint((x, y) => {
    if (x >= 0 && y >= 0 && x < width && y < height) mask[x + width * y] = 1;
  });
  return { mask, depth: euclideanDistance(mask, width, height) };
}

describe('cell body or thick neurite', () => {
  it('a disk with thin neurites is a compact blob; the middle of a tube as thick as that disk is not', () => {
    // Disk r = 10 at (40, 40) with two 3-px neurites (2 deep); a 19-px-wide tube along y = 100, as deep (10).
    const { depth } = field(160, 130, (set) => {
      disk(set, 40, 40, 10);
      band(set, 50, 150, 39, 41);
      band(set, 0, 30, 39, 41);
      band(set, 0, 159, 91, 109);
    });
    expect(depth[40 + 160 * 40]).toBeCloseTo(Math.sqrt(101), 5);
    expect(isCompactBlob(depth, 160, 130, 40, 40, Math.sqrt(101))).toBe(true);
    expect(depth[80 + 160 * 100]).toBe(10);
    expect(isCompactBlob(depth, 160, 130, 80, 100, 10)).toBe(false);
  });

  it('a swelling on a thick dendrite is not a cell body: the dendrite runs on either side at 0.7 of its depth', () => {
    // A 13-px-wide dendrite (7 deep at its crest) swelling to a disk r = 10: at 20 px from its centre the dendrite is
    // still 7 deep, where a cell body's neurites are a third of its depth (SNT's ddaC has such a swelling, 0.72).
    const { mask, depth } = field(200, 100, (set) => {
      band(set, 0, 199, 44, 56);
      disk(set, 100, 50, 10);
    });
    expect(depth[100 + 200 * 50]).toBeCloseTo(Math.sqrt(101), 5);
    expect(depth[120 + 200 * 50]).toBe(7);
    expect(isCompactBlob(depth, 200, 100, 100, 50, Math.sqrt(101))).toBe(false);
    expect(detectSomata(mask, depth, 200, 100, 8, 20, undefined, 2)).toEqual([]);
  });

  it('typical neurite radius: the median depth along the crests, not the flat run of a tube’s edge rows', () => {
    // Three 5-px-wide tubes (crest depth 3) and one disk r = 12: crests are mostly the tubes'.
    const { mask, depth } = field(200, 120, (set) => {
      band(set, 10, 190, 18, 22);
      band(set, 10, 190, 58, 62);
      band(set, 10, 120, 98, 102);
      disk(set, 160, 95, 12);
    });
    expect(typicalNeuriteRadius(mask, depth, 200, 120)).toBe(3);
  });

  it('detection keeps a soma but not a bulb that is deep in µm yet under four times the neurites’ radius', () => {
    // Neurites 5 px wide (radius 3); a soma r = 14 (√197 ≈ 14.04 deep ≥ 4 × 3) and a terminal bulb r = 8 (√65 ≈ 8.06
    // deep < 12), both deeper than the 8 px minimum of 4 µm at an assumed 0.5 µm/px.
    const { mask, depth } = field(260, 120, (set) => {
      band(set, 10, 250, 58, 62);
      disk(set, 60, 60, 14);
      disk(set, 200, 60, 8);
    });
    expect(typicalNeuriteRadius(mask, depth, 260, 120)).toBe(3);
    const found = detectSomata(mask, depth, 260, 120, 8, 20);
    expect(found.map((s) => [s.x, s.y])).toEqual([[60.5, 60.5]]);
    expect(found[0].r).toBeCloseTo(Math.sqrt(197), 5);
    // The bulb is deep enough and compact: only the neurites' yardstick (4 × 3 px) keeps it out.
    expect(depth[200 + 260 * 60]).toBeGreaterThan(8);
    expect(isCompactBlob(depth, 260, 120, 200, 60, depth[200 + 260 * 60])).toBe(true);
  });

  it('a click on a thick neurite starts a fibre on its centre line, a click on a soma a cell body', () => {
    const { mask, depth } = field(160, 130, (set) => {
      disk(set, 40, 40, 10);
      band(set, 50, 150, 39, 41);
      band(set, 0, 159, 91, 109);
    });
    const onTube = seedAtClick(80.5, 93.5, mask, depth, 160, 130, 8, 12);
    expect(onTube.fibre).toBe(true);
    expect(onTube.y).toBe(100.5);
    const onSoma = seedAtClick(36.5, 44.5, mask, depth, 160, 130, 8, 12);
    expect([onSoma.fibre, onSoma.x, onSoma.y]).toEqual([false, 40.5, 40.5]);
  });
});

describe('cells side by side', () => {
  // Two bodies r = 12 (√145 ≈ 12.04 deep) whose centres are 22 px apart: they merge across a waist 9 px wide (5 deep,
  // under half their depth), each with a 3-px neurite (2 deep) running away from the other.
  const pair = () =>
    field(200, 120, (set) => {
      disk(set, 80, 60, 12);
      disk(set, 102, 60, 12);
      band(set, 10, 70, 59, 61);
      band(set, 112, 190, 59, 61);
    });

  it('each body is compact, though the circle at twice its depth crosses the other: the foreground thins between them', () => {
    const { depth } = pair();
    expect(depth[91 + 200 * 60]).toBe(5);
    // Without a neighbour allowed (a click's own reading before), the other body made each a thick neurite.
    expect(isCompactBlob(depth, 200, 120, 80, 60, depth[80 + 200 * 60])).toBe(false);
    expect(isCompactBlob(depth, 200, 120, 80, 60, depth[80 + 200 * 60], 8)).toBe(true);
    expect(isCompactBlob(depth, 200, 120, 102, 60, depth[102 + 200 * 60], 8)).toBe(true);
  });

  it('Detect finds both cells, 22 px apart though the least separation is 40, each its own half of the ground between', () => {
    const { mask, depth } = pair();
    const found = detectSomata(mask, depth, 200, 120, 8, 40, undefined, 2);
    expect(found.map((s) => [s.x, s.y, s.fibre]).sort((a, b) => +a[0] - +b[0])).toEqual([
      [80.5, 60.5, false],
      [102.5, 60.5, false],
    ]);
    // Each disk reaches the middle of the waist and no further: 11 px, not the 12.04 of its depth.
    for (const s of found) expect(s.r).toBeCloseTo(11, 5);
  });

  it('a click on either body starts at that body, not at a fibre nor at its neighbour', () => {
    const { mask, depth } = pair();
    for (const [x, y, cx] of [
      [84.5, 64.5, 80.5],
      [97.5, 57.5, 102.5],
    ]) {
      const seed = seedAtClick(x, y, mask, depth, 200, 120, 8, 20);
      expect([seed.fibre, seed.x, seed.y]).toEqual([false, cx, 60.5]);
      expect(seed.r).toBeCloseTo(11, 5);
    }
  });

  it('a clump of three, in a row or in a triangle: three cells, each circle crossing one or two of the others', () => {
    // Bodies r = 12 at `centres`, with a neurite leaving the first to the left and the last to the right.
    const clump = (width: number, height: number, centres: Array<[number, number]>) =>
      field(width, height, (set) => {
        for (const [x, y] of centres) disk(set, x, y, 12);
        band(set, 10, centres[0][0] - 10, centres[0][1] - 1, centres[0][1] + 1);
        band(set, centres[1][0] + 10, width - 10, centres[1][1] - 1, centres[1][1] + 1);
      });
    const row = clump(260, 120, [
      [80, 60],
      [124, 60],
      [102, 60],
    ]);
    const inRow = detectSomata(row.mask, row.depth, 260, 120, 8, 40, undefined, 2);
    expect(inRow.map((s) => [s.x, s.y]).sort((a, b) => a[0] - b[0])).toEqual([
      [80.5, 60.5],
      [102.5, 60.5],
      [124.5, 60.5],
    ]);
    const triangle = clump(200, 200, [
      [80, 80],
      [102, 80],
      [91, 99],
    ]);
    const inTriangle = detectSomata(triangle.mask, triangle.depth, 200, 200, 8, 40, undefined, 2);
    expect(inTriangle.map((s) => [s.x, s.y]).sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual([
      [80.5, 80.5],
      [91.5, 99.5],
      [102.5, 80.5],
    ]);
    // Centres 22 px apart (21.95 across the triangle's slanted sides): no disk reaches past the middle.
    for (const s of inTriangle) expect(s.r).toBeLessThanOrEqual(11);
  });

  it('a click on a larger cell: two smaller ones side by side compete with it, by their depth, not their shared disks', () => {
    // A body r = 18 on its own; bodies r = 14 whose centres are 27 px apart (a waist 6 deep), so each disk shares the
    // ground between them: 13.5 px, under 3/4 of the clicked body's 18.03, though each is 14.04 deep. Neurites 5 px
    // wide leave each body.
    const bodies: Array<[number, number, number]> = [
      [60, 60, 18],
      [150, 60, 14],
      [177, 60, 14],
    ];
    const inside = (x: number, y: number) => bodies.some(([cx, cy, r]) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r) || (Math.abs(y - 60) <= 2 && (x < 42 || (x > 78 && x < 137) || x > 190)) || (Math.abs(x - 60) <= 2 && y > 78);
    const tracer = new AutoTracer(noisyPlane(240, 130, (x, y) => (inside(Math.floor(x), Math.floor(y)) ? 1 : 0)));
    const clicked = tracer.seedAt(60.5, 60.5);
    expect([clicked.fibre, clicked.x, clicked.y]).toEqual([false, 60.5, 60.5]);
    const rivals = tracer.competitorsOf([clicked]);
    expect(rivals.map((s) => [s.x, s.y, s.r])).toEqual([
      [150.5, 60.5, 13.5],
      [177.5, 60.5, 13.5],
    ]);
  });

  it('one body with two lobes (a waist as deep as 0.87 of the lobes) stays one cell', () => {
    const { mask, depth } = field(200, 120, (set) => {
      disk(set, 80, 60, 12);
      disk(set, 92, 60, 12);
      band(set, 10, 70, 59, 61);
      band(set, 102, 190, 59, 61);
    });
    const found = detectSomata(mask, depth, 200, 120, 8, 20, undefined, 2);
    expect(found).toHaveLength(1);
    expect(found[0].fibre).toBe(false);
  });
});

const op1 = sharedData('swc/snt/OP_1-gs.swc');

describe.skipIf(!op1)('DIADEM OP_1 drawn as an uncalibrated micrograph (0.3 SWC units per px, its terminal bulbs 8 px deep)', () => {
  it('one click at the root traces the arbor instead of losing it to bulbs taken for neighbouring cells', () => {
    const m = renderMorphology(new TextDecoder().decode(op1), { unitsPerPx: 0.3 });
    const r = traceAndScore(m.image, m.gold, { seeds: [m.root] });
    // Before the shape rules: three bulbs became competing cell bodies and the trace stopped after 169 px (DIADEM 0).
    expect(r.diadem).toBeGreaterThanOrEqual(0.7);
    expect(r.distance.pctSsd).toBeLessThanOrEqual(0.1);
  });
});
