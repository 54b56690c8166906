import { inflateSync, unzlibSync } from 'fflate';
import { RamifyError } from '../../result';
import { inflateWasm, kernelsWasmAvailable } from './kernels-wasm';

/**
 * Decodes a Deflate strip (zlib-wrapped, or raw as a few writers emit) straight into `dst`; returns bytes written.
 * Uses the WebAssembly kernel (about 2.5× fflate's speed) where it runs, else fflate.
 */
export function inflateInto(src: Uint8Array, dst: Uint8Array): number {
  return kernelsWasmAvailable() ? inflateWasm(src, dst) : inflateFflate(src, dst);
}

/** True when a Deflate strip starts with a zlib header (else it is raw Deflate, as a few writers emit). */
export const isZlibStream = (src: Uint8Array): boolean => src.length >= 2 && (src[0] & 0x0f) === 8 && ((src[0] << 8) | src[1]) % 31 === 0;

/** inflateInto in pure JavaScript (fflate), for where WebAssembly is unavailable. */
export function inflateFflate(src: Uint8Array, dst: Uint8Array): number {
  let out: Uint8Array;
  try {
    out = isZlibStream(src) ? unzlibSync(src, { out: dst }) : inflateSync(src, { out: dst });
  } catch (e) {
    throw new RamifyError('corrupt', `Corrupt TIFF: Deflate data cannot be decoded (${e instanceof Error ? e.message : String(e)}).`);
  }
  // fflate returns `dst` itself when full, or a shorter copy; copy back in that case so the caller sees one buffer.
  if (out.buffer !== dst.buffer || out.byteOffset !== dst.byteOffset) dst.set(out.subarray(0, Math.min(out.length, dst.length)));
  return Math.min(out.length, dst.length);
}
