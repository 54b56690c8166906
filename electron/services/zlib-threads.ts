import { blockCount, blockDecodedBytes, type InflateFn } from '../../shared/formats/tiff/decode-page';
import { readTiffHeader } from '../../shared/formats/tiff/decode';
import { decodeImage, type DecodeOptions } from '../../shared/image/decode';
import type { DecodedImage } from '../../shared/image/types';
import { copyOut, nativeInflate, nativeInflateAhead } from './native-inflate';

/** Decoded bytes up to which all strips are decompressed ahead at once (their outputs are held until used). */
export const ZLIB_AHEAD_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Decodes a Deflate TIFF with its strips decompressed ahead, all at once, by zlib on the libuv thread pool (several
 * cores, nothing to start — unlike worker threads, it pays off for one-shot decodes of a few MiB such as
 * `ramify inspect`). The ordinary single-threaded decode then only copies each strip's output into place, undoes
 * predictor and byte order and gathers statistics, so pixels, statistics and errors are exactly decodeImage's.
 * Returns null when it does not apply (not a Deflate TIFF, or larger than ZLIB_AHEAD_MAX_BYTES decoded).
 */
export async function decodeWithZlibThreads(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage | null> {
  let pages;
  try {
    pages = readTiffHeader(bytes, opts).pages;
  } catch {
    return null; // decodeImage reports it
  }
  if (!pages.every((p) => p.compression === 8 || p.compression === 32946)) return null;
  let total = 0;
  for (const p of pages) for (let b = 0; b < blockCount(p); b++) total += blockDecodedBytes(p, b);
  if (total > ZLIB_AHEAD_MAX_BYTES) return null;

  // Keyed by where the strip starts in the file: the decoder asks for bytes.subarray(offset, …).
  const ahead = new Map<number, Promise<Buffer | null>>();
  for (const p of pages) {
    for (let b = 0; b < blockCount(p); b++) {
      const off = p.offsets[b];
      const count = Math.min(p.byteCounts[b], bytes.length - off);
      if (count > 0 && !ahead.has(off)) ahead.set(off, nativeInflateAhead(bytes.subarray(off, off + count), blockDecodedBytes(p, b)));
    }
  }
  const outputs = new Map<number, Buffer | null>();
  await Promise.all([...ahead].map(([off, out]) => out.then((o) => outputs.set(off, o))));
  const inflate: InflateFn = (src, dst) => {
    const out = outputs.get(src.byteOffset - bytes.byteOffset);
    // Anything unexpected (an error, a strip asked for twice) goes through zlib again on this thread.
    if (!out) return nativeInflate(src, dst);
    outputs.delete(src.byteOffset - bytes.byteOffset);
    return copyOut(out, dst);
  };
  return decodeImage(bytes, { ...opts, inflate });
}
