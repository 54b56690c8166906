import { describe, expect, it } from 'vitest';
import { defaultScales, ridgeStrength, ridgeStrengthJs } from '../../../shared/tracing/cost-image';
import { gaussianHalfKernel, smoothSeparable, smoothSeparableJs } from '../../../shared/tracing/gaussian';
import { traceKernelsFit } from '../../../shared/tracing/trace-kernels-wasm';
import { seededRandom } from '../../../shared/random';

// The WebAssembly smoothing and ridge kernels (build/tools/trace-kernels.c) must give the JavaScript's results bit for
// bit: traces, fingerprints and saved files must not depend on whether WebAssembly runs where they were made.

/** A plane of noise over a ramp, with values of either sign and many magnitudes. */
function plane(width: number, height: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: width * height }, (_, i) => 1000 * rand() ** 3 - 0.5 * (i % width) + (i % 37) * rand());
}

/** Indices where two planes differ in any bit (NaN and −0 included). */
function differences(a: Float32Array, b: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

const SIZES: Array<[number, number]> = [[1, 1], [1, 7], [7, 1], [2, 2], [3, 5], [5, 3], [17, 9], [64, 64], [101, 57], [300, 200]];

describe('WebAssembly smoothing and ridge kernels', () => {
  it('run in Node for kernels up to 128 taps (σ up to 42 px), not wider', () => {
    expect(traceKernelsFit(gaussianHalfKernel(2).length)).toBe(true);
    expect(traceKernelsFit(128)).toBe(true);
    expect(traceKernelsFit(129)).toBe(false);
  });

  it('smooth an impulse to the outer product of the kernel (within float rounding)', () => {
    const n = 41;
    const src = new Float32Array(n * n);
    src[20 * n + 20] = 1;
    const g = gaussianHalfKernel(2);
    const dst = new Float32Array(n * n);
    smoothSeparable(src, dst, new Float32Array(n * n), n, n, g);
    for (let dy = -8; dy <= 8; dy++) {
      for (let dx = -8; dx <= 8; dx++) {
        const want = (g[Math.abs(dx)] ?? 0) * (g[Math.abs(dy)] ?? 0);
        expect(Math.abs(dst[(20 + dy) * n + 20 + dx] - want)).toBeLessThanOrEqual(1e-7 * Math.max(want, 1e-3));
      }
    }
  });

  it('smooth bit for bit as the JavaScript, every size from 1 × 1 and σ 0.5 to 50 px (in place too)', () => {
    SIZES.forEach(([w, h], k) => {
      for (const sigma of [0.5, 1, Math.SQRT2, 2, 2 * Math.SQRT2, 5, 50]) {
        const src = plane(w, h, 10 * k + sigma);
        const g = gaussianHalfKernel(sigma);
        const [a, b] = [new Float32Array(w * h), new Float32Array(w * h)];
        smoothSeparable(src, a, new Float32Array(w * h), w, h, g);
        smoothSeparableJs(src, b, new Float32Array(w * h), w, h, g);
        expect(differences(a, b)).toEqual([]);
        const inPlace = Float32Array.from(src);
        smoothSeparable(inPlace, inPlace, new Float32Array(w * h), w, h, g);
        expect(differences(inPlace, b)).toEqual([]);
      }
    });
  });

  it('give the ridge response and the plane kept at a scale bit for bit as the JavaScript', () => {
    SIZES.forEach(([w, h], k) => {
      for (const scales of [defaultScales(2), defaultScales(1), [1.5], [3, 2, 2], [0.7, 6]]) {
        const src = plane(w, h, 7 * k + scales.length);
        const keep = (sigma: number) => ({ sigma, into: new Float32Array(w * h) });
        const [ka, kb] = [keep(Math.min(...scales)), keep(Math.min(...scales))];
        const a = ridgeStrength(src, w, h, scales, ka);
        const b = ridgeStrengthJs(src, w, h, scales, kb, new Float32Array(w * h));
        expect(differences(a, b)).toEqual([]);
        expect(differences(ka.into, kb.into)).toEqual([]);
        if (w * h >= 1000) expect(a.some((v) => v > 0)).toBe(true);
      }
    });
  });
});
