import { RamifyError } from '../result';
import { decodeJpeg, isJpeg, readJpegFrame } from '../formats/jpeg';
import { decodePng, isPng, pngChannels, readPngSize } from '../formats/png';
import { DEFAULT_MAX_SAMPLES, decodeTiff, readTiffHeader, type DecodeOptions } from '../formats/tiff/decode';
import { isTiff } from '../formats/tiff/ifd';
import { PARALLEL_MIN_BYTES, type ParallelDecodeOptions, type StripDecodePool, decodeTiffParallel } from '../formats/tiff/decode-parallel';
import { otherFormatByContent, otherFormatError } from './other-formats';
import type { DecodedImage, ImageFormat, ImageInfo } from './types';

export type { DecodeOptions } from '../formats/tiff/decode';
export type { ParallelDecodeOptions, StripDecodePool } from '../formats/tiff/decode-parallel';

/** File name endings Ramify opens (a Zeiss LSM is a TIFF), lower case, without the dot. */
export const IMAGE_EXTENSIONS = ['tif', 'tiff', 'lsm', 'png', 'jpg', 'jpeg'] as const;

/** True when a file name ends in one of IMAGE_EXTENSIONS, in any case. */
export const hasImageExtension = (name: string): boolean => (IMAGE_EXTENSIONS as readonly string[]).includes(name.split('.').pop()?.toLowerCase() ?? '');

/** Recognises TIFF/BigTIFF, PNG and JPEG by their first bytes; null for anything else. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (isTiff(bytes)) return 'tiff';
  if (isPng(bytes)) return 'png';
  if (isJpeg(bytes)) return 'jpeg';
  return null;
}

function notAnImage(bytes: Uint8Array): RamifyError {
  if (bytes.length === 0) return new RamifyError('empty', 'The file is empty (0 bytes).');
  const other = otherFormatByContent(bytes);
  if (other) return otherFormatError(other);
  return new RamifyError('unsupported-format', 'Not a TIFF, PNG or JPEG image (unrecognised file header).');
}

/**
 * Decodes an image file's bytes into single-sample planes in hyperstack order plus per-page statistics.
 * Throws RamifyError (codes: empty, unsupported-format, unsupported, corrupt, too-large) with a sentence for the user.
 */
export function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedImage {
  const format = sniffFormat(bytes);
  const maxSamples = opts.maxPixels ?? DEFAULT_MAX_SAMPLES;
  try {
    let out: DecodedImage;
    if (format === 'tiff') out = decodeTiff(bytes, opts);
    else if (format === 'png') out = decodePng(bytes, maxSamples);
    else if (format === 'jpeg') out = decodeJpeg(bytes, maxSamples);
    else throw notAnImage(bytes);
    if (format !== 'tiff') opts.onProgress?.(1);
    return out;
  } catch (e) {
    throw asRamifyError(e);
  }
}

/**
 * decodeImage with a compressed TIFF's strips/tiles decoded by `pool` (one job per run of strips, several per
 * worker). Same result and same RamifyErrors as decodeImage; files under `minBytes` (default 4 MiB), non-TIFFs
 * and uncompressed TIFFs take the single-threaded path, where workers would cost more than they save.
 */
export async function decodeImageParallel(bytes: Uint8Array, pool: StripDecodePool | null, opts: ParallelDecodeOptions = {}): Promise<DecodedImage> {
  if (!pool || pool.concurrency < 1 || bytes.length < (opts.minBytes ?? PARALLEL_MIN_BYTES) || sniffFormat(bytes) !== 'tiff') return decodeImage(bytes, opts);
  try {
    return await decodeTiffParallel(bytes, pool, opts);
  } catch (e) {
    throw asRamifyError(e);
  }
}

/** Shape, type and calibration without decoding pixels (TIFF reads tags only; PNG/JPEG read their headers). */
export function readImageInfo(bytes: Uint8Array, opts: DecodeOptions = {}): ImageInfo {
  const format = sniffFormat(bytes);
  try {
    if (format === 'tiff') return readTiffHeader(bytes, opts).info;
    if (format === 'png') {
      const { width, height } = readPngSize(bytes);
      const colourType = bytes[25];
      const channels = pngChannels(colourType === 0 || colourType === 3 ? 1 : colourType === 4 ? 2 : colourType === 2 ? 3 : 4);
      return { format, width, height, pages: 1, channels, slices: 1, frames: 1, bitsPerSample: bytes[24], sampleFormat: 'uint', samplesPerPixel: channels, calibration: null };
    }
    if (format === 'jpeg') {
      const f = readJpegFrame(bytes);
      if (!f) throw new RamifyError('corrupt', 'Corrupt JPEG: no frame header (SOF) found.');
      const channels = f.components === 1 ? 1 : 3;
      return { format, width: f.width, height: f.height, pages: 1, channels, slices: 1, frames: 1, bitsPerSample: f.precision, sampleFormat: 'uint', samplesPerPixel: channels, calibration: null };
    }
    throw notAnImage(bytes);
  } catch (e) {
    throw asRamifyError(e);
  }
}

/** Anything a decoder library throws becomes a RamifyError; a RangeError here means an allocation failed. */
function asRamifyError(e: unknown): RamifyError {
  if (e instanceof RamifyError) return e;
  if (e instanceof RangeError) return new RamifyError('too-large', `The image is too large to decode in memory (${e.message}).`);
  return new RamifyError('corrupt', `The image cannot be decoded: ${e instanceof Error ? e.message : String(e)}.`);
}
