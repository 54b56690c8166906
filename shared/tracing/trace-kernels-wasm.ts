import { wasmKernel } from '../wasm-module';
import { TRACE_KERNELS_WASM_BASE64 } from './trace-kernels-wasm-binary';

// The smoothing and ridge kernels of build/tools/trace-kernels.c: bit for bit what smoothSeparable and
// accumulateRidge compute in JavaScript, about three times as fast. Planes are copied into the instance's memory and out.

interface Kernels {
  memory: WebAssembly.Memory;
  heapBase: number;
  smoothRows: (src: number, tmp: number, width: number, y0: number, y1: number, g: number, r: number, pad: number) => void;
  smoothCols: (tmp: number, dst: number, width: number, height: number, y0: number, y1: number, g: number, r: number) => void;
  ridgeRows: (f: number, ridge: number, width: number, height: number, y0: number, y1: number, norm: number) => void;
}

/**
 * The memory kept between calls: three planes of 2048² px (the tracing worker holds a dozen such planes besides). A
 * larger plane gets an instance of its own per call.
 */
const KEEP_BYTES = 3 * 4 * 2048 * 2048 + (1 << 20);

const kernel = wasmKernel(TRACE_KERNELS_WASM_BASE64, (e): Kernels => {
  const f = <T>(name: string) => e[name] as T;
  return {
    memory: e.memory as WebAssembly.Memory,
    heapBase: (e.__heap_base as WebAssembly.Global).value as number,
    smoothRows: f('smooth_rows'),
    smoothCols: f('smooth_cols'),
    ridgeRows: f('ridge_rows'),
  };
}, KEEP_BYTES);

/**
 * Rows per call: V8 runs a WebAssembly function unoptimised until it has been called often enough, and a call over a
 * whole plane would run so to its end.
 */
const STRIP = 16;

const align16 = (n: number) => (n + 15) & ~15;

/** Taps of a half-kernel the kernels take at most (MAX_TAPS of trace-kernels.c: σ up to 42 px). */
const MAX_TAPS = 128;

/**
 * True when the kernels can run here with half-kernels of up to `taps` taps (false where WebAssembly is missing or
 * blocked, or the kernel is wider: the JavaScript runs instead).
 */
export function traceKernelsFit(taps: number): boolean {
  return taps <= MAX_TAPS && kernel.current() !== null;
}

/** Where a plane's work lies in an instance's memory: the plane, the row pass's, a second plane, the taps, the padding. */
function layout(k: Kernels, n: number, taps: number, width: number) {
  const plane = align16(k.heapBase);
  const tmp = align16(plane + 4 * n);
  const other = align16(tmp + 4 * n);
  const g = align16(other + 4 * n);
  const pad = align16(g + 4 * taps);
  return { plane, tmp, other, g, pad, end: pad + 4 * (width + 2 * taps) };
}

/** An instance with room for a plane of n px, its row pass, a second plane and padding for kernels up to `maxTaps`. */
function instanceFor(n: number, width: number, maxTaps: number): { k: Kernels; at: ReturnType<typeof layout> } {
  const probe = kernel.current();
  if (!probe) throw new Error('WebAssembly trace kernels are not available here');
  // Every instance of the module has the same heap base, so the probe's layout is the sized instance's.
  const at = layout(probe, n, maxTaps, width);
  return { k: kernel.sized(at.end), at };
}

/** Smooths the plane at `from` into `to` (the same place allowed) with the half-kernel g, as smoothSeparable does. */
function smoothIn(k: Kernels, at: ReturnType<typeof layout>, from: number, to: number, width: number, height: number, g: Float32Array): void {
  new Float32Array(k.memory.buffer, at.g, g.length).set(g);
  const r = g.length - 1;
  for (let y = 0; y < height; y += STRIP) k.smoothRows(from, at.tmp, width, y, Math.min(height, y + STRIP), at.g, r, at.pad);
  for (let y = 0; y < height; y += STRIP) k.smoothCols(at.tmp, to, width, height, y, Math.min(height, y + STRIP), at.g, r);
}

/** smoothSeparable in WebAssembly: dst = G ∗ src (dst may be src). Callers check traceKernelsFit(g.length) first. */
export function smoothWasm(src: Float32Array, dst: Float32Array, width: number, height: number, g: Float32Array): void {
  const n = width * height;
  const { k, at } = instanceFor(n, width, g.length);
  new Float32Array(k.memory.buffer, at.plane, n).set(src.subarray(0, n));
  smoothIn(k, at, at.plane, at.plane, width, height, g);
  dst.set(new Float32Array(k.memory.buffer, at.plane, n));
}

/**
 * The ridge filter's smoothing and ridge passes in WebAssembly (ridgeStrength): `image` smoothed to each scale in turn
 * by the half-kernels `steps` (null where a scale needs no further smoothing), the ridge response at each scale with
 * its normalisation `norms` kept as the maximum in `ridge`, and the plane smoothed to scale `keepAt` copied to `keep`.
 */
export function ridgeWasm(image: Float32Array, width: number, height: number, steps: ReadonlyArray<Float32Array | null>, norms: readonly number[], ridge: Float32Array, keep?: { at: number; into: Float32Array }): void {
  const n = width * height;
  const { k, at } = instanceFor(n, width, Math.max(1, ...steps.map((g) => (g ? g.length : 1))));
  new Float32Array(k.memory.buffer, at.plane, n).set(image.subarray(0, n));
  new Float32Array(k.memory.buffer, at.other, n).set(ridge.subarray(0, n));
  steps.forEach((g, s) => {
    if (g) smoothIn(k, at, at.plane, at.plane, width, height, g);
    if (keep && keep.at === s) keep.into.set(new Float32Array(k.memory.buffer, at.plane, n));
    for (let y = 0; y < height; y += STRIP) k.ridgeRows(at.plane, at.other, width, height, y, Math.min(height, y + STRIP), norms[s]);
  });
  ridge.set(new Float32Array(k.memory.buffer, at.other, n));
}
