import { forEachNeighbour, PixelHeap } from './min-heap';
import { maskPieces } from './mask-pieces';

/**
 * Where to start on a field without cell bodies (axon or fibre preparations, a crop of an arbor, a projection whose
 * soma lies outside the stack): one start per sizeable piece of foreground, as APP2 starts from the brightest voxel
 * when it is given no marker. A piece that reaches the image's edge starts there, where the fibre enters the field;
 * a piece wholly inside starts at the extremity with the longest stem (a trunk's end rather than a twig's).
 */

export interface FibreStartOptions {
  /** Pieces shorter than this (area over the typical neurite width), px, are noise or debris. */
  minLengthPx: number;
  /** Typical neurite radius of the field, px (soma.ts typicalNeuriteRadius). */
  neuriteRadius: number;
  /** A piece this close to the image's edge, px, enters the field there. */
  edgePx: number;
  /** Most starts returned, the largest pieces first. */
  maxStarts?: number;
  /**
   * The smoothed, background-flattened signal and its background level: a start inside the field moves in from the
   * foreground's end to where the signal reaches half the fibre's level (the foreground runs on past a fibre's end by
   * the blur of its rounded cap), as tips end (tips.ts).
   */
  signal?: { data: Float32Array; background: number };
}

/** A fibre's start (a pixel centre, document px); `inward`: a point of the fibre a few px in, for its direction. */
export interface FibreStart {
  x: number;
  y: number;
  inward?: { x: number; y: number };
}

/** One start per sizeable piece of foreground, the largest pieces first. */
export function fibreStarts(mask: Uint8Array, depth: Float32Array, width: number, height: number, o: FibreStartOptions): FibreStart[] {
  const { label, pieces } = maskPieces(mask, width, height);
  // A piece's length: its area over the typical neurite width.
  const width2 = 2 * Math.max(1, o.neuriteRadius);
  const kept = pieces
    .map((pixels, id) => ({ pixels, id, area: pixels.length }))
    .filter((p) => p.area / width2 >= o.minLengthPx)
    .sort((a, b) => b.area - a.area || a.id - b.id)
    .slice(0, o.maxStarts ?? 50);
  const dist = new Float64Array(width * height).fill(Infinity);
  return kept.map(({ pixels, id }) => {
    const entry = edgeEntry(pixels, o.signal?.data ?? depth, width, height, o.edgePx);
    const end = entry ?? rootEnd(pixels, id, label, depth, dist, width, height);
    const centre = (q: number) => ({ x: (q % width) + 0.5, y: Math.floor(q / width) + 0.5 });
    if (entry !== null || !o.signal) return centre(end);
    const start = signalStart(end, pixels, id, label, dist, width, height, o.signal);
    return { ...centre(start.pixel), ...(start.inward >= 0 ? { inward: centre(start.inward) } : {}) };
  });
}

/**
 * Where the piece meets the image's edge when it comes within `edgePx` of it: of its pixels nearest the edge, the
 * one where `level` (the smoothed signal, else the depth) peaks, the middle one of a tie: the centre of the fibre's
 * cross-section there. The foreground's extent at the edge would not do: a spine or a neighbour touching it there
 * widens it to one side.
 */
function edgeEntry(pixels: readonly number[], level: Float32Array, width: number, height: number, edgePx: number): number | null {
  let nearest = Infinity;
  let highest = -Infinity;
  let at: number[] = [];
  for (const p of pixels) {
    const x = p % width;
    const y = (p - x) / width;
    const edge = Math.min(x, y, width - 1 - x, height - 1 - y);
    if (edge > nearest || (edge === nearest && level[p] < highest)) continue;
    if (edge < nearest || level[p] > highest) at = [];
    nearest = edge;
    highest = level[p];
    at.push(p);
  }
  if (nearest > edgePx) return null;
  at.sort((a, b) => a - b);
  return at[(at.length - 1) >> 1];
}

/** Extremities of a piece compared as its root (found by farthest-point sampling). */
const ROOT_CANDIDATES = 12;

/**
 * The piece's extremity with the longest stem: the farthest it runs before the paths to the other extremities part
 * (for extremities x, y seen from e, (d(e,x) + d(e,y) − d(x,y)) / 2, the least over pairs). A trunk runs a long way
 * before its first branch point; a twig's tip reaches its sibling's fork within the twig's length. Extremities: the
 * pixel farthest from the deepest one, then repeatedly the pixel farthest from all extremities so far. Ties go to the
 * extremity farther on average from the rest of the piece.
 */
function rootEnd(pixels: readonly number[], id: number, label: Int32Array, depth: Float32Array, dist: Float64Array, width: number, height: number): number {
  let deepest = pixels[0];
  for (const p of pixels) if (depth[p] > depth[deepest]) deepest = p;
  const ends = [search(deepest, pixels, id, label, dist, width, height).far];
  const between: number[][] = [];
  const mean: number[] = [];
  const nearest = new Float64Array(pixels.length).fill(Infinity);
  for (let k = 0; k < ends.length; k++) {
    mean.push(search(ends[k], pixels, id, label, dist, width, height).mean);
    between.push(ends.map((e) => dist[e]));
    if (ends.length === ROOT_CANDIDATES) continue;
    let far = -1;
    pixels.forEach((p, j) => {
      nearest[j] = Math.min(nearest[j], dist[p]);
      if (far < 0 || nearest[j] > nearest[far]) far = j;
    });
    if (nearest[far] > 0) ends.push(pixels[far]);
  }
  // between[k][j] is known for j ≤ k (an end's search sees only the ends found before it); distances are symmetric.
  const d = (i: number, j: number) => (j <= i ? between[i][j] : between[j][i]);
  let best = 0;
  let bestStem = -1;
  ends.forEach((_, e) => {
    let stem = Infinity;
    for (let x = 0; x < ends.length; x++) {
      for (let y = x + 1; y < ends.length; y++) if (x !== e && y !== e) stem = Math.min(stem, (d(e, x) + d(e, y) - d(x, y)) / 2);
    }
    if (!Number.isFinite(stem)) stem = 0;
    if (stem > bestStem + 1e-9 || (Math.abs(stem - bestStem) <= 1e-9 && mean[e] > mean[best])) {
      bestStem = stem;
      best = e;
    }
  });
  return ends[best];
}

/** How far in from the foreground's end a fibre's start may move, and over which stretch its level is read, px. */
const START_REACH = 15;
const LEVEL_FROM = 5;
const LEVEL_TO = 30;

/** How far in from the start the point giving the fibre's direction lies, px. */
const INWARD_PX = 8;

/**
 * The first pixel on the way in from `end` (towards the farthest pixel of the piece) whose signal reaches half the
 * fibre's level above the background, the level being the median over LEVEL_FROM–LEVEL_TO px in; and the pixel
 * INWARD_PX further in (−1 when the piece is shorter).
 */
function signalStart(end: number, pixels: readonly number[], id: number, label: Int32Array, dist: Float64Array, width: number, height: number, signal: { data: Float32Array; background: number }): { pixel: number; inward: number } {
  const parent = new Map<number, number>();
  const { far } = search(end, pixels, id, label, dist, width, height, parent);
  const path: number[] = [];
  for (let p = far; p !== end; p = parent.get(p) as number) path.push(p);
  path.push(end);
  path.reverse();
  const levels = path.slice(LEVEL_FROM, LEVEL_TO).map((p) => signal.data[p]);
  let at = 0;
  if (levels.length > 0) {
    levels.sort((a, b) => a - b);
    const half = signal.background + 0.5 * (levels[levels.length >> 1] - signal.background);
    const k = path.findIndex((p) => dist[p] > START_REACH || signal.data[p] >= half);
    if (k >= 0 && dist[path[k]] <= START_REACH) at = k;
  }
  const inward = path.findIndex((p) => dist[p] >= dist[path[at]] + INWARD_PX);
  return { pixel: path[at], inward: inward >= 0 ? path[inward] : -1 };
}

/**
 * Distances along 8-connected paths inside the piece from `from`: the farthest pixel and the mean distance; with
 * `parent`, each pixel's predecessor on its shortest path.
 */
function search(from: number, pixels: readonly number[], id: number, label: Int32Array, dist: Float64Array, width: number, height: number, parent?: Map<number, number>): { far: number; mean: number } {
  for (const p of pixels) dist[p] = Infinity;
  dist[from] = 0;
  let far = from;
  const heap = new PixelHeap();
  heap.push(0, from);
  while (heap.size > 0) {
    const d = heap.peekKey();
    const p = heap.pop();
    if (d > dist[p]) continue;
    if (d > dist[far]) far = p;
    forEachNeighbour(p, width, height, (q, step) => {
      if (label[q] !== id || d + step >= dist[q]) return;
      dist[q] = d + step;
      parent?.set(q, p);
      heap.push(d + step, q);
    });
  }
  let sum = 0;
  for (const p of pixels) sum += dist[p];
  return { far, mean: sum / pixels.length };
}
