import { centreOffset, DEFAULT_SMOOTHING, refineCentreline } from '../centreline';
import { DEFAULT_SCALE, defaultScales, type SmoothedPlane } from '../cost-image';
import { gaussianHalfKernel, smoothSeparable } from '../gaussian';
import { microscopeCalibration, printResolutionDpi } from '../../image/calibration';
import { borrow, giveBack } from '../../scratch-arrays';
import type { Calibration } from '../../image/types';
import { euclideanDistance, grayWeightedDistance } from './distance';
import { newCrossingReads, rejoinCrossings, type CrossingReads } from './crossings';
import { densify } from './densify';
import { detectForeground, robustLevel, type Foreground, type ForegroundOptions } from './foreground';
import { geodesicForest } from './geodesic';
import { fibreStarts } from './fibre-starts';
import { distanceToPolyline, junctionOnParent } from './junction';
import { recentreNearParent } from './near-parent';
import { straightenAtSplits } from './parent-at-split';
import { DEFAULT_PRUNE, pruneSegments, type PruneOptions } from './prune';
import { decomposeForest, type SegmentForest } from './segments';
import { quantile, range, type SignalPlane } from './signal';
import { detectSomata, seedAtClick, typicalNeuriteRadius, type SeedRegion } from './soma';
import { blurHalfWidth, capInset, centredTip, signalEnds, tipInset } from './tips';

/** The live-wire's finest scale, px: the σ centre lines are fitted at and tips are read at. */
const FINEST_SCALE = Math.min(...defaultScales(DEFAULT_SCALE));

/** A segment whose signal stays within this many σ of the background's is noise (tips.ts). */
const NOISE_FLOOR_SIGMAS = 4;
/** Distance of the pixel pairs whose differences measure the noise, px: past the tip signal's smoothing (σ √2). */
const NOISE_PAIR_PX = 5;

/** Tracer settings that need a new search when changed. */
export interface AutoTraceOptions {
  /** µm per px, or null when uncalibrated (µm settings then assume 0.5 µm/px, a typical 20× culture image). */
  pixelSize?: number | null;
  /** APP2's λ in exp(λ(1 − s)²); default 10. */
  lambda?: number;
  /** Dark gaps up to this many px wide may be crossed (beads, breaks); default 5. */
  gapPx?: number;
  /** Smallest cell-body radius in µm; default 4. */
  somaMinRadiusUm?: number;
  /** Smallest distance between detected cell bodies in µm; default 20. */
  somaMinSeparationUm?: number;
  /** Strength 1 is reached at this quantile of the foreground's gray-weighted distance; default 0.75. */
  strengthQuantile?: number;
  foreground?: ForegroundOptions;
  /**
   * The live-wire's smoothed plane of this same plane (CostResult.smoothed), so that automatic and manual branches
   * get their centre lines from one image and the smoothing is not done twice. Used only when it is the plane the
   * tracer would make itself: the signal is the stored values (SignalPlane.stored), the scale is the tracer's and the
   * sizes agree; else the tracer makes its own. A trace is then the same with it or without, as a batch trace (which
   * has none) and the review that traces the image again (which has one) must be.
   */
  smoothed?: SmoothedPlane;
  /** Called with (stage, fraction 0–1); return true to cancel. */
  onProgress?: (stage: string, fraction: number) => boolean | void;
}

/** The detail level: how much of the cached trace to keep. Changing it never searches again. */
export interface AutoDetail {
  /** Shortest branch kept, in µm (at ASSUMED_UM_PER_PX when the image is uncalibrated); default 5 µm. */
  minBranchUm?: number;
  /** Overrides minBranchUm, in px. */
  minBranchPx?: number;
  /** 0–1: share of a branch's signal that must not already be covered (higher = fewer branches); default 0.5. */
  pruningStrength?: number;
  /** Mean strength 0–1 a branch's new part needs; default 0.1. */
  minStrength?: number;
}

export interface AutoNode {
  /** Document px. */
  x: number;
  y: number;
  /** Radius in px from the distance transform. */
  r: number;
  /** Slice index (fractional) when a z-stack was traced on its projection (depth.ts); absent on a single plane. */
  z?: number;
}

export interface AutoBranch {
  /** Index of the parent branch in the neuron's list, −1 for a branch on the soma (or the first branch of a fibre). */
  parent: number;
  /** Index into the parent's nodes of the node this branch starts at (−1 with parent −1). */
  parentNode: number;
  /** Nodes proximal to distal; the parent node is not repeated. */
  nodes: AutoNode[];
  /**
   * Why the tracer is unsure of it: 'gap' (crosses a dark gap), 'contact' (touches another cell's ground), 'faint',
   * 'crossing' (continued across another neurite of the cell, crossings.ts).
   */
  doubts: BranchDoubt[];
  /**
   * Where on it the doubts lie, in image px: the middle of each dark gap it crosses, where it first touches another
   * cell's ground, each crossing it was continued across ('faint' has no one place). The review rings them and
   * centres the view on the first, so the technician looks at the gap and not along the whole path.
   */
  spots: DoubtSpot[];
}

/** Why the tracer is unsure of a branch (see AutoBranch.doubts). */
export type BranchDoubt = 'gap' | 'contact' | 'faint' | 'crossing';

export interface DoubtSpot {
  doubt: Exclude<BranchDoubt, 'faint'>;
  x: number;
  y: number;
}

export interface AutoNeuron {
  /** Where the trace started (cell body centre, or the fibre start). */
  soma: AutoNode;
  /** True when the start is a fibre (no cell body): the first branch then begins at `soma`. */
  fibre: boolean;
  branches: AutoBranch[];
}

/**
 * True for a start that gave nothing: a click on background, with no stained neurite within reach, starts a fibre
 * with no branch. The app adds no neuron for it and says nothing was found; the CLI says so for that --soma.
 */
export function tracedNothing(n: AutoNeuron): boolean {
  return n.fibre && n.branches.length === 0;
}

/** Everything a re-prune needs: the search result of one or more seeds. Plain data (typed arrays), so workers can hold it. */
export interface AutoTraceCache {
  width: number;
  height: number;
  pixelSize: number | null;
  /** Seed regions of the search: the neurons asked for first, then competing cell bodies (see AutoTracer.trace). */
  seeds: SeedRegion[];
  /** How many of `seeds` are neurons to report; the rest only compete for ground. */
  reported: number;
  segments: SegmentForest;
  /**
   * Per segment, its length up to where its signal ends (tips.ts); the pixels past it are the front running on
   * through background noise. A segment is drawn that far, or to its last kept child if that lies further out.
   */
  signalEnd: Int32Array;
  /** Per segment, how far past its neurite's end its signal end lies (tips.ts tipInset), px; 0 on a binary mask. */
  tipInset: Float32Array;
  /**
   * The background-flattened signal tips are read on (tips.ts capInset), its background level and the width the blur
   * alone gives a neurite on it (blurHalfWidth); null on a binary mask.
   */
  tipPlane: { plane: SmoothedPlane; background: number; blur: number } | null;
  radius: Float32Array;
  /** The plane centre lines are fitted on (the live-wire's, see AutoTraceOptions.smoothed). */
  smoothed: SmoothedPlane;
  /**
   * σ in px of the centre-line smoothing along a branch (the live-wire's refineCentreline): its default on images,
   * 0 on a binary mask, which has no noise to average: the cross-section peak of the smoothed mask already is its
   * medial line.
   */
  smoothing: number;
  /** True on a binary skeleton (lines one pixel wide): its pixel centres are the centre line, as SNT measures it. */
  skeleton: boolean;
  /** Refined centre lines of each segment up to `end` pixels, filled in by pruneTrace as segments are first kept. */
  refined: Versions<{ end: number; hangs: number; first: number; line: Array<[number, number]> }>;
  /**
   * Where each kept child joined its parent's line at the levels visited last (pruneTrace), with the lines it was
   * worked out from: re-pruning keeps most branches and their lines as they were, and then their junctions too.
   */
  placed: Versions<PlacedChild>;
  /** Each kept segment's line straightened where it bulges towards its children (parent-at-split.ts), with what it was made from. */
  straightened: Versions<{ own: ReadonlyArray<[number, number]>; first: number; lines: ReadonlyArray<ReadonlyArray<[number, number]>>; line: Array<[number, number]> }>;
  /** Each kept segment's branch nodes as emitted at the levels visited last, with what they were made from (see pruneTrace). */
  emitted: Versions<EmittedBranch>;
  /** What the crossing repairs read of each node list (crossings.ts), kept between re-prunes as the lists are. */
  crossingReads: CrossingReads;
  /** Settings the cache was made with, for reports. */
  parameters: { lambda: number; gapPx: number; strengthMax: number; foreground: Pick<Foreground, 'intensity' | 'ridge'>; inverted: boolean; binary: boolean };
  timings: Record<string, number>;
}

export const ASSUMED_UM_PER_PX = 0.5;

/**
 * The pixel size the tracer reads its lengths in µm at (shortest branch, cell body radius, background scale): the
 * image's, or null (ASSUMED_UM_PER_PX stands in) when it has none or only a print resolution (isPrintResolution: at
 * 72 dpi the shortest branch of 5 µm would be 0.014 px, and every spur of noise a branch).
 */
export function tracingPixelSize(cal: Calibration | null | undefined): number | null {
  return microscopeCalibration(cal)?.pixelWidth ?? null;
}

/**
 * What to tell the user when the image's pixel size is a print resolution the tracer does not read lengths at; `fix`
 * says how to give the right one (the app's Calibration panel, the CLI's option).
 */
export function printResolutionNote(cal: Calibration | null | undefined, fix: string): string | null {
  const dpi = printResolutionDpi(cal);
  if (dpi === null || !cal) return null;
  return `The image's pixel size, ${Number(cal.pixelWidth.toPrecision(4))} µm, comes from its resolution tags (${dpi} dpi): a print resolution, not a microscope's. Automatic tracing reads lengths at an assumed ${ASSUMED_UM_PER_PX} µm per px; ${fix} to trace in µm.`;
}

/**
 * What re-pruning worked out per segment, the last few versions (most recent first). A segment's line ends, its
 * children's junctions and its nodes change with the detail level; keeping one version made every return to an
 * earlier level refine, place and repair again what it had before, and handing out the same objects again lets the
 * memos keyed by identity (the junctions', the crossing repairs') answer.
 */
type Versions<T> = Array<T[] | undefined>;

/**
 * How many versions per segment. A segment changes at a few of the levels only, but one changed anywhere makes its
 * arbor's crossings be repaired again: with 4, the slider dragged from 1 to 30 µm and back re-pruned SNT's ddaC in a
 * median 12 ms on the way back; with 16, in 3 ms (and +12 MiB of heap after sweeping it twice each way).
 */
const VERSIONS_KEPT = 16;

/** Segment s's version that `matches`, else one made now; either becomes the most recent. */
function recall<T>(versions: Versions<T>, s: number, matches: (v: T) => boolean, make: () => T): T {
  const list = versions[s] ?? (versions[s] = []);
  const k = list.findIndex(matches);
  const v = k >= 0 ? list.splice(k, 1)[0] : make();
  list.unshift(v);
  if (list.length > VERSIONS_KEPT) list.length = VERSIONS_KEPT;
  return v;
}

/** A child segment's junction on its parent's line `own` (from its first own vertex `first`; see pruneTrace). */
interface PlacedChild {
  from: number;
  attachAt: number;
  own: ReadonlyArray<[number, number]>;
  childLine: ReadonlyArray<[number, number]>;
  first: number;
  /** The junction, the child's line from it, where it lies along `own`, and the child's chain position nearest it. */
  point: [number, number];
  child: Array<[number, number]>;
  at: number;
  cut: number;
}

/**
 * A kept segment's nodes, made from its line `own` (from vertex `first`) and the junctions of the children placed on
 * it: the same line and junctions give the same nodes, and handing out the same node list lets the crossing repairs
 * reuse what they read of it (crossings.ts reads are keyed by node list).
 */
interface EmittedBranch {
  own: ReadonlyArray<[number, number]>;
  first: number;
  /** Child segment and junction point (by identity: junctions are memoised, cache.placed) of each place, in order. */
  places: Array<[number, [number, number]]>;
  nodes: AutoNode[];
  /** Per place, the index in `nodes` of the node the child hangs from. */
  hangNodes: number[];
}

/**
 * On a field without cell bodies, pieces of foreground shorter than this are not traced as fibres (nor reported when
 * their trace is), or than half the field's longer side on a field smaller than that (a crop of one dendrite).
 */
export const FIBRE_MIN_LENGTH_UM = 30;
/** Farthest a detected fibre start moves across onto the fibre's centre line, px (a pixel path may hug its edge). */
const START_SHIFT_PX = 2;

/**
 * APP2-style automatic tracing on one plane. Construction does the per-image work once (foreground, distance
 * transforms); `trace` runs the geodesic search from given seeds and decomposes it; `prune` (a free function on the
 * cache) turns a cache into neurons at any detail level without searching again.
 */
export class AutoTracer {
  readonly width: number;
  readonly height: number;
  readonly foreground: Foreground;
  /** Euclidean distance of each foreground pixel to the background (px): radii and soma depth. */
  readonly depth: Float32Array;
  /** Normalised gray-weighted distance in [0, 1]: the search's strength. */
  readonly strength: Float32Array;
  /** 1 foreground, 2 crossable gap, 0 out of reach. */
  readonly allowed: Uint8Array;
  readonly timings: Record<string, number> = {};
  private readonly o: Required<Omit<AutoTraceOptions, 'onProgress' | 'foreground' | 'pixelSize' | 'smoothed'>> & { pixelSize: number | null };
  private readonly strengthMax: number;
  private readonly signal: SignalPlane;
  private readonly onProgress?: AutoTraceOptions['onProgress'];
  private readonly sharedSmoothed?: SmoothedPlane;
  private smoothedPlane: SmoothedPlane | null = null;
  private tipPlane: Float32Array | null = null;
  private tipNoiseLevel: { median: number; sigma: number } | null = null;
  private neuriteRadiusPx: number | undefined;
  private segmentWeightPlane: Float32Array | null = null;
  private radiusPlane: Float32Array | null = null;
  private foregroundPixels: number | undefined;

  constructor(signal: SignalPlane, options: AutoTraceOptions = {}) {
    const t0 = performance.now();
    this.signal = signal;
    const sh = options.smoothed;
    if (sh && signal.stored && sh.sigma === FINEST_SCALE && sh.width === signal.width && sh.height === signal.height) this.sharedSmoothed = sh;
    this.width = signal.width;
    this.height = signal.height;
    this.onProgress = options.onProgress;
    this.o = {
      pixelSize: options.pixelSize ?? null,
      lambda: options.lambda ?? 10,
      gapPx: options.gapPx ?? 5,
      somaMinRadiusUm: options.somaMinRadiusUm ?? 4,
      somaMinSeparationUm: options.somaMinSeparationUm ?? 20,
      strengthQuantile: options.strengthQuantile ?? 0.75,
    };
    const { width, height } = this;
    this.foreground = detectForeground(signal, { backgroundPx: this.umToPx(30), ...options.foreground });
    this.timings.foregroundMs = performance.now() - t0;
    this.progress('foreground', 0.3);
    const t1 = performance.now();
    const mask = this.foreground.mask;
    this.depth = euclideanDistance(mask, width, height);
    const gw = grayWeightedDistance(mask, this.foreground.flat, width, height, borrow(Float32Array, mask.length));
    const [lo, hi] = range(gw, mask);
    this.strengthMax = Math.max(1e-9, quantile(gw, this.o.strengthQuantile, lo, hi, mask));
    this.strength = new Float32Array(gw.length);
    for (let i = 0; i < gw.length; i++) this.strength[i] = Math.min(1, gw[i] / this.strengthMax);
    giveBack(gw);
    this.allowed = new Uint8Array(mask.length);
    if (this.o.gapPx > 0) {
      const inv = borrow(Uint8Array, mask.length);
      for (let i = 0; i < mask.length; i++) inv[i] = mask[i] ? 0 : 1;
      const toFg = euclideanDistance(inv, width, height, borrow(Float32Array, mask.length));
      for (let i = 0; i < mask.length; i++) this.allowed[i] = mask[i] ? 1 : toFg[i] <= this.o.gapPx ? 2 : 0;
      giveBack(inv, toFg);
    } else {
      for (let i = 0; i < mask.length; i++) this.allowed[i] = mask[i] ? 1 : 0;
    }
    this.timings.distanceMs = performance.now() - t1;
    this.progress('distance', 0.5);
  }

  /** The plane centre lines are fitted on: the live-wire's when shared, else the signal at the live-wire's finest scale. */
  get smoothed(): SmoothedPlane {
    if (this.sharedSmoothed) return this.sharedSmoothed;
    if (!this.smoothedPlane) {
      const t0 = performance.now();
      const sigma = FINEST_SCALE;
      const data = new Float32Array(this.signal.data.length);
      const tmp = borrow(Float32Array, data.length);
      smoothSeparable(this.signal.data, data, tmp, this.width, this.height, gaussianHalfKernel(sigma));
      giveBack(tmp);
      this.smoothedPlane = { width: this.width, height: this.height, sigma, data };
      this.timings.smoothMs = performance.now() - t0;
    }
    return this.smoothedPlane;
  }

  /** The background-flattened signal at the centre-line scale: what tells where a neurite's signal ends. */
  private get tipSignal(): Float32Array {
    if (!this.tipPlane) {
      const sigma = FINEST_SCALE;
      const { flat, flatSmoothed } = this.foreground;
      if (flatSmoothed?.sigma === sigma) this.tipPlane = flatSmoothed.data;
      else {
        this.tipPlane = new Float32Array(flat.length);
        const tmp = borrow(Float32Array, flat.length);
        smoothSeparable(flat, this.tipPlane, tmp, this.width, this.height, gaussianHalfKernel(sigma));
        giveBack(tmp);
      }
    }
    return this.tipPlane;
  }

  /** Median and robust σ of tipSignal over the background: where the signal of a path through noise alone stays. */
  private get tipNoise(): { median: number; sigma: number } {
    if (this.tipNoiseLevel === null) {
      // A spread-out sample of the background is enough for a median and a MAD (and cheap on a large field).
      const mask = this.foreground.mask;
      const signal = this.tipSignal;
      const stride = Math.max(1, Math.floor(mask.length / 2 ** 18)) | 1;
      // Typed arrays filled in place: a JS array of a quarter million numbers, pushed to and copied, took 35 ms.
      const room = Math.ceil(mask.length / stride);
      const sample = new Float32Array(room);
      const steps = new Float32Array(room);
      let samples = 0;
      let pairs = 0;
      for (let i = 0; i < mask.length; i += stride) {
        if (mask[i]) continue;
        sample[samples++] = signal[i];
        const j = i + NOISE_PAIR_PX;
        if (j % this.width >= NOISE_PAIR_PX && !mask[j]) steps[pairs++] = signal[i] - signal[j];
      }
      // σ from differences of background pixels a few px apart: a gradient the flattening left (on a small field its
      // blocks span the whole image) would otherwise count as noise and raise the floor over real neurites.
      const level = samples > 0 ? robustLevel(sample.subarray(0, samples)) : { median: 0, sigma: 0 };
      const sigma = pairs > 0 ? robustLevel(steps.subarray(0, pairs)).sigma / Math.SQRT2 : level.sigma;
      this.tipNoiseLevel = { median: level.median, sigma };
    }
    return this.tipNoiseLevel;
  }

  /**
   * Works out now what traces read lazily (the smoothed plane, the tip signal and its noise, the field's neurite
   * radius): a tracer built ahead of a click leaves the click its search alone.
   */
  prepare(): void {
    void this.smoothed;
    void this.tipNoise;
    void this.neuriteRadius;
    void this.segmentWeight;
    void this.radius;
  }

  /** Per pixel, what a segment's length is weighted by: the strength on the foreground, 0 in the gaps crossed. */
  private get segmentWeight(): Float32Array {
    if (!this.segmentWeightPlane) {
      const weight = new Float32Array(this.strength.length);
      for (let i = 0; i < weight.length; i++) weight[i] = this.allowed[i] === 1 ? this.strength[i] : 0;
      this.segmentWeightPlane = weight;
    }
    return this.segmentWeightPlane;
  }

  /** Per pixel, the radius a traced node gets: the depth in the foreground, at least 1 px. */
  private get radius(): Float32Array {
    if (!this.radiusPlane) {
      const radius = new Float32Array(this.depth.length);
      for (let i = 0; i < radius.length; i++) radius[i] = Math.max(1, this.depth[i]);
      this.radiusPlane = radius;
    }
    return this.radiusPlane;
  }

  /** The field's typical neurite radius, px (typicalNeuriteRadius): one pass over the image, once per tracer, not once per click. */
  private get neuriteRadius(): number {
    this.neuriteRadiusPx ??= typicalNeuriteRadius(this.foreground.mask, this.depth, this.width, this.height);
    return this.neuriteRadiusPx;
  }

  /** The shortest fibre traced on a field without cell bodies, px (see FIBRE_MIN_LENGTH_UM). */
  get fibreMinLengthPx(): number {
    return Math.min(this.umToPx(FIBRE_MIN_LENGTH_UM), 0.5 * Math.max(this.width, this.height));
  }

  /** px for a length in µm (with the assumed pixel size when uncalibrated). */
  umToPx(um: number): number {
    return um / (this.o.pixelSize ?? ASSUMED_UM_PER_PX);
  }

  /** The seed for a click on a soma (or on a fibre start) at document px (x, y). */
  seedAt(x: number, y: number): SeedRegion {
    const minR = this.umToPx(this.o.somaMinRadiusUm);
    return seedAtClick(x, y, this.foreground.mask, this.depth, this.width, this.height, minR, Math.max(6, 2.5 * minR));
  }

  /**
   * The competitors of clicked seeds: detected cell bodies that overlap no seed's disk and are at least 3/4 as deep as
   * the deepest clicked cell body (cells of one field have comparable bodies; a swelling on a thick dendrite may pass
   * the absolute minimum but is much thinner than the body that was clicked), and at least twice as deep as the
   * deepest clicked fibre (a body is several times thicker than the neurites leaving it; where a thick fibre's
   * neurites cross or bunch up they make a blob not much deeper than the fibre, which would take its arbor past it).
   */
  competitorsOf(seeds: readonly SeedRegion[], nucleus?: SignalPlane): SeedRegion[] {
    const deepest = Math.max(0, ...seeds.filter((s) => !s.fibre).map((s) => s.r));
    const fibre = Math.max(0, ...seeds.filter((s) => s.fibre).map((s) => s.r));
    return this.detect(nucleus).filter((c) => c.r >= 0.75 * deepest && c.r >= 2 * fibre && seeds.every((s) => Math.hypot(c.x - s.x, c.y - s.y) > c.r + s.r));
  }

  /** Every cell body of the field (see detectSomata); `nucleus` is an optional nuclear-stain plane read like the signal. */
  detect(nucleus?: SignalPlane): SeedRegion[] {
    const t0 = performance.now();
    const nmask = nucleus ? detectForeground(nucleus, { backgroundPx: this.umToPx(30) }).mask : undefined;
    const found = detectSomata(this.foreground.mask, this.depth, this.width, this.height, this.umToPx(this.o.somaMinRadiusUm), this.umToPx(this.o.somaMinSeparationUm), nmask, this.neuriteRadius);
    this.timings.detectMs = performance.now() - t0;
    return found;
  }

  /**
   * Where "detect" starts: every cell body of the field, or, on a field without any (fibres, a crop of an arbor), one
   * fibre start per sizeable piece of foreground (fibre-starts.ts), so that such a field is traced rather than left
   * empty.
   */
  starts(nucleus?: SignalPlane): SeedRegion[] {
    const somata = this.detect(nucleus);
    if (somata.length > 0) return somata;
    const starts = fibreStarts(this.foreground.mask, this.depth, this.width, this.height, {
      minLengthPx: this.fibreMinLengthPx,
      neuriteRadius: this.neuriteRadius,
      edgePx: Math.max(2, 2 * this.neuriteRadius),
      signal: this.signal.binary ? undefined : { data: this.tipSignal, background: this.tipNoise.median },
    });
    return starts.map((p) => {
      const seed = this.seedAt(p.x, p.y);
      if (!seed.fibre || !p.inward) return seed;
      // The start's pixel centre may sit beside the fibre's centre line: move it across onto the cross-section peak.
      const tx = seed.x - p.inward.x;
      const ty = seed.y - p.inward.y;
      const len = Math.hypot(tx, ty) || 1;
      const t = centreOffset(this.smoothed, seed.x, seed.y, -ty / len, tx / len);
      if (!(Math.abs(t) <= START_SHIFT_PX)) return seed;
      const x = seed.x - (t * ty) / len;
      const y = seed.y + (t * tx) / len;
      return { ...seed, x, y };
    });
  }

  /**
   * Geodesic search from all seeds together and its decomposition: the cache that pruning reads. `competitors` are
   * other cell bodies of the field: their fronts claim their own neurites, so a neighbour's dendrites that touch or
   * cross the traced neuron are not attached to it; they are not reported.
   */
  trace(seeds: SeedRegion[], competitors: SeedRegion[] = []): AutoTraceCache {
    const reported = seeds.length;
    seeds = [...seeds, ...competitors];
    const t0 = performance.now();
    this.foregroundPixels ??= this.foreground.mask.reduce((s, v) => s + v, 0) || 1;
    const total = this.foregroundPixels;
    const forest = geodesicForest(this.strength, this.allowed, seeds.map((s) => s.pixels), this.width, this.height, {
      lambda: this.o.lambda,
      onProgress: (settled) => this.progress('search', 0.5 + 0.4 * Math.min(1, settled / total)),
    });
    const searchMs = performance.now() - t0;
    const t1 = performance.now();
    const segments = decomposeForest(forest, this.segmentWeight, this.allowed);
    // The segments hold none of the forest's arrays (their order is a copy), and the cache keeps no forest.
    giveBack(forest.parent, forest.label, forest.dist);
    const levels = new Float32Array(segments.count);
    const signalEnd = this.signal.binary ? Int32Array.from(segments.length) : signalEnds(segments, this.tipSignal, 0.5, this.tipNoise.median + NOISE_FLOOR_SIGMAS * this.tipNoise.sigma, this.depth, levels);
    // A binary mask has no noise to carry its tips outwards.
    const inset = this.signal.binary ? new Float32Array(segments.count) : levels.map((level) => tipInset(level, this.tipNoise.median, this.tipNoise.sigma));
    const { radius } = this;
    let tipPlane: AutoTraceCache['tipPlane'] = null;
    if (!this.signal.binary) {
      const plane = { width: this.width, height: this.height, sigma: FINEST_SCALE, data: this.tipSignal };
      tipPlane = { plane, background: this.tipNoise.median, blur: blurHalfWidth(segments, signalEnd, plane, this.tipNoise.median) };
    }
    const decomposeMs = performance.now() - t1;
    this.progress('decompose', 1);
    return {
      width: this.width, height: this.height, pixelSize: this.o.pixelSize, seeds, reported, segments, signalEnd, tipInset: inset, tipPlane, radius, smoothed: this.smoothed, refined: new Array(segments.count), placed: new Array(segments.count), straightened: new Array(segments.count), emitted: new Array(segments.count), crossingReads: newCrossingReads(), smoothing: this.signal.binary ? 0 : DEFAULT_SMOOTHING, skeleton: this.signal.binary && isSkeleton(this.foreground.mask, this.depth),
      parameters: { lambda: this.o.lambda, gapPx: this.o.gapPx, strengthMax: this.strengthMax, foreground: { intensity: this.foreground.intensity, ridge: this.foreground.ridge }, inverted: this.signal.inverted, binary: this.signal.binary },
      timings: { ...this.timings, searchMs, decomposeMs },
    };
  }

  private progress(stage: string, fraction: number): void {
    if (this.onProgress?.(stage, fraction)) throw new AutoTraceCancelled();
  }
}

/** True when almost every foreground pixel touches the background: a mask of one-pixel-wide lines. */
function isSkeleton(mask: Uint8Array, depth: Float32Array): boolean {
  let fg = 0;
  let inner = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    fg++;
    if (depth[i] > 1.5) inner++;
  }
  return fg > 0 && inner < 0.02 * fg;
}

export class AutoTraceCancelled extends Error {
  constructor() {
    super('Automatic tracing cancelled.');
  }
}

/** Prune options in px for a detail level. */
export function pruneOptionsFor(detail: AutoDetail, pixelSize: number | null): PruneOptions {
  const minLength = detail.minBranchPx ?? (detail.minBranchUm ?? 5) / (pixelSize ?? ASSUMED_UM_PER_PX);
  return { ...DEFAULT_PRUNE, minLength, minUncoveredShare: detail.pruningStrength ?? DEFAULT_PRUNE.minUncoveredShare, minStrength: detail.minStrength ?? DEFAULT_PRUNE.minStrength };
}

/**
 * The index of a vertex of `line` at the point of it nearest to `q`, searching from vertex `from` on; the point is
 * inserted as a vertex unless one is already there. Vertices before `from` are never returned.
 */
function insertNearest(line: Array<[number, number]>, q: readonly [number, number], from: number): number {
  const { point, at } = distanceToPolyline(line, q, Math.min(from, line.length - 1));
  const i = Math.floor(at);
  if (i + 1 >= line.length) return i;
  if (Math.hypot(point[0] - line[i + 1][0], point[1] - line[i + 1][1]) < 1e-6) return i + 1;
  if (Math.hypot(point[0] - line[i][0], point[1] - line[i][1]) < 1e-6) return i;
  line.splice(i + 1, 0, point);
  return i + 1;
}

/**
 * Foreground px in a row that a dark gap may hold and still be one place to check: specks of noise the search steps
 * on, a bead in a break (two rings a few px apart overlap on screen and tell the technician nothing more).
 */
const GAP_SPECK_PX = 6;

/** Whether the first `count` pixels of segment s have under 0.3 of full strength on average (per px of length). */
function isFaint(seg: SegmentForest, s: number, from: number, count: number): boolean {
  let weighted = 0;
  let length = 0;
  for (let j = seg.start[s] + from; j < seg.start[s] + count; j++) {
    const p = seg.pixels[j];
    weighted += seg.stepLength[p] * seg.weight[p];
    length += seg.stepLength[p];
  }
  return weighted < 0.3 * length;
}

/**
 * The neurons of a cache at a detail level, one per seed (in seed order). Fast: selection of segments, and the
 * centre-line refinement (the live-wire's) of segments kept for the first time, memoised in `cache.refined`. `scratch` (width·height bytes) may be passed to avoid an allocation.
 */
export function pruneTrace(cache: AutoTraceCache, detail: AutoDetail = {}, scratch?: Uint8Array): AutoNeuron[] {
  const seg = cache.segments;
  const { width } = cache;
  const { kept, parent: parentOf, attachAt, from: firstOf } = pruneSegments(seg, cache.radius, cache.seeds.map((s) => ({ x: s.x, y: s.y, r: s.fibre ? 0 : s.r })), pruneOptionsFor(detail, cache.pixelSize), scratch, cache.signalEnd);
  const children = new Map<number, number[]>();
  const keptList: number[] = [];
  for (let s = 0; s < seg.count; s++) {
    if (!kept[s]) continue;
    keptList.push(s);
    const ps = parentOf[s];
    if (ps < 0) continue;
    const list = children.get(ps);
    if (list) list.push(s);
    else children.set(ps, [s]);
  }
  const childrenOf = (s: number) => children.get(s) ?? [];
  const neurons: AutoNeuron[] = cache.seeds.slice(0, cache.reported).map((s) => ({ soma: { x: s.x, y: s.y, r: s.r }, fibre: s.fibre, branches: [] }));
  const branchOf = new Int32Array(seg.count).fill(-1);
  const centre = (p: number): [number, number] => [(p % width) + 0.5, Math.floor(p / width) + 0.5];
  const radiusAt = (x: number, y: number) => cache.radius[Math.min(cache.height - 1, Math.max(0, Math.floor(y))) * width + Math.min(width - 1, Math.max(0, Math.floor(x)))];
  /** The parent's half-width where child c leaves segment `from` (at least 1.5 px). */
  const overlapAt = (from: number, c: number) => {
    const [x, y] = centre(seg.pixels[seg.start[from] + attachAt[c]]);
    return Math.max(1.5, radiusAt(x, y));
  };
  // Primaries by decreasing weighted length, so that a fibre's first branch is its main one.
  const order: number[] = [];
  for (const s of keptList) if (parentOf[s] < 0 && seg.region[s] < cache.reported) order.push(s);
  order.sort((a, b) => seg.weightedLength[b] - seg.weightedLength[a] || a - b);
  const stack = order.reverse();
  const visit: number[] = [];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    visit.push(s);
    const cs = childrenOf(s);
    for (let c = cs.length - 1; c >= 0; c--) stack.push(cs[c]);
  }
  const prependOf = (s: number): [number, number] | null => {
    const ps = parentOf[s];
    if (ps >= 0) return centre(seg.pixels[seg.start[ps] + attachAt[s]]);
    const n = neurons[seg.region[s]];
    return n?.fibre ? [n.soma.x, n.soma.y] : null;
  };
  /** The position along segment s's pixel chain nearest to q. */
  const nearestChainPosition = (s: number, q: readonly [number, number]): number => {
    let best = 0;
    let bestD = Infinity;
    for (let j = firstOf[s]; j < seg.length[s]; j++) {
      const [x, y] = centre(seg.pixels[seg.start[s] + j]);
      const d = (x - q[0]) ** 2 + (y - q[1]) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    return best;
  };
  /** How many of segment s's pixels its branch is drawn through: to where its signal ends, or on to its last kept child. */
  const drawnEnd = (s: number): number => {
    let end = Math.max(1, cache.signalEnd[s]);
    for (const c of childrenOf(s)) end = Math.max(end, attachAt[c] + 1);
    return end;
  };
  /** A kept segment's centre line: its prepended attach point, then its pixels up to its end, refined. */
  const refinedOf = (s: number): Array<[number, number]> => {
    const end = drawnEnd(s);
    // Refined with only its ends pinned and memoised per segment (the end moves only when a kept child lies past
    // where the signal ends), so re-pruning is a lookup; the nodes children hang from are inserted below.
    // Where it hangs changes with the level when its parent ran inside kept cover (prune.ts coveredHang).
    const hangs = parentOf[s] < 0 ? -1 : seg.start[parentOf[s]] + attachAt[s];
    const first = firstOf[s];
    return recall(cache.refined, s, (v) => v.end === end && v.hangs === hangs && v.first === first, () => {
      const prepend = prependOf(s);
      const chain: Array<[number, number]> = prepend ? [prepend] : [];
      for (let j = seg.start[s] + first; j < seg.start[s] + end; j++) chain.push(centre(seg.pixels[j]));
      let line = cache.skeleton ? chain : refineCentreline(cache.smoothed, chain, [], { smoothing: cache.smoothing });
      // A segment that ends where its signal does is a tip: its end goes onto the neurite's centre line, a thick
      // neurite's one cap radius inside where its signal ends.
      if (end === cache.signalEnd[s] && !cache.skeleton) {
        const cap = cache.tipPlane ? capInset(line, cache.tipPlane.plane, cache.tipPlane.background, cache.tipPlane.blur) : NaN;
        line = centredTip(line, cache.smoothed, Number.isNaN(cap) ? cache.tipInset[s] : cap);
      }
      return { end, hangs, first, line };
    }).line;
  };
  /**
   * Per kept child: the branch it hangs from (its parent segment's, or its grandparent's when it split off inside
   * the grandparent's width, see below), the node there, and its own line from the junction on.
   */
  const hang = new Map<number, { parent: number; node: number; line: Array<[number, number]> }>();
  for (const s of visit) {
    const neuron = neurons[seg.region[s]];
    if (!neuron) continue;
    const ps = parentOf[s];
    let parent = -1;
    let parentNode = -1;
    /** Index of this branch's first own vertex on its line (what precedes it is the parent's). */
    let first = 0;
    let own = refinedOf(s);
    if (ps >= 0) {
      const h = hang.get(s) as { parent: number; node: number; line: Array<[number, number]> };
      parent = branchOf[h.parent];
      parentNode = h.node;
      own = h.line;
      first = 1;
    } else if (neuron.fibre && neuron.branches.length > 0) {
      parent = 0;
      parentNode = 0;
      first = 1;
    }
    // Straight through where a child leaves it at a shallow angle: its line does not lean towards the child there.
    if (!cache.skeleton) {
      const cs = childrenOf(s).filter((c) => !hang.has(c));
      const lines = cs.map(refinedOf);
      const bent = own;
      own = recall(cache.straightened, s, (v) => v.own === bent && v.first === first && v.lines.length === lines.length && v.lines.every((l, k) => l === lines[k]), () => ({
        own: bent,
        first,
        lines,
        line: straightenAtSplits(bent, lines, cs.map((c) => overlapAt(s, c)), first),
      })).line;
    }
    // Each child hangs where its centre line meets this one (junction.ts; a mask's skeleton is exact as it is). The
    // part of a child inside this branch's width is dropped; a grandchild that split off there runs inside this
    // branch too, so it hangs from this branch as well.
    const place = (c: number, from: number): PlacedChild & { c: number } => {
      const childLine = refinedOf(c);
      const placed = recall(cache.placed, c, (v) => v.from === from && v.attachAt === attachAt[c] && v.own === own && v.childLine === childLine && v.first === first, () => {
        const attach = centre(seg.pixels[seg.start[from] + attachAt[c]]);
        const overlap = overlapAt(from, c);
        const near = cache.skeleton ? childLine : recentreNearParent(cache.smoothed, own, childLine, overlap, first);
        const j = cache.skeleton ? null : junctionOnParent(own, near, overlap, Math.max(4, 2 * overlap), first);
        const point = j ? j.point : attach;
        return { from, attachAt: attachAt[c], own, childLine, first, point, child: j ? [point, ...j.child] : childLine, at: distanceToPolyline(own, point, first).at, cut: j ? nearestChainPosition(c, j.child[0]) : 0 };
      });
      return { ...placed, c };
    };
    const places: Array<ReturnType<typeof place>> = [];
    for (const c of childrenOf(s)) {
      if (hang.has(c)) continue;
      const p = place(c, s);
      places.push(p);
      for (const g of childrenOf(c)) if (attachAt[g] < p.cut) places.push(place(g, c));
    }
    places.sort((a, b) => a.at - b.at || a.c - b.c);
    const made = recall(cache.emitted, s, (v) => v.own === own && v.first === first && v.places.length === places.length && v.places.every(([c, point], k) => c === places[k].c && point === places[k].point), () => {
      const line = own.map((p): [number, number] => [p[0], p[1]]);
      let at = first;
      const vertexOf = places.map((p) => (at = insertNearest(line, p.point, at)));
      // A node at least every µm, each with its radius from the distance transform (as APP2 resamples its trace),
      // added on the centre line's own edges: the line, its length and its Sholl crossings stay exactly as fitted.
      const stored = densify(line, 1 / (cache.pixelSize ?? ASSUMED_UM_PER_PX));
      const start = stored.index[first];
      return {
        own,
        first,
        places: places.map((p): [number, [number, number]] => [p.c, p.point]),
        nodes: stored.points.slice(start).map(([x, y]) => ({ x, y, r: radiusAt(x, y) })),
        hangNodes: vertexOf.map((v) => stored.index[v] - start),
      };
    });
    const { hangNodes } = made;
    places.forEach((p, k) => hang.set(p.c, { parent: s, node: hangNodes[k], line: p.child }));
    // Doubts about the branch as drawn: the pixels past its end are the front running on through noise.
    const drawn = Math.min(drawnEnd(s), seg.length[s]);
    const doubts: AutoBranch['doubts'] = [];
    const placed: Array<{ k: number; spot: DoubtSpot }> = [];
    // On the line as drawn: the search's pixels wander off the centre line where they hop across the dark.
    const spotAt = (doubt: DoubtSpot['doubt'], k: number) => {
      const [x, y] = distanceToPolyline(own, centre(seg.pixels[seg.start[s] + k])).point;
      placed.push({ k, spot: { doubt, x, y } });
    };
    // A root hung from the neurite it ran along is drawn from where it leaves it (firstOf).
    const firstGap = Math.max(seg.firstGap[s], firstOf[s]);
    const firstContact = Math.max(seg.firstContact[s], firstOf[s]);
    if (firstGap < drawn) {
      doubts.push('gap');
      // The middle of each dark stretch crossed (a line broken in several places has a spot at each); specks of noise
      // or a bead in a break do not split it.
      const inGap = (k: number) => seg.allowed[seg.pixels[seg.start[s] + k]] === 2;
      for (let k = firstGap; k < drawn; k++) {
        if (!inGap(k)) continue;
        let end = k;
        for (let j = k + 1; j < drawn && j <= end + 1 + GAP_SPECK_PX; j++) if (inGap(j)) end = j;
        spotAt('gap', (k + end) >> 1);
        k = end;
      }
    }
    if (firstContact < drawn) {
      doubts.push('contact');
      spotAt('contact', firstContact);
    }
    if (isFaint(seg, s, firstOf[s], drawn)) doubts.push('faint');
    branchOf[s] = neuron.branches.length;
    const spots = placed.sort((a, b) => a.k - b.k).map((p) => p.spot);
    neuron.branches.push({ parent, parentNode, nodes: made.nodes, doubts, spots });
  }
  // Neurites of the cell that cross each other: the tree grown from the soma runs the wrong way at each crossing.
  return neurons.map((n) => rejoinCrossings(n, cache.smoothed, 1 / (cache.pixelSize ?? ASSUMED_UM_PER_PX), cache.crossingReads));
}
