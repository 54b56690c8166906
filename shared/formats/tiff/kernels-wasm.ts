import { RamifyError } from '../../result';
import type { PartialStats, StatsKind } from '../../image/stats';
import { KERNELS_WASM_BASE64 } from './kernels-wasm-binary';
import { wasmKernel } from '../../wasm-module';

// The Deflate decoder and sample statistics of build/tools/tiff-kernels.c. Synchronous, one instance per thread;
// inputs are copied into its memory and results copied out.

/** Bytes past the end of the output that the kernel's 8-byte match copies may overwrite. */
const SLACK = 16;

interface Kernels {
  memory: WebAssembly.Memory;
  heapBase: number;
  inflate: (src: number, n: number, dst: number, cap: number) => number;
  stats: Record<StatsKind, (p: number, n: number, out: number) => void>;
}

const align16 = (n: number) => (n + 15) & ~15;
const kernel = wasmKernel(KERNELS_WASM_BASE64, (e): Kernels => {
  const f = (name: string) => e[name] as (...args: number[]) => number;
  return {
    memory: e.memory as WebAssembly.Memory,
    heapBase: (e.__heap_base as WebAssembly.Global).value as number,
    inflate: f('inflate'),
    stats: { uint8: f('stats_u8'), int8: f('stats_i8'), uint16: f('stats_u16'), int16: f('stats_i16') },
  };
});

/** True when the WebAssembly kernels can run here (checked once; false when WebAssembly is missing or blocked). */
export function kernelsWasmAvailable(): boolean {
  return kernel.current() !== null;
}

/** Where inputs may start in every instance's memory (past the kernels' own data and stack). */
function heapStart(): number {
  const k = kernel.current();
  if (!k) throw new Error('WebAssembly kernels are not available here');
  return align16(k.heapBase);
}

/**
 * Decodes one zlib (or raw) Deflate strip into `dst` (an InflateFn): stops when `dst` is full, as libtiff does, or
 * where the data ends (a short strip is then reported by the caller). Callers check kernelsWasmAvailable() first.
 */
export function inflateWasm(src: Uint8Array, dst: Uint8Array): number {
  const srcAt = heapStart();
  const dstAt = align16(srcAt + src.length);
  const k = kernel.sized(dstAt + dst.length + SLACK);
  new Uint8Array(k.memory.buffer).set(src, srcAt);
  const r = k.inflate(srcAt, src.length, dstAt, dst.length);
  if (r < 0) throw new RamifyError('corrupt', `Corrupt TIFF: Deflate data cannot be decoded (${r === -2 ? 'invalid Huffman code lengths' : 'invalid code or distance'}).`);
  dst.set(new Uint8Array(k.memory.buffer, dstAt, r));
  return r;
}

const SAMPLE_BYTES: Record<StatsKind, number> = { uint8: 1, int8: 1, uint16: 2, int16: 2 };

/** Min, max and sum of `bytes` read as `kind` samples (host byte order), or null when there are none. */
export function statsWasm(kind: StatsKind, bytes: Uint8Array): PartialStats | null {
  const n = Math.floor(bytes.length / SAMPLE_BYTES[kind]);
  if (n === 0) return null;
  const at = heapStart();
  const outAt = align16(at + bytes.length);
  const k = kernel.sized(outAt + 24);
  new Uint8Array(k.memory.buffer).set(bytes, at);
  k.stats[kind](at, n, outAt);
  const r = new Float64Array(k.memory.buffer, outAt, 3);
  return { min: r[0], max: r[1], sum: r[2] };
}
