import { decompress } from 'fzstd';
import { RamifyError } from '../../result';

/** Decodes a Zstandard strip or tile (TIFF compression 50000) into `dst`; returns bytes written. */
export function zstdInto(src: Uint8Array, dst: Uint8Array): number {
  let out: Uint8Array;
  try {
    // Not decompress(src, dst): given a buffer, fzstd does not say how much it wrote, so a short strip would pass.
    out = decompress(src);
  } catch (e) {
    throw new RamifyError('corrupt', `Corrupt TIFF: ZSTD data cannot be decoded (${e instanceof Error ? e.message : String(e)}).`);
  }
  // Extra data beyond the block is ignored, as libtiff does.
  const n = Math.min(out.length, dst.length);
  dst.set(out.subarray(0, n));
  return n;
}
