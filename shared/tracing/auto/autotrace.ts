import { centreOffset, DEFAULT_SMOOTHING } from '../centreline';
import { DEFAULT_SCALE, defaultScales, type SmoothedPlane } from '../cost-image';
import { gaussianHalfKernel, smoothSeparable } from '../gaussian';
import { borrow, giveBack } from '../../scratch-arrays';
import { euclideanDistance, grayWeightedDistance, withinReach } from './distance';
import { newCornerReads } from './corner-at-split';
import { newCrossingReads } from './crossings';
import { detectForeground, robustLevel, type Foreground, type ForegroundOptions } from './foreground';
import { geodesicForest } from './geodesic';
import { fibreStarts } from './fibre-starts';
import { ASSUMED_UM_PER_PX } from './pixel-size';
import type { AutoTraceCache } from './prune-trace';
import { decomposeForest } from './segments';
import { quantile, range, type SignalPlane } from './signal';
import { fillDarkNuclei } from './dark-nuclei';
import { nucleiForeground, NUCLEUS_MAX_RADIUS_UM } from './nuclear-stain';
import { detectSomata, seedAtClick, typicalNeuriteRadius, type SeedRegion } from './soma';
import { blurHalfWidth, signalEnds, tipInset } from './tips';


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
  /**
   * A nuclear stain of the same plane: a cell body is then found only on a nucleus, and a nucleus the body around it
   * leaves dark (a stain of the cytoplasm) is part of the body (dark-nuclei.ts).
   */
  nucleus?: SignalPlane;
  /** Called with (stage, fraction 0–1); return true to cancel. */
  onProgress?: (stage: string, fraction: number) => boolean | void;
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
 * transforms); `trace` runs the geodesic search from given seeds and decomposes it; pruneTrace (prune-trace.ts) turns
 * the cache it returns into neurons at any detail level without searching again.
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
  private readonly o: Required<Omit<AutoTraceOptions, 'onProgress' | 'foreground' | 'pixelSize' | 'smoothed' | 'nucleus'>> & { pixelSize: number | null };
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
  private readonly nucleus?: SignalPlane;
  private bodyPlanes: { mask: Uint8Array; depth: Float32Array; nuclei?: Uint8Array } | null = null;

  constructor(signal: SignalPlane, options: AutoTraceOptions = {}) {
    const t0 = performance.now();
    this.signal = signal;
    const sh = options.smoothed;
    if (sh && signal.stored && sh.sigma === FINEST_SCALE && sh.width === signal.width && sh.height === signal.height) this.sharedSmoothed = sh;
    this.width = signal.width;
    this.height = signal.height;
    this.onProgress = options.onProgress;
    this.nucleus = options.nucleus;
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
      const near = withinReach(mask, width, height, this.o.gapPx);
      for (let i = 0; i < mask.length; i++) this.allowed[i] = mask[i] ? 1 : near[i] ? 2 : 0;
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
      const { mask, field } = this.foreground;
      const signal = this.tipSignal;
      const stride = Math.max(1, Math.floor(mask.length / 2 ** 18)) | 1;
      // Typed arrays filled in place: a JS array of a quarter million numbers, pushed to and copied, took 35 ms.
      const room = Math.ceil(mask.length / stride);
      const sample = new Float32Array(room);
      const steps = new Float32Array(room);
      let samples = 0;
      let pairs = 0;
      for (let i = 0; i < mask.length; i += stride) {
        if (mask[i] || (field && !field[i])) continue;
        sample[samples++] = signal[i];
        const j = i + NOISE_PAIR_PX;
        if (j % this.width >= NOISE_PAIR_PX && !mask[j] && (!field || field[j])) steps[pairs++] = signal[i] - signal[j];
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
    void this.bodies;
  }

  /**
   * Where cell bodies are looked for: the foreground and its depth, or with a nuclear stain, the foreground with the
   * dark nuclei it encloses filled in (fillDarkNuclei) and the stain's own foreground (`nuclei`).
   */
  private get bodies(): { mask: Uint8Array; depth: Float32Array; nuclei?: Uint8Array } {
    if (!this.bodyPlanes) {
      const t0 = performance.now();
      const { width, height } = this;
      const nuclei = this.nucleus ? nucleiForeground(this.nucleus, this.umToPx(1)) : undefined;
      const filled = nuclei ? fillDarkNuclei(this.foreground.mask, nuclei, width, height, Math.PI * this.umToPx(NUCLEUS_MAX_RADIUS_UM) ** 2) : null;
      this.bodyPlanes = filled ? { mask: filled, depth: euclideanDistance(filled, width, height), nuclei } : { mask: this.foreground.mask, depth: this.depth, nuclei };
      if (nuclei) this.timings.nucleiMs = performance.now() - t0;
    }
    return this.bodyPlanes;
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
    const { mask, depth } = this.bodies;
    return seedAtClick(x, y, mask, depth, this.width, this.height, minR, Math.max(6, 2.5 * minR));
  }

  /**
   * The competitors of clicked seeds: detected cell bodies that overlap no seed's disk and are at least 3/4 as deep as
   * the deepest clicked cell body (cells of one field have comparable bodies; a swelling on a thick dendrite may pass
   * the absolute minimum but is much thinner than the body that was clicked), and at least twice as deep as the
   * deepest clicked fibre (a body is several times thicker than the neurites leaving it; where a thick fibre's
   * neurites cross or bunch up they make a blob not much deeper than the fibre, which would take its arbor past it).
   * Depth, not the seed disk's radius: the disks of bodies side by side share the ground between them (soma.ts).
   */
  competitorsOf(seeds: readonly SeedRegion[]): SeedRegion[] {
    const { depth } = this.bodies;
    const deep = (s: SeedRegion) => (s.fibre ? s.r : Math.max(s.r, depth[Math.floor(s.x) + this.width * Math.floor(s.y)]));
    const deepest = Math.max(0, ...seeds.filter((s) => !s.fibre).map(deep));
    const fibre = Math.max(0, ...seeds.filter((s) => s.fibre).map(deep));
    return this.detect().filter((c) => deep(c) >= 0.75 * deepest && deep(c) >= 2 * fibre && seeds.every((s) => Math.hypot(c.x - s.x, c.y - s.y) > c.r + s.r));
  }

  /** Every cell body of the field (see detectSomata), on a nucleus when there is a nuclear stain (AutoTraceOptions.nucleus). */
  detect(): SeedRegion[] {
    const { mask, depth, nuclei } = this.bodies;
    const t0 = performance.now();
    const found = detectSomata(mask, depth, this.width, this.height, this.umToPx(this.o.somaMinRadiusUm), this.umToPx(this.o.somaMinSeparationUm), nuclei, this.neuriteRadius);
    this.timings.detectMs = performance.now() - t0;
    return found;
  }

  /**
   * Where "detect" starts: every cell body of the field, or, on a field without any (fibres, a crop of an arbor), one
   * fibre start per sizeable piece of foreground (fibre-starts.ts), so that such a field is traced rather than left
   * empty.
   */
  starts(): SeedRegion[] {
    const somata = this.detect();
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
      width: this.width, height: this.height, pixelSize: this.o.pixelSize, seeds, reported, segments, signalEnd, tipInset: inset, tipPlane, radius, smoothed: this.smoothed, refined: new Array(segments.count), placed: new Array(segments.count), straightened: new Array(segments.count), emitted: new Array(segments.count), crossingReads: newCrossingReads(), cornerReads: newCornerReads(), smoothing: this.signal.binary ? 0 : DEFAULT_SMOOTHING, skeleton: this.signal.binary && isSkeleton(this.foreground.mask, this.depth),
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
