import { RamifyError } from '../../result';
import type { AutoNeuron } from './auto-neuron';
import type { AutoTraceCache } from './prune-trace';
import { touchesLabel } from './segments';
import type { SeedRegion } from './soma';
import type { PixelRect } from '../../display/resample';

/**
 * Most pixels one automatic trace reads. The search holds about 50 bytes per pixel (planes, distance transforms,
 * the search's forest, the cache the detail slider re-prunes), so this is about 1.7 GB: the app's renderer shares
 * its memory with the viewer, and a whole slide scan would take it down.
 */
export const AUTO_TRACE_MAX_PIXELS = 2 ** 25;

export type { PixelRect };

export const megapixels = (n: number) => `${(n / 1e6).toFixed(1)} MP`;

/** Width and height of the largest window of at most `pixels` px in a width × height image, square where it allows. */
export function windowSize(width: number, height: number, pixels: number): [number, number] {
  const w = Math.min(width, Math.floor(Math.sqrt(pixels)));
  const h = Math.min(height, Math.floor(pixels / w));
  return [Math.min(width, Math.floor(pixels / h)), h];
}

/**
 * Pixels of the first window around a click on a larger image: 2896² px, 870 µm at 0.3 µm/px, more than a cultured
 * neuron spans at the usual magnifications. It is read and searched in a few seconds (the whole budget takes about
 * 20 s) and grows while the trace reaches its edge (see reachesRegion).
 */
export const FIRST_WINDOW_PIXELS = 2 ** 23;

/**
 * The part of a width × height image an automatic trace reads. Around clicks: all of it when it has at most
 * `pixels` (≤ `maxPixels`), else the largest window of at most that many (square where the image allows) centred on
 * them, or of `maxPixels` when they lie further apart than that holds. For Detect (no clicks): all of it when it has
 * at most `maxPixels`, else the part on screen, `visible` (clipped to the image). Throws invalid-argument, saying what
 * to do, when the clicks are too far apart for one window or the view shows more than `maxPixels`.
 */
export function autoTraceWindow(width: number, height: number, seeds: ReadonlyArray<{ x: number; y: number }>, visible: PixelRect | null, maxPixels = AUTO_TRACE_MAX_PIXELS, pixels = maxPixels): PixelRect {
  const whole = { x: 0, y: 0, width, height };
  const budget = seeds.length > 0 ? Math.min(pixels, maxPixels) : maxPixels;
  if (width * height <= budget) return whole;
  const size = `${width} × ${height} image (${megapixels(width * height)})`;
  if (seeds.length === 0) {
    const v = visible ? clip(visible, width, height) : null;
    if (v && v.width * v.height <= maxPixels) return v;
    const shown = v ? `the view shows ${megapixels(v.width * v.height)}` : 'nothing of it is on screen';
    throw new RamifyError('invalid-argument', `Detect neurons reads up to ${megapixels(maxPixels)} at a time and ${shown} of this ${size}: zoom in on the part to detect, or click a cell body to trace it alone.`);
  }
  const xs = seeds.map((s) => s.x);
  const ys = seeds.map((s) => s.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const holds = ([w, h]: [number, number]) => x1 - x0 < w && y1 - y0 < h;
  let [w, h] = windowSize(width, height, budget);
  if (!holds([w, h])) {
    // Clicks further apart than the first window: the largest window, when they fit in it.
    if (width * height <= maxPixels) return whole;
    [w, h] = windowSize(width, height, maxPixels);
    if (!holds([w, h])) {
      throw new RamifyError('invalid-argument', `These cell bodies lie ${Math.ceil(x1 - x0)} × ${Math.ceil(y1 - y0)} px apart; one automatic trace of this ${size} reads a ${w} × ${h} px window: trace them separately.`);
    }
  }
  const x = Math.min(width - w, Math.max(0, Math.round((x0 + x1) / 2 - w / 2)));
  const y = Math.min(height - h, Math.max(0, Math.round((y0 + y1) / 2 - h / 2)));
  return { x, y, width: w, height: h };
}

/**
 * The windows one trace around `seeds` reads in turn (see autoTraceWindow): the first of `firstPixels`, then, while the
 * caller answers that the trace reached the window's edge (`next(true)`), four times as many px up to `maxPixels`.
 * Detect (no seeds) and a trace of the whole image read one window.
 */
export function* growingWindows(width: number, height: number, seeds: ReadonlyArray<{ x: number; y: number }>, visible: PixelRect | null, maxPixels = AUTO_TRACE_MAX_PIXELS, firstPixels = FIRST_WINDOW_PIXELS): Generator<PixelRect, void, boolean> {
  let pixels = Math.min(firstPixels, maxPixels);
  for (;;) {
    const window = autoTraceWindow(width, height, seeds, visible, maxPixels, pixels);
    const reachedEdge = yield window;
    if (!reachedEdge || seeds.length === 0 || pixels >= maxPixels || (window.width === width && window.height === height)) return;
    pixels = Math.min(maxPixels, 4 * pixels);
  }
}

/** "W × H px is more than one automatic trace reads (33.6 MP)": why an image is not traced whole in one go. */
export function tooLargeForOneTrace(width: number, height: number, maxPixels = AUTO_TRACE_MAX_PIXELS): string {
  return `${width} × ${height} px is more than one automatic trace reads (${megapixels(maxPixels)})`;
}

/** A rectangle widened to whole px and clipped to the image; null when nothing of it is inside. */
function clip(r: PixelRect, width: number, height: number): PixelRect | null {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(width, Math.ceil(r.x + r.width));
  const y1 = Math.min(height, Math.ceil(r.y + r.height));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** Neurons traced in a window, moved to the whole image's px (the window's corner added to every position). */
export function fromWindow(neurons: readonly AutoNeuron[], window: PixelRect): AutoNeuron[] {
  if (window.x === 0 && window.y === 0) return [...neurons];
  const { x: dx, y: dy } = window;
  return neurons.map((n) => ({
    ...n,
    soma: { ...n.soma, x: n.soma.x + dx, y: n.soma.y + dy },
    branches: n.branches.map((b) => ({ ...b, nodes: b.nodes.map((p) => ({ ...p, x: p.x + dx, y: p.y + dy })), spots: b.spots.map((p) => ({ ...p, x: p.x + dx, y: p.y + dy })) })),
  }));
}

/** Which edges of a window lie inside the image (the image goes on past them). */
export interface InnerEdges {
  left: boolean;
  top: boolean;
  right: boolean;
  bottom: boolean;
}

/** The edges of `window` that lie inside a width × height image. */
export function innerEdges(window: PixelRect, width: number, height: number): InnerEdges {
  return { left: window.x > 0, top: window.y > 0, right: window.x + window.width < width, bottom: window.y + window.height < height };
}

/**
 * The rest of the image as one more competitor of a trace in a window: its foreground px on the window's inner
 * edges. The cells outside the window are not seen, but their neurites that come in across its edge are theirs, not
 * the traced cell's, and a front from the edge claims them as the cells' own fronts would. Null when no inner edge
 * holds foreground.
 */
export function outsideRegion(mask: Uint8Array, width: number, height: number, edges: InnerEdges): SeedRegion | null {
  const pixels: number[] = [];
  const take = (i: number) => mask[i] && pixels.push(i);
  // Row by row, so the pixels come in index order: only the window's border is read.
  for (let y = 0; y < height; y++) {
    const o = y * width;
    if ((edges.top && y === 0) || (edges.bottom && y === height - 1)) for (let x = 0; x < width; x++) take(o + x);
    else {
      if (edges.left) take(o);
      if (edges.right && width > 1) take(o + width - 1);
    }
  }
  return pixels.length > 0 ? { x: 0, y: 0, r: 0, fibre: true, pixels } : null;
}

/**
 * True when a reported neuron's ground touches the ground of seed region `region` (8-neighbours; seed pixels count as
 * their region's): with the outside region of a window, the traced cell goes on past the window's edge, or a neurite
 * from outside meets it, and a larger window may trace it differently.
 */
export function reachesRegion(cache: AutoTraceCache, region: number): boolean {
  const { width, height, segments: seg } = cache;
  const label = new Int32Array(width * height).fill(-1);
  cache.seeds.forEach((s, k) => s.pixels.forEach((p) => (label[p] = k)));
  for (let s = 0; s < seg.count; s++) for (let j = seg.start[s]; j < seg.start[s] + seg.length[s]; j++) label[seg.pixels[j]] = seg.region[s];
  for (let p = 0; p < label.length; p++) if (label[p] === region && touchesLabel(p, label, width, height, 0, cache.reported, -1)) return true;
  return false;
}
