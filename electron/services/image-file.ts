import { readFile, stat } from 'node:fs/promises';
import { constants, inflateRawSync, inflateSync } from 'node:zlib';
import { RamifyError } from '../../shared/result';
import { decodeImage, type DecodeOptions } from '../../shared/image/decode';
import { inflateInto } from '../../shared/formats/tiff/inflate';
import type { DecodedImage } from '../../shared/image/types';

/** Files larger than this are refused before reading (decoded data is capped at 4 GiB anyway). */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;

/**
 * Reads an image file into memory after checking that it is a regular, non-empty file within `maxBytes`.
 * Throws RamifyError with codes not-found, not-a-file, empty, too-large or io.
 */
export async function readImageFile(path: string, opts: { maxBytes?: number } = {}): Promise<Uint8Array> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new RamifyError('not-a-file', s.isDirectory() ? 'it is a directory, not an image file' : 'it is not a regular file');
    size = s.size;
  } catch (e) {
    throw asIoError(e);
  }
  if (size === 0) throw new RamifyError('empty', 'the file is empty (0 bytes)');
  if (size > maxBytes) throw new RamifyError('too-large', `the file is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} Ramify opens`);
  let bytes: Uint8Array;
  try {
    const buf = await readFile(path);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw asIoError(e);
  }
  if (bytes.length > maxBytes) throw new RamifyError('too-large', `the file grew to ${formatBytes(bytes.length)} while being read`);
  return bytes;
}

/** Reads and decodes in one step, timing both (the CLI reports the timings; the app logs them). */
export async function loadImageFile(path: string, opts: DecodeOptions & { maxBytes?: number } = {}): Promise<{ image: DecodedImage; bytes: number; readMs: number; decodeMs: number }> {
  const t0 = performance.now();
  const data = await readImageFile(path, opts);
  const t1 = performance.now();
  const image = decodeImage(data, { inflate: nativeInflate, ...opts });
  const t2 = performance.now();
  return { image, bytes: data.length, readMs: t1 - t0, decodeMs: t2 - t1 };
}

function asIoError(e: unknown): RamifyError {
  if (e instanceof RamifyError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new RamifyError('not-found', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return new RamifyError('io', 'permission denied');
  if (code === 'EISDIR') return new RamifyError('not-a-file', 'it is a directory, not an image file');
  if (code === 'ERR_FS_FILE_TOO_LARGE') return new RamifyError('too-large', 'the file is too large to read into memory');
  return new RamifyError('io', e instanceof Error ? e.message : String(e));
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/**
 * Native zlib for TIFF Deflate strips (about 2.5× faster than the pure-JS default); errors become the same "corrupt"
 * RamifyError the pure-JS path throws.
 */
export function nativeInflate(src: Uint8Array, dst: Uint8Array): number {
  const zlib = src.length >= 2 && (src[0] & 0x0f) === 8 && ((src[0] << 8) | src[1]) % 31 === 0;
  let out: Buffer;
  try {
    // SYNC_FLUSH: a stream cut short returns what it has (like libtiff) instead of throwing "unexpected end".
    const options = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, dst.length) };
    out = zlib ? inflateSync(src, options) : inflateRawSync(src, options);
  } catch (e) {
    const code = (e as { code?: string }).code;
    // More output than the strip should hold: the pure-JS path keeps the first dst.length bytes, as libtiff does.
    if (code === 'ERR_BUFFER_TOO_LARGE') return inflateInto(src, dst);
    throw new RamifyError('corrupt', `Corrupt TIFF: Deflate data cannot be decoded (${e instanceof Error ? e.message : String(e)}).`);
  }
  const n = Math.min(out.length, dst.length);
  dst.set(out.subarray(0, n));
  return n;
}
