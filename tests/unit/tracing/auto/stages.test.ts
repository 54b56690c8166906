import { describe, expect, it } from 'vitest';
import { createHistory, dispatch, undo, undoDepth, undoLabel } from '../../../../shared/actions/history';
import { applyAction } from '../../../../shared/actions/reducer';
import { autoUnchangedShare } from '../../../../shared/analysis/auto-provenance';
import { newAnnotationFile, parseAnnotation, serializeAnnotation } from '../../../../shared/formats/annotation-file';
import { emptyDocument } from '../../../../shared/model/document';
import { type AutoNeuron, tracedNothing } from '../../../../shared/tracing/auto/auto-neuron';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { flattenBackground } from '../../../../shared/tracing/auto/background';
import { euclideanDistance, grayWeightedDistance, withinReach } from '../../../../shared/tracing/auto/distance';
import { hysteresis, robustLevel } from '../../../../shared/tracing/auto/foreground';
import { geodesicForest } from '../../../../shared/tracing/auto/geodesic';
import { pruneSegments } from '../../../../shared/tracing/auto/prune';
import { centredTip, signalEnds, tipInset } from '../../../../shared/tracing/auto/tips';
import { densify } from '../../../../shared/tracing/auto/densify';
import { junctionOnParent } from '../../../../shared/tracing/auto/junction';
import { recentreNearParent } from '../../../../shared/tracing/auto/near-parent';
import { quantile, signalFromPlane, type SignalPlane } from '../../../../shared/tracing/auto/signal';
import { moreSignalIn, signalContrast } from '../../../../shared/tracing/auto/channel-signal';
import { normalDeviate, seededRandom } from '../../../../shared/random';
import { detectSomata } from '../../../../shared/tracing/auto/soma';
import { autoNeuronStats } from '../../../../shared/tracing/auto/stats';
import { autoNeuronAction, autoNeuronReplaceAction } from '../../../../shared/tracing/auto/to-document';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { median } from '../../../../shared/stats/descriptive';
import { autoTraceImage } from '../../../../shared/tracing/auto/run';
import { band, dendriteWithBranchAt, disk, noisyPlane, thickDendriteWithBranch } from './painters';

const info = (width: number, height: number, extra: object = {}) => ({ width, height, bitsPerSample: 8, ...extra });

/** A binary signal plane from a painter (1 = neurite). */
function binaryPlane(width: number, height: number, paint: (set: (x: number, y: number) => void) => void): SignalPlane {
  const plane = new Uint8Array(width * height);
  paint((x, y) => {
    if (x >= 0 && y >= 0 && x < width && y < height) plane[x + width * y] = 255;
  });
  return signalFromPlane(plane, info(width, height));
}


describe('signal polarity', () => {
  it('flips a bright-background plane so the dark line becomes the signal', () => {
    const p = new Uint8Array(25).fill(200);
    for (let y = 0; y < 5; y++) p[2 + 5 * y] = 20;
    const s = signalFromPlane(p, info(5, 5));
    expect(s.inverted).toBe(true);
    expect(s.binary).toBe(true);
    expect(s.data[2]).toBe(180);
    expect(s.data[0]).toBe(0);
  });

  it('keeps a dark-background plane as is, whatever the inverted-LUT flag says (ImageJ masks store neurite = 255)', () => {
    const p = new Uint8Array(25);
    p[12] = 255;
    const s = signalFromPlane(p, info(5, 5, { invertedLut: true }));
    expect(s.inverted).toBe(false);
    expect(s.data[12]).toBe(255);
  });

  it('maps palette indices through the colour map before deciding', () => {
    // Index 0 → white, index 1 → black: a line stored as index 1 on index-0 ground is a dark line on white.
    const palette = new Uint16Array(3 * 256);
    palette[0] = palette[256] = palette[512] = 65535;
    const p = new Uint8Array(25);
    p[7] = 1;
    const s = signalFromPlane(p, info(5, 5, { palette }));
    expect(s.inverted).toBe(true);
    expect(s.data[7]).toBeCloseTo(65535, 0);
    expect(s.data[0]).toBe(0);
  });
});

describe('background and foreground', () => {
  it('flattening removes a constant background exactly and keeps the line height', () => {
    const img = new Float32Array(100 * 100).fill(100);
    for (let y = 0; y < 100; y++) img[50 + 100 * y] = 150;
    const flat = flattenBackground(img, 100, 100, 32);
    expect(flat[50 + 100 * 40]).toBe(50);
    expect(flat[10 + 100 * 40]).toBe(0);
  });

  it('a blank or one-grey plane has no foreground, so Detect finds no cell and a click starts nothing', () => {
    for (const value of [0, 100, 65535]) {
      const plane = signalFromPlane(new Uint16Array(64 * 64).fill(value), info(64, 64, { bitsPerSample: 16 }));
      const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
      // Before: σ 0 put both thresholds at the median, every pixel passed them, and Detect took the plane for a cell.
      expect(tracer.foreground.mask.every((v) => v === 0)).toBe(true);
      expect(tracer.detect()).toEqual([]);
      const clicked = pruneTrace(tracer.trace([tracer.seedAt(2, 2)]), {});
      expect(clicked.map((n) => [n.fibre, n.branches.length, tracedNothing(n)])).toEqual([[true, 0, true]]);
    }
  });

  it('robust level: median 5 and σ = 1.4826 × MAD (MAD of 1..9 is 2)', () => {
    const { median, sigma } = robustLevel(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(median).toBeCloseTo(5, 3);
    expect(sigma).toBeCloseTo(2.9652, 3);
  });

  it('hysteresis keeps the faint run touching a strong pixel and drops the isolated faint one', () => {
    const v = Float32Array.from([0, 3, 3, 9, 3, 0, 0, 3, 0, 0]);
    expect(Array.from(hysteresis(v, 2, 8, 10, 1))).toEqual([0, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('hysteresis joins diagonal neighbours, not pixels two apart, on every edge of the image', () => {
    // 4 × 3: the strong pixel (0, 0); faint (1, 1) touches it diagonally, (2, 2) touches (1, 1), (3, 2) touches (2, 2).
    // Without (2, 2), (3, 2) lies two columns from (1, 1) and stays out.
    const v = Float32Array.from([9, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3, 3]);
    expect(Array.from(hysteresis(v, 2, 8, 4, 3))).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1]);
    const w = Float32Array.from([9, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 3]);
    expect(Array.from(hysteresis(w, 2, 8, 4, 3))).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('hysteresis equals a flood fill from every strong pixel over 8-neighbours ≥ low (random 37 × 23 field)', () => {
    const [width, height] = [37, 23];
    let seed = 5;
    const v = Float32Array.from({ length: width * height }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 10);
    const want = new Uint8Array(width * height);
    const queue = [...v.keys()].filter((i) => v[i] >= 9);
    for (const i of queue) want[i] = 1;
    while (queue.length > 0) {
      const p = queue.shift()!;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const [x, y] = [(p % width) + dx, Math.floor(p / width) + dy];
          const q = x + width * y;
          if (x < 0 || y < 0 || x >= width || y >= height || want[q] || v[q] < 6) continue;
          want[q] = 1;
          queue.push(q);
        }
      }
    }
    const got = hysteresis(v, 6, 9, width, height);
    expect(got.reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('the histogram quantile bins as Math.round would, also where x + 0.5 rounds up to the next integer', () => {
    // With lo = 0 and hi = 65535 a value's bin is the value rounded: 0.49999999999999994 lies in bin 0 (x + 0.5 is 1
    // in float arithmetic, so floor(x + 0.5) alone would put it in bin 1), 1.5 in bin 2, 2.4999 in bin 2.
    expect(quantile([0.49999999999999994, 65535], 0, 0, 65535)).toBe(0);
    expect(quantile([1.5, 2.4999, 65535], 0, 0, 65535)).toBe(2);
    expect(quantile([1.5, 2.4999, 65535], 0.4, 0, 65535)).toBe(2);
    expect(quantile([1.5, 2.4999, 65535], 0.7, 0, 65535)).toBe(65535);
    // A masked-out pixel does not count; NaN counts but lies in no bin (the median of [NaN, 7, 9] is the top: 9).
    expect(quantile([100, 7, 9], 0, 0, 65535, Uint8Array.from([0, 1, 1]))).toBe(7);
    expect(quantile([NaN, 7, 9], 0.5, 0, 65535)).toBe(9);
  });
});

describe('distance transforms', () => {
  it('Euclidean distance of a 5×5 block (beyond the border is background): 1 on the rim, 3 in the centre', () => {
    const d = euclideanDistance(new Uint8Array(25).fill(1), 5, 5);
    expect(Array.from(d.slice(10, 15))).toEqual([1, 2, 3, 2, 1]);
  });

  it('Euclidean distance equals the brute-force nearest background pixel (or pixel beyond the border), random masks dense to sparse', () => {
    // Each row is worked run by run of mask px (a sparse field's rows cost little): runs touching either border, a
    // row that is one run, single px.
    let seed = 11;
    for (const [width, height, density] of [[41, 29, 0.93], [41, 29, 0.5], [37, 23, 0.1], [1, 9, 0.8], [30, 1, 0.9]] as const) {
      const mask = Uint8Array.from({ length: width * height }, () => (((seed = (seed * 16807) % 2147483647) / 2147483647) < density ? 1 : 0));
      const background: Array<[number, number]> = [];
      for (let y = -1; y <= height; y++) for (let x = -1; x <= width; x++) if (x < 0 || y < 0 || x >= width || y >= height || !mask[x + width * y]) background.push([x, y]);
      const d = euclideanDistance(mask, width, height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const want = mask[x + width * y] ? Math.sqrt(Math.min(...background.map(([bx, by]) => (bx - x) ** 2 + (by - y) ** 2))) : 0;
          expect(d[x + width * y], `(${x}, ${y}) of ${width} × ${height}`).toBe(Math.fround(want));
        }
      }
      if (density === 0.93) expect(Math.max(...d)).toBeGreaterThan(2);
    }
  });

  it('the distance from the background to the nearest neurite does not count the border as one: brute force, random 41 × 29 mask', () => {
    // The gap zone the search may cross (within 5 px of a neurite) was also a 5 px band round the whole image, and
    // on a picture whose background was subtracted the trace of NeuronJ's cell ran 600 px along it.
    let seed = 5;
    for (const [width, height, density] of [[41, 29, 0.97], [41, 29, 0.6], [30, 1, 0.9]] as const) {
      const away = Uint8Array.from({ length: width * height }, () => (((seed = (seed * 16807) % 2147483647) / 2147483647) < density ? 1 : 0));
      const neurite: Array<[number, number]> = [];
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (!away[x + width * y]) neurite.push([x, y]);
      const d = euclideanDistance(away, width, height, undefined, false);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const want = away[x + width * y] ? Math.sqrt(Math.min(...neurite.map(([bx, by]) => (bx - x) ** 2 + (by - y) ** 2))) : 0;
          expect(d[x + width * y], `(${x}, ${y}) of ${width} × ${height}`).toBe(Math.fround(want));
        }
      }
    }
    // One neurite pixel in the middle of 9 × 9: the corners lie √32 from it, not 1 px from the border.
    const one = new Uint8Array(81).fill(1);
    one[40] = 0;
    expect(euclideanDistance(one, 9, 9, undefined, false)[0]).toBe(Math.fround(Math.sqrt(32)));
    expect(euclideanDistance(one, 9, 9)[0]).toBe(1);
  });

  it('the band within reach of a mask (the gap zone): every px whose nearest mask px inside the image lies ≤ reach, by brute force; the border no mask px', () => {
    let seed = 9;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const [width, height, density] of [[41, 29, 0.03], [13, 50, 0.01], [1, 9, 0.2], [30, 1, 0.1], [7, 7, 0]] as const) {
      const mask = Uint8Array.from({ length: width * height }, () => (rand() < density ? 1 : 0));
      const on: Array<[number, number]> = [];
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (mask[x + width * y]) on.push([x, y]);
      for (const reach of [0, 1, 1.5, 2, 5, 5.5]) {
        const band = withinReach(mask, width, height, reach);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const nearest = Math.sqrt(Math.min(Infinity, ...on.map(([bx, by]) => (bx - x) ** 2 + (by - y) ** 2)));
            expect(band[x + width * y], `(${x}, ${y}) of ${width} × ${height}, reach ${reach}`).toBe(nearest <= reach ? 1 : 0);
          }
        }
      }
    }
  });

  it('gray-weighted distance sums the signal stepped on: rim = its own signal, centre = rim + centre', () => {
    const signal = Float32Array.from([1, 1, 1, 1, 4, 1, 1, 1, 1]);
    const d = grayWeightedDistance(new Uint8Array(9).fill(1), signal, 3, 3);
    expect(d[0]).toBe(1);
    expect(d[4]).toBe(5);
  });
});

describe('geodesic search', () => {
  it('two seeds at the ends of a 10 px line split it 5 / 5, parents pointing back to each seed', () => {
    const allowed = new Uint8Array(10).fill(1);
    const f = geodesicForest(new Float32Array(10).fill(1), allowed, [[0], [9]], 10, 1);
    expect(Array.from(f.label)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(f.parent)).toEqual([-1, 0, 1, 2, 3, 6, 7, 8, 9, -1]);
    // Unit cost per step at full strength: exp(0) = 1.
    expect(f.dist[4]).toBe(4);
  });

  it('crosses a 2 px dark gap at e^λ per gap pixel and labels what lies beyond', () => {
    const allowed = Uint8Array.from([1, 1, 2, 2, 1, 1]);
    const f = geodesicForest(new Float32Array(6).fill(1), allowed, [[0]], 6, 1, { lambda: 10 });
    expect(f.label[5]).toBe(0);
    const e = Math.exp(10);
    expect(f.dist[4]).toBeCloseTo(1 + 0.5 * (1 + e) + e + 0.5 * (e + 1), 6);
  });
});

describe('hierarchical pruning', () => {
  // A 60 px horizontal line from the seed, a 20 px side branch at x = 30 and a 3 px spur at x = 45.
  const plane = binaryPlane(80, 60, (set) => {
    for (let x = 5; x < 65; x++) set(x, 30);
    for (let y = 10; y < 30; y++) set(30, y);
    for (let y = 31; y < 34; y++) set(45, y);
  });
  const tracer = new AutoTracer(plane, { pixelSize: 1, gapPx: 0 });
  const seed = tracer.seedAt(5.5, 30.5);
  const cache = tracer.trace([seed]);

  // 8-connected shortest paths cut the corner: the side branch leaves the main line one pixel early, at (29, 30),
  // with a diagonal first step, so it is 19 + √2 px long.
  it('decomposes longest-first: the main line is one segment and the side branch leaves it at (29, 30)', () => {
    const s = cache.segments;
    const main = s.byLength[0];
    expect(s.parentSegment[main]).toBe(-1);
    expect(s.geometricLength[main]).toBe(59);
    const side = s.byLength[1];
    expect(s.parentSegment[side]).toBe(main);
    expect(s.pixels[s.start[main] + s.attachAt[side]]).toBe(29 + 80 * 30);
    expect(s.geometricLength[side]).toBeCloseTo(19 + Math.SQRT2, 5);
  });

  it('the search crosses a 2 px break of a line, and no segment lies wholly in the dark band it may cross around the line', () => {
    const broken = binaryPlane(80, 60, (set) => {
      for (let x = 5; x < 65; x++) if (x !== 35 && x !== 36) set(x, 30);
    });
    const t = new AutoTracer(broken, { pixelSize: 1 });
    const s = t.trace([t.seedAt(5.5, 30.5)]).segments;
    // Gap pixels reached: the break and every background pixel within 5 px of the line that the front spilled into.
    const main = s.byLength[0];
    expect(s.geometricLength[main]).toBe(59);
    const gapPixels = (k: number) => s.pixels.subarray(s.start[k], s.start[k] + s.length[k]).filter((p) => s.allowed[p] === 2).length;
    expect(gapPixels(main)).toBe(2);
    // The front's spill into that band leads nowhere: no segment is made of band pixels alone (this 60 px line had 356
    // of them, each decomposed, measured and pruned on every trace).
    const wholeGap = Array.from({ length: s.count }, (_, k) => k).filter((k) => gapPixels(k) === s.length[k]);
    expect(wholeGap).toEqual([]);
    expect(s.count).toBeLessThan(60);
  });

  it('keeps the side branch and drops the spur at 5 px; keeps only the main line at 25 px', () => {
    const keptAt = (minLength: number) => {
      const { kept } = pruneSegments(cache.segments, cache.radius, [], { minLength });
      return Array.from(cache.segments.byLength).filter((k) => kept[k]).map((k) => cache.segments.geometricLength[k]);
    };
    expect(keptAt(5).map((v) => Math.round(v * 1000) / 1000)).toEqual([59, 20.414]);
    expect(keptAt(25)).toEqual([59]);
  });

  it('a bright twig off a thick neurite counts from the parent’s centre line; a faint one must clear its cover', () => {
    const s = cache.segments;
    const [main, side] = [s.byLength[0], s.byLength[1]];
    // The main line 5 px in radius: its cover (1.5 × 5 = 7.5 px) takes the first ~7.5 px of the 20.4 px side branch.
    const radius = Float32Array.from(cache.radius);
    for (let j = 0; j < s.length[main]; j++) radius[s.pixels[s.start[main] + j]] = 5;
    // Shortest branch 15 px: the side branch's new part (~12.9 px) is shorter, the branch itself is not. Kept (before,
    // the parent's cover raised the minimum to 15 + 7.5 px and it was dropped).
    expect(pruneSegments(s, radius, [], { minLength: 15 }).kept[side]).toBe(1);
    // At half the signal the same branch is no bright twig: its new part must reach 15 px itself.
    const faint = { ...s, weight: s.weight.map((w) => w / 2), weightedLength: s.weightedLength.map((w) => w / 2) };
    expect(pruneSegments(faint, radius, [], { minLength: 15 }).kept[side]).toBe(0);
    // Shorter than 25 px in all: dropped however bright.
    expect(pruneSegments(s, radius, [], { minLength: 25 }).kept[side]).toBe(0);
  });

  it('a child that leaves its thick parent’s cover for good is judged from where it leaves it', () => {
    // A 120 px line at y = 80 and a branch straight up from x = 40: 70 px (to y = 10), and in a second picture 55 px.
    const traced = (top: number) => {
      const t = new AutoTracer(binaryPlane(130, 100, (set) => {
        for (let x = 5; x < 125; x++) set(x, 80);
        for (let y = top; y < 80; y++) set(40, y);
      }), { pixelSize: 1, gapPx: 0 });
      const c = t.trace([t.seedAt(5.5, 80.5)]);
      const s = c.segments;
      const [main, side] = [s.byLength[0], s.byLength[1]];
      // The line 26 px in radius: its cover (1.5 × 26 = 39 px) takes the branch's first 39 px.
      const radius = Float32Array.from(c.radius);
      for (let j = 0; j < s.length[main]; j++) radius[s.pixels[s.start[main] + j]] = 26;
      return { kept: pruneSegments(s, radius, [], { minLength: 10 }).kept[side], length: s.geometricLength[side] };
    };
    // 70 px: ~31 px new, under half its signal (the share rule alone dropped it), all of its signal past the cover:
    // a branch at an acute angle whose first stretch ran inside its parent. Kept.
    const long = traced(10);
    expect(long.length).toBeGreaterThan(69);
    expect(long.kept).toBe(1);
    // 55 px: ~16 px new, under LEAVING_PX (20): dropped, as a path along a bundle leaving it briefly is.
    const short = traced(25);
    expect(short.length).toBeGreaterThan(54);
    expect(short.kept).toBe(0);
  });

  describe('a branch off a second path the search took beside a kept neurite (prune.ts coveredHang)', () => {
    // A hand-made forest on a 40 × 40 image, every step 1 px at full signal: segment 0 runs along row 5 (x 0..29),
    // 2 px in radius (cover 3 px); segment 1, a second root of the same cell, runs beside it along row 6 (x 0..24),
    // inside that cover; segment 2 leaves segment 1 at (15, 6) and runs down column 15 (rows 7..30, 24 px).
    const forestWith = (second: Array<[number, number]>, regions = [0, 0, 0]) => {
      const width = 40;
      const rows = [Array.from({ length: 30 }, (_, x) => [x, 5]), second, Array.from({ length: 24 }, (_, k) => [15, 7 + k])];
      const pixels = Int32Array.from(rows.flat().map(([x, y]) => x + width * y));
      const length = Int32Array.from(rows.map((r) => r.length));
      const start = Int32Array.from([0, length[0], length[0] + length[1]]);
      const ones = new Float32Array(width * 40).fill(1);
      const forest = {
        width, height: 40, pixels, start, length, count: 3, parentSegment: Int32Array.from([-1, -1, 1]), attachAt: Int32Array.from([-1, -1, 15]),
        region: Int32Array.from(regions), weightedLength: Float64Array.from(length), geometricLength: Float64Array.from(length),
        firstGap: Int32Array.from(length), firstContact: Int32Array.from(length), allowed: new Uint8Array(width * 40).fill(1),
        byLength: Int32Array.from([0, 1, 2]), stepLength: ones, weight: ones,
      };
      const radius = new Float32Array(width * 40).fill(1);
      for (let x = 0; x < 30; x++) radius[x + width * 5] = 2;
      return { forest, radius };
    };
    const beside = Array.from({ length: 25 }, (_, x): [number, number] => [x, 6]);

    it('the second path is dropped, its branch kept and hung from the kept neurite at (15, 5), 1 px from where it leaves', () => {
      const { forest, radius } = forestWith(beside);
      const pruned = pruneSegments(forest, radius, [], { minLength: 10 });
      // Before, the branch went with the path it left (kept 1, 0, 0).
      expect(Array.from(pruned.kept)).toEqual([1, 0, 1]);
      expect([pruned.parent[2], pruned.attachAt[2]]).toEqual([0, 15]);
    });

    it('…not when the path left the cover before the branch does, nor from a neurite of another cell', () => {
      // The path swings 5 px away (row 10) over x 8..10, outside the 3 px cover, too briefly to be kept itself: a path
      // of its own, not the neurite's, and the branch goes with it as before.
      const away = beside.map(([x, y]): [number, number] => (x >= 8 && x <= 10 ? [x, 10] : [x, y]));
      const left = forestWith(away);
      expect(Array.from(pruneSegments(left.forest, left.radius, [], { minLength: 10 }).kept)).toEqual([1, 0, 0]);
      // With the kept neurite another cell's (region 1), the branch of cell 0 is not hung from it.
      const other = forestWith(beside, [1, 0, 0]);
      expect(Array.from(pruneSegments(other.forest, other.radius, [], { minLength: 10 }).kept)).toEqual([1, 0, 0]);
    });

    it('a second root that ran beside the kept neurite from the cell body hangs from it where it leaves, drawn from a few px before', () => {
      // Segment 0 as above (taken first, as a longer neurite is); segment 1, a second root of the cell, runs along row 6 (x 0..24) inside its cover, turns
      // down column 25 and leaves the cover at (25, 8), 3 px from the neurite's centre: 22 px past the cell body's
      // 3 px disk at the picture's left edge.
      const { forest: three, radius } = forestWith(beside);
      const turned = [...Array.from({ length: 25 }, (_, x) => [x, 6]), ...Array.from({ length: 30 }, (_, k) => [25, 7 + k])];
      const forest = {
        ...three, count: 2, pixels: Int32Array.from([...three.pixels.slice(0, 30), ...turned.map(([x, y]) => x + 40 * y)]), start: Int32Array.from([0, 30]), length: Int32Array.from([30, 55]),
        parentSegment: Int32Array.from([-1, -1]), attachAt: Int32Array.from([-1, -1]), region: Int32Array.from([0, 0]), weightedLength: Float64Array.from([30, 55]), geometricLength: Float64Array.from([30, 55]),
        firstGap: Int32Array.from([30, 55]), firstContact: Int32Array.from([30, 55]), byLength: Int32Array.from([0, 1]),
      };
      const pruned = pruneSegments(forest, radius, [{ x: 0.5, y: 5.5, r: 2 }], { minLength: 10 });
      // Before, it was kept as a second primary dendrite (parent −1) drawn from the cell body along the first.
      expect(Array.from(pruned.kept)).toEqual([1, 1]);
      // Hung at (25, 5), the neurite's pixel nearest to where it leaves, and drawn from 4 px before (25, 8): (22, 6).
      expect([pruned.parent[1], pruned.attachAt[1]]).toEqual([0, 25]);
      expect(turned[pruned.from[1]]).toEqual([22, 6]);
      // Leaving less than the shortest branch (10 px) past a larger cell body's disk (18 px), it stays a root.
      const near = pruneSegments(forest, radius, [{ x: 0.5, y: 5.5, r: 12 }], { minLength: 10 });
      expect([near.kept[1], near.parent[1], near.from[1]]).toEqual([1, -1, 0]);
    });

    /** How far from the true junction the traced branch meets the dendrite, on draws 1–8 (Infinity: no junction). */
    const junctionErrors = (angle: number) =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
        const m = renderMorphology(dendriteWithBranchAt(angle), { unitsPerPx: 1, noise: 2, seed });
        const n = autoTraceImage(m.image, { seeds: [m.root] }).neurons[0];
        const branch = n.branches.find((b) => b.parent >= 0);
        if (!branch || n.branches.length !== 2) return Infinity;
        const at = n.branches[branch.parent].nodes[branch.parentNode];
        return Math.hypot(at.x - m.gold[0].x[48], at.y - m.gold[0].y[48]);
      });

    it('a branch off a thick dendrite, at 30° to 90°, meets it within DIADEM’s 1.2 px of where it truly does', () => {
      // Where the branch still runs beside the dendrite, its cross-section holds the dendrite's flank too, and its
      // centre line leans towards the dendrite: extended back, it met the dendrite 2.2–3.7 px too far out at 30° and
      // 1.5–2.3 px too near the soma at 90°. Re-centred on the branch's own signal (near-parent.ts) it is within 1 px
      // on every draw. (At 30° draw 4 the search reaches the branch along the dendrite from the soma: it was traced
      // as a second dendrite from the soma until prune.ts hung such a root from the neurite it ran along.)
      for (const angle of [30, 45, 60, 90]) {
        const errors = junctionErrors(angle);
        expect(errors.filter((d) => d <= 1.2).length, `${angle}°: ${errors.map((d) => d.toFixed(1)).join(', ')}`).toBe(8);
        expect(median(errors), `${angle}°`).toBeLessThan(0.7);
      }
    });

    it('a branch leaving a thick dendrite at 15° or 20° meets it within 3.5 px (15°) or 1.5 px (20°) on every draw', () => {
      // The branch stays inside the dendrite's bright band for 10 px or more and the search splits it off 8 px or more
      // past the junction; there the dendrite's centre line leaned up to 1.7 px into the blob the two make, and the
      // branch's line, extended back, met that bulge 5–13 px out on 5 of these 16 draws. The dendrite's line is now
      // straight through it (parent-at-split.ts), and the branch's line, re-centred beside it by up to 1.5 px and
      // extended back as far as the shallow angle needs (near-parent.ts, junction.ts), meets it near the true junction.
      for (const [angle, within] of [
        [15, 3.5],
        [20, 1.5],
      ]) {
        const errors = junctionErrors(angle);
        expect(Math.max(...errors), `${angle}°: ${errors.map((d) => d.toFixed(1)).join(', ')}`).toBeLessThanOrEqual(within);
      }
    });

    it('a thick dendrite’s line runs straight through where a branch leaves it at 15° or 20°, within 0.6 px of its centre', () => {
      for (const angle of [15, 20]) {
        for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
          const m = renderMorphology(dendriteWithBranchAt(angle), { unitsPerPx: 1, noise: 2, seed });
          const dendrite = autoTraceImage(m.image, { seeds: [m.root] }).neurons[0].branches[0];
          // The dendrite runs along the junction's row, from 10 px before the junction to 40 px past it.
          const [jx, jy] = [m.gold[0].x[48], m.gold[0].y[48]];
          const off = dendrite.nodes.filter((q) => q.x > jx - 10 && q.x < jx + 40).map((q) => Math.abs(q.y - jy));
          expect(off.length).toBeGreaterThan(20);
          // Up to 1.7 px off before (draw 6 at 15°).
          expect(Math.max(...off), `${angle}° draw ${seed}`).toBeLessThan(0.6);
        }
      }
    });

    it('a branch at right angles off a thick dendrite is traced whatever path the search took along the dendrite', () => {
      // A 194 px dendrite 2 px in radius from a soma, and an 80 px branch 1 px in radius straight up from x = 150
      // (SWC units = px). On draw 7 the search reached the branch along a second path beside the dendrite's own, and
      // the branch was pruned with that path.
      for (const seed of [7, 1]) {
        const m = renderMorphology(thickDendriteWithBranch(), { unitsPerPx: 1, noise: 2, seed });
        const n = autoTraceImage(m.image, { seeds: [m.root] }).neurons[0];
        expect(n.branches.length).toBe(2);
        // The branch's tip: the SWC's (150, 20), 30 px in from the picture's edge and moved with it as the dendrite is.
        const branchTip = n.branches[1].nodes.at(-1) as { x: number; y: number };
        const goldTip = { x: m.gold[0].x[m.gold[0].x.length - 1], y: m.gold[0].y[m.gold[0].y.length - 1] };
        expect(Math.hypot(branchTip.x - goldTip.x, branchTip.y - goldTip.y)).toBeLessThan(3);
      }
    });
  });

  it('re-pruning the cached search gives the neuron at each detail level; the fibre start is its root', () => {
    const fine = pruneTrace(cache, { minBranchPx: 2 })[0];
    const coarse = pruneTrace(cache, { minBranchPx: 25 })[0];
    expect(fine.fibre).toBe(true);
    expect(autoNeuronStats(fine)).toMatchObject({ branchPoints: 2, tips: 3, branches: 5 });
    expect(autoNeuronStats(coarse)).toMatchObject({ branchPoints: 0, tips: 1, branches: 1 });
    // The fibre runs from pixel centre 5.5 to 64.5: 59 px. Binary lines are not smoothed, so the length is exact.
    expect(autoNeuronStats(coarse).lengthPx).toBeCloseTo(59, 9);
    // Pixel paths: side 19 + √2, spur 2 + √2 (both start diagonally); resampling at 1 px chords trims the two corners.
    expect(Math.abs(autoNeuronStats(fine).lengthPx - (59 + 21 + 2 * Math.SQRT2))).toBeLessThan(0.25);
  });
});

describe('soma detection and multiple somata', () => {
  // Two cells (r = 8 px) 60 px apart, joined by a neurite, each with one free neurite.
  const plane = binaryPlane(140, 60, (set) => {
    disk(set, 40, 30, 8);
    disk(set, 100, 30, 8);
    for (let x = 40; x <= 100; x++) set(x, 30);
    for (let y = 0; y < 30; y++) set(40, y);
    for (let y = 30; y < 60; y++) set(100, y);
  });

  it('finds the two cell bodies (distance-transform maxima ≥ 4 µm) and not the neurites', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const somata = tracer.detect();
    expect(somata.map((s) => [s.x, s.y])).toEqual([[40.5, 30.5], [100.5, 30.5]]);
    expect(somata.every((s) => !s.fibre && s.r >= 8)).toBe(true);
  });

  it('splits the joining neurite between the two cells: each keeps its own free neurite plus half the bridge', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const neurons = pruneTrace(tracer.trace(tracer.detect()), { minBranchPx: 5 });
    expect(neurons.length).toBe(2);
    for (const n of neurons) expect(n.branches.length).toBe(2);
    // The free neurite of cell 1 goes up (y < 30), that of cell 2 goes down.
    expect(neurons[0].branches.some((b) => b.nodes.at(-1)!.y < 5)).toBe(true);
    expect(neurons[1].branches.some((b) => b.nodes.at(-1)!.y > 55)).toBe(true);
    expect(neurons[0].branches.every((b) => b.nodes.every((p) => p.x < 72))).toBe(true);
    expect(detectSomata(tracer.foreground.mask, tracer.depth, 140, 60, 8, 40).length).toBe(2);
  });

  it('with a nuclear channel, only bodies on a nucleus count (the second blob has none)', () => {
    const nucleus = binaryPlane(140, 60, (set) => disk(set, 100, 30, 5));
    const tracer = new AutoTracer(plane, { pixelSize: 0.5, nucleus });
    expect(tracer.detect().map((s) => [s.x, s.y])).toEqual([[100.5, 30.5]]);
  });

  it('a click on one cell reports only that cell; the other competes for the bridge and keeps its half', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const seeds = [tracer.seedAt(40, 30)];
    const competitors = tracer.competitorsOf(seeds);
    expect(competitors.map((c) => [c.x, c.y])).toEqual([[100.5, 30.5]]);
    const neurons = pruneTrace(tracer.trace(seeds, competitors), { minBranchPx: 5 });
    expect(neurons.length).toBe(1);
    expect(neurons[0].branches.length).toBe(2);
    expect(neurons[0].branches.every((b) => b.nodes.every((p) => p.x < 72))).toBe(true);
    // Alone, the click's front takes the whole bridge and the other cell's body and neurite.
    const alone = pruneTrace(tracer.trace(seeds), { minBranchPx: 5 })[0];
    expect(alone.branches.some((b) => b.nodes.some((p) => p.y > 55))).toBe(true);
  });

  it('a click on a fibre: a blob less than twice as deep as the fibre is a swelling on it, not a cell competing for it', () => {
    // A fibre from the left edge along y = 60 into a blob 10.5 px in radius at (130, 60), from which four thin neurites
    // run on to the right edge; eight thin lines below make the field's typical neurite 1 px deep, so Detect takes
    // the blob for a cell body. Where crossing neurites or a swelling make such a blob on a thick fibre (DIADEM's OP_1
    // at 0.15 units per px), the blob's front took all the fibre's arbor past it.
    const field = (halfWidth: number) =>
      binaryPlane(200, 130, (set) => {
        band(set, 0, 120, 60 - halfWidth, 60 + halfWidth);
        disk(set, 130, 60, 10.5);
        for (const dy of [-40, -20, 20, 40]) for (let x = 130; x < 195; x++) set(x, Math.round(60 + (dy * (x - 130)) / 65));
        for (let k = 0; k < 8; k++) band(set, 70, 129, 100 + 2 * k, 100 + 2 * k);
      });
    const traceFrom = (plane: SignalPlane) => {
      const tracer = new AutoTracer(plane, { pixelSize: 1 });
      const seed = tracer.seedAt(2, 60);
      expect(seed.fibre).toBe(true);
      expect(tracer.detect().map((s) => [s.x, s.y])).toEqual([[130.5, 60.5]]);
      const competitors = tracer.competitorsOf([seed]);
      return { seed, competitors, tips: pruneTrace(tracer.trace([seed], competitors), { minBranchPx: 5 })[0].branches.map((b) => Math.round(b.nodes.at(-1)!.x)) };
    };
    // An 11 px wide fibre (6 px deep): the 10.6 px blob is no cell; the fibre's trace runs through it to the four tips.
    const thick = traceFrom(field(5));
    expect(thick.seed.r).toBe(6);
    expect(thick.competitors).toEqual([]);
    expect(thick.tips.filter((x) => x >= 194)).toHaveLength(4);
    // A 3 px wide fibre (2 px deep): the blob is five times as deep, a cell body; it keeps its neurites and half the fibre.
    const thin = traceFrom(field(1));
    expect(thin.competitors.map((c) => [c.x, c.y])).toEqual([[130.5, 60.5]]);
    expect(Math.max(...thin.tips)).toBeLessThan(70);
  });
});

describe('signal ends: where a segment stops (tips.ts)', () => {
  // Segment 0 reads pixels 0..9, segment 1 pixels 10..11, segment 2 pixels 12..13; the plane holds each pixel's value.
  const plane = Float32Array.from([8, 10, 12, 10, 9, 3, 11, 2, 1, 2, 7, 7, 0, -1]);
  // As pixels along row 3 of a 100 × 7 image, none on its edge or next to it except where a test says so.
  const forest = { width: 100, height: 7, pixels: Int32Array.from(plane.keys(), (i) => 301 + i), start: Int32Array.from([0, 10, 12]), length: Int32Array.from([10, 2, 2]), count: 3 };
  const signal = new Float32Array(700);
  plane.forEach((v, i) => (signal[301 + i] = v));
  const ends = signalEnds(forest, signal);

  it('trims the distal run below half the median (8.5 / 2); one bright pixel (11) in it does not stop the trim', () => {
    // From the tip: 2, 1, 2 below 4.25; 11 above, then 3 below; 9, 10, 12 are three in a row: the end is after index 4.
    expect(ends[0]).toBe(5);
  });

  it('keeps a short bright segment whole and drops one with no signal above the background', () => {
    expect(ends[1]).toBe(2);
    expect(ends[2]).toBe(0);
  });

  it('a segment that reaches the image edge ends at its first edge pixel', () => {
    // Segment 0 bent to touch the right edge (x = 99, row 3) at its third pixel.
    const bent = { ...forest, pixels: Int32Array.from(forest.pixels, (p, i) => (i === 2 ? 399 : p)) };
    const values = new Float32Array(signal);
    values[399] = 12;
    expect(signalEnds(bent, values)[0]).toBe(3);
  });

  it('…or at its first pixel next to the edge: the front runs along that row before it touches the edge', () => {
    // Segment 0 bent onto row 1 (next to the top edge) at its third pixel, as SpotSpine's dendrite leaving the field
    // at the top (its end had run 4 px along the edge's neighbour row, away from the dendrite's centre).
    const hugging = { ...forest, pixels: Int32Array.from(forest.pixels, (p, i) => (i === 2 ? p - 200 : p)) };
    const values = new Float32Array(signal);
    values[103] = 12;
    expect(signalEnds(hugging, values)[0]).toBe(3);
  });

  it('a fibre that enters at the image edge is not ended there: it ends where it leaves the field again', () => {
    // Segment 0 starting on the top edge (row 0: its first two px), then running along row 3 as before; and the same
    // segment leaving the field at the right edge (x = 99, row 3) at its sixth px. Before, both ended at their first
    // px (SpotSpine without a click: a fibre of 0 px).
    const entering = { ...forest, pixels: Int32Array.from(forest.pixels, (p, i) => (i < 2 ? p - 300 : p)) };
    const values = new Float32Array(signal);
    values[1] = 8;
    values[2] = 10;
    expect(signalEnds(entering, values)[0]).toBe(5);
    const crossing = { ...entering, pixels: Int32Array.from(entering.pixels, (p, i) => (i === 5 ? 399 : p)) };
    values[399] = 12;
    // Its sixth px (12) now joins 9 in a bright run that would carry the end to 7: the edge ends it at its sixth px.
    expect(signalEnds(crossing, values)[0]).toBe(6);
    // Touching the edge at its fourth px, after it came in: it ends there.
    const through = { ...entering, pixels: Int32Array.from(entering.pixels, (p, i) => (i === 3 ? 399 : p)) };
    expect(signalEnds(through, values)[0]).toBe(4);
  });

  it('a segment whose median stays under the noise floor is dropped; one above it is trimmed as before', () => {
    // Segment 0's median is 8.5 (kept at a floor of 8, dropped at 9); segment 1's 7 is under 8.
    expect(Array.from(signalEnds(forest, signal, 0.5, 8))).toEqual([5, 0, 0]);
    expect(Array.from(signalEnds(forest, signal, 0.5, 9))).toEqual([0, 0, 0]);
  });

  it("a child's level comes from its own px, past its parent's width: the first ones carry the parent's signal", () => {
    // Along row 1 of a 100 × 5 image: parent x 1..20 (signal 100); child x 21..31 leaving the parent at x = 20, whose
    // width (depth 4, + 1) covers the child's first 5 px (x 21..25). Child signal: 100 ×6 (the parent's halo, one px
    // past its width), then 20 ×5 (its own, faint).
    const pixels = Int32Array.from({ length: 31 }, (_, i) => 101 + i);
    const tree = { width: 100, height: 5, pixels, start: Int32Array.from([0, 20]), length: Int32Array.from([20, 11]), count: 2, parentSegment: Int32Array.from([-1, 0]), attachAt: Int32Array.from([0, 19]) };
    const values = new Float32Array(500);
    for (let i = 0; i < 20; i++) values[101 + i] = 100;
    for (let i = 0; i < 11; i++) values[121 + i] = i < 6 ? 100 : 20;
    const depth = new Float32Array(500).fill(4);
    // Counting every px, the median is 100 → level 50: the child is cut to its 6 bright px.
    expect(signalEnds(tree, values)[1]).toBe(6);
    // Its own px (x 26..31: 100, then 20 ×5) have median 20 → level 10: kept whole.
    expect(signalEnds(tree, values, 0.5, 0, depth)[1]).toBe(11);
    // And against a noise floor of 25 that own level is noise: the child goes.
    expect(signalEnds(tree, values, 0.5, 25, depth)[1]).toBe(0);
  });
});

describe('signal ends: a neurite dimming with distance from the soma (tips.ts)', () => {
  // One segment along row 2 of a 200 × 5 image: 60 px at 100 (near the soma), 40 px at 40 (its dimmer distal part),
  // then `tail` px of what the front runs on through past the tip. Median 100 (level 50): the 40s are under it.
  const segment = (tail: number[]) => {
    const values = [...Array(60).fill(100), ...Array(40).fill(40), ...tail];
    const signal = new Float32Array(1000);
    values.forEach((v, i) => (signal[201 + i] = v));
    const forest = { width: 200, height: 5, pixels: Int32Array.from(values, (_, i) => 201 + i), start: Int32Array.from([0]), length: Int32Array.from([values.length]), count: 1 };
    return { forest, signal };
  };
  const noise = [3, 9, 2, 8, 1, 7, 2, 4, 9, 1, 2, 3];

  it('follows its dimmer part to where that ends (half of its own median, 40 / 2), past background noise', () => {
    const { forest, signal } = segment(noise);
    const levels = new Float32Array(1);
    // Before: cut at 60, where the signal first fell under half the segment's median (a 40 px neurite dropped).
    expect(signalEnds(forest, signal, 0.5, 5, undefined, levels)[0]).toBe(100);
    // The tip's level is the dimmer part's: its retraction (tipInset) is read at 40, not 100.
    expect(levels[0]).toBe(40);
  });

  it('does not follow a stretch under the noise floor, one too short to tell from the run-on, or one far dimmer than the cut', () => {
    // A floor of 45: the dimmer part's median (40) is noise at that floor.
    expect(signalEnds(segment(noise).forest, segment(noise).signal, 0.5, 45)[0]).toBe(60);
    // Only 9 px past the end (under CONTINUATION_PX): not looked at.
    const short = segment([]);
    short.forest.length[0] = 69;
    expect(signalEnds(short.forest, short.signal, 0.5, 5)[0]).toBe(60);
    // A tail at 12 (a tip's blurred edge and noise): above the floor, but under half the level it was cut at (25).
    const edge = segment([]);
    const values = [...Array(60).fill(100), ...Array(14).fill(12), ...noise];
    values.forEach((v, i) => (edge.signal[201 + i] = v));
    edge.forest.length[0] = values.length;
    edge.forest.pixels = Int32Array.from(values, (_, i) => 201 + i);
    expect(signalEnds(edge.forest, edge.signal, 0.5, 5)[0]).toBe(60);
  });
});

/** An SWC drawn as a micrograph (1 px per unit, noise σ 8, the given draw), traced from its root: the drawing and each branch's last node. */
function drawnAndTraced(swc: string, seed: number) {
  const m = renderMorphology(swc, { unitsPerPx: 1, noise: 8, seed });
  return { m, tips: autoTraceImage(m.image, { seeds: [m.root] }).neurons[0].branches.map((b) => b.nodes[b.nodes.length - 1]) };
}

describe('tips on the centre line (tips.ts)', () => {
  it('a tip is retracted by 14 × noise / signal above the background, at most 2 px; none without noise', () => {
    expect(tipInset(60, 10, 5)).toBeCloseTo(1.4, 12);
    expect(tipInset(30, 10, 5)).toBe(2);
    expect(tipInset(60, 10, 0)).toBe(0);
    expect(tipInset(5, 10, 5)).toBe(0);
  });

  it('cuts the line back along its arc and moves its last vertex across onto the ridge', () => {
    // A straight ridge along y = 20.3 (Gaussian σ 1.2 across), pixel centres at index + 0.5.
    const width = 60;
    const data = new Float32Array(width * 40);
    for (let y = 0; y < 40; y++) for (let x = 0; x < width; x++) data[x + width * y] = 100 * Math.exp(-((y + 0.5 - 20.3) ** 2) / (2 * 1.2 ** 2));
    const plane = { width, height: 40, sigma: 1, data };
    const line = centredTip([[5, 20.5], [20, 20.5], [40, 20.5]], plane, 1);
    expect(line.slice(0, 2)).toEqual([[5, 20.5], [20, 20.5]]);
    expect(line[2][0]).toBe(39);
    expect(line[2][1]).toBeCloseTo(20.3, 1);
    // Past the last vertex the cut goes on into the previous edge; never beyond half the line.
    expect(centredTip([[5, 20.5], [20, 20.5], [20.5, 20.5]], plane, 1)[1][0]).toBeCloseTo(19.5, 9);
    expect(centredTip([[5, 20.5], [9, 20.5]], plane, 10)[1][0]).toBe(7);
  });

  it('on a drawn neurite with noise, tips sit on the centre line and a side branch on a background gradient is found', () => {
    // A fibre from (30, 60) along y = 60.3 to x = 100 with a side branch from x = 70 up to y = 30 (SWC radius 1:
    // Gaussian tubes σ 0.8 px), noise σ 8, five draws. Before: the main tip sat on a pixel centre 0.2–2.2 px beside the
    // line (median 0.8), and in two draws the side branch was dropped as noise (the field's left-to-right gradient,
    // not removed on a field this small, counted in the noise estimate and raised its floor above the branch).
    const swc = ['1 1 0 0 0 4 -1', '2 3 8 0.3 0 1 1', '3 3 40 0.3 0 1 2', '4 3 70 0.3 0 1 3', '5 3 40.3 -30 0 1 3'].join('\n');
    const lateral: number[] = [];
    const side: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const { tips } = drawnAndTraced(swc, seed);
      const main = tips.find((t) => t.x > 90);
      const up = tips.find((t) => t.y < 40);
      expect(main && up).toBeTruthy();
      if (!main || !up) continue;
      lateral.push(Math.abs(main.y - 60.3));
      side.push(Math.hypot(up.x - 70.3, up.y - 30));
    }
    expect(median(lateral)).toBeLessThanOrEqual(0.25);
    expect(side.reduce((a, b) => a + b, 0) / side.length).toBeLessThanOrEqual(1.2);
  });

  it("a thick neurite's tip is the centre of its end cap, one radius inside where its signal ends; a thin one's is where it ends", () => {
    // From a cell body at (0, 0): a thick fibre to x = 70 (SWC radius 3: Gaussian tube σ 2.1 px, its signal falling
    // to half 2.5 px past the node) and a thin one to y = 70 (radius 1: σ 0.8 px, the blur alone), noise σ 8, five
    // draws. Before: the thick tip sat 2.5–4.3 px past its node; the thin one was within 1 px, as it is now.
    const swc = ['1 1 0 0 0 6 -1', '2 3 8 0 0 3 1', '3 3 70 0 0 3 2', '4 3 0 8 0 1 1', '5 3 0 70 0 1 4'].join('\n');
    const thick: number[] = [];
    const thin: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const { m, tips } = drawnAndTraced(swc, seed);
      const g = m.gold[0];
      const node = (x: number, y: number) => Array.from(g.x).findIndex((gx, i) => Math.abs(gx - g.x[0] - x) < 1e-6 && Math.abs(g.y[i] - g.y[0] - y) < 1e-6);
      const [a, b] = [node(70, 0), node(0, 70)];
      const nearest = (i: number) => Math.min(...tips.map((t) => Math.hypot(t.x - g.x[i], t.y - g.y[i])));
      thick.push(nearest(a));
      thin.push(nearest(b));
    }
    expect(Math.max(...thick)).toBeLessThanOrEqual(1);
    expect(Math.max(...thin)).toBeLessThanOrEqual(1);
  });
});

describe('densify: a point at least every `spacing` on the same polyline', () => {
  it('splits each long edge evenly and keeps every vertex where it was', () => {
    const d = densify([[0, 0], [3, 4], [3, 4.5], [3, 7]], 2);
    // 5 px → 3 parts; 0.5 px stays; 2.5 px → 2 parts.
    expect(d.points).toEqual([[0, 0], [1, 4 / 3], [2, 8 / 3], [3, 4], [3, 4.5], [3, 5.75], [3, 7]]);
    expect(Array.from(d.index)).toEqual([0, 3, 4, 6]);
  });
});

describe('junctions: where a child meets its parent (junction.ts)', () => {
  // Parent along y = 0. The search split the child off at (10, 0); it runs inside the parent's overlap to (14, 1) and
  // then leaves along y = x − 13, which meets the parent at (13, 0).
  const parent: Array<[number, number]> = [[0, 0], [40, 0]];
  const child: Array<[number, number]> = [[10, 0], [14, 1], [24, 11]];

  it('extends the child’s line back onto the parent: the junction is where the two centre lines cross', () => {
    const j = junctionOnParent(parent, child, 2, 4);
    expect(j).not.toBeNull();
    expect(j!.point[0]).toBeCloseTo(13, 9);
    expect(j!.point[1]).toBeCloseTo(0, 9);
    // The child starts where it leaves the overlap (within a 0.5 px step past 2 px from the parent), on its own line.
    const [q] = j!.child;
    expect(q[1]).toBeGreaterThan(2);
    expect(q[1]).toBeLessThanOrEqual(2.5);
    expect(q[0] - q[1]).toBeCloseTo(13, 9);
    expect(j!.child[j!.child.length - 1]).toEqual([24, 11]);
  });

  it('a child beside its parent keeps its line as refined, vertex for vertex, where nothing pulls it (near-parent.ts)', () => {
    // A plane without a ridge: no cross-section has a peak, so no sample moves; the line is not resampled either.
    const flat = { width: 60, height: 40, sigma: 1, data: new Float32Array(60 * 40).fill(10) };
    const line: Array<[number, number]> = [[10, 20], [14, 17], [30, 5]];
    expect(recentreNearParent(flat, [[0, 20], [50, 20]], line, 3, 0)).toBe(line);
  });

  it('a child that never leaves the overlap has no junction to place', () => {
    expect(junctionOnParent(parent, [[10, 0], [20, 1]], 2, 4)).toBeNull();
  });

  it('a child running straight on where its parent turns meets the parent at the bend, though its line only grazes it', () => {
    // The parent comes along y = 0 from the right and turns down-left at (0, 0); the child runs straight on to the
    // left 0.3 px above y = 0. Extended back, its line passes 0.3 px outside the bend without crossing the parent:
    // the junction was the perpendicular foot on the turned arm, 1.9 px from the bend.
    const j = junctionOnParent(
      [
        [40, 0],
        [0, 0],
        [-20, 20],
      ],
      [
        [0, -0.3],
        [-30, -0.3],
      ],
      2,
      4,
    );
    expect(Math.hypot(j!.point[0], j!.point[1])).toBeLessThan(0.6);
  });

  it('a child leaving past the parent’s end gets the perpendicular foot, not a point beyond the end', () => {
    const j = junctionOnParent([[0, 0], [10, 0]], [[10, 0], [11, 3], [11, 12]], 2, 4);
    expect(j!.point[0]).toBeCloseTo(10, 9);
    expect(j!.point[1]).toBeCloseTo(0, 9);
  });
});

describe("centre lines: the live-wire's refinement", () => {
  // A horizontal Gaussian line (σ 1.5 px) centred at y = 30.2, between pixel centres 29.5 and 30.5, with a vertical
  // branch centred at x = 40.8 leaving it upwards; pixel paths can only run through pixel centres.
  const plane = noisyPlane(80, 44, (x, y) => {
    const main = x >= 4.5 && x <= 75.5 ? Math.exp(-((y - 30.2) ** 2) / 4.5) : 0;
    const branch = y >= 6 && y <= 30.2 ? Math.exp(-((x - 40.8) ** 2) / 4.5) : 0;
    return Math.max(main, branch);
  });
  const tracer = new AutoTracer(plane, { pixelSize: 1, gapPx: 0 });
  const [neuron] = pruneTrace(tracer.trace([tracer.seedAt(5.5, 30.5)]), { minBranchPx: 10 });

  it('nodes sit on the intensity ridge to within 0.05 px, off the pixel grid', () => {
    expect(neuron.branches.length).toBe(2);
    const [main, branch] = neuron.branches;
    // Away from the pinned ends (pixel centres: the start at the body's rim, the tip) and the junction: the first
    // and last edges run from a pinned end to the first fitted vertex (x ≈ 23 and 68), and carry nodes (≤ 1 µm apart).
    for (const p of main.nodes.filter((n) => n.x > 25 && n.x < 66 && Math.abs(n.x - 40.8) > 6)) expect(Math.abs(p.y - 30.2)).toBeLessThan(0.05);
    const mid = branch.nodes.filter((n) => n.y > 12 && n.y < 21);
    expect(mid.length).toBeGreaterThan(0);
    for (const p of mid) expect(Math.abs(p.x - 40.8)).toBeLessThan(0.05);
  });

  it('a node at least every µm (1 px here), each with the distance-transform radius of its pixel', () => {
    for (const b of neuron.branches) {
      for (let i = 1; i < b.nodes.length; i++) expect(Math.hypot(b.nodes[i].x - b.nodes[i - 1].x, b.nodes[i].y - b.nodes[i - 1].y)).toBeLessThanOrEqual(1 + 1e-9);
    }
    const [main] = neuron.branches;
    // The main line is a Gaussian of σ 1.5 px; its foreground is a band about 8 px wide: radius ≈ 4 at its centre.
    const centre = main.nodes.find((n) => Math.abs(n.x - 60) < 1) as { r: number };
    expect(centre.r).toBeGreaterThanOrEqual(3);
    expect(centre.r).toBeLessThanOrEqual(5);
  });

  it('tips end where the line ends, not in the noise past it', () => {
    const [main, branch] = neuron.branches;
    // The branch is drawn from y = 30.2 up to y = 6, the main line from x = 4 to x = 76 (past its end: noise ±2).
    const tip = branch.nodes[branch.nodes.length - 1];
    expect(Math.abs(tip.y - 6)).toBeLessThanOrEqual(1);
    expect(Math.abs(main.nodes[main.nodes.length - 1].x - 76)).toBeLessThanOrEqual(1);
  });

  it('the branch hangs from a node inserted on the refined main line (not on the pixel grid)', () => {
    const [main, branch] = neuron.branches;
    expect(branch.parent).toBe(0);
    const at = main.nodes[branch.parentNode];
    // The geodesic path cuts the corner inside the 8 px wide foreground and leaves the main line ~4 px early; the
    // junction is placed where the branch's centre line, extended, meets the main line's (x = 40.8). It landed 1.75 px
    // short while the branch's first px beside the main line, pinned at the split pixel and pulled by the main line's
    // flank, tilted towards it; re-centred on the branch's own signal (near-parent.ts) it lands 0.31 px short.
    expect(Math.abs(at.x - 40.8)).toBeLessThan(0.5);
    expect(Math.abs(at.y - 30.2)).toBeLessThan(0.05);
  });

  it('re-pruning reuses the refined lines: the same detail gives identical nodes', () => {
    expect(pruneTrace(tracer.trace([tracer.seedAt(5.5, 30.5)]), { minBranchPx: 10 })).toEqual([neuron]);
  });
});

describe('doubts: what the trace is unsure of, on the path as drawn', () => {
  // A Gaussian line (σ 1.5 px, 100 above a background of 10 ± 2) from x = 4 to 90 at y = 20.2, and what lies past it.
  const traced = (extra: { specks?: number[]; unstained?: [number, number] }) => {
    const u = extra.unstained;
    const plane = noisyPlane(140, 40, (x, y) => {
      let v = x >= 4.5 && x <= 90.5 && !(u && x >= u[0] + 0.5 && x <= u[1] + 0.5) ? Math.exp(-((y - 20.2) ** 2) / 4.5) : 0;
      for (const sx of extra.specks ?? []) v = Math.max(v, 0.3 * Math.exp(-((x - sx) ** 2 + (y - 20.2) ** 2) / 2));
      return v;
    });
    const t = new AutoTracer(plane, { pixelSize: 1 });
    return pruneTrace(t.trace([t.seedAt(5.5, 20.5)]), { minBranchPx: 10 })[0].branches;
  };

  it('the front running on past a tip through specks of noise is no doubt: the line is drawn to its end, solid', () => {
    // Specks a third as bright, 8 px apart: the search hops from one to the next across the dark between them, and the
    // line is drawn only to where its own signal ends. Its doubts were read over all the pixels searched: 'gap'.
    const [line, ...rest] = traced({ specks: [97, 105, 113, 121] });
    expect(rest).toEqual([]);
    expect(Math.abs(line.nodes[line.nodes.length - 1].x - 90.5)).toBeLessThan(1);
    expect(line.doubts).toEqual([]);
  });

  it('a line unstained for 4 px is traced across the break, to its end, and flagged as crossing a gap', () => {
    const [line, ...rest] = traced({ unstained: [46, 49] });
    expect(rest).toEqual([]);
    expect(Math.abs(line.nodes[line.nodes.length - 1].x - 90.5)).toBeLessThan(1);
    expect(line.doubts).toEqual(['gap']);
    // Where: one spot, in the break (px 46–49 unstained), on the line as drawn (which sags a px there).
    expect(line.spots).toHaveLength(1);
    expect(line.spots[0].doubt).toBe('gap');
    expect(Math.abs(line.spots[0].x - 48)).toBeLessThanOrEqual(1);
    expect(Math.abs(line.spots[0].y - 20.2)).toBeLessThanOrEqual(1);
  });

  it('a line broken in three places has a spot in the middle of each break, on the line; a bead in a break does not split it', () => {
    // A mask: a 3 px line along rows 29–31 from x = 5 to 109, unstained at x = 30–32, 60–62 and 80–90 (with a bead,
    // five px of row 30 at x = 82–86, in the last).
    const mask = binaryPlane(120, 60, (set) => {
      for (let x = 5; x < 110; x++) for (let y = 29; y <= 31; y++) if (!((x >= 30 && x <= 32) || (x >= 60 && x <= 62) || (x >= 80 && x <= 90 && !(x >= 82 && x <= 86 && y === 30)))) set(x, y);
    });
    const t = new AutoTracer(mask, { pixelSize: 1 });
    const [line, ...rest] = pruneTrace(t.trace([t.seedAt(5.5, 30.5)]), { minBranchPx: 10 })[0].branches;
    expect(rest).toEqual([]);
    expect(line.doubts).toEqual(['gap']);
    expect(line.spots.map((p) => [p.doubt, +p.x.toFixed(9), +p.y.toFixed(9)])).toEqual([
      ['gap', 31.5, 30.5],
      ['gap', 61.5, 30.5],
      ['gap', 85.5, 30.5],
    ]);
    expect(traced({})[0].spots).toEqual([]);
  });
});

describe('document', () => {
  it('a traced neuron is one action: ids in order, node-parented branches, one undo step', () => {
    const n: AutoNeuron = {
      soma: { x: 10, y: 10, r: 4 },
      fibre: false,
      branches: [
        { parent: -1, parentNode: -1, nodes: [{ x: 15, y: 10, r: 1 }, { x: 20, y: 10, r: 1 }, { x: 25, y: 10, r: 1 }], doubts: [], spots: [] },
        { parent: 0, parentNode: 1, nodes: [{ x: 20, y: 15, r: 1 }], doubts: ['gap'], spots: [{ doubt: 'gap', x: 20, y: 15 }] },
      ],
    };
    expect(autoNeuronStats(n)).toEqual({ nodes: 4, branches: 3, branchPoints: 1, tips: 2, lengthPx: 15, lengthUm: null });
    const history = dispatch(createHistory(emptyDocument()), autoNeuronAction(n));
    expect(undoDepth(history)).toBe(1);
    expect(undoLabel(history)).toBe('Automatic trace');
    expect(undo(history).present.neurons).toEqual([]);
    const doc = history.present;
    const neuron = doc.neurons[0];
    expect(neuron.id).toBe(1);
    expect(neuron.soma).toEqual({ kind: 'point', x: 10, y: 10, z: 0, r: 4 });
    expect(neuron.branches.map((b) => b.id)).toEqual([2, 6]);
    expect(neuron.branches[1].parent).toEqual({ kind: 'node', nodeId: 4 });
    expect(doc.nextId).toBe(8);
    // Re-pruned at another detail level with the same coalescing key: still one undo step, back to the empty document.
    const coarse: AutoNeuron = { ...n, branches: [n.branches[0]] };
    const h2 = dispatch(dispatch(createHistory(emptyDocument()), autoNeuronAction(n), { coalesceKey: 'auto-1' }), autoNeuronReplaceAction(1, coarse), { coalesceKey: 'auto-1' });
    expect(h2.present.neurons[0].branches.length).toBe(1);
    expect(h2.present.neurons[0].branches[0].nodes.map((p) => p.x)).toEqual([15, 20, 25]);
    expect(undoDepth(h2)).toBe(1);
    expect(undo(h2).present.neurons).toEqual([]);
    // A parent that is not an earlier branch makes the action invalid (no change).
    const bad = autoNeuronAction({ ...n, branches: [{ ...n.branches[1], parent: 1 }] });
    expect(applyAction(doc, bad)).toBe(doc);
  });
});

describe('provenance', () => {
  const n: AutoNeuron = {
    soma: { x: 10, y: 10, r: 4 },
    fibre: false,
    branches: [
      { parent: -1, parentNode: -1, nodes: [{ x: 15, y: 10, r: 1 }, { x: 25, y: 10, r: 1 }], doubts: [], spots: [] },
      { parent: -1, parentNode: -1, nodes: [{ x: 10, y: 15, r: 1 }, { x: 10, y: 45, r: 1 }], doubts: [], spots: [] },
    ],
  };

  it('records the tracer and settings; the annotation file keeps them; an edit lowers the unchanged share by length', () => {
    const doc = applyAction(emptyDocument(), autoNeuronAction(n, { parameters: { minBranchPx: 10, lambda: 10 } }));
    const neuron = doc.neurons[0];
    expect(neuron.auto?.tracer).toBe('ramify-app2 38');
    expect(neuron.auto?.parameters).toEqual({ minBranchPx: 10, lambda: 10 });
    expect(neuron.auto?.branches.map((b) => b.branchId)).toEqual(neuron.branches.map((b) => b.id));
    expect(autoUnchangedShare(neuron)).toBe(1);
    const back = parseAnnotation(serializeAnnotation(newAnnotationFile(doc, { appVersion: 'test' })));
    expect(back.document.neurons[0].auto).toEqual(neuron.auto);
    // Moving a node of the 30 px branch leaves the 10 px one: 10 / (10 + 30 + the moved branch's new length).
    const moved = applyAction(doc, { type: 'moveNode', nodeId: neuron.branches[1].nodes[1].id, x: 10, y: 35 });
    expect(autoUnchangedShare(moved.neurons[0])).toBeCloseTo(10 / (10 + 20), 12);
    // A hand-traced neuron has no share at all.
    expect(autoUnchangedShare(applyAction(emptyDocument(), { type: 'addNeuron' }).neurons[0])).toBeNull();
  });
});

describe('which channel has the signal (after a trace found nothing)', () => {
  const w = 100;
  let seed = 7;
  const noise = Float32Array.from({ length: w * w }, () => 8 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 28));
  // 1 % of px at 255 on 0: median and MAD 0, so σ is a thousandth of the range (0.255) and the contrast 255 / 0.255.
  const sparse = Float32Array.from({ length: w * w }, (_, i) => (i % 100 === 0 ? 255 : 0));
  const flat = new Float32Array(w * w).fill(5);

  it('contrast: a flat plane 0, uniform noise a few σ, a sparse bright structure 1000', () => {
    expect(signalContrast(flat, w)).toBe(0);
    expect(signalContrast(noise, w)).toBeGreaterThan(0.5);
    expect(signalContrast(noise, w)).toBeLessThan(3);
    expect(signalContrast(sparse, w)).toBeCloseTo(1000, 6);
  });

  it('names another channel only when it clearly stands out more', () => {
    expect(moreSignalIn([noise, sparse, flat], 0, w)).toBe(1);
    expect(moreSignalIn([flat, noise, sparse], 1, w)).toBe(2);
    expect(moreSignalIn([noise, sparse, flat], 1, w)).toBeNull();
    // Two structured channels (say neurites and nuclei): neither is named over the other.
    expect(moreSignalIn([sparse, sparse.map((v) => v / 2), flat], 0, w)).toBeNull();
    // Noise alone is never named.
    expect(moreSignalIn([flat, noise], 0, w)).toBeNull();
  });

  it('a colour image compares its channels by their signal in the grey levels they share', () => {
    // Red: the ghost of the green structure, 13 on 0; green: the structure, 255 on 0. Each stands 1000 σ above its own
    // background (σ at its floor), so by contrast neither is named; 13 against 255 grey levels, the green is.
    const ghost = sparse.map((v) => (v > 0 ? 13 : 0));
    expect(signalContrast(ghost, w)).toBeCloseTo(1000, 6);
    expect(moreSignalIn([ghost, sparse, flat], 0, w)).toBeNull();
    expect(moreSignalIn([ghost, sparse, flat], 0, w, true)).toBe(1);
    // Traced in the green, nothing brighter is named; a channel of noise is never named however bright.
    expect(moreSignalIn([ghost, sparse, flat], 1, w, true)).toBeNull();
    expect(moreSignalIn([ghost, noise.map((v) => 10 * v)], 0, w, true)).toBeNull();
  });

  it('a background-subtracted channel (half its px at 0) is read under its clip: clipped noise is not named, nor does it hide the channel with the neurites', () => {
    const rng = seededRandom(11);
    const n = 200 * 200;
    // Gaussian noise of σ 20 around 0, clipped at 0: the MAD is 0, and a thousandth of the range made its contrast ~800.
    const clippedNoise = Float32Array.from({ length: n }, () => Math.max(0, Math.round(20 * normalDeviate(rng))));
    // Its 99.9th percentile is 3.09 σ above a median of 0 (the normal quantile), whatever is read under the clip.
    expect(signalContrast(clippedNoise, 200)).toBeGreaterThan(2.8);
    expect(signalContrast(clippedNoise, 200)).toBeLessThan(3.4);
    // The same noise with every 20th row a neurite 1000 above it, the median taken off and clipped at 0.
    const raw = Float32Array.from({ length: n }, (_, i) => 200 + 20 * normalDeviate(rng) + (Math.floor(i / 200) % 20 === 0 ? 1000 : 0));
    const median = Float32Array.from(raw).sort()[n >> 1];
    const clippedNeurites = raw.map((v) => Math.max(0, Math.round(v - median)));
    expect(signalContrast(clippedNeurites, 200)).toBeGreaterThan(40);
    expect(moreSignalIn([clippedNoise, clippedNeurites], 0, 200)).toBe(1);
    expect(moreSignalIn([clippedNeurites, clippedNoise], 0, 200)).toBeNull();
  });
});
