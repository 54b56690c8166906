import { readFile, stat } from 'node:fs/promises';
import { RamifyError } from '../../shared/result';
import { PARALLEL_MIN_BYTES, type StripDecodePool } from '../../shared/formats/tiff/decode-parallel';
import { decodeImageParallel, type DecodeOptions } from '../../shared/image/decode';
import { nativeInflate } from './native-inflate';
import { decodeWithZlibThreads } from './zlib-threads';
import type { DecodedImage } from '../../shared/image/types';

export { nativeInflate } from './native-inflate';

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

/**
 * Files from which loadImageFile uses its own (cold) worker pool. Starting workers costs 150–300 ms (bundling their
 * code from sources, booting, JIT warm-up), which a 20 MB LZW file on a busy 2-core machine did not earn back.
 */
export const COLD_POOL_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Reads and decodes in one step, timing both (the CLI reports the timings; the app logs them). Compressed TIFFs
 * are decoded by worker threads: with `pool` (e.g. a long-lived, warm NodeDecodePool) from PARALLEL_MIN_BYTES
 * (4 MiB), else with this process's shared pool from COLD_POOL_MIN_BYTES. Below that (from 4 MiB), Deflate strips
 * still decompress in parallel, on zlib's thread pool (decodeWithZlibThreads). `pool: null` keeps to this thread.
 */
export async function loadImageFile(path: string, opts: DecodeOptions & { maxBytes?: number; pool?: StripDecodePool | null } = {}): Promise<{ image: DecodedImage; bytes: number; readMs: number; decodeMs: number }> {
  const t0 = performance.now();
  const minBytes = opts.pool === undefined ? COLD_POOL_MIN_BYTES : PARALLEL_MIN_BYTES;
  const size = await stat(path).then((s) => s.size, () => 0);
  const workers = size < minBytes ? null : opts.pool === undefined ? await lazySharedPool() : opts.pool;
  // Start the workers while the file is read.
  workers?.warm?.();
  const data = await readImageFile(path, opts);
  const t1 = performance.now();
  const ahead = !workers && opts.pool !== null && data.length >= PARALLEL_MIN_BYTES ? await decodeWithZlibThreads(data, opts) : null;
  const image = ahead ?? (await decodeImageParallel(data, workers, { inflate: nativeInflate, ...opts, minBytes }));
  const t2 = performance.now();
  return { image, bytes: data.length, readMs: t1 - t0, decodeMs: t2 - t1 };
}

/** The shared worker pool, loaded on demand (its module is also the worker body, so it is not imported eagerly). */
async function lazySharedPool(): Promise<StripDecodePool> {
  const { sharedDecodePool } = await import('./decode-pool');
  return sharedDecodePool();
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
