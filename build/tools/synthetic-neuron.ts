/**
 * Synthetic fluorescence micrograph of a few branching neurons, with exact ground truth. Pure and seeded: the same
 * options give the same pixels on every machine. Used for the bundled sample image and for tracing accuracy tests.
 *
 * Channel 1: dendrite stain (projected tubes of radius ~1.5–3 px along smooth curved branches, intensity falling off
 * with path distance from the soma, bright soma). Channel 2: nuclei (at each soma plus a few glia).
 * Both: Gaussian PSF blur, background with a gentle gradient, Poisson shot noise and Gaussian read noise, 16-bit.
 *
 * Coordinates are document image px: pixel (i, j) is sampled at its centre (i + 0.5, j + 0.5), so a centre line at
 * x = 10.5 runs through the middle of pixel column 10.
 */
import type { AnnotationDocument, Branch, Neuron } from '../../shared/model/document';
import { NEURON_COLORS } from '../../shared/model/document';
import type { Calibration, DecodedImage } from '../../shared/image/types';
import { normalDeviate, seededRandom } from '../../shared/random';
import { pointSegmentDistance2 } from '../../shared/tracing/simplify';

export interface SyntheticOptions {
  /** PRNG seed. */
  seed?: number;
  width?: number;
  height?: number;
  /** Neurons to place (1–4, one per quadrant). */
  neurons?: number;
  /** µm per px. */
  pixelSize?: number;
  /**
   * Dendrites per neuron with a break: a stretch `breakPx` px long where the stain fails (a beaded or out-of-focus
   * dendrite), which a technician traces across. Default 0: every dendrite is stained all along.
   */
  breaks?: number;
  /** Length of each break between the ends of the stained tube on either side, px; default 7. */
  breakPx?: number;
}

/** One grown branch before conversion to the document model. */
interface GrownBranch {
  neuron: number;
  /** Index of the parent branch in the list, -1 for a soma branch. */
  parent: number;
  /** Index of the parent's fine sample the branch starts at. */
  parentSample: number;
  /** Fine samples every 1 px: x, y, radius (px), relative intensity. First sample = branch point (or soma edge). */
  xs: number[];
  ys: number[];
  rs: number[];
  is: number[];
}

interface SomaTruth {
  x: number;
  y: number;
  r: number;
  /** Radius modulation: r(θ) = r·(1 + wobble·sin(3θ + phase)). */
  wobble: number;
  phase: number;
}

export interface SyntheticSample {
  width: number;
  height: number;
  /** [dendrite stain, nuclei], row-major 16-bit. */
  channels: [Uint16Array, Uint16Array];
  calibration: Calibration;
  /** Ground truth in the document model: one neuron per cell, soma points with radius, branches with radii. */
  truth: AnnotationDocument;
  /** The centre of each break (options.breaks), on the truth's centre line, with its neuron's index. */
  breaks: Array<{ x: number; y: number; neuron: number }>;
}

/** The sample as a decoded two-channel 16-bit image, as if read from its TIFF. */
export function syntheticImage(s: SyntheticSample): DecodedImage {
  return {
    info: { format: 'tiff', width: s.width, height: s.height, pages: 2, channels: 2, slices: 1, frames: 1, bitsPerSample: 16, sampleFormat: 'uint', samplesPerPixel: 1, calibration: s.calibration },
    planes: s.channels,
    pageStats: [],
  };
}

/** Seeded uniform and normal deviates for image synthesis. */
export function makeRng(seed: number): { uniform: () => number; normal: () => number } {
  const uniform = seededRandom(seed);
  return { uniform, normal: () => normalDeviate(uniform) };
}

const MARGIN = 24;
const MIN_SEPARATION = 12; // px between unrelated branches, so that every true branch is traceable on its own

/** Spatial hash of grown samples for the separation test. */
class SampleGrid {
  private readonly cells = new Map<number, Array<{ x: number; y: number; branch: number }>>();
  constructor(private readonly cell: number) {}
  private key(cx: number, cy: number) {
    return cx * 65536 + cy;
  }
  add(x: number, y: number, branch: number) {
    const k = this.key(Math.floor(x / this.cell), Math.floor(y / this.cell));
    const list = this.cells.get(k);
    if (list) list.push({ x, y, branch });
    else this.cells.set(k, [{ x, y, branch }]);
  }
  /** True when a sample of a branch not in `ignore` lies within `dist`. */
  near(x: number, y: number, dist: number, ignore: (branch: number) => boolean): boolean {
    const cx = Math.floor(x / this.cell);
    const cy = Math.floor(y / this.cell);
    const span = Math.ceil(dist / this.cell);
    for (let i = cx - span; i <= cx + span; i++) {
      for (let j = cy - span; j <= cy + span; j++) {
        const list = this.cells.get(this.key(i, j));
        if (!list) continue;
        for (const s of list) if (!ignore(s.branch) && Math.hypot(s.x - x, s.y - y) < dist) return true;
      }
    }
    return false;
  }
}

function growNeurons(width: number, height: number, count: number, rng: ReturnType<typeof makeRng>): { somata: SomaTruth[]; branches: GrownBranch[] } {
  const somata: SomaTruth[] = [];
  const quadrants = [
    [0.27, 0.3],
    [0.73, 0.27],
    [0.3, 0.73],
    [0.72, 0.72],
  ];
  for (let n = 0; n < count; n++) {
    const [qx, qy] = quadrants[n % 4];
    somata.push({
      x: qx * width + (rng.uniform() - 0.5) * 0.08 * width,
      y: qy * height + (rng.uniform() - 0.5) * 0.08 * height,
      r: 14 + 5 * rng.uniform(),
      wobble: 0.08 + 0.06 * rng.uniform(),
      phase: 2 * Math.PI * rng.uniform(),
    });
  }
  const branches: GrownBranch[] = [];
  const grid = new SampleGrid(16);

  // Depth-first growth, one branch at a time; children queue at branch points.
  interface Seed {
    neuron: number;
    parent: number;
    parentSample: number;
    x: number;
    y: number;
    heading: number;
    radius: number;
    intensity: number;
    length: number;
    depth: number;
  }
  const queue: Seed[] = [];
  for (let n = 0; n < count; n++) {
    const s = somata[n];
    const stems = 3 + Math.floor(rng.uniform() * 3);
    const base = 2 * Math.PI * rng.uniform();
    for (let k = 0; k < stems; k++) {
      const heading = base + (2 * Math.PI * k) / stems + (rng.uniform() - 0.5) * 0.6;
      const rEdge = s.r * (1 + s.wobble * Math.sin(3 * heading + s.phase));
      queue.push({
        neuron: n,
        parent: -1,
        parentSample: 0,
        x: s.x + Math.cos(heading) * rEdge,
        y: s.y + Math.sin(heading) * rEdge,
        heading,
        radius: 2.6 + 0.4 * rng.uniform(),
        intensity: 0.8 + 0.2 * rng.uniform(),
        length: 150 + 170 * rng.uniform(),
        depth: 0,
      });
    }
  }

  while (queue.length > 0) {
    const seed = queue.shift() as Seed;
    const id = branches.length;
    const b: GrownBranch = { neuron: seed.neuron, parent: seed.parent, parentSample: seed.parentSample, xs: [seed.x], ys: [seed.y], rs: [seed.radius], is: [seed.intensity] };
    const relatives = new Set<number>([id]);
    if (seed.parent >= 0) {
      relatives.add(seed.parent);
      for (let k = 0; k < branches.length; k++) if (branches[k].parent === seed.parent) relatives.add(k);
    }
    let heading = seed.heading;
    let turn = 0;
    let x = seed.x;
    let y = seed.y;
    const tipRadius = Math.max(1.5, seed.radius * 0.65);
    const branchAt: number[] = [];
    if (seed.depth < 2) {
      const nChildren = seed.depth === 0 ? 1 + Math.floor(rng.uniform() * 2) : Math.floor(rng.uniform() * 2);
      for (let c = 0; c < nChildren; c++) branchAt.push(Math.floor(seed.length * (0.3 + 0.5 * rng.uniform())));
    }
    for (let s = 1; s <= seed.length; s++) {
      // Curvature follows a mean-reverting random walk: smooth bends, no kinks (max ~1/40 px⁻¹).
      turn = 0.9 * turn + 0.004 * rng.normal();
      turn = Math.max(-0.025, Math.min(0.025, turn));
      heading += turn;
      const nx = x + Math.cos(heading);
      const ny = y + Math.sin(heading);
      if (nx < MARGIN || ny < MARGIN || nx > width - MARGIN || ny > height - MARGIN) break;
      const early = s < 30;
      const ignore = (other: number) => other === id || (early && relatives.has(other));
      if (grid.near(nx, ny, MIN_SEPARATION, ignore)) break;
      let hitsSoma = false;
      for (let n = 0; n < somata.length; n++) {
        if (n === seed.neuron && seed.parent === -1 && early) continue;
        if (Math.hypot(nx - somata[n].x, ny - somata[n].y) < somata[n].r * 1.2 + MIN_SEPARATION) hitsSoma = true;
      }
      if (hitsSoma) break;
      x = nx;
      y = ny;
      const f = s / seed.length;
      b.xs.push(x);
      b.ys.push(y);
      b.rs.push(seed.radius + (tipRadius - seed.radius) * f);
      b.is.push(seed.intensity * Math.exp(-s / 420) * (1 + 0.12 * Math.sin(s / 9 + id)));
    }
    if (b.xs.length < 12) continue; // a stub: not a branch anyone would trace
    for (let k = 0; k < b.xs.length; k++) grid.add(b.xs[k], b.ys[k], id);
    branches.push(b);
    for (const at of branchAt) {
      if (at >= b.xs.length - 10) continue;
      const side = rng.uniform() < 0.5 ? -1 : 1;
      const dx = b.xs[at + 1] - b.xs[at - 1];
      const dy = b.ys[at + 1] - b.ys[at - 1];
      queue.push({
        neuron: seed.neuron,
        parent: id,
        parentSample: at,
        x: b.xs[at],
        y: b.ys[at],
        heading: Math.atan2(dy, dx) + side * (0.55 + 0.5 * rng.uniform()),
        radius: Math.max(1.5, b.rs[at] * 0.8),
        intensity: b.is[at] * 0.85,
        length: 70 + 130 * rng.uniform(),
        depth: seed.depth + 1,
      });
    }
  }
  return { somata, branches };
}


const SUB = 3; // supersamples per pixel side, so thin tubes are not aliased

/** Projected cylinders (intensity ∝ chord length), max-combined so joints do not double up. */
function renderTubes(img: Float32Array, width: number, height: number, branches: GrownBranch[]): void {
  for (const b of branches) {
    for (let k = 1; k < b.xs.length; k++) {
      const ax = b.xs[k - 1];
      const ay = b.ys[k - 1];
      const bx = b.xs[k];
      const by = b.ys[k];
      const r = 0.5 * (b.rs[k - 1] + b.rs[k]);
      const inten = 0.5 * (b.is[k - 1] + b.is[k]);
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r - 1));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + r + 1));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r - 1));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + r + 1));
      for (let py = y0; py <= y1; py++) {
        for (let px = x0; px <= x1; px++) {
          let acc = 0;
          for (let sy = 0; sy < SUB; sy++) {
            for (let sx = 0; sx < SUB; sx++) {
              const d2 = pointSegmentDistance2(px + (sx + 0.5) / SUB, py + (sy + 0.5) / SUB, ax, ay, bx, by);
              const q = 1 - d2 / (r * r);
              if (q > 0) acc += Math.sqrt(q);
            }
          }
          const v = (inten * acc) / (SUB * SUB);
          const i = px + width * py;
          if (v > img[i]) img[i] = v;
        }
      }
    }
  }
}

/** Soft-edged disc (wobbly outline) of the given peak, max-combined. */
function renderBlob(img: Float32Array, width: number, height: number, s: SomaTruth, scale: number, peak: number): void {
  const R = s.r * scale * (1 + s.wobble);
  for (let py = Math.max(0, Math.floor(s.y - R - 3)); py <= Math.min(height - 1, Math.ceil(s.y + R + 3)); py++) {
    for (let px = Math.max(0, Math.floor(s.x - R - 3)); px <= Math.min(width - 1, Math.ceil(s.x + R + 3)); px++) {
      const dx = px + 0.5 - s.x;
      const dy = py + 0.5 - s.y;
      const edge = s.r * scale * (1 + s.wobble * Math.sin(3 * Math.atan2(dy, dx) + s.phase));
      const d = Math.hypot(dx, dy);
      const v = peak * Math.min(1, Math.max(0, (edge - d) / 1.5 + 0.5)) * (1 - 0.15 * (d / edge) ** 2);
      const i = px + width * py;
      if (v > img[i]) img[i] = v;
    }
  }
}

/** In-place separable Gaussian blur (edges replicated). */
function blur(img: Float32Array, width: number, height: number, sigma: number): void {
  const r = Math.ceil(3 * sigma);
  const k: number[] = [];
  let sum = 0;
  for (let j = -r; j <= r; j++) {
    const v = Math.exp((-j * j) / (2 * sigma * sigma));
    k.push(v);
    sum += v;
  }
  for (let j = 0; j < k.length; j++) k[j] /= sum;
  const tmp = new Float32Array(img.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let j = -r; j <= r; j++) s += k[j + r] * img[y * width + Math.min(width - 1, Math.max(0, x + j))];
      tmp[y * width + x] = s;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let j = -r; j <= r; j++) s += k[j + r] * tmp[Math.min(height - 1, Math.max(0, y + j)) * width + x];
      img[y * width + x] = s;
    }
  }
}

/** Signal (relative units) → counts with background, shot noise and read noise. */
function toCounts(signal: Float32Array, width: number, height: number, gain: number, background: number, rng: ReturnType<typeof makeRng>): Uint16Array {
  const out = new Uint16Array(signal.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = x + width * y;
      const mean = background * (1 + 0.25 * (x / width) + 0.1 * (y / height)) + gain * signal[i];
      // Poisson by its normal approximation (means here are ≥ 100 counts), plus camera read noise.
      const v = mean + Math.sqrt(mean) * rng.normal() + 6 * rng.normal();
      out[i] = Math.max(0, Math.min(65535, Math.round(v)));
    }
  }
  return out;
}

/** Ground-truth fine samples → document branches (nodes every ~3 px, always keeping the last sample). */
function toDocument(somata: SomaTruth[], branches: GrownBranch[], calibration: Calibration): AnnotationDocument {
  let nextId = 1;
  const neurons: Neuron[] = somata.map((s, n) => ({
    id: nextId++,
    name: `Neuron ${n + 1}`,
    color: NEURON_COLORS[n % NEURON_COLORS.length],
    soma: { kind: 'point', x: s.x, y: s.y, z: 0, r: s.r },
    branches: [],
  }));
  // Node id of each kept fine sample, so children can name their parent node.
  const sampleNode: Array<Map<number, number>> = [];
  const STEP = 3;
  for (let bi = 0; bi < branches.length; bi++) {
    const b = branches[bi];
    const ids = new Map<number, number>();
    sampleNode.push(ids);
    const branchId = nextId++;
    let parent: Branch['parent'] = { kind: 'soma' };
    let first = 0;
    if (b.parent >= 0) {
      const pid = sampleNode[b.parent].get(b.parentSample);
      if (pid === undefined) throw new Error('branch point is not a kept node');
      parent = { kind: 'node', nodeId: pid };
      first = 1; // the parent node is the implicit first point
    }
    const keep: number[] = [];
    for (let k = first; k < b.xs.length; k++) if ((k - first) % STEP === 0 || k === b.xs.length - 1) keep.push(k);
    const nodes = keep.map((k) => {
      const id = nextId++;
      ids.set(k, id);
      return { id, x: round4(b.xs[k]), y: round4(b.ys[k]), z: 0, r: round4(b.rs[k]) };
    });
    neurons[b.neuron].branches.push({ id: branchId, label: 'dendrite', parent, nodes });
  }
  return { neurons, nextId, calibration };
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Grows and renders the sample; see the module comment. */
export function syntheticNeurons(options: SyntheticOptions = {}): SyntheticSample {
  const width = options.width ?? 1024;
  const height = options.height ?? 1024;
  const count = Math.max(1, Math.min(4, options.neurons ?? 4));
  const pixelSize = options.pixelSize ?? 0.325;
  const rng = makeRng(options.seed ?? 20240611);
  const { somata, branches } = growNeurons(width, height, count, rng);
  alignBranchPoints(branches);
  const breaks = cutBreaks(branches, count, options.breaks ?? 0, options.breakPx ?? 7);

  const dend = new Float32Array(width * height);
  renderTubes(dend, width, height, branches);
  for (const s of somata) renderBlob(dend, width, height, s, 1, 1.6);
  blur(dend, width, height, 1.0);

  const nuc = new Float32Array(width * height);
  for (const s of somata) renderBlob(nuc, width, height, s, 0.62, 1);
  for (let g = 0; g < 6; g++) {
    // Glia nuclei away from the neurons' somata.
    const glia: SomaTruth = { x: MARGIN + rng.uniform() * (width - 2 * MARGIN), y: MARGIN + rng.uniform() * (height - 2 * MARGIN), r: 6 + 3 * rng.uniform(), wobble: 0.1, phase: 2 * Math.PI * rng.uniform() };
    if (somata.some((s) => Math.hypot(s.x - glia.x, s.y - glia.y) < s.r + 30)) continue;
    renderBlob(nuc, width, height, glia, 1, 0.7 + 0.3 * rng.uniform());
  }
  blur(nuc, width, height, 1.2);

  const calibration: Calibration = { pixelWidth: pixelSize, pixelHeight: pixelSize, unit: 'µm', source: 'imagej' };
  return {
    width,
    height,
    channels: [toCounts(dend, width, height, 2600, 180, rng), toCounts(nuc, width, height, 3000, 120, rng)],
    calibration,
    truth: toDocument(somata, branches, calibration),
    breaks,
  };
}

/** Samples kept clear of a branch's ends and of its children's starts on either side of a break. */
const BREAK_CLEARANCE = 15;

/**
 * Unstains a stretch of `perNeuron` branches of each neuron (primary dendrites first, then their children): the
 * stretch is `length` px plus the tube's radius on either side, as the tube's round ends reach that far into it. Each
 * break sits where its branch is clear of ends and branch points, as near the branch's middle as that allows; a
 * branch without such a place gets none. Draws no random numbers, so the rest of the field is as without breaks.
 */
function cutBreaks(branches: GrownBranch[], neurons: number, perNeuron: number, length: number): SyntheticSample['breaks'] {
  const out: SyntheticSample['breaks'] = [];
  for (let n = 0; n < neurons && perNeuron > 0; n++) {
    const own = branches.map((_, i) => i).filter((i) => branches[i].neuron === n);
    let made = 0;
    for (const i of [...own.filter((i) => branches[i].parent < 0), ...own.filter((i) => branches[i].parent >= 0)]) {
      if (made === perNeuron) break;
      const b = branches[i];
      const starts = branches.filter((c) => c.parent === i).map((c) => c.parentSample);
      const half = (k: number) => length / 2 + b.rs[k];
      const clear = (k: number) => k >= 0 && k < b.xs.length && k - half(k) >= BREAK_CLEARANCE && k + half(k) <= b.xs.length - 1 - BREAK_CLEARANCE && starts.every((s) => Math.abs(s - k) > half(k) + BREAK_CLEARANCE);
      const middle = Math.floor(b.xs.length / 2);
      let at = -1;
      for (let d = 0; d <= middle && at < 0; d++) at = clear(middle - d) ? middle - d : clear(middle + d) ? middle + d : -1;
      if (at < 0) continue;
      for (let k = 0; k < b.xs.length; k++) if (Math.abs(k - at) <= half(at)) b.is[k] = 0;
      out.push({ x: b.xs[at], y: b.ys[at], neuron: n });
      made++;
    }
  }
  return out;
}

/** Child samples over which a moved branch start is blended back into the grown curve. */
const BLEND = 10;

/**
 * Moves each child's start to the nearest parent sample that `toDocument` keeps as a node (every 3rd, counted from
 * the parent's first own sample), so that the child can name it as its parent node. The shift (≤ 1 px) fades out
 * over the child's first BLEND samples along a raised cosine: moving the first sample alone would leave a kink of up
 * to ~1 px at the branch point, a child edge that dips back across a Sholl circle next to the parent (+2 crossings in
 * the truth that no image shows).
 */
function alignBranchPoints(branches: GrownBranch[]): void {
  for (const b of branches) {
    if (b.parent < 0) continue;
    const p = branches[b.parent];
    const first = p.parent < 0 ? 0 : 1;
    const aligned = Math.max(first, Math.min(p.xs.length - 1, first + Math.round((b.parentSample - first) / 3) * 3));
    const dx = p.xs[aligned] - b.xs[0];
    const dy = p.ys[aligned] - b.ys[0];
    b.parentSample = aligned;
    for (let k = 0; k < Math.min(BLEND, b.xs.length); k++) {
      const w = 0.5 * (1 + Math.cos((Math.PI * k) / BLEND));
      b.xs[k] += w * dx;
      b.ys[k] += w * dy;
    }
    b.xs[0] = p.xs[aligned];
    b.ys[0] = p.ys[aligned];
  }
}
