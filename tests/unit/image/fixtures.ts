import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memorySource, type ByteSource } from '../../../shared/formats/tiff/byte-source';
import { decodeImage } from '../../../shared/image/decode';
import type { DecodedImage } from '../../../shared/image/types';

/** Absolute path of a file under tests/fixtures/tiff. */
export const fixturePath = (rel: string): string => fileURLToPath(new URL(`../../fixtures/tiff/${rel}`, import.meta.url));

export const readFixture = (rel: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(rel)));

/** The project's reference data, a sibling of the repo: `../shared/data` from the repo root. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/**
 * Whether tests that need `SHARED_DATA/rel` run: true when it is there; when it is absent they are skipped on a
 * developer machine but run (and fail) under CI=true, where the reference data is required.
 */
export function sharedDataRequired(rel: string): boolean {
  if (existsSync(join(SHARED_DATA, rel))) return true;
  if (process.env.CI === 'true') return true;
  console.log(`skipping: ${join(SHARED_DATA, rel)} is not on this machine (under CI=true its absence fails)`);
  return false;
}

/** The reference TIFFs under SHARED_DATA (paths relative to it) whose statistics tests/fixtures/tiff records. */
export const referenceTiffs = (): string[] => Object.keys(JSON.parse(readFileSync(fixturePath('reference-stats.json'), 'utf8')) as Record<string, unknown>);

/** A reference TIFF's bytes and its whole-file decode (null when the decoder refuses the file). */
export function readReferenceTiff(rel: string): { bytes: Uint8Array; whole: DecodedImage | null } {
  const bytes = new Uint8Array(readFileSync(join(SHARED_DATA, rel)));
  try {
    return { bytes, whole: decodeImage(bytes) };
  } catch {
    return { bytes, whole: null };
  }
}

/** A ByteSource over bytes that counts what is read: the tests' measure of how much of a file a reader touches. */
export function countingSource(bytes: Uint8Array): ByteSource & { bytesRead: number; largestRead: number; reads: Array<[number, number]> } {
  const inner = memorySource(bytes);
  const s = {
    size: inner.size,
    bytesRead: 0,
    largestRead: 0,
    reads: [] as Array<[number, number]>,
    read: async (offset: number, length: number) => {
      const got = await inner.read(offset, length);
      s.bytesRead += got.length;
      s.largestRead = Math.max(s.largestRead, got.length);
      s.reads.push([offset, got.length]);
      return got;
    },
  };
  return s;
}
