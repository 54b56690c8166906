import { simplifyPolyline } from '../../../shared/display/simplify';
import { somaCenter, type BranchId, type Neuron } from '../../../shared/model/document';
import { childCount } from '../../../shared/model/queries';
import { neuronGeometry, type NeuronGeometry } from '../../../shared/model/segment-index';
import type { DoubtSpot } from '../../../shared/tracing/auto/auto-neuron';
import { spotsOnPath } from '../../../shared/tracing/auto/doubt-spots';
import { VERTICES_VISIBLE_SCALE } from '../tools/edit-tool';

/**
 * Draws committed tracings straight onto a 2D context in screen px (screen = image × scale + offset), with constant
 * on-screen widths. 'reference' draws every segment and marker of every neuron; 'fast' draws the same picture from
 * less work: neurons and branches off screen are skipped, on-screen stretches of a partly visible branch come from
 * the neuron's spatial index (with one extra segment each side so joins match), and below 100 % zoom solid lines
 * are simplified to within ½ screen px. Above 100 % 'fast' and 'reference' give identical pixels.
 */
export type PaintMode = 'fast' | 'reference';

export interface ScreenView {
  scale: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

const LINE_PX = 2;
/** Farther than any stroke or marker reaches from its point (halo 2.5, fork 3.5, tip 3 + 0.75) plus antialiasing. */
const MARGIN_PX = 6;
/** Below this zoom, solid lines are drawn simplified: one simplification per power-of-two zoom band. */
export const LOD_BELOW_SCALE = 1;

/**
 * Below this zoom, tips and branch points get no markers: a 3 px ring stands for 12+ image px there, and a field of
 * 40 neurons would be carpeted with them (their rasterisation costs more than all the lines).
 */
export const MARKERS_MIN_SCALE = 0.25;

/** Image-px tolerance of zoom band `band` (scales in [2^band, 2^(band+1))): ½ screen px at the band's top. */
export const lodTolerance = (band: number) => 0.5 / 2 ** (band + 1);

interface Derived {
  /** Tips (x, y pairs) and branch points, drawn as markers at every zoom. */
  tips: Float64Array;
  forks: Float64Array;
  /** Simplified polylines per zoom band, per branch (filled when first drawn). */
  lod: Map<number, Array<Float64Array | undefined>>;
}
const derivedCache = new WeakMap<Neuron, Derived>();

function derived(neuron: Neuron): Derived {
  let d = derivedCache.get(neuron);
  if (d) return d;
  const tips: number[] = [];
  const forks: number[] = [];
  for (const b of neuron.branches)
    for (let i = 0; i < b.nodes.length; i++) {
      const n = b.nodes[i];
      const kids = childCount(neuron, b, i);
      if (kids === 0) tips.push(n.x, n.y);
      else if (kids >= 2) forks.push(n.x, n.y);
    }
  d = { tips: Float64Array.from(tips), forks: Float64Array.from(forks), lod: new Map() };
  derivedCache.set(neuron, d);
  return d;
}

/** The branches drawn dotted (the automatic tracer's doubts), and the places on them it doubts (ringed). */
export type DottedBranches = {
  has(id: BranchId): boolean;
  get(id: BranchId): { spots: readonly DoubtSpot[] } | undefined;
};

/** Radius of the ring round a place the automatic tracer doubts, screen px: a gap or crossing stands out at any zoom. */
const SPOT_RING_PX = 11;

function dashOf(neuron: Neuron, b: number, doubtful: DottedBranches): number[] | null {
  const branch = neuron.branches[b];
  if (branch.label === 'axon') return [6, 4];
  if (branch.parent.kind === 'none') return [2, 3];
  return doubtful.has(branch.id) ? [1, 4] : null;
}

/**
 * A dot far off screen, first in every batched path. Skia picks its antialiasing method per path from the path's
 * size and point count; with this anchor every batched path is "large", so a path trimmed to the screen and the
 * whole path are rasterised the same way and give the same pixels.
 */
function anchor(c: CanvasRenderingContext2D): void {
  c.moveTo(-1e6, -1e6);
  c.lineTo(-1e6, -1e6);
}

/** Appends points first..last of a flat line to the current path as one subpath, in screen px. */
function pathOf(c: CanvasRenderingContext2D, line: Float64Array, first: number, last: number, v: ScreenView): void {
  const s = v.scale;
  c.moveTo(line[2 * first] * s + v.x, line[2 * first + 1] * s + v.y);
  for (let i = first + 1; i <= last; i++) c.lineTo(line[2 * i] * s + v.x, line[2 * i + 1] * s + v.y);
}

/** Image-px rectangle the view shows, grown by the margin. */
function visibleBox(v: ScreenView) {
  const m = MARGIN_PX / v.scale;
  return { minX: -v.x / v.scale - m, minY: -v.y / v.scale - m, maxX: (v.width - v.x) / v.scale + m, maxY: (v.height - v.y) / v.scale + m };
}
type Box = ReturnType<typeof visibleBox>;

const meets = (b: Float64Array, k: number, r: Box) => b[k] <= r.maxX && b[k + 2] >= r.minX && b[k + 1] <= r.maxY && b[k + 3] >= r.minY;
const inside = (b: Float64Array, k: number, r: Box) => b[k] >= r.minX && b[k + 2] <= r.maxX && b[k + 1] >= r.minY && b[k + 3] <= r.maxY;

/**
 * The solid branches' subpaths: whole branches when on screen entirely or when simplified, else the on-screen
 * runs of segments the spatial index finds.
 */
function solidPath(c: CanvasRenderingContext2D, neuron: Neuron, g: NeuronGeometry, v: ScreenView, r: Box, dashed: boolean[], mode: PaintMode): void {
  const nb = g.lines.length;
  if (mode === 'reference') {
    for (let b = 0; b < nb; b++) if (!dashed[b] && g.lines[b].length >= 4) pathOf(c, g.lines[b], 0, g.lines[b].length / 2 - 1, v);
    return;
  }
  if (v.scale < LOD_BELOW_SCALE) {
    const band = Math.floor(Math.log2(v.scale));
    const lod = derived(neuron).lod;
    let lines = lod.get(band);
    if (!lines) lod.set(band, (lines = new Array(nb)));
    for (let b = 0; b < nb; b++) {
      if (dashed[b] || g.lines[b].length < 4 || !meets(g.branchBoxes, 4 * b, r)) continue;
      const line = (lines[b] ??= simplifyPolyline(g.lines[b], lodTolerance(band)));
      pathOf(c, line, 0, line.length / 2 - 1, v);
    }
    return;
  }
  // Subpaths go in branch order, as the plain paint adds them: Skia's rasteriser then meets the same edges in the
  // same order, and a trimmed path antialiases like the whole one.
  let partial: Array<number[] | null> | null = null;
  for (let b = 0; b < nb; b++)
    if (!dashed[b] && g.lines[b].length >= 4 && meets(g.branchBoxes, 4 * b, r) && !inside(g.branchBoxes, 4 * b, r)) (partial ??= new Array(nb).fill(null))[b] = [];
  if (partial) {
    const items = g.search(r.minX, r.minY, r.maxX, r.maxY);
    for (let k = 0; k < items.length; k++) {
      const b = g.branchOf[items[k]];
      const runs = partial[b];
      if (!runs) continue;
      // Point q ends the item's segment; one more segment each side keeps the joins of every drawn vertex.
      const q = g.nodeOf[items[k]] + g.offset[b];
      const from = Math.max(0, q - 2);
      const to = Math.min(g.lines[b].length / 2 - 1, q + 1);
      if (runs.length && from <= runs[runs.length - 1]) runs[runs.length - 1] = Math.max(runs[runs.length - 1], to);
      else runs.push(from, to);
    }
  }
  for (let b = 0; b < nb; b++) {
    if (dashed[b] || g.lines[b].length < 4) continue;
    const runs = partial?.[b];
    if (runs) {
      for (let i = 0; i < runs.length; i += 2) if (runs[i + 1] > runs[i]) pathOf(c, g.lines[b], runs[i], runs[i + 1], v);
    } else if (meets(g.branchBoxes, 4 * b, r)) pathOf(c, g.lines[b], 0, g.lines[b].length / 2 - 1, v);
  }
}

/**
 * Paints one neuron: soma, lines (solid ones in one stroke), then tip and branch-point markers (from 25 % zoom) and
 * vertices (from 400 %).
 */
export function paintNeuron(c: CanvasRenderingContext2D, neuron: Neuron, v: ScreenView, doubtful: DottedBranches, mode: PaintMode): void {
  const g = neuronGeometry(neuron);
  const r = visibleBox(v);
  const s = v.scale;
  const color = neuron.color;
  c.lineCap = 'round';
  c.lineJoin = 'round';
  const soma = neuron.soma;
  if (soma?.kind === 'polygon') {
    c.beginPath();
    pathOf(c, Float64Array.from(soma.points.flatMap((p) => [p.x, p.y])), 0, soma.points.length - 1, v);
    c.closePath();
    c.fillStyle = `${color}33`;
    c.fill();
    c.lineWidth = LINE_PX;
    c.strokeStyle = color;
    c.stroke();
  } else if (soma?.kind === 'point') {
    c.beginPath();
    c.arc(soma.x * s + v.x, soma.y * s + v.y, Math.max((soma.r ?? 0) * s, 6), 0, 2 * Math.PI);
    c.fillStyle = `${color}55`;
    c.fill();
    c.lineWidth = LINE_PX;
    c.strokeStyle = color;
    c.stroke();
  }
  if (soma) {
    const m = somaCenter(soma);
    c.beginPath();
    c.arc(m.x * s + v.x, m.y * s + v.y, 1.5, 0, 2 * Math.PI);
    c.fillStyle = color;
    c.fill();
  }
  const fast = mode === 'fast';
  if (fast && !(g.box.minX <= r.maxX && g.box.maxX >= r.minX && g.box.minY <= r.maxY && g.box.maxY >= r.minY)) return;

  const dashed = neuron.branches.map((_, b) => dashOf(neuron, b, doubtful) !== null);
  c.beginPath();
  anchor(c);
  solidPath(c, neuron, g, v, r, dashed, mode);
  c.lineWidth = LINE_PX;
  c.strokeStyle = color;
  c.stroke();
  // Dashed branches are few; drawn whole so the dash pattern keeps its phase along the branch.
  for (let b = 0; b < g.lines.length; b++) {
    const dash = dashed[b] ? dashOf(neuron, b, doubtful) : null;
    if (!dash || g.lines[b].length < 4 || (fast && !meets(g.branchBoxes, 4 * b, r))) continue;
    c.beginPath();
    pathOf(c, g.lines[b], 0, g.lines[b].length / 2 - 1, v);
    if (doubtful.has(neuron.branches[b].id)) {
      // A branch the automatic tracer is unsure of: dotted, with a white halo so the eye finds it, edged in black for
      // a light image (an inverted LUT, a MinIsWhite file).
      c.globalAlpha = 0.35;
      c.strokeStyle = '#000000';
      c.lineWidth = LINE_PX + 6;
      c.stroke();
      c.globalAlpha = 0.5;
      c.strokeStyle = '#ffffff';
      c.lineWidth = LINE_PX + 3;
      c.stroke();
      c.globalAlpha = 1;
    }
    c.setLineDash(dash);
    c.strokeStyle = color;
    c.lineWidth = LINE_PX;
    c.stroke();
    c.setLineDash([]);
  }
  paintSpots(c, neuron, g, v, r, doubtful, fast);

  if (s < MARKERS_MIN_SCALE) return;
  const { tips, forks } = derived(neuron);
  const markers = (pts: Float64Array, radius: number) => {
    for (let i = 0; i < pts.length; i += 2) {
      const x = pts[i];
      const y = pts[i + 1];
      if (fast && (x < r.minX || x > r.maxX || y < r.minY || y > r.maxY)) continue;
      c.moveTo(x * s + v.x + radius, y * s + v.y);
      c.arc(x * s + v.x, y * s + v.y, radius, 0, 2 * Math.PI);
    }
  };
  c.beginPath();
  anchor(c);
  markers(forks, 3.5);
  c.fillStyle = color;
  c.fill();
  c.beginPath();
  anchor(c);
  markers(tips, 3);
  c.lineWidth = 1.5;
  c.stroke();
  if (s >= VERTICES_VISIBLE_SCALE) paintVertices(c, g, v, r, fast);
}

/**
 * A ring round each place the automatic tracer doubts on this neuron's dotted branches (the middle of a gap, a
 * crossing) that the path still passes: white edged in black, as the dotted line's halo, so it shows on dark and
 * light images alike.
 */
function paintSpots(c: CanvasRenderingContext2D, neuron: Neuron, g: NeuronGeometry, v: ScreenView, r: Box, doubtful: DottedBranches, fast: boolean): void {
  const pad = SPOT_RING_PX / v.scale;
  c.beginPath();
  let any = false;
  neuron.branches.forEach((b, k) => {
    const spots = doubtful.get(b.id)?.spots;
    if (!spots) return;
    const line = g.lines[k];
    for (const p of spotsOnPath(b.nodes, spots, g.offset[k] === 1 ? { x: line[0], y: line[1] } : null)) {
      if (fast && (p.x < r.minX - pad || p.x > r.maxX + pad || p.y < r.minY - pad || p.y > r.maxY + pad)) continue;
      const x = p.x * v.scale + v.x;
      const y = p.y * v.scale + v.y;
      c.moveTo(x + SPOT_RING_PX, y);
      c.arc(x, y, SPOT_RING_PX, 0, 2 * Math.PI);
      any = true;
    }
  });
  if (!any) return;
  c.globalAlpha = 0.6;
  c.strokeStyle = '#000000';
  c.lineWidth = 4;
  c.stroke();
  c.globalAlpha = 1;
  c.strokeStyle = '#ffffff';
  c.lineWidth = 2;
  c.stroke();
}

/** Every node as a small square (zoomed in far enough to grab single vertices). */
function paintVertices(c: CanvasRenderingContext2D, g: NeuronGeometry, v: ScreenView, r: Box, fast: boolean): void {
  const s = v.scale;
  const square = (b: number, i: number) => {
    const line = g.lines[b];
    const q = 2 * (i + g.offset[b]);
    const x = line[q];
    const y = line[q + 1];
    if (fast && (x < r.minX || x > r.maxX || y < r.minY || y > r.maxY)) return;
    c.fillRect(x * s + v.x - 1, y * s + v.y - 1, 2, 2);
  };
  const plain = (b: number, i: number) => childCount(g.neuron, g.neuron.branches[b], i) === 1;
  if (!fast) {
    for (let b = 0; b < g.lines.length; b++) for (let i = 0; i < g.neuron.branches[b].nodes.length; i++) if (plain(b, i)) square(b, i);
    return;
  }
  const items = g.search(r.minX, r.minY, r.maxX, r.maxY);
  for (let k = 0; k < items.length; k++) if (plain(g.branchOf[items[k]], g.nodeOf[items[k]])) square(g.branchOf[items[k]], g.nodeOf[items[k]]);
}

/** Paints every neuron in document order. */
export function paintNeurons(c: CanvasRenderingContext2D, neurons: readonly Neuron[], v: ScreenView, doubtful: DottedBranches, mode: PaintMode): void {
  for (const n of neurons) paintNeuron(c, n, v, doubtful, mode);
}
