import { RamifyError } from '../../result';
import { LZW_WASM_BASE64 } from './lzw-wasm-binary';
import { wasmKernel } from '../../wasm-module';

// The WebAssembly twin of lzwDecodeJs (kernel source: build/tools/lzw-decode.wat). Instantiated synchronously on
// first use — the module is under 1 KiB, so this is allowed on the main thread too. Decoding is synchronous and the
// instance is reused, so one memory per thread suffices.

/** Byte address where the kernel's scratch area (256 literals, then the output) starts; below it lie the tables. */
const SCRATCH = 32768;
/** Bytes past the end of the output that the kernel's fixed 8-byte copies may scribble on. */
const SLACK = 16;

type Kernel = { memory: WebAssembly.Memory; decode: (src: number, n: number, w: number, cap: number) => number };

const kernel = wasmKernel(LZW_WASM_BASE64, (e): Kernel => ({ memory: e.memory as WebAssembly.Memory, decode: e.decode as Kernel['decode'] }));

/** True when the WebAssembly LZW kernel can run here (checked once; false when WebAssembly is missing or blocked). */
export function lzwWasmAvailable(): boolean {
  return kernel.current() !== null;
}

/** The error lzwDecode and lzwDecodeJs throw for a code that is neither in the table nor the KwKwK code. */
export function lzwCodeError(code: number, next: number): RamifyError {
  return new RamifyError('corrupt', `Corrupt TIFF: LZW code ${code} is not in the table (next free ${next}).`);
}

/**
 * lzwDecode on the WebAssembly kernel: decodes one new-style TIFF LZW strip or tile into `dst` and returns the
 * number of bytes written. The caller has rejected old-style LZW (lzwDecode does) and checked lzwWasmAvailable().
 */
export function lzwDecodeWasm(src: Uint8Array, dst: Uint8Array): number {
  const cap = dst.length;
  const srcAt = (SCRATCH + 256 + cap + SLACK + 7) & ~7;
  const need = srcAt + src.length;
  if (!lzwWasmAvailable()) throw new Error('lzwDecodeWasm: WebAssembly is not available here');
  const k = kernel.sized(need);
  const heap = new Uint8Array(k.memory.buffer);
  heap.set(src, srcAt);
  const r = k.decode(srcAt, src.length, SCRATCH, cap);
  if (r < 0) {
    const packed = -1 - r;
    throw lzwCodeError(packed & 8191, packed >>> 13);
  }
  dst.set(heap.subarray(SCRATCH + 256, SCRATCH + 256 + r));
  return r;
}
